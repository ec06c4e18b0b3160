"""Reading a pupil-level census extract into the context figures and the grid.

A SENCo exports one row per pupil on roll from the school's MIS. Each row is read,
checked and counted, and only the counts leave this module: a CensusExtract
contains the context figures, the SEND contextual grid and the bad rows, never a pupil's
row, name or identifier. Columns that the import does not use, such as names or
UPNs, are never read into a value.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from send_audit.audit import Audit, now_iso
from send_audit.census_grid import CensusGrid, GridCell
from send_audit.errors import CensusError
from send_audit.grid import (
    DS_FIRST_CENSUS_YEAR,
    NEED_CODES,
    NEED_NAMES,
    SEN_SUPPORT_ONLY_CODES,
    YEAR_GROUPS,
)


@dataclass(frozen=True)
class CensusField:
    """A value the import reads from each pupil row, and the headers that hold it."""

    id: str
    label: str
    required: bool
    # Header spellings in order of preference. Headers are compared after
    # `normalise_header`, so "NC Year", "nc_year" and "NCYEAR" are one spelling.
    spellings: tuple[str, ...]
    # Whether several columns may be combined: a pupil is counted when any is yes.
    combines_columns: bool = False

    @property
    def in_sentence(self) -> str:
        """The label as written inside a sentence: "year group", "SEN provision"."""
        if self.label[:2].isupper():
            return self.label

        return self.label[0].lower() + self.label[1:]


def _spellings(text: str) -> tuple[str, ...]:
    return tuple(spelling.strip() for spelling in text.split("|"))


CENSUS_FIELDS = {
    census_field.id: census_field
    for census_field in (
        CensusField(
            "year_group",
            "Year group",
            True,
            _spellings(
                "NC Year|NC Year Actual|Year Group|National Curriculum Year"
                "|Curriculum Year|Year Taught In|Yr Group|Year Grp|Year|Yr"
            ),
        ),
        CensusField("sex", "Sex", True, _spellings("Sex|Gender|Legal Sex|Boy/Girl")),
        CensusField(
            "sen_provision",
            "SEN provision (E, K or N)",
            True,
            _spellings(
                "SEN Provision|SEN Status|SEND Status|SEND Provision|SEN Stage"
                "|SEN Code|SEN Provision Type|SEN|Provision"
            ),
        ),
        CensusField(
            "primary_need",
            "Primary type of need",
            True,
            _spellings(
                "Primary Need|SEN Primary Need|Primary Type of Need|Primary Need Type"
                "|SEN Primary Need Type|Primary SEN Need|Primary SEN Type|Type of Need"
                "|SEN Need Type|Need Type|SEN Type|SEN Need|SEN Need 1"
            ),
        ),
        CensusField(
            "disadvantaged",
            "Disadvantaged (pupil premium or free school meals)",
            False,
            _spellings(
                "Pupil Premium|PP|Pupil Premium Eligible|PP Eligible"
                "|Pupil Premium Indicator|Disadvantaged|Disadvantaged Pupil|FSM"
                "|FSM Eligible|Free School Meals|Eligible for FSM|Ever 6 FSM|FSM6"
                "|FSM Ever 6|Ever FSM 6|FSM Ever"
            ),
            combines_columns=True,
        ),
        CensusField(
            "cla_plac",
            "CLA or PLAC (looked after or previously looked after)",
            False,
            _spellings(
                "CLA/PLAC|CLA or PLAC|LAC/PLAC|In Care|CLA|LAC|Looked After"
                "|Looked After Child|Child Looked After|PLAC|Previously Looked After"
                "|Previously Looked After Child|Previously In Care|Ever In Care"
            ),
            combines_columns=True,
        ),
    )
}

# The context counts an import fills, by question id of the context criteria.
CENSUS_FIGURE_IDS = (
    "number_on_roll",
    "boys_on_roll",
    "send_register",
    "sen_support",
    "ehc_plans",
    "boys_on_send_register",
    "disadvantaged_on_roll",
    "disadvantaged_with_send",
    "cla_plac_on_roll",
    "cla_plac_with_send",
)

# A title line above the header is skipped when the header is within this many rows.
_HEADER_SEARCH_ROWS = 10

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


@dataclass(frozen=True)
class BadRow:
    """One problem with one row of an extract.

    `row` is the row number a spreadsheet shows, with the header as row 1 when it
    is the first line.
    """

    row: int
    column: str
    value: str
    problem: str

    def describe(self) -> str:
        """Describe the problem for the SENCo, naming the row, column and value."""
        where = (
            f"row {self.row}, column {self.column!r}"
            if self.column
            else f"row {self.row}"
        )

        return f"{where}: found {self.value!r}; {self.problem}"


@dataclass(frozen=True)
class CensusExtract:
    """The counts read from one census extract, never a pupil's row.

    Attributes:
        path: The extract that was read.
        columns: The headers each field was read from, by field id.
        census_year: The January census the extract was read for, if given.
        pupils: The valid pupil rows that were counted.
        counts: Context counts by question id; a figure whose column the extract
            does not have is absent.
        grid: The SEND contextual grid of the valid rows.
        bad_rows: Every problem found, in row order.
        warnings: Sentences for the SENCo about the extract as a whole.
    """

    path: Path
    columns: dict[str, tuple[str, ...]]
    census_year: int | None
    pupils: int
    counts: dict[str, int]
    grid: CensusGrid
    bad_rows: tuple[BadRow, ...]
    warnings: tuple[str, ...] = ()

    @property
    def bad_row_count(self) -> int:
        """How many rows have at least one problem."""
        return len({bad.row for bad in self.bad_rows})


def group_bad_rows(bad_rows: Sequence[BadRow]) -> list[tuple[str, BadRow]]:
    """Group the problems that repeat on many rows, such as a wrongly chosen column.

    Returns:
        One `(rows, problem)` pair per distinct column, value and problem, in order
        of first row; `rows` lists every row number, with runs written "2-40".
    """
    groups: dict[tuple[str, str, str], list[int]] = {}
    first: dict[tuple[str, str, str], BadRow] = {}
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
        lines.append(f"{label} {rows}{column}: found {bad.value!r}; {bad.problem}")

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


def normalise_header(header: str) -> str:
    """Fold a column header for matching: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", header.casefold())


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


def match_columns(
    headers: Sequence[str],
    columns: Mapping[str, str | Sequence[str]] | None = None,
    path: Path | None = None,
) -> dict[str, tuple[str, ...]]:
    """Match the extract's headers to the fields the import reads.

    Args:
        headers: The header row, as read.
        columns: Headers chosen by the SENCo, by field id; they take precedence. An
            empty header for an optional field means the extract does not have it.
        path: The extract, named in error messages.

    Returns:
        The headers of each matched field. A field that could not be matched is
        absent; see `unmatched_fields`.

    Raises:
        CensusError: For an unknown field id, a chosen header that is not in the
            extract, or two headers that fit one field equally well.
    """
    name = f"{path}: " if path is not None else ""
    chosen = _chosen_columns(headers, columns or {}, name)
    matched = dict(chosen)
    used = {header for headers_found in chosen.values() for header in headers_found}
    for census_field in CENSUS_FIELDS.values():
        if census_field.id in matched:
            continue
        found = _match_field(census_field, headers, used, name)
        if found:
            matched[census_field.id] = found
            used.update(found)

    return matched


def unmatched_fields(matched: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Return the ids of the fields `match_columns` left out, in field order."""
    return [field_id for field_id in CENSUS_FIELDS if field_id not in matched]


def _chosen_columns(
    headers: Sequence[str], columns: Mapping[str, str | Sequence[str]], name: str
) -> dict[str, tuple[str, ...]]:
    chosen = {}
    for field_id, value in columns.items():
        census_field = CENSUS_FIELDS.get(field_id)
        if census_field is None:
            raise CensusError(
                f"{name}{field_id!r} is not a census field; use one of "
                f"{', '.join(CENSUS_FIELDS)}"
            )
        requested = (value,) if isinstance(value, str) else tuple(value)
        requested = tuple(header for header in requested if header.strip())
        if not requested and census_field.required:
            raise CensusError(
                f"{name}{field_id} needs a column: the import cannot work without "
                f"the {census_field.in_sentence}"
            )
        if len(requested) > 1 and not census_field.combines_columns:
            raise CensusError(
                f"{name}{field_id} is read from one column, but {len(requested)} were "
                f"given: {', '.join(map(repr, requested))}"
            )
        chosen[field_id] = tuple(
            _find_header(headers, header, name) for header in requested
        )
    for header in {header for found in chosen.values() for header in found}:
        fields = [field_id for field_id, found in chosen.items() if header in found]
        if len(fields) > 1:
            raise CensusError(
                f"{name}column {header!r} was given for {' and '.join(fields)}; "
                "each column can hold only one field"
            )

    return chosen


def _find_header(headers: Sequence[str], requested: str, name: str) -> str:
    for fold in (str.strip, lambda text: text.strip().casefold(), normalise_header):
        for header in headers:
            if fold(header) == fold(requested):
                return header

    raise CensusError(
        f"{name}no column {requested.strip()!r}; the columns are "
        f"{', '.join(repr(header) for header in headers if header)}"
    )


def _match_field(
    census_field: CensusField, headers: Sequence[str], used: set[str], name: str
) -> tuple[str, ...]:
    free = [header for header in headers if header and header not in used]
    if census_field.combines_columns:
        known = {normalise_header(spelling) for spelling in census_field.spellings}
        return tuple(header for header in free if normalise_header(header) in known)

    for spelling in census_field.spellings:
        folded = normalise_header(spelling)
        found = [header for header in free if normalise_header(header) == folded]
        if len(found) > 1:
            raise CensusError(
                f"{name}columns {' and '.join(map(repr, found))} could both be the "
                f"{census_field.in_sentence}; choose one with "
                f"--column {census_field.id}=HEADER"
            )
        if found:
            return tuple(found)

    return ()


def read_census_header(path: Path) -> list[str]:
    """Return the header row of an extract, for matching columns before reading.

    Raises:
        CensusError: When the file cannot be read or has no header row.
    """
    records = _read_records(path)

    return _locate_header(records, path)[1]


def read_census(
    path: Path,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    census_year: int | None = None,
) -> CensusExtract:
    """Read, check and count a pupil-level census extract.

    Every row is checked, and every problem of every row is collected, so that
    all of them are reported at once. The counts are of the valid rows only.

    Args:
        path: The CSV file, one row per pupil on roll.
        columns: Headers chosen by the SENCo, by field id; see `match_columns`.
        census_year: The January census the extract is for; when it is before
            2025, DS is rejected because the census had no such code then.

    Raises:
        CensusError: When the file cannot be read, a required column is missing,
            or there is no pupil row at all.
    """
    records = _read_records(path)
    header_index, headers = _locate_header(records, path, columns)
    matched = match_columns(headers, columns, path)
    _reject_missing_columns(matched, headers, path)

    indexes = {
        field_id: tuple(headers.index(header) for header in found)
        for field_id, found in matched.items()
    }
    tally = _Tally(
        counts_disadvantaged=bool(matched.get("disadvantaged")),
        counts_cla_plac=bool(matched.get("cla_plac")),
    )
    bad_rows: list[BadRow] = []
    for offset, record in enumerate(
        records[header_index + 1 :], start=header_index + 2
    ):
        if not any(cell.strip() for cell in record):
            continue
        problems, pupil = _check_row(offset, record, headers, indexes, census_year)
        if problems:
            bad_rows.extend(problems)
        else:
            tally.add(pupil)

    if tally.pupils == 0 and not bad_rows:
        raise CensusError(
            f"{path}: no pupil rows below the header; export every pupil on roll"
        )

    return tally.to_extract(path, matched, census_year, tuple(bad_rows))


def _reject_missing_columns(
    matched: Mapping[str, tuple[str, ...]], headers: Sequence[str], path: Path
) -> None:
    missing = [
        field_id
        for field_id in unmatched_fields(matched)
        if CENSUS_FIELDS[field_id].required
    ]
    if not missing:
        return

    described = ", ".join(
        f"{field_id} ({CENSUS_FIELDS[field_id].label})" for field_id in missing
    )
    raise CensusError(
        f"{path}: no column found for {described}; the columns are "
        f"{', '.join(repr(header) for header in headers if header)}. "
        "Name each one with --column FIELD=HEADER, such as "
        "--column year_group='NC Year'"
    )


def _read_records(path: Path) -> list[list[str]]:
    text = _decode(path)
    # The header search allows a title line, so the sample spans as many lines.
    lines = [line for line in text.splitlines() if line.strip()]
    sample = "\n".join(lines[:_HEADER_SEARCH_ROWS])
    delimiter = max((",", ";", "\t"), key=sample.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise CensusError(f"{path}: not a readable CSV file ({error})") from None


def _decode(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CensusError(f"{path}: file not found") from None
    except OSError as error:
        raise CensusError(f"{path}: cannot be read ({error.strerror})") from None

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode Text" export is UTF-16 with a byte-order mark.
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel's plain "CSV" export is Windows-1252. Only codes and flags are read,
        # and those are ASCII in either encoding.
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise CensusError(
            f"{path}: not UTF-8 text; save it from the MIS or Excel as CSV UTF-8"
        ) from None


def _locate_header(
    records: list[list[str]],
    path: Path,
    columns: Mapping[str, str | Sequence[str]] | None = None,
) -> tuple[int, list[str]]:
    candidates = [
        (index, [cell.strip() for cell in record])
        for index, record in enumerate(records)
        if any(cell.strip() for cell in record)
    ][:_HEADER_SEARCH_ROWS]
    if not candidates:
        raise CensusError(
            f"{path}: the file is empty; export one row per pupil with a header row"
        )

    requested = {
        normalise_header(header)
        for value in (columns or {}).values()
        for header in ((value,) if isinstance(value, str) else value)
    }
    for index, headers in candidates:
        if _looks_like_header(headers, requested):
            return index, headers

    return candidates[0]


def _looks_like_header(headers: list[str], requested: set[str]) -> bool:
    # A title line such as "Pupil list, printed 12/01/2026" matches no field; a
    # header row matches at least two of them.
    folded = {normalise_header(header) for header in headers}
    fields = sum(
        1
        for census_field in CENSUS_FIELDS.values()
        if folded & {normalise_header(spelling) for spelling in census_field.spellings}
    )

    return fields >= 2 or bool(requested and requested <= folded)


@dataclass(frozen=True)
class _Pupil:
    # One checked row, kept only while it is being counted.
    year_group: str
    sex: str
    provision: str
    need: str | None
    disadvantaged: bool
    cla_plac: bool


def _cell(record: list[str], index: int) -> str:
    return record[index].strip() if index < len(record) else ""


def _check_row(
    row: int,
    record: list[str],
    headers: list[str],
    indexes: dict[str, tuple[int, ...]],
    census_year: int | None,
) -> tuple[list[BadRow], _Pupil | None]:
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

    return [], _Pupil(year_group, sex, provision, need, disadvantaged, cla_plac)


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


class _Tally:
    """Running counts of the valid rows; the rows themselves are not kept."""

    def __init__(self, counts_disadvantaged: bool, counts_cla_plac: bool) -> None:
        self.counts_disadvantaged = counts_disadvantaged
        self.counts_cla_plac = counts_cla_plac
        self.pupils = 0
        self.figures: Counter[str] = Counter()
        self.on_roll: Counter[str] = Counter()
        self.cells: Counter[tuple[str, str, str]] = Counter()
        self.provisions: Counter[str] = Counter()

    def add(self, pupil: _Pupil) -> None:
        with_send = pupil.provision in ("E", "K")
        self.pupils += 1
        self.on_roll[pupil.year_group] += 1
        self.provisions[pupil.provision] += 1
        if with_send:
            self.cells[(pupil.year_group, pupil.need, pupil.provision)] += 1
        flags = {
            "boys_on_roll": pupil.sex == "M",
            "boys_on_send_register": pupil.sex == "M" and with_send,
            "disadvantaged_on_roll": pupil.disadvantaged,
            "disadvantaged_with_send": pupil.disadvantaged and with_send,
            "cla_plac_on_roll": pupil.cla_plac,
            "cla_plac_with_send": pupil.cla_plac and with_send,
        }
        for figure_id, applies in flags.items():
            self.figures[figure_id] += int(applies)

    def to_extract(
        self,
        path: Path,
        matched: dict[str, tuple[str, ...]],
        census_year: int | None,
        bad_rows: tuple[BadRow, ...],
    ) -> CensusExtract:
        warnings = []
        if self.pupils and not self.provisions["N"]:
            warnings.append(
                f"No pupil in {path} has provision N. If the extract lists only the "
                "SEND register, export every pupil on roll instead: the number on "
                "roll and every percentage are worked out from it."
            )

        return CensusExtract(
            path=path,
            columns=dict(matched),
            census_year=census_year,
            pupils=self.pupils,
            counts=self._counts(),
            grid=self._grid(len({bad.row for bad in bad_rows})),
            bad_rows=bad_rows,
            warnings=tuple(warnings),
        )

    def _counts(self) -> dict[str, int]:
        counts = {
            "number_on_roll": self.pupils,
            "boys_on_roll": self.figures["boys_on_roll"],
            "send_register": self.provisions["E"] + self.provisions["K"],
            "sen_support": self.provisions["K"],
            "ehc_plans": self.provisions["E"],
            "boys_on_send_register": self.figures["boys_on_send_register"],
        }
        if self.counts_disadvantaged:
            for figure_id in ("disadvantaged_on_roll", "disadvantaged_with_send"):
                counts[figure_id] = self.figures[figure_id]
        if self.counts_cla_plac:
            for figure_id in ("cla_plac_on_roll", "cla_plac_with_send"):
                counts[figure_id] = self.figures[figure_id]

        return counts

    def _grid(self, rows_left_out: int) -> CensusGrid:
        rows: dict[str, dict[str, GridCell]] = {}
        for year in YEAR_GROUPS:
            cells = {}
            for code in NEED_CODES:
                support = self.cells[(year, code, "K")]
                plans = self.cells[(year, code, "E")]
                if support or plans:
                    cells[code] = GridCell(sen_support=support, ehc_plan=plans)
            if cells:
                rows[year] = cells

        return CensusGrid(
            source="census import",
            rows=rows,
            on_roll={
                year: self.on_roll[year] for year in YEAR_GROUPS if self.on_roll[year]
            },
            rows_left_out=rows_left_out,
        )


def apply_census(audit: Audit, extract: CensusExtract) -> None:
    """Replace the audit's census figures and grid with those of an extract.

    Figures the extract has no column for keep their typed values. The census year
    is set when the extract was read for one.

    Raises:
        CensusError: When the extract has no valid pupil row to count.
    """
    if extract.pupils == 0:
        raise CensusError(
            f"{extract.path}: none of the {extract.bad_row_count} pupil rows is valid, "
            "so there is nothing to import; correct the extract and import it again"
        )

    context = {**audit.context, **extract.counts}
    if extract.census_year is not None:
        context["census_year"] = str(extract.census_year)
    audit.context = context
    audit.census = extract.grid.model_copy(deep=True)
    audit.updated = now_iso()
