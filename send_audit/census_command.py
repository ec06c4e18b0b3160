"""The `import-census` and `grid` commands, and the census offer of `send-audit new`.

`import-census` reads a pupil-level extract, shows the figures beside the ones
already in the audit and replaces them once the SENCo confirms. `grid` lets the
SENCo type the SEND contextual grid by hand when there is no extract. Prompts
import questionary only when they run, so `import-census --yes` never loads it.
"""

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from send_audit.audit import Audit
from send_audit.benchmarks import load_benchmarks
from send_audit.census import (
    CENSUS_FIELDS,
    CENSUS_FIGURE_IDS,
    CensusExtract,
    apply_census,
    describe_bad_rows,
    group_bad_rows,
    match_columns,
    read_census,
    read_census_header,
    unmatched_fields,
)
from send_audit.census_grid import CensusGrid, GridCell
from send_audit.census_report import render_grid
from send_audit.criteria import Criteria, Percentage, load_criteria
from send_audit.errors import CensusError, NotATerminalError
from send_audit.figures import compute_percentage, format_percentage
from send_audit.grid import (
    NEED_CODES,
    SEN_SUPPORT_ONLY_CODES,
    YEAR_GROUPS,
    grid_figures,
    grid_total,
    need_label,
    year_group_name,
)
from send_audit.lock import AuditLock
from send_audit.profile_draft import draft_profile_summary
from send_audit.storage import load_audit, save_audit
from send_audit.theme import make_console

# The context question that the drafted SEND profile summary answers.
PROFILE_SUMMARY_ID = "send_profile_summary"
CENSUS_YEAR_ID = "census_year"

CriteriaOption = Annotated[
    Path | None,
    typer.Option(
        "--criteria",
        help="Folder of a local authority's own criteria (with criteria.yaml).",
        file_okay=False,
    ),
]
AuditArgument = Annotated[
    Path, typer.Argument(help="The audit file (.yaml).", dir_okay=False)
]


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


def run_import(
    csv_path: Path,
    audit_path: Path,
    criteria: Criteria,
    console: Console,
    columns: dict[str, list[str]] | None = None,
    valid_rows_only: bool = False,
    yes: bool = False,
    census_year: int | None = None,
    interactive: bool = False,
) -> bool:
    """Import a census extract into a saved audit, holding its lock meanwhile.

    Args:
        csv_path: The census extract.
        audit_path: The saved audit to fill.
        criteria: The audit's criteria, for labels and the allowed census years.
        console: Where figures and notices are printed.
        columns: Headers chosen with --column, by field id.
        valid_rows_only: Import the valid rows when some rows are invalid.
        yes: Replace the figures without asking.
        census_year: The census the extract is for; the audit's when None.
        interactive: Whether prompts can be shown; unmatched columns, invalid rows
            and the confirmation are asked about only then.

    Returns:
        Whether the audit was changed.

    Raises:
        CensusError: For an unreadable extract, a missing column or invalid rows.
        NotATerminalError: When confirmation is needed but cannot be asked.
    """
    # A missing or invalid audit or extract fails here, before a lock file is
    # created beside the audit or any question is asked.
    load_audit(audit_path, criteria)
    read_census_header(csv_path)
    with AuditLock(audit_path, _notifier(console)):
        audit = load_audit(audit_path, criteria)
        year = _choose_census_year(audit, criteria, census_year, interactive)
        extract = _read_extract(csv_path, columns or {}, year, interactive, console)
        _review_bad_rows(extract, valid_rows_only, interactive, console)
        if not _confirm_replacement(
            audit, extract, criteria, console, yes, interactive
        ):
            console.print(Text("Nothing was changed."))
            return False

        apply_census(audit, extract)
        save_audit(audit, audit_path)
        console.print(Text(f"Saved the census figures and the grid in {audit_path}."))
        _offer_profile_summary(audit, audit_path, criteria, console, interactive)

    return True


def offer_census_import(
    audit: Audit, audit_path: Path, criteria: Criteria, console: Console
) -> bool:
    """Offer to fill the figures from a census extract during `send-audit new`.

    Asks whether there is an extract, where it is and its census year, then shows
    the figures and asks to confirm them. The caller holds the audit's lock. The
    audit is saved here once the figures are applied.

    Returns:
        Whether the figures and the grid were imported.
    """
    from send_audit.prompts import ask_confirm

    console.print(
        Text(
            "These figures can be filled from a census extract: a CSV of every pupil "
            "on roll, exported from the MIS with year group, sex, SEN provision, "
            "primary need, pupil premium and CLA/PLAC columns.",
            style="notice",
        )
    )
    if not ask_confirm("Fill the figures from a census extract?", default=False):
        return False

    year = None
    while True:
        csv_path = _ask_csv_path()
        if csv_path is None:
            return False
        try:
            read_census_header(csv_path)
            if year is None:
                year = _choose_census_year(audit, criteria, None, interactive=True)
            extract = _read_extract(csv_path, {}, year, True, console)
            _review_bad_rows(extract, False, True, console)
            confirmed = _confirm_replacement(
                audit, extract, criteria, console, False, True
            )
        except CensusError as error:
            console.print(Text(f"Error: {error}", style="error"))
            if ask_confirm("Try another file?", default=True):
                continue
            return False
        if not confirmed:
            return False

        apply_census(audit, extract)
        save_audit(audit, audit_path)
        _offer_profile_summary(audit, audit_path, criteria, console, True)
        return True


def _notifier(console: Console):
    return lambda sentence: console.print(Text(sentence, style="notice"))


def _ask_csv_path() -> Path | None:
    import questionary

    from send_audit.prompts import STYLE

    def validate(text: str) -> bool | str:
        if not text.strip() or Path(text.strip()).expanduser().is_file():
            return True
        return f"{text.strip()!r} is not a file; type the path of the CSV extract"

    answer = questionary.path(
        "Census extract (CSV file; leave empty to skip):",
        validate=validate,
        style=STYLE,
    ).unsafe_ask()

    return Path(answer.strip()).expanduser() if answer.strip() else None


def _choose_census_year(
    audit: Audit, criteria: Criteria, given: int | None, interactive: bool
) -> int | None:
    question = criteria.context.questions.get(CENSUS_YEAR_ID)
    allowed = question.choices if question is not None and question.choices else None
    if given is not None:
        if allowed is not None and str(given) not in allowed:
            raise CensusError(
                f"--census-year {given} is not a census year of these criteria; "
                f"use one of {', '.join(allowed)}"
            )
        return given

    stored = audit.context.get(CENSUS_YEAR_ID)
    if isinstance(stored, str) and stored.isdigit():
        return int(stored)
    if not interactive or allowed is None:
        return None

    return _ask_census_year(question.label, allowed)


def _ask_census_year(label: str, allowed: tuple[str, ...]) -> int:
    from send_audit.interview import latest_census_year
    from send_audit.prompts import ask_choice

    latest = str(latest_census_year())
    default = latest if latest in allowed else allowed[-1]
    answer = ask_choice(label, [(year, year) for year in allowed], default=default)

    return int(answer)


def _read_extract(
    csv_path: Path,
    columns: dict[str, list[str]],
    census_year: int | None,
    interactive: bool,
    console: Console,
) -> CensusExtract:
    headers = read_census_header(csv_path)
    matched = match_columns(headers, columns, csv_path)
    chosen: dict[str, list[str]] = {key: list(value) for key, value in matched.items()}
    for field_id in unmatched_fields(matched):
        census_field = CENSUS_FIELDS[field_id]
        if interactive:
            used = {header for found in chosen.values() for header in found}
            header = _ask_column(csv_path, field_id, headers, used)
            chosen[field_id] = [header] if header else []
        elif not census_field.required:
            chosen[field_id] = []
            console.print(
                Text(
                    f"{csv_path} has no column for {census_field.in_sentence}, so "
                    f"those figures keep their values; name it with --column "
                    f"{field_id}=HEADER.",
                    style="notice",
                )
            )

    extract = read_census(csv_path, chosen, census_year)
    _print_columns(extract, console)
    for warning in extract.warnings:
        console.print(Text(warning, style="notice"))

    return extract


def _ask_column(
    csv_path: Path, field_id: str, headers: list[str], used: set[str]
) -> str | None:
    from send_audit.prompts import ask_choice

    census_field = CENSUS_FIELDS[field_id]
    choices: list[tuple[str, object]] = [
        (header, header) for header in headers if header and header not in used
    ]
    if census_field.required:
        choices.append(("None of these: stop the import", "stop"))
    else:
        choices.append(("Not in this extract", None))
    message = f"Which column contains the {census_field.in_sentence}?"
    answer = ask_choice(message, choices)
    if answer == "stop":
        raise CensusError(
            f"{csv_path}: no column for the {census_field.in_sentence}; add it to "
            "the export from the MIS and import again"
        )

    return answer


def _print_columns(extract: CensusExtract, console: Console) -> None:
    table = Table(title=Text("Columns read", style="heading"), title_justify="left")
    table.add_column("Field")
    table.add_column("Column in the extract", overflow="fold")
    for field_id, census_field in CENSUS_FIELDS.items():
        headers = extract.columns.get(field_id, ())
        shown = " or ".join(repr(header) for header in headers) or "not in the extract"
        table.add_row(Text(census_field.label), Text(shown))
    console.print(table)


def _review_bad_rows(
    extract: CensusExtract, valid_rows_only: bool, interactive: bool, console: Console
) -> None:
    if not extract.bad_rows:
        return
    bad = extract.bad_row_count
    if extract.pupils == 0:
        raise CensusError(
            f"{extract.path}: none of the {bad} pupil rows is valid, so nothing was "
            "imported:\n" + "\n".join(describe_bad_rows(extract.bad_rows))
        )
    if valid_rows_only or interactive:
        _print_bad_rows(extract, console)
    if valid_rows_only:
        console.print(
            Text(
                f"Importing the {extract.pupils} valid rows; the {bad} invalid ones "
                "are left out.",
                style="notice",
            )
        )
        return

    if interactive:
        from send_audit.prompts import ask_confirm

        question = (
            f"Import the {extract.pupils} valid rows and leave out the {bad} "
            "invalid ones?"
        )
        if ask_confirm(question, default=False):
            return
        raise CensusError(
            f"{extract.path}: nothing was imported, because {bad} rows are invalid "
            "(listed above); correct them in the MIS and export again"
        )

    raise CensusError(
        f"{extract.path}: nothing was imported, because {bad} rows are invalid:\n"
        + "\n".join(describe_bad_rows(extract.bad_rows))
        + "\nCorrect them in the MIS and export again, or add --valid-rows-only to "
        f"import the {extract.pupils} valid rows"
    )


def _print_bad_rows(extract: CensusExtract, console: Console) -> None:
    title = f"Invalid rows in {extract.path}"
    table = Table(title=Text(title, style="error"), title_justify="left")
    for heading in ("Rows", "Column", "Found", "Problem"):
        table.add_column(heading, overflow="fold")
    for rows, bad in group_bad_rows(extract.bad_rows):
        table.add_row(
            Text(rows), Text(bad.column), Text(repr(bad.value)), Text(bad.problem)
        )
    console.print(table)


def _confirm_replacement(
    audit: Audit,
    extract: CensusExtract,
    criteria: Criteria,
    console: Console,
    yes: bool,
    interactive: bool,
) -> bool:
    console.print(_figures_table(audit, extract, criteria))
    console.print(Text("SEND contextual grid from the census", style="heading"))
    render_grid(extract.grid, console)
    if yes:
        return True
    if not interactive:
        raise NotATerminalError(
            "confirming the census figures needs a terminal; add --yes to replace "
            "the figures without asking"
        )

    from send_audit.prompts import ask_confirm

    return ask_confirm("Replace the figures and the grid with these?", default=True)


def _figures_table(audit: Audit, extract: CensusExtract, criteria: Criteria) -> Table:
    new_context = {**audit.context, **extract.counts}
    if extract.census_year is not None:
        new_context[CENSUS_YEAR_ID] = str(extract.census_year)

    return _comparison_table(
        "The census figures",
        "From the census",
        audit,
        new_context,
        extract.grid,
        criteria,
    )


def _comparison_table(
    title: str,
    new_heading: str,
    audit: Audit,
    new_context: dict,
    new_grid: CensusGrid | None,
    criteria: Criteria,
) -> Table:
    table = Table(title=Text(title, style="heading"), title_justify="left")
    table.add_column("Figure", ratio=3, overflow="fold")
    table.add_column("Now", justify="right")
    table.add_column(new_heading, justify="right")
    questions = criteria.context.questions
    for question_id in (CENSUS_YEAR_ID, *CENSUS_FIGURE_IDS):
        if question_id not in new_context:
            continue
        question = questions.get(question_id)
        label = question.label if question is not None else question_id
        table.add_row(
            Text(label),
            _shown(audit.context.get(question_id)),
            _shown(new_context.get(question_id)),
        )

    for percentage in _percentages_of(criteria, new_context):
        old = compute_percentage(percentage, audit.context)
        new = compute_percentage(percentage, new_context)
        label = f"{percentage.label} ({percentage.share_of})"
        table.add_row(Text(label), format_percentage(old), format_percentage(new))
    if new_grid is not None:
        table.add_row(
            Text("SEND contextual grid"),
            _describe_grid(audit.census),
            _describe_grid(new_grid),
        )

    return table


def _counted_ids(context: dict) -> list[str]:
    return [figure_id for figure_id in CENSUS_FIGURE_IDS if figure_id in context]


def _percentages_of(criteria: Criteria, context: dict) -> list[Percentage]:
    # The percentages whose every count is a census figure, in criteria order.
    counted = set(_counted_ids(context))
    return [
        percentage
        for percentage in criteria.context.percentages.values()
        if {term.lstrip("-") for term in percentage.numerator + percentage.denominator}
        <= counted
    ]


def _shown(value: object) -> Text:
    if value is None:
        return Text("not answered", style="unanswered")

    return Text(str(value))


def _describe_grid(census: CensusGrid | None) -> Text:
    if census is None:
        return Text("none", style="unanswered")
    source = "typed" if census.source == "typed" else "imported"

    return Text(f"{source}, {grid_total(census).total} with SEND")


def _offer_profile_summary(
    audit: Audit,
    audit_path: Path,
    criteria: Criteria,
    console: Console,
    interactive: bool,
) -> None:
    if PROFILE_SUMMARY_ID not in criteria.context.questions:
        return
    national = load_benchmarks().for_year(audit.context.get(CENSUS_YEAR_ID))
    draft = draft_profile_summary(audit, national)
    if not draft:
        return

    console.print()
    console.print(Text("Drafted SEND profile summary", style="heading"))
    console.print(Text(draft))
    if not interactive:
        console.print(
            Text(
                "The draft was not saved. To accept or edit it, run import-census in "
                "a terminal.",
                style="notice",
            )
        )
        return

    summary = _ask_profile_summary(draft, audit.context.get(PROFILE_SUMMARY_ID))
    if summary is not None:
        audit.context = {**audit.context, PROFILE_SUMMARY_ID: summary}
        save_audit(audit, audit_path)
        console.print(Text(f"Saved the SEND profile summary in {audit_path}."))


def _ask_profile_summary(draft: str, current: object) -> str | None:
    from send_audit.prompts import ask_choice, ask_long_text

    choices: list[tuple[str, object]] = [
        ("Use the draft", "use"),
        ("Edit the draft", "edit"),
    ]
    if isinstance(current, str) and current.strip():
        choices.append(("Keep the summary already written", None))
    else:
        choices.append(("Leave the summary for later", None))
    answer = ask_choice("SEND profile summary:", choices, default="use")
    if answer == "use":
        return draft
    if answer == "edit":
        return ask_long_text("SEND profile summary", default=draft)

    return None


def run_grid_entry(audit_path: Path, criteria: Criteria, console: Console) -> None:
    """Ask for the SEND contextual grid year group by year group, and save it.

    The grid is saved after each year group, so Ctrl-C keeps what was typed.
    Afterwards the SENCo may set the context figures from the grid's totals and
    accept a drafted SEND profile summary.
    """
    # A missing or invalid audit fails here, before a lock file is created.
    load_audit(audit_path, criteria)
    with AuditLock(audit_path, _notifier(console)):
        audit = load_audit(audit_path, criteria)
        start = _starting_grid(audit, console)
        if start is None:
            console.print(Text("Nothing was changed."))
            return
        try:
            _ask_grid(audit, audit_path, start, console)
        except (KeyboardInterrupt, EOFError):
            console.print(
                Text(
                    f"The year groups finished so far are saved in {audit_path}. "
                    f"To continue, run: send-audit grid {audit_path}",
                    style="notice",
                )
            )
            raise KeyboardInterrupt from None

        render_grid(audit.census, console)
        _offer_figures_from_grid(audit, audit_path, criteria, console)
        _offer_profile_summary(audit, audit_path, criteria, console, True)


def _starting_grid(audit: Audit, console: Console) -> CensusGrid | None:
    from send_audit.prompts import ask_confirm

    current = audit.census
    if current is None:
        return CensusGrid(source="typed")
    if current.source == "census import":
        console.print(
            Text(
                "This audit's grid was imported from a census extract; typing one "
                "replaces it.",
                style="notice",
            )
        )
        if not ask_confirm("Type the grid by hand instead?", default=False):
            return None
        return CensusGrid(source="typed")

    return current


def _ask_grid(
    audit: Audit, audit_path: Path, start: CensusGrid, console: Console
) -> None:
    years = _ask_year_groups(start)
    rows = {year: cells for year, cells in start.rows.items() if year in years}
    on_roll = {year: count for year, count in start.on_roll.items() if year in years}
    audit.census = CensusGrid(source="typed", rows=rows, on_roll=on_roll)
    for year in years:
        console.print(Text(year_group_name(year), style="heading"))
        roll = _ask_optional_count(
            f"{year_group_name(year)}: pupils on roll (empty if not known)",
            start.on_roll.get(year),
        )
        cells = _ask_year_group_cells(year, start.rows.get(year, {}))
        if roll is None:
            on_roll.pop(year, None)
        else:
            on_roll[year] = roll
        if cells:
            rows[year] = cells
        else:
            rows.pop(year, None)
        audit.census = CensusGrid(
            source="typed", rows=dict(rows), on_roll=dict(on_roll)
        )
        save_audit(audit, audit_path)


def _ask_year_groups(start: CensusGrid) -> list[str]:
    import questionary

    from send_audit.prompts import STYLE

    present = set(start.rows) | set(start.on_roll)
    choices = [
        questionary.Choice(
            f"{year}: {year_group_name(year)}", value=year, checked=year in present
        )
        for year in YEAR_GROUPS
    ]
    answer = questionary.checkbox(
        "Year groups of the school:",
        choices=choices,
        validate=lambda ticked: bool(ticked) or "Tick at least one year group",
        style=STYLE,
    ).unsafe_ask()

    return [year for year in YEAR_GROUPS if year in answer]


def _ask_year_group_cells(
    year: str, previous: dict[str, GridCell]
) -> dict[str, GridCell]:
    import questionary

    from send_audit.prompts import STYLE

    name = year_group_name(year)
    choices = [
        questionary.Choice(need_label(code), value=code, checked=code in previous)
        for code in NEED_CODES
    ]
    codes = questionary.checkbox(
        f"{name}: primary needs of pupils with SEND (tick none if there are none):",
        choices=choices,
        style=STYLE,
    ).unsafe_ask()

    cells = {}
    for code in (code for code in NEED_CODES if code in codes):
        before = previous.get(code, GridCell())
        support = _ask_count(
            f"{name}, {code}: pupils at SEN Support", before.sen_support
        )
        plans = 0
        if code not in SEN_SUPPORT_ONLY_CODES:
            plans = _ask_count(
                f"{name}, {code}: pupils with an EHC plan", before.ehc_plan
            )
        if support or plans:
            cells[code] = GridCell(sen_support=support, ehc_plan=plans)

    return cells


def _ask_count(message: str, default: int) -> int:
    from send_audit.checks import parse_count
    from send_audit.prompts import ask_text

    return ask_text(message, parse_count, default=str(default))


def _ask_optional_count(message: str, default: int | None) -> int | None:
    from send_audit.checks import parse_count
    from send_audit.prompts import ask_text

    def check(text: str) -> int | None:
        return parse_count(text) if text.strip() else None

    return ask_text(message, check, default="" if default is None else str(default))


def _offer_figures_from_grid(
    audit: Audit, audit_path: Path, criteria: Criteria, console: Console
) -> None:
    from send_audit.prompts import ask_confirm

    figures = grid_figures(audit.census)
    changes = {
        key: value for key, value in figures.items() if audit.context.get(key) != value
    }
    if not changes:
        return

    new_context = {**audit.context, **changes}
    console.print(
        _comparison_table(
            "Figures from the grid", "From the grid", audit, new_context, None, criteria
        )
    )
    console.print(
        Text(
            "Figures the grid does not hold, such as boys and disadvantaged pupils, "
            "keep their values.",
            style="notice",
        )
    )
    if ask_confirm("Set these figures from the grid's totals?", default=True):
        audit.context = new_context
        save_audit(audit, audit_path)
        console.print(Text(f"Saved the figures in {audit_path}."))
