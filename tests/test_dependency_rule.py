"""The layering rule, enforced by walking every import in the source tree.

`guardian` imports neither mitmproxy nor PySide6 (except the CLI, lazily,
inside the commands that run the proxy or the app); `proxy_addons` and `ui`
never import each other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "guardian": ("mitmproxy", "PySide6", "proxy_addons", "ui"),
    "proxy_addons": ("PySide6", "ui"),
    "ui": ("mitmproxy", "proxy_addons"),
}


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(module, at module level?) for each import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, id(node) in top_level))
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layering(package: str) -> None:
    violations = []
    for path in sources(package):
        in_cli = path.relative_to(ROOT).parts[:2] in {("guardian", "cli"), ("guardian", "cli.py")}
        for module, top_level in imports_of(path):
            root = module.split(".")[0]
            if root not in FORBIDDEN[package]:
                continue
            if in_cli and not top_level and root in ("proxy_addons", "ui"):
                continue  # the composition root loads these lazily
            violations.append(f"{path.relative_to(ROOT)} imports {module}")
    assert violations == []


def test_the_walker_sees_nested_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import os\ndef f():\n    from mitmproxy import http\n")
    assert imports_of(sample) == [("os", True), ("mitmproxy", False)]


def test_guardian_help_loads_neither_qt_nor_mitmproxy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from guardian.cli import build_parser\n"
        "build_parser().format_help()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mitmproxy', 'PySide6')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
