"""The `import-census` and `grid` commands of the send-audit CLI.

The commands parse their options here and hand over to census_import, which reads
an extract and replaces the figures once the SENCo confirms, and to grid_entry,
which prompts for the grid by hand. Prompts import questionary only when they run,
so `import-census --yes` never loads it.
"""

from pathlib import Path
from typing import Annotated

import typer

from send_audit.census_columns import CENSUS_FIELDS
from send_audit.cli_options import AuditArgument, CriteriaOption
from send_audit.errors import NotATerminalError
from send_audit.theme import make_console

# The import, the grid entry and the criteria are imported inside the commands, so
# that registering them costs every other command nothing.


def register(app: typer.Typer) -> None:
    """Add the `import-census` and `grid` commands to the send-audit CLI."""
    app.command("import-census")(import_census)
    app.command("grid")(grid)


def import_census(
    csv_file: Annotated[
        Path,
        typer.Argument(
            help="The census extract (.csv): one row per pupil on roll.",
            dir_okay=False,
        ),
    ],
    audit_file: AuditArgument,
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column",
            "-c",
            metavar="FIELD=HEADER",
            help=(
                "The header of the column that contains a field, when it is not "
                "recognised; repeat for each field. Fields: "
                + ", ".join(CENSUS_FIELDS)
                + ". An empty HEADER marks an optional field as not in the extract."
            ),
        ),
    ] = None,
    valid_rows_only: Annotated[
        bool,
        typer.Option(
            "--valid-rows-only",
            help="When some rows are invalid, import the valid rows only.",
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Replace the figures without asking first."),
    ] = False,
    census_year: Annotated[
        int | None,
        typer.Option(
            "--census-year",
            help="The January census the extract is for [default: the audit's].",
        ),
    ] = None,
    criteria_dir: CriteriaOption = None,
) -> None:
    """Fill the context figures and the SEND contextual grid from a census extract."""
    from send_audit.census_import import run_import
    from send_audit.criteria import load_criteria
    from send_audit.session import stdin_is_terminal

    criteria = load_criteria(criteria_dir)
    run_import(
        csv_file,
        audit_file,
        criteria,
        make_console(),
        columns=parse_column_options(column or []),
        valid_rows_only=valid_rows_only,
        yes=yes,
        census_year=census_year,
        interactive=stdin_is_terminal(),
    )


def grid(audit_file: AuditArgument, criteria_dir: CriteriaOption = None) -> None:
    """Type the SEND contextual grid by hand, when there is no census extract."""
    from send_audit.criteria import load_criteria
    from send_audit.grid_entry import run_grid_entry
    from send_audit.session import stdin_is_terminal

    if not stdin_is_terminal():
        raise NotATerminalError(
            "send-audit grid needs a terminal to ask for the counts; to fill the "
            "grid from a file, use send-audit import-census CSV AUDIT"
        )
    run_grid_entry(audit_file, load_criteria(criteria_dir), make_console())


def parse_column_options(options: list[str]) -> dict[str, list[str]]:
    """Turn `--column FIELD=HEADER` options into headers by field id.

    Raises:
        typer.BadParameter: For an option without "=".
    """
    columns: dict[str, list[str]] = {}
    for option in options:
        field_id, equals, header = option.partition("=")
        if not equals or not field_id.strip():
            raise typer.BadParameter(
                f"{option!r} is not FIELD=HEADER; for example "
                "--column year_group='NC Year'",
                param_hint="'--column'",
            )
        columns.setdefault(field_id.strip().lower(), []).append(header.strip())

    return columns
