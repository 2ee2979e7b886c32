"""The ``kepugraph`` group: every :class:`KepugraphError` becomes one ``Error: …`` line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click

from kepugraph.errors import KepugraphError, StoreError, UnknownUnitError
from kepugraph.store.sources import SUFFIXES


def cli_message(exc: KepugraphError) -> str:
    """The library's message, with its remedy worded as this command line's options."""
    remedy = exc.remedy or ""
    if remedy == "plan":
        return "--plan picks a plan of the workspace or of a store (--store oxigraph:DIR), not of a --graph file " \
               "or an endpoint"
    if remedy == "build" and isinstance(exc, StoreError):
        return f"{exc}; build one with 'kepugraph build PATH... --store {exc.where}'"
    if remedy == "allow_update":
        return f"{exc} (pass --allow-update to change the store)"
    if remedy == "allow_service":
        return f"{exc} (pass --allow-service)"
    if remedy == "timeout":
        return f"{exc} (raise it with --timeout)"
    if remedy.startswith("param:"):
        return f"{exc} (--param {remedy[len('param:'):]}=VALUE)"
    return str(exc)


def _plan_file(arg: str) -> bool:
    """Does a command-line word name a plan file (rather than a unit or an option's value)?"""
    return Path(arg).suffix.lower() in SUFFIXES or Path(arg).is_file()


def file_hint(arg: str, command: str) -> str:
    """What to do when a plan file is given where a command answers from the workspace.

    >>> file_hint("lishan-2023.txt", "workload")  # doctest: +NORMALIZE_WHITESPACE
    'lishan-2023.txt 是方案文件，workload 不读文件，从工作区作答：先运行 kepugraph build lishan-2023.txt，再运行 kepugraph workload（已建多份方案时用 --plan lishan-2023 选这一份；已建好的图谱用 --graph FILE.ttl）'
    """
    return (f"{arg} 是方案文件，{command} 不读文件，从工作区作答：先运行 kepugraph build {arg}，"
            f"再运行 kepugraph {command}（已建多份方案时用 --plan {Path(arg).stem} 选这一份；"
            f"已建好的图谱用 --graph FILE.ttl）")


class _Group(click.Group):
    """Turns every :class:`KepugraphError` into ``Error: …`` on stderr and its exit code, and a
    plan file given where a command takes none into what to do instead."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            extra = re.match(r"Got unexpected extra arguments? \((.*)\)$", exc.message)
            files = [a for a in shlex.split(extra.group(1))] if extra else []
            files = [a for a in files if _plan_file(a)]
            if files:
                raise click.UsageError(file_hint(files[0], ctx.invoked_subcommand or ""), ctx=exc.ctx) from None
            raise
        except UnknownUnitError as exc:
            if _plan_file(exc.name):
                raise click.UsageError(file_hint(exc.name, ctx.invoked_subcommand or "")) from None
            err = click.ClickException(cli_message(exc))
            err.exit_code = exc.exit_code
            raise err from None
        except KepugraphError as exc:
            err = click.ClickException(cli_message(exc))
            err.exit_code = exc.exit_code
            raise err from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kepugraph")
def main():
    """把实施方案变成责任图谱并查询。 Turn a Chinese implementation plan into a responsibility graph and query it.

    'kepugraph build FILE' puts a plan into the workspace (graph/store, or
    $KEPUGRAPH_STORE); every query command answers from it and names the plan.
    Until a plan is built they answer for the bundled sample
    (泰山区全民科学素质行动规划纲要实施方案（2021-2025年）) and say so.

    Example: kepugraph workload --by kind
    """
