"""layout/text stays pure: no reportlab, typer, pydantic or fontTools, and no upward imports."""

from __future__ import annotations

import ast
from pathlib import Path

TEXT = Path(__file__).resolve().parents[2] / "layout" / "text"
FORBIDDEN = {"reportlab", "typer", "pydantic", "fontTools", "pikepdf", "pypdfium2", "PIL"}
ALLOWED_LAYOUT = {"frames", "units", "errors", "text"}


def test_layout_text_imports_only_pure_modules():
    assert list(TEXT.glob("*.py"))
    for path in TEXT.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level >= 2:  # from ..x import y
                    names = [f"layout.{node.module or ''}"]
                elif node.level == 1:
                    continue
                else:
                    names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top not in FORBIDDEN, f"{path.name} imports {name}"
                if top == "layout":
                    assert name.split(".")[1] in ALLOWED_LAYOUT, f"{path.name} imports {name}"
