"""Repository promises: the README's two commands, CI running the test command verbatim,
and dependencies pointing one way (GUIDE.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```(?:bash|sh)?\n(.*?)```", text, re.DOTALL)
    assert block, "README has no command block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_readme_starts_with_two_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    assert "paiban render" in commands[0] and "page05.yaml" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci


LOWER = {"units", "errors", "frames", "model"}
FORBIDDEN = {
    # module prefix -> imports it must not make
    "layout.text": {"reportlab", "typer", "pydantic", "fontTools", "layout.pdf", "layout.cli", "layout.compose"},
    "layout.compose": {"reportlab", "typer", "layout.pdf", "layout.cli", "pikepdf"},
    "layout.fonts": {"reportlab", "typer", "pydantic"},
    "layout.units": {"layout"},
    "layout.errors": {"layout"},
    "layout.frames": {"layout", "reportlab"},
}


def _imports(path: Path, package: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
    return names


def test_dependencies_point_one_way():
    bad = []
    for path in (ROOT / "layout").rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        if path.name == "__init__.py":
            module = module[: -len(".__init__")]
        imports = _imports(path, package)
        for prefix, banned in FORBIDDEN.items():
            if module == prefix or module.startswith(prefix + "."):
                for name in imports:
                    for b in banned:
                        if (name == b or name.startswith(b + ".")) and not (b == "layout" and name in (
                                "layout.units", "layout.errors")) and not name.startswith(prefix):
                            bad.append(f"{module} imports {name}")
    assert not bad, bad


def test_only_model_imports_pydantic_and_only_cli_imports_typer():
    for path in (ROOT / "layout").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        imports = _imports(path, module.rsplit(".", 1)[0])
        if any(n == "pydantic" or n.startswith("pydantic.") for n in imports):
            assert module == "layout.model", module
        if any(n == "typer" or n.startswith("typer.") for n in imports):
            assert module == "layout.cli", module


TOP = {"api", "preview", "regress", "watch", "edition", ""}
"""Orchestration and tools that read frames: they may use any layer below the CLI."""

LAYERS = {
    # group of layout -> the groups it may import (besides its own modules)
    "units": set(),
    "errors": set(),
    "frames": {"units", "errors"},
    "model": {"units", "errors"},
    "cache": {"units", "errors"},
    "fonts": {"units", "errors", "cache"},
    "imagecache": {"units", "errors", "cache"},
    "images": {"units", "errors", "cache", "imagecache"},
    "text": {"units", "errors", "frames", "fonts"},
    "compose": {"units", "errors", "frames", "model", "fonts", "text"},
    "pdf": {"units", "errors", "frames", "fonts", "cache", "imagecache", "images"},
    **{name: "everything but cli" for name in TOP},
    "cli": "everything",
}
"""The one-way pipeline (GUIDE): model → plan → frames → PDF. Layout (text, compose) never
touches the print backend (pdf, images, caches), the backend reads frames and never layout's
modules, and the model knows nothing above it. Groups not listed (a new package) are not
checked until they are added here."""


def _imported_modules(path: Path, package: str) -> set[str]:
    """Modules a file imports, ``from .. import text`` resolved to ``layout.text``."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = ".".join(base[: len(base) - node.level + 1])
                mod = f"{base}.{node.module}" if node.module else base
            else:
                mod = node.module or ""
            names.add(mod)
            if not node.module:  # from . import x: x is a module
                names.update(f"{mod}.{a.name}" for a in node.names)
    return {n for n in names if n != "layout"}


def _group(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "layout":
        return None
    return parts[1] if len(parts) > 1 else ""


def test_layers_import_only_downwards():
    bad = []
    for path in (ROOT / "layout").rglob("*.py"):
        rel = path.relative_to(ROOT).with_suffix("")
        module = ".".join(rel.parts)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        if path.name == "__init__.py":
            module = module[: -len(".__init__")]
        own = _group(module)
        allowed = LAYERS.get(own)
        if allowed is None or allowed == "everything":
            continue
        for name in _imported_modules(path, package):
            target = _group(name)
            if target is None or target == own or target not in LAYERS:
                continue
            if allowed == "everything but cli":
                if target == "cli":
                    bad.append(f"{module} imports {name}")
            elif target not in allowed:
                bad.append(f"{module} imports {name}")
    assert not bad, bad


def test_layering_check_catches_an_upward_import(tmp_path):
    """The check above can fail: a writer importing compose is caught."""
    fake = tmp_path / "writer.py"
    fake.write_text("from ..compose.furniture import MARK_LENGTH\nfrom ..frames import Page\n")
    names = _imported_modules(fake, "layout.pdf")
    assert "layout.compose.furniture" in names
    assert _group("layout.compose.furniture") not in LAYERS["pdf"]
    assert _group("layout.frames") in LAYERS["pdf"]


def test_writer_uses_no_private_reportlab_members():
    """ReportLab is used through its public API only (no ``c._doc``, no patched classes)."""
    for path in (ROOT / "layout" / "pdf").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(c|canvas|doc|font|face|t)\._[a-zA-Z]", text), path.name
        assert "ttfonts.TTFontFace =" not in text and "pickle" not in text, path.name
