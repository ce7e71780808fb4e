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
