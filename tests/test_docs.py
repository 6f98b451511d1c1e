"""The documentation: the reference covers every command, setting and public name, the
site builds without warnings, and the tutorial notebook runs."""

from __future__ import annotations

import importlib.util
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import newstrace
from newstrace.cli.main import cli
from newstrace.settings import SETTINGS, Settings, settings_table, shown_default

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def _gen_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_reference", DOCS / "gen_reference.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command of the click tree, walked here independently of the generator."""
    commands = getattr(group, "commands", {})
    found = []
    for name, command in commands.items():
        if not command.hidden:
            found.append((*prefix, name))
            found += _commands(command, (*prefix, name))
    return found


def test_every_command_is_in_the_cli_reference() -> None:
    page = _gen_reference().cli_markdown()
    paths = _commands(cli)
    assert ("entities", "merge") in paths and ("ingest",) in paths
    for path in paths:
        command = " ".join(path)
        assert f"## newstrace {command}\n" in page, f"`newstrace {command}` missing"
        assert f"Usage: newstrace {command}" in page, f"`newstrace {command} --help` missing"


def test_every_setting_is_in_the_settings_reference() -> None:
    page = _gen_reference().settings_markdown()
    for setting in SETTINGS:
        assert f"| `{setting.name}` | `{setting.env}` |" in page, setting.name


def test_readme_settings_table_is_generated_from_the_declaration() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- settings table: generated")
    block = readme[readme.index("\n", start) + 1 : readme.index("<!-- end of settings table -->")]
    assert block == settings_table(), "README settings table: paste settings_table() again"
    assert "| `token` | `NEWSTRACE_TOKEN` | (empty) |" in block
    assert f"into `./{Settings().db}`" in readme, "the quick start quotes the default store"


def test_setting_options_take_help_and_default_from_the_declaration() -> None:
    from click.testing import CliRunner

    top = CliRunner().invoke(cli, ["--help"], terminal_width=200).output
    assert f"[env NEWSTRACE_DB; default {Settings().db}]" in top
    serve = CliRunner().invoke(cli, ["serve", "--help"], terminal_width=200).output
    assert "[env NEWSTRACE_TOKEN]" in serve and "[env NEWSTRACE_ALLOW_PRIVATE; default" in serve


def test_every_public_name_is_in_the_api_reference() -> None:
    page = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    for name in newstrace.__all__:
        obj = getattr(newstrace, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert f"::: newstrace.{name}\n" in page, f"{name} missing from reference/api.md"


def test_docs_build_without_warnings(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install mkdocs-material 'mkdocstrings[python]')")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "reference" / "cli" / "index.html").exists()


@pytest.mark.model
def test_tutorial_notebook_runs() -> None:
    for module in ("nbclient", "nbformat", "ipykernel", "pandas"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed")
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(DOCS / "notebooks" / "tutorial.ipynb", as_version=4)
    client = NotebookClient(
        notebook,
        timeout=240,
        kernel_name="python3",
        resources={"metadata": {"path": str(DOCS / "notebooks")}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "no figure was drawn"


def test_readme_quotes_the_serve_port_the_command_uses() -> None:
    from newstrace.cli.serve_cmd import serve

    port = next(p.default for p in serve.params if p.name == "port")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"127.0.0.1:{port}" in readme and f"--port {port}" in readme


def test_the_docs_nav_lists_each_page_once() -> None:
    nav = [line.strip() for line in (REPO / "mkdocs.yml").read_text().splitlines()]
    pages = [line.split(":", 1)[1].strip() for line in nav if line.endswith(".md")]
    assert len(pages) == len(set(pages))


def test_the_docs_home_page_has_the_readme_quick_start() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    assert block in (REPO / "docs" / "index.md").read_text(encoding="utf-8")


LIMIT_SETTINGS = ("max_input_bytes", "max_document_chars", "document_timeout", "page_size")


def test_limits_page_quotes_the_declared_defaults() -> None:
    """docs/explanation/limits.md: every size and time setting, with its declared default."""
    page = (DOCS / "explanation" / "limits.md").read_text()
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| (`[^`]*`) \|", page, flags=re.M))
    limits = [s for s in SETTINGS if s.name in LIMIT_SETTINGS or s.name.startswith("fetch_")]
    assert len(limits) == 6
    for declared in limits:
        assert rows.get(declared.name) == shown_default(declared.default), declared.name
    assert "explanation/limits.md" in (DOCS.parent / "mkdocs.yml").read_text()
