"""Reference pages generated from the code: the CLI from ``--help``, settings from
the fields of `newstrace.settings.Settings`.

MkDocs runs this as a hook (``hooks:`` in mkdocs.yml): the pages are added to the
build as generated files, so they can never fall behind the code. ``tests/test_docs.py``
checks that every command and every setting appears in them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import click

CLI_PAGE = "reference/cli.md"
SETTINGS_PAGE = "reference/settings.md"
WIDTH = 100


def command_paths(group: click.Command, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command under `group`, as the words typed after ``newstrace``, depth first."""
    if not isinstance(group, click.Group):
        return
    ctx = click.Context(group, info_name="newstrace")
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        yield (*prefix, name)
        yield from command_paths(command, (*prefix, name))


def help_text(root: click.Command, path: tuple[str, ...]) -> str:
    """What ``newstrace PATH... --help`` prints, at a fixed width."""
    settings = {**root.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    ctx = click.Context(root, info_name="newstrace", **settings)
    for name in path:
        assert isinstance(ctx.command, click.Group)
        command = ctx.command.get_command(ctx, name)
        assert command is not None, name
        ctx = click.Context(command, info_name=name, parent=ctx, **command.context_settings)
    return ctx.command.get_help(ctx)


def cli_markdown() -> str:
    """The command-line reference: the global help, then every command's ``--help``."""
    from newstrace.cli.main import cli

    parts = [
        "# Command line\n",
        "Generated from `newstrace --help` and the `--help` of every command by "
        "`docs/gen_reference.py` at each docs build.\n",
        "## newstrace\n",
        _fenced(help_text(cli, ())),
    ]
    for path in command_paths(cli):
        parts += [f"## newstrace {' '.join(path)}\n", _fenced(help_text(cli, path))]
    return "\n".join(parts)


def settings_markdown() -> str:
    """The settings reference: one row per declared setting."""
    from newstrace.settings import settings_table

    return "\n".join(_SETTINGS_INTRO) + settings_table()


_SETTINGS_INTRO = [
    "# Settings",
    "",
    "Generated from the fields of `newstrace.settings.Settings` by `docs/gen_reference.py`.",
    "",
    "Every setting is read, from strongest to weakest, from a command-line flag where",
    "there is one, the environment variable, the config file (`newstrace.toml` in the",
    "working directory, or the file named by `NEWSTRACE_CONFIG` or `--config`; keys at",
    "the top level or under `[newstrace]`), and the default. In Python, pass",
    "`newstrace.load_settings(**overrides)` or a `newstrace.Settings(...)` to",
    "`Store.open(settings=...)` and `extract(settings=...)`.",
    "",
]


def _fenced(text: str) -> str:
    return "```text\n" + text.rstrip() + "\n```\n"


def on_files(files: Any, config: Any) -> Any:
    """MkDocs hook: add the generated reference pages to the build."""
    from mkdocs.structure.files import File

    for path, content in ((CLI_PAGE, cli_markdown()), (SETTINGS_PAGE, settings_markdown())):
        files.append(File.generated(config, path, content=content))
    return files
