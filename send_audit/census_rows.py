"""Checking each pupil row of a census extract, and describing the rows that fail.

Cells are parsed from the spellings that MIS exports use for year groups, sex, SEN
provision, types of need and yes/no flags. Every problem becomes a BadRow, so that
all the problems of an extract are reported at once.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from send_audit.census_columns import normalise_header
from send_audit.grid import (
    DS_FIRST_CENSUS_YEAR,
    NEED_CODES,
    NEED_NAMES,
    SEN_SUPPORT_ONLY_CODES,
)

_SEX_CODES = {"m": "M", "male": "M", "boy": "M", "f": "F", "female": "F", "girl": "F"}

_PROVISION_CODES = {
    "e": "E",
    "ehcplan": "E",
    "ehcp": "E",
    "educationhealthandcareplan": "E",
    "k": "K",
    "sensupport": "K",
    "n": "N",
    "nosen": "N",
    "none": "N",
}

_FLAG_VALUES = {
    "y": True,
    "yes": True,
    "true": True,
    "1": True,
    "eligible": True,
    "n": False,
    "no": False,
    "false": False,
    "0": False,
    "noteligible": False,
    # MIS exports often leave a flag empty for pupils it does not apply to.
    "": False,
}

# Need cells that mean "no type of need", as exports write them.
_NO_NEED = {"", "-", "na", "n/a", "none"}

# Spellings of needs seen in exports besides the census code and its name.
_NEED_ALIASES = {"asc": "ASD", "autism": "ASD", "downssyndrome": "DS"}

_YEAR_GROUP_WORDS = {
    "n1": "N1",
    "nursery1": "N1",
    "n2": "N2",
    "nursery2": "N2",
    "r": "R",
    "rec": "R",
    "reception": "R",
    "yr": "R",
    "yearr": "R",
    "x": "X",
}
_NUMBERED_YEAR = re.compile(r"^(?:y|yr|year|ncy)?0*(\d{1,2})$")

YEAR_GROUP_HELP = (
    "N1, N2, R (or Reception), a National Curriculum year from 1 to 14 written "
    "as 7, 07, Y7 or Year 7, or X"
)
PROVISION_HELP = "E (EHC plan), K (SEN Support) or N (no special educational need)"
SEX_HELP = "M or F (Male, Female, Boy or Girl)"
FLAG_HELP = "Y or N (yes or no); an empty cell counts as no"


# Printed in place of a cell's value that is not shown; see `BadRow.value`.
VALUE_NOT_SHOWN = "value not shown, as this column may hold personal data"


@dataclass(frozen=True)
class BadRow:
    """One problem with one row of an extract.

    `row` is the row number a spreadsheet shows, with the header as row 1 when it
    is the first line. `value` is None when the cell's content must not be
    printed, because the column may hold names or other personal data; see
    `withhold_values`.
    """

    row: int
    column: str
    value: str | None
    problem: str

    def describe(self) -> str:
        """Describe the problem for the SENCo, naming the row, column and value."""
        where = (
            f"row {self.row}, column {self.column!r}"
            if self.column
            else f"row {self.row}"
        )

        return f"{where}: {_found(self)}"


def _found(bad: BadRow) -> str:
    if bad.value is None:
        return f"{bad.problem} ({VALUE_NOT_SHOWN})"

    return f"found {bad.value!r}; {bad.problem}"


def group_bad_rows(bad_rows: Sequence[BadRow]) -> list[tuple[str, BadRow]]:
    """Group the problems that repeat on many rows, such as a wrongly chosen column.

    Returns:
        One `(rows, problem)` pair per distinct column, value and problem, in order
        of first row; `rows` lists every row number, with runs written "2-40".
    """
    groups: dict[tuple[str, str | None, str], list[int]] = {}
    first: dict[tuple[str, str | None, str], BadRow] = {}
    for bad in bad_rows:
        key = (bad.column, bad.value, bad.problem)
        groups.setdefault(key, []).append(bad.row)
        first.setdefault(key, bad)

    return [(_row_ranges(rows), first[key]) for key, rows in groups.items()]


def describe_bad_rows(bad_rows: Sequence[BadRow]) -> list[str]:
    """Describe every problem, one line per column, value and problem."""
    lines = []
    for rows, bad in group_bad_rows(bad_rows):
        label = "row" if rows.isdigit() else "rows"
        column = f", column {bad.column!r}" if bad.column else ""
        lines.append(f"{label} {rows}{column}: {_found(bad)}")

    return lines


def _row_ranges(rows: list[int]) -> str:
    ranges = []
    start = previous = rows[0]
    for row in [*rows[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
        if row is not None:
            start = previous = row

    return ", ".join(ranges)


def normalise_year_group(text: str) -> str | None:
    """Return the year group a cell means, such as "Y7" for "Year 7" or "07".

    Returns:
        One of `send_audit.grid.YEAR_GROUPS`, or None for a spelling not known.
    """
    key = re.sub(r"[\s_.\-]", "", text.casefold())
    if key in _YEAR_GROUP_WORDS:
        return _YEAR_GROUP_WORDS[key]
    numbered = _NUMBERED_YEAR.match(key)
    if numbered and 1 <= int(numbered.group(1)) <= 14:
        return f"Y{int(numbered.group(1))}"

    return None


def parse_need(text: str) -> str | None:
    """Return the census code a need cell means, or None when it is not one.

    The code itself in any case, the census name of the need, and "CODE - name"
    forms such as "SLCN - Speech, language and communication needs" are accepted.
    """
    code = text.strip().upper()
    if code in NEED_CODES:
        return code
    folded = normalise_header(text)
    for known, name in NEED_NAMES.items():
        if folded == normalise_header(name):
            return known
    if folded in _NEED_ALIASES:
        return _NEED_ALIASES[folded]
    prefix = re.match(r"^\s*([A-Za-z]{2,4})\s*[-:(]", text)
    if prefix and prefix.group(1).upper() in NEED_CODES:
        return prefix.group(1).upper()

    return None


def is_field_value(field_id: str, text: str) -> bool:
    """Return whether a cell is a value a field allows, whatever the rest of the row.

    An empty need cell is allowed, for a pupil without SEN, and so is an empty
    flag, which counts as no.
    """
    cell = text.strip()
    if field_id in ("disadvantaged", "cla_plac"):
        return _parse_flag(cell) is not None
    if field_id == "primary_need":
        return cell.casefold() in _NO_NEED or parse_need(cell) is not None
    parsers = {
        "year_group": normalise_year_group,
        "sex": _parse_sex,
        "sen_provision": _parse_provision,
    }

    return parsers[field_id](cell) is not None


def withhold_values(
    bad_rows: Sequence[BadRow], withheld_columns: set[str]
) -> list[BadRow]:
    """Remove the values of the cells in columns whose content must not be printed.

    The cell counts of a row longer than the header are kept, because they are
    not the content of any cell.
    """
    return [
        replace(bad, value=None) if bad.column in withheld_columns else bad
        for bad in bad_rows
    ]


@dataclass(frozen=True)
class Pupil:
    """One checked row, kept only while it is being counted."""

    year_group: str
    sex: str
    provision: str
    need: str | None
    disadvantaged: bool
    cla_plac: bool


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def check_row(
    row: int,
    record: list[str],
    headers: list[str],
    indexes: dict[str, tuple[int, ...]],
    census_year: int | None,
) -> tuple[list[BadRow], Pupil | None]:
    """Check every cell the import reads from one pupil row.

    Args:
        row: The row number a spreadsheet shows, for the problems found.
        record: The cells of the row.
        headers: The header row, naming the column of each problem.
        indexes: The column indexes of each matched field, by field id.
        census_year: The January census the extract is for, if known.

    Returns:
        The problems found and None when the row has any problem, otherwise an
        empty list and the checked pupil.
    """
    problems: list[BadRow] = []
    extra = [cell for cell in record[len(headers) :] if cell.strip()]
    if extra:
        # The extra cells may hold names, so only their number is reported.
        problems.append(
            BadRow(
                row,
                "",
                f"{len(record)} cells",
                f"the header has {len(headers)} columns; a cell may hold an "
                "unquoted comma",
            )
        )

    def column(field_id: str) -> tuple[str, str]:
        index = indexes[field_id][0]
        return headers[index], _cell(record, index)

    year_group = _check_value(
        row, column("year_group"), normalise_year_group, YEAR_GROUP_HELP, problems
    )
    sex = _check_value(row, column("sex"), _parse_sex, SEX_HELP, problems)
    provision = _check_value(
        row, column("sen_provision"), _parse_provision, PROVISION_HELP, problems
    )
    need = _check_need(row, column("primary_need"), provision, census_year, problems)
    disadvantaged = _check_flags(
        row, record, headers, indexes.get("disadvantaged", ()), problems
    )
    cla_plac = _check_flags(row, record, headers, indexes.get("cla_plac", ()), problems)
    if problems:
        return problems, None

    return [], Pupil(year_group, sex, provision, need, disadvantaged, cla_plac)


def _check_value(
    row: int,
    cell: tuple[str, str],
    parse: Callable[[str], str | None],
    allowed: str,
    problems: list[BadRow],
) -> str | None:
    column, value = cell
    parsed = parse(value)
    if parsed is None:
        problem = f"expected {allowed}"
        if not value:
            problem = f"missing; expected {allowed}"
        problems.append(BadRow(row, column, value, problem))

    return parsed


def _parse_sex(text: str) -> str | None:
    return _SEX_CODES.get(text.casefold())


def _parse_provision(text: str) -> str | None:
    return _PROVISION_CODES.get(normalise_header(text)) if text else None


def _parse_flag(text: str) -> bool | None:
    return _FLAG_VALUES.get(text.casefold().replace(" ", ""))


def _check_need(
    row: int,
    cell: tuple[str, str],
    provision: str | None,
    census_year: int | None,
    problems: list[BadRow],
) -> str | None:
    column, value = cell
    empty = value.casefold() in _NO_NEED
    code = None if empty else parse_need(value)
    problem = None
    if not empty and code is None:
        problem = f"not a type-of-need code; expected one of {', '.join(NEED_CODES)}"
    elif provision == "N" and not empty:
        problem = (
            "a pupil with provision N has no type of need; leave it empty or "
            "correct the provision"
        )
    elif provision in ("E", "K") and empty:
        problem = (
            f"missing; provision {provision} needs a type of need, one of "
            f"{', '.join(NEED_CODES)}"
        )
    elif provision == "E" and code in SEN_SUPPORT_ONLY_CODES:
        problem = (
            f"{code} is used only with SEN Support (K), never with an EHC plan (E)"
        )
    elif (
        code == "DS" and census_year is not None and census_year < DS_FIRST_CENSUS_YEAR
    ):
        problem = (
            f"DS is a census code only from January {DS_FIRST_CENSUS_YEAR}, and "
            f"this is the January {census_year} census; use the code recorded then"
        )
    if problem:
        problems.append(BadRow(row, column, value, problem))

    return code


def _check_flags(
    row: int,
    record: list[str],
    headers: list[str],
    indexes: tuple[int, ...],
    problems: list[BadRow],
) -> bool:
    flagged = False
    for index in indexes:
        value = _cell(record, index)
        parsed = _parse_flag(value)
        if parsed is None:
            problems.append(BadRow(row, headers[index], value, f"expected {FLAG_HELP}"))
        flagged = flagged or bool(parsed)

    return flagged
