"""Importing a census extract into an audit, once the SENCo confirms the figures.

`import-census` and the census offer of `send-audit new` both read the extract and
ask about unmatched columns and invalid rows when there is a terminal. Both show
the figures beside the ones already in the audit, and replace them once the SENCo
confirms, or at once with `import-census --yes`.
"""

import os
import re
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from send_audit.audit import Audit
from send_audit.census import (
    CENSUS_YEAR_ID,
    CensusExtract,
    apply_census,
    read_census,
    read_census_header,
)
from send_audit.census_columns import (
    CENSUS_FIELDS,
    match_columns,
    suggest_columns,
    unmatched_fields,
)
from send_audit.census_comparison import comparison_table
from send_audit.census_report import render_grid
from send_audit.census_rows import describe_bad_rows, group_bad_rows
from send_audit.criteria import Criteria
from send_audit.errors import CensusError, NotATerminalError
from send_audit.lock import AuditLock
from send_audit.profile_offer import offer_profile_summary
from send_audit.storage import load_audit, save_audit


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
        offer_profile_summary(audit, audit_path, criteria, console, interactive)

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
        offer_profile_summary(audit, audit_path, criteria, console, True)
        return True


def _notifier(console: Console):
    return lambda sentence: console.print(Text(sentence, style="notice"))


def _ask_csv_path() -> Path | None:
    import questionary

    from send_audit.prompts import STYLE

    def validate(text: str) -> bool | str:
        path = typed_path(text)
        if path is None or path.is_file():
            return True
        return f"{str(path)!r} is not a file; type the path of the CSV extract"

    answer = questionary.path(
        "Census extract (CSV file; leave empty to skip):",
        validate=validate,
        style=STYLE,
    ).unsafe_ask()

    return typed_path(answer)


def typed_path(text: str) -> Path | None:
    r"""Return the path a person typed or dropped into a terminal, or None if empty.

    Spaces around it and one pair of matching quotes around it are removed,
    because a terminal quotes a dragged-in path that contains spaces, as in
    `'/tmp/my census.csv'`, and `~` is expanded. Other terminals escape each
    space instead, as in `/tmp/my\ census.csv`. Outside Windows, where a
    backslash separates folders, such escapes are undone when the path as typed
    does not exist.
    """
    cleaned = text.strip()
    if len(cleaned) >= 2 and cleaned[0] == cleaned[-1] and cleaned[0] in "'\"":
        cleaned = cleaned[1:-1]
    if not cleaned:
        return None

    path = Path(cleaned).expanduser()
    if os.name != "nt" and "\\" in cleaned and not path.exists():
        path = Path(re.sub(r"\\(.)", r"\1", cleaned)).expanduser()

    return path


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
    free = [header for header in headers if header and header not in used]
    # The headers whose words suggest the field come first. The first choice is
    # the one selected, so Enter alone never picks an unrelated column such as
    # the pupils' names. It takes a suggested header of a required field, or else
    # stops the import, and it leaves an optional field out.
    suggested = suggest_columns(field_id, free)
    ordered = suggested + [header for header in free if header not in suggested]
    choices: list[tuple[str, object]] = [(header, header) for header in ordered]
    if not census_field.required:
        choices.insert(0, ("Not in this extract", None))
    elif suggested:
        choices.append(("None of these: stop the import", "stop"))
    else:
        choices.insert(0, ("None of these: stop the import", "stop"))
    message = f"Which column contains the {census_field.in_sentence}?"
    answer = ask_choice(message, choices, default=choices[0][1])
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
    valid = _rows(extract.pupils, "valid")
    invalid = _rows(bad, "invalid")
    if valid_rows_only:
        console.print(Text(f"Importing {valid}; {invalid} left out.", style="notice"))
        return

    if interactive:
        from send_audit.prompts import ask_confirm

        question = f"Import {valid} and leave out {invalid}?"
        if ask_confirm(question, default=False):
            return
        raise CensusError(
            f"{extract.path}: nothing was imported, because of {invalid} (listed "
            "above); correct them in the MIS and export again"
        )

    raise CensusError(
        f"{extract.path}: nothing was imported, because of {invalid}:\n"
        + "\n".join(describe_bad_rows(extract.bad_rows))
        + "\nCorrect them in the MIS and export again, or add --valid-rows-only to "
        f"import {valid}"
    )


def _rows(count: int, kind: str) -> str:
    return f"1 {kind} row" if count == 1 else f"{count} {kind} rows"


def _print_bad_rows(extract: CensusExtract, console: Console) -> None:
    title = f"Invalid rows in {extract.path}"
    table = Table(title=Text(title, style="error"), title_justify="left")
    for heading in ("Rows", "Column", "Found", "Problem"):
        table.add_column(heading, overflow="fold")
    for rows, bad in group_bad_rows(extract.bad_rows):
        found = Text(repr(bad.value))
        if bad.value is None:
            found = Text("not shown", style="unanswered")
        table.add_row(Text(rows), Text(bad.column), found, Text(bad.problem))
    console.print(table)
    if any(bad.value is None for bad in extract.bad_rows):
        console.print(
            Text(
                "Values are not shown for a column whose header is not a usual one "
                "for its field, or whose cells are mostly not values of the field, "
                "because it may hold names or other personal data.",
                style="notice",
            )
        )


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

    return comparison_table(
        "The census figures",
        "From the census",
        audit,
        new_context,
        extract.grid,
        criteria,
    )
