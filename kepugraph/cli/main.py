"""The ``kepugraph`` group: every :class:`KepugraphError` becomes one ``Error: …`` line."""

from __future__ import annotations

import click

from kepugraph.errors import KepugraphError, StoreError


def cli_message(exc: KepugraphError) -> str:
    """The library's message, with its remedy worded as this command line's options."""
    remedy = exc.remedy or ""
    if remedy == "plan":
        return "--plan selects a plan of a corpus store: give --store oxigraph:DIR too"
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


class _Group(click.Group):
    """Turns every :class:`KepugraphError` into ``Error: …`` on stderr and its exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KepugraphError as exc:
            err = click.ClickException(cli_message(exc))
            err.exit_code = exc.exit_code
            raise err from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kepugraph")
def main():
    """把实施方案变成责任图谱并查询。 Turn a Chinese implementation plan into a responsibility graph and query it.

    With no FILE or --graph, every command works on the bundled reference plan
    (泰山区全民科学素质行动规划纲要实施方案（2021-2025年）).

    Example: kepugraph workload --by kind
    """
