"""The layout of the SEND contextual grid and the totals worked out from it.

The type-of-need codes and their names are those of the DfE school census, grouped
under the four broad areas of need of the SEND Code of Practice. Everything here
is a pure function of a CensusGrid that returns plain data, so the rich summary
and the Markdown export draw the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from send_audit.census_grid import CensusGrid


@dataclass(frozen=True)
class AreaOfNeed:
    """One of the four broad areas of need and the census codes under it."""

    id: str
    title: str
    codes: tuple[str, ...]


AREAS_OF_NEED = (
    AreaOfNeed(
        "communication_interaction", "Communication and interaction", ("SLCN", "ASD")
    ),
    AreaOfNeed(
        "cognition_learning", "Cognition and learning", ("SPLD", "MLD", "SLD", "PMLD")
    ),
    AreaOfNeed("semh", "Social, emotional and mental health", ("SEMH",)),
    AreaOfNeed(
        "sensory_physical", "Sensory and/or physical", ("HI", "VI", "MSI", "PD")
    ),
)

# Census codes that belong to none of the four areas, listed on their own.
UNGROUPED_CODES = ("OTH", "NSA", "DS")

# Every primary type-of-need code in the order the grid shows them.
NEED_CODES = (
    tuple(code for area in AREAS_OF_NEED for code in area.codes) + UNGROUPED_CODES
)

NEED_NAMES = {
    "SLCN": "Speech, language and communication needs",
    "ASD": "Autistic spectrum disorder",
    "SPLD": "Specific learning difficulty",
    "MLD": "Moderate learning difficulty",
    "SLD": "Severe learning difficulty",
    "PMLD": "Profound and multiple learning difficulty",
    "SEMH": "Social, emotional and mental health",
    "HI": "Hearing impairment",
    "VI": "Visual impairment",
    "MSI": "Multi-sensory impairment",
    "PD": "Physical disability",
    "OTH": "Other difficulty or disability",
    "NSA": "SEN support but no specialist assessment of type of need",
    "DS": "Down syndrome",
}

# The census has recorded Down syndrome as its own code since January 2025.
DS_FIRST_CENSUS_YEAR = 2025

# Codes the census allows only with SEN Support (provision K), never an EHC plan.
SEN_SUPPORT_ONLY_CODES = frozenset({"NSA"})

# Year groups in school order: nursery, reception, National Curriculum years 1 to
# 14, and X for pupils not following a National Curriculum year.
YEAR_GROUPS = ("N1", "N2", "R", *(f"Y{number}" for number in range(1, 15)), "X")

_YEAR_GROUP_NAMES = {
    "N1": "Nursery 1",
    "N2": "Nursery 2",
    "R": "Reception",
    "X": "Not in a National Curriculum year",
}


def year_group_name(year_group: str) -> str:
    """Return a year group's name in words, such as "Year 7" for Y7."""
    if year_group in _YEAR_GROUP_NAMES:
        return _YEAR_GROUP_NAMES[year_group]

    return f"Year {year_group.removeprefix('Y')}"


def need_label(code: str) -> str:
    """Return a code with its name, such as "SLCN: Speech, language and ..."."""
    return f"{code}: {NEED_NAMES[code]}"


@dataclass(frozen=True)
class Split:
    """Pupils counted by provision: SEN Support (census K) and EHC plan (E)."""

    sen_support: int = 0
    ehc_plan: int = 0

    @property
    def total(self) -> int:
        """Pupils at SEN Support and with an EHC plan together."""
        return self.sen_support + self.ehc_plan

    def __add__(self, other: Split) -> Split:
        return Split(
            self.sen_support + other.sen_support, self.ehc_plan + other.ehc_plan
        )


def grid_year_groups(grid: CensusGrid) -> tuple[str, ...]:
    """Return the year groups that have pupils on roll or with SEND, in school order."""
    present = set(grid.rows) | set(grid.on_roll)

    return tuple(year for year in YEAR_GROUPS if year in present)


def cell_split(grid: CensusGrid, year_group: str, code: str) -> Split:
    """Return the pupils of one year group with one primary need, by provision."""
    cell = grid.rows.get(year_group, {}).get(code)
    if cell is None:
        return Split()

    return Split(cell.sen_support, cell.ehc_plan)


def need_totals(grid: CensusGrid) -> dict[str, Split]:
    """Return the pupils with each primary need over all year groups, every code."""
    totals = {code: Split() for code in NEED_CODES}
    for cells in grid.rows.values():
        for code, cell in cells.items():
            totals[code] += Split(cell.sen_support, cell.ehc_plan)

    return totals


def year_group_totals(grid: CensusGrid) -> dict[str, Split]:
    """Return the pupils with SEND in each year group of the grid, in school order."""
    return {
        year: sum((cell_split(grid, year, code) for code in NEED_CODES), start=Split())
        for year in grid_year_groups(grid)
    }


def area_totals(grid: CensusGrid) -> dict[str, Split]:
    """Return the pupils with SEND in each broad area of need, by area id."""
    by_need = need_totals(grid)

    return {
        area.id: sum((by_need[code] for code in area.codes), start=Split())
        for area in AREAS_OF_NEED
    }


def grid_total(grid: CensusGrid) -> Split:
    """Return all pupils in the grid, by provision."""
    return sum(need_totals(grid).values(), start=Split())


LineKind = Literal["area", "need", "total", "sen_support", "ehc_plan", "on_roll"]


@dataclass(frozen=True)
class GridLine:
    """One row of the drawn grid.

    `by_year_group` follows `GridTable.year_groups`. A value is None where the row
    has nothing to show, such as the provision split of the on-roll row.
    """

    kind: LineKind
    label: str
    code: str | None
    by_year_group: tuple[int | None, ...]
    total: int | None
    sen_support: int | None = None
    ehc_plan: int | None = None


@dataclass(frozen=True)
class GridTable:
    """The grid as rows of numbers: areas, needs, totals and pupils on roll."""

    year_groups: tuple[str, ...]
    lines: tuple[GridLine, ...]
    # Pupils with SEND as a percentage of the year group's roll, None when unknown.
    share_with_send: tuple[float | None, ...]
    share_with_send_total: float | None


def build_grid_table(grid: CensusGrid) -> GridTable:
    """Lay the grid out as rows: each area, its needs, the totals, the roll."""
    years = grid_year_groups(grid)
    lines: list[GridLine] = []
    for area in AREAS_OF_NEED:
        lines.append(_sum_line("area", area.title, None, grid, years, area.codes))
        for code in area.codes:
            lines.append(
                _sum_line("need", need_label(code), code, grid, years, (code,))
            )
    for code in UNGROUPED_CODES:
        lines.append(_sum_line("need", need_label(code), code, grid, years, (code,)))

    lines.append(
        _sum_line("total", "All pupils with SEND", None, grid, years, NEED_CODES)
    )
    lines.extend(_provision_lines(grid, years))
    on_roll = _on_roll_line(grid, years)
    if on_roll is not None:
        lines.append(on_roll)

    return GridTable(
        year_groups=years,
        lines=tuple(lines),
        share_with_send=tuple(_share_with_send(grid, year) for year in years),
        share_with_send_total=_share_with_send_total(grid),
    )


def _sum_line(
    kind: LineKind,
    label: str,
    code: str | None,
    grid: CensusGrid,
    years: tuple[str, ...],
    codes: tuple[str, ...],
) -> GridLine:
    splits = [
        sum((cell_split(grid, y, c) for c in codes), start=Split()) for y in years
    ]
    total = sum(splits, start=Split())

    return GridLine(
        kind=kind,
        label=label,
        code=code,
        by_year_group=tuple(split.total for split in splits),
        total=total.total,
        sen_support=total.sen_support,
        ehc_plan=total.ehc_plan,
    )


def _provision_lines(grid: CensusGrid, years: tuple[str, ...]) -> list[GridLine]:
    by_year = year_group_totals(grid)
    support = tuple(by_year[year].sen_support for year in years)
    plans = tuple(by_year[year].ehc_plan for year in years)

    return [
        GridLine("sen_support", "of whom at SEN Support", None, support, sum(support)),
        GridLine("ehc_plan", "of whom with an EHC plan", None, plans, sum(plans)),
    ]


def _on_roll_line(grid: CensusGrid, years: tuple[str, ...]) -> GridLine | None:
    if not grid.on_roll:
        return None
    values = tuple(grid.on_roll.get(year) for year in years)
    # The total is known only when every year group's roll is.
    total = None if None in values else sum(grid.on_roll.values())

    return GridLine("on_roll", "Pupils on roll", None, values, total)


def _share_with_send(grid: CensusGrid, year_group: str) -> float | None:
    on_roll = grid.on_roll.get(year_group)
    if not on_roll:
        return None
    with_send = sum(cell_split(grid, year_group, code).total for code in NEED_CODES)

    return 100 * with_send / on_roll


def _share_with_send_total(grid: CensusGrid) -> float | None:
    years = grid_year_groups(grid)
    if not years or any(year not in grid.on_roll for year in years):
        return None
    on_roll = sum(grid.on_roll.values())
    if not on_roll:
        return None

    return 100 * grid_total(grid).total / on_roll


def grid_figures(grid: CensusGrid) -> dict[str, int]:
    """Return the context counts that the grid alone determines, by question id.

    The roll is included only when every year group's roll is known.
    """
    total = grid_total(grid)
    figures = {
        "send_register": total.total,
        "sen_support": total.sen_support,
        "ehc_plans": total.ehc_plan,
    }
    years = grid_year_groups(grid)
    if grid.on_roll and all(year in grid.on_roll for year in years):
        figures["number_on_roll"] = sum(grid.on_roll.values())

    return figures


def grid_mismatches(grid: CensusGrid, context: dict) -> list[tuple[str, int, int]]:
    """Return the figures whose typed count differs from the grid's total.

    Returns:
        One `(question id, typed count, grid count)` per difference; a figure not
        yet answered is not a difference.
    """
    mismatches = []
    for question_id, from_grid in grid_figures(grid).items():
        typed = context.get(question_id)
        if (
            isinstance(typed, int)
            and not isinstance(typed, bool)
            and typed != from_grid
        ):
            mismatches.append((question_id, typed, from_grid))

    return mismatches


# A cell of a GridTable: (line index, column index). Columns are the year groups
# in order, then the total, then SEN Support, then EHC plan.
Position = tuple[int, int]
Suppression = Literal["small", "complementary"]


def table_value(table: GridTable, position: Position) -> int | None:
    """Return the number at a position of the table, or None where it is blank."""
    line = table.lines[position[0]]
    column = position[1]
    years = len(table.year_groups)
    if column < years:
        return line.by_year_group[column]

    return (line.total, line.sen_support, line.ehc_plan)[column - years]


def suppress_small_counts(
    table: GridTable,
    threshold: int,
    hidden_figures: Mapping[str, Suppression] | None = None,
) -> dict[Position, Suppression]:
    """Choose the counts to hide so that no count below the threshold is shown.

    Every count from 1 to threshold - 1 is hidden ("small"). A row, a column or a
    provision split that adds up to a shown total with exactly one hidden number
    would give that number away by subtraction. So one more of its numbers is
    hidden ("complementary"): the smallest non-zero part, else the total, else a
    zero part. This repeats until no sum has exactly one hidden number.

    The totals of the whole grid (the SEND register, SEN Support, EHC plans and
    the roll) are context figures printed elsewhere in the audit, so whether they
    are hidden is decided with those figures, by `hidden_figures`; the grid never
    hides them on its own. Combining several sums can still narrow a hidden count
    to a range, but no single sum gives it exactly.

    Args:
        table: The grid as drawn.
        threshold: The smallest count that may be shown, other than 0.
        hidden_figures: The context figures hidden elsewhere, by question id.

    Returns:
        The hidden positions with the reason; empty when the threshold is 1 or less.
    """
    values = {
        (row, column): value
        for row in range(len(table.lines))
        for column in range(len(table.year_groups) + 3)
        if (value := table_value(table, (row, column))) is not None
    }
    hidden: dict[Position, Suppression] = {
        position: "small" for position, value in values.items() if 0 < value < threshold
    }
    figure_positions = _figure_positions(table)
    for figure_id, reason in (hidden_figures or {}).items():
        for position in figure_positions.get(figure_id, ()):
            hidden.setdefault(position, reason)

    fixed = {position for found in figure_positions.values() for position in found}
    sums = [
        (total, parts)
        for total, parts in _table_sums(table)
        if total in values and all(part in values for part in parts)
    ]
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            if sum(member in hidden for member in (total, *parts)) != 1:
                continue
            choice = _complement(total, parts, values, hidden, fixed)
            if choice is not None:
                hidden[choice] = "complementary"
                changed = True

    return hidden


def _complement(
    total: Position,
    parts: tuple[Position, ...],
    values: dict[Position, int],
    hidden: dict[Position, Suppression],
    fixed: set[Position],
) -> Position | None:
    shown = [part for part in parts if part not in hidden and part not in fixed]
    non_zero = sorted((part for part in shown if values[part]), key=values.__getitem__)
    if non_zero:
        return non_zero[0]
    if total not in hidden and total not in fixed:
        return total
    zeros = [part for part in shown if not values[part]]

    return zeros[0] if zeros else None


def _table_sums(table: GridTable) -> list[tuple[Position, tuple[Position, ...]]]:
    # Every published relation "total = sum of parts" between numbers of the table.
    years = len(table.year_groups)
    total_column, support_column, plan_column = years, years + 1, years + 2
    index = {id(line): row for row, line in enumerate(table.lines)}
    kinds = {line.kind: index[id(line)] for line in table.lines if line.kind != "need"}
    sums = []
    for row, line in enumerate(table.lines):
        sums.append(((row, total_column), tuple((row, c) for c in range(years))))
        if line.kind in ("area", "need", "total"):
            sums.append(
                ((row, total_column), ((row, support_column), (row, plan_column)))
            )

    need_rows = {
        line.code: index[id(line)] for line in table.lines if line.kind == "need"
    }
    area_rows = [index[id(line)] for line in table.lines if line.kind == "area"]
    grand = kinds["total"]
    ungrouped = [need_rows[code] for code in UNGROUPED_CODES]
    for column in range(years + 3):
        for area_row, area in zip(area_rows, AREAS_OF_NEED, strict=True):
            parts = tuple((need_rows[code], column) for code in area.codes)
            sums.append(((area_row, column), parts))
        by_area = tuple((row, column) for row in area_rows + ungrouped)
        sums.append(((grand, column), by_area))
        sums.append(
            ((grand, column), tuple((row, column) for row in need_rows.values()))
        )

    for column in range(years + 1):
        provisions = ((kinds["sen_support"], column), (kinds["ehc_plan"], column))
        sums.append(((grand, column), provisions))

    return sums


def _figure_positions(table: GridTable) -> dict[str, list[Position]]:
    # Where each context figure appears in the table: the provision totals appear
    # twice, in the total row and in their own rows.
    total_column = len(table.year_groups)
    positions: dict[str, list[Position]] = {}
    for row, line in enumerate(table.lines):
        if line.kind == "total":
            positions.setdefault("send_register", []).append((row, total_column))
            positions.setdefault("sen_support", []).append((row, total_column + 1))
            positions.setdefault("ehc_plans", []).append((row, total_column + 2))
        elif line.kind == "sen_support":
            positions.setdefault("sen_support", []).append((row, total_column))
        elif line.kind == "ehc_plan":
            positions.setdefault("ehc_plans", []).append((row, total_column))
        elif line.kind == "on_roll" and line.total is not None:
            positions["number_on_roll"] = [(row, total_column)]

    return positions
