"""Reading the records of a census extract file and finding its header row.

The encoding and the delimiter are worked out from the file, because MIS and Excel
exports differ in both, and a title line above the header row is skipped.
"""

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from send_audit.census_columns import CENSUS_FIELDS, normalise_header
from send_audit.census_rows import is_field_value
from send_audit.errors import CensusError

# A title line above the header is skipped when the header is within this many rows.
_HEADER_SEARCH_ROWS = 10


def read_records(path: Path) -> list[list[str]]:
    """Read every record of an extract, with the delimiter its first lines use most.

    Raises:
        CensusError: When the file is missing, unreadable or not CSV text.
    """
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


def locate_header(
    records: list[list[str]],
    path: Path,
    columns: Mapping[str, str | Sequence[str]] | None = None,
) -> tuple[int, list[str]]:
    """Find the header row among the first non-empty records of an extract.

    Args:
        records: The records of the extract, as read.
        path: The extract, named in error messages.
        columns: Headers chosen by the SENCo, by field id. A row that contains all
            of them is a header row even when it matches fewer than two fields.

    Returns:
        The index of the header record and its stripped cells. When no record looks
        like a header row, the first non-empty record is taken.

    Raises:
        CensusError: When the file has no non-empty record, or when no record looks
            like a header row and the first one contains a pupil's values. Its
            cells are not named, because they may be a pupil's name or UPN.
    """
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

    if _looks_like_pupil_row(candidates[0][1]):
        raise CensusError(
            f"{path}: no header row in the first {_HEADER_SEARCH_ROWS} rows, and the "
            "first row holds a pupil's year group, sex or SEN provision; export the "
            "pupil list with its header row of column names"
        )

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


def _looks_like_pupil_row(cells: list[str]) -> bool:
    # Column names such as "NC Year" or "Gender" are not values of the fields,
    # but a pupil's row contains a year group, a sex and a provision code.
    fields = ("year_group", "sex", "sen_provision")
    found = [
        field_id
        for field_id in fields
        if any(cell and is_field_value(field_id, cell) for cell in cells)
    ]

    return len(found) >= 2
