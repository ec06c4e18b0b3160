"""Reading a pupil-level census extract into the context figures and the grid.

A SENCo exports one row per pupil on roll from the school's MIS. Each row is read,
checked and counted, and only the counts leave this module: a CensusExtract
contains the context figures, the SEND contextual grid and the bad rows, never a pupil's
row, name or identifier. Columns that the import does not use, such as names or
UPNs, are never read into a value.

Headers are matched to fields in census_columns, the file is decoded in census_csv,
and each row is checked in census_rows. This module counts the valid rows and
applies the counts to an audit.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from send_audit.audit import Audit, now_iso
from send_audit.census_columns import (
    is_listed_spelling,
    match_columns,
    reject_missing_columns,
)
from send_audit.census_csv import locate_header, read_records
from send_audit.census_grid import CensusGrid, GridCell
from send_audit.census_rows import (
    BadRow,
    Pupil,
    check_row,
    is_field_value,
    withhold_values,
)
from send_audit.errors import CensusError
from send_audit.grid import NEED_CODES, YEAR_GROUPS

# The context question for the year of the January census the figures come from.
CENSUS_YEAR_ID = "census_year"

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


def read_census_header(path: Path) -> list[str]:
    """Return the header row of an extract, for matching columns before reading.

    Raises:
        CensusError: When the file cannot be read or has no header row.
    """
    records = read_records(path)

    return locate_header(records, path)[1]


def read_census(
    path: Path,
    columns: Mapping[str, str | Sequence[str]] | None = None,
    census_year: int | None = None,
) -> CensusExtract:
    """Read, check and count a pupil-level census extract.

    Every row is checked, and every problem of every row is collected, so that
    all of them are reported at once. The counts are of the valid rows only. A
    problem's value is None when its column may hold names or other personal
    data, as `_columns_not_shown` decides.

    Args:
        path: The CSV file, one row per pupil on roll.
        columns: Headers chosen by the SENCo, by field id; see `match_columns`.
        census_year: The January census the extract is for; when it is before
            2025, DS is rejected because the census had no such code then.

    Raises:
        CensusError: When the file cannot be read, a required column is missing,
            or there is no pupil row at all.
    """
    records = read_records(path)
    header_index, headers = locate_header(records, path, columns)
    matched = match_columns(headers, columns, path)
    reject_missing_columns(matched, headers, path)

    indexes = {
        field_id: tuple(headers.index(header) for header in found)
        for field_id, found in matched.items()
    }
    tally = _Tally(
        counts_disadvantaged=bool(matched.get("disadvantaged")),
        counts_cla_plac=bool(matched.get("cla_plac")),
    )
    bad_rows: list[BadRow] = []
    pupil_records = []
    for offset, record in enumerate(
        records[header_index + 1 :], start=header_index + 2
    ):
        if not any(cell.strip() for cell in record):
            continue
        pupil_records.append(record)
        problems, pupil = check_row(offset, record, headers, indexes, census_year)
        if problems:
            bad_rows.extend(problems)
        else:
            tally.add(pupil)

    if tally.pupils == 0 and not bad_rows:
        raise CensusError(
            f"{path}: no pupil rows below the header; export every pupil on roll"
        )

    withheld = _columns_not_shown(pupil_records, headers, indexes)
    bad_rows = withhold_values(bad_rows, withheld)

    return tally.to_extract(path, matched, census_year, tuple(bad_rows))


def _columns_not_shown(
    records: list[list[str]], headers: list[str], indexes: dict[str, tuple[int, ...]]
) -> set[str]:
    # A cell's value may be printed in a problem only when its column is named as
    # the field is usually named, and most of its cells hold values of the field:
    # then an invalid cell is a mistyped code. Any other column may be a column of
    # names, UPNs or notes that was matched or chosen by mistake.
    withheld = set()
    for field_id, found in indexes.items():
        for index in found:
            header = headers[index]
            cells = [record[index].strip() for record in records if index < len(record)]
            filled = [cell for cell in cells if cell]
            valid = sum(is_field_value(field_id, cell) for cell in filled)
            if not is_listed_spelling(field_id, header) or 2 * valid < len(filled):
                withheld.add(header)

    return withheld


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

    def add(self, pupil: Pupil) -> None:
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
        context[CENSUS_YEAR_ID] = str(extract.census_year)
    audit.context = context
    audit.census = extract.grid.model_copy(deep=True)
    audit.updated = now_iso()
