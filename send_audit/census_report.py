"""The SEND contextual grid and the national comparison, for the summary and export.

`render_census` draws both with rich for the summary. `export_census_markdown`
writes them as GitHub-flavoured Markdown sections for the main export. With a
threshold, the export hides small counts, so that a small school can publish it
without identifying pupils.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from send_audit.audit import Audit
from send_audit.benchmarks import (
    Benchmarks,
    YearBenchmarks,
    describe_missing_benchmarks,
    load_criteria_benchmarks,
)
from send_audit.census_grid import CensusGrid
from send_audit.criteria import Criteria, Percentage
from send_audit.figures import compute_percentage, format_percentage
from send_audit.grid import (
    NEED_CODES,
    NEED_NAMES,
    GridLine,
    GridTable,
    Position,
    Suppression,
    build_grid_table,
    grid_mismatches,
    need_totals,
    suppress_small_counts,
    table_value,
)

# Printed in place of a count hidden because it would be worked out from the others.
COMPLEMENTARY_MARK = "c"


@dataclass(frozen=True)
class ComparisonRow:
    """One line of the national comparison, with both values already formatted."""

    label: str
    school: str
    national: str


@dataclass(frozen=True)
class _Hiding:
    # The grid cells and context figures to hide, and the threshold they fall below.
    threshold: int | None
    positions: dict[Position, Suppression]
    figures: dict[str, Suppression]

    def is_small(self, value: int | None) -> bool:
        return (
            self.threshold is not None
            and value is not None
            and 0 < value < self.threshold
        )

    def format(self, table: GridTable, position: Position) -> str:
        reason = self.positions.get(position)
        if reason == "small":
            return f"<{self.threshold}"
        if reason == "complementary":
            return COMPLEMENTARY_MARK
        value = table_value(table, position)

        return "" if value is None else str(value)


_NO_HIDING = _Hiding(None, {}, {})


def render_census(
    audit: Audit,
    criteria: Criteria,
    console: Console,
    benchmarks: Benchmarks | None = None,
) -> None:
    """Draw the SEND contextual grid and the national comparison.

    Args:
        audit: The audit whose grid and figures are drawn.
        criteria: Its criteria, for the labels of the figures.
        console: Where to draw.
        benchmarks: The national figures; those of the criteria folder when None.
    """
    console.print(Text("SEND contextual grid", style="heading"))
    if audit.census is None:
        console.print(
            Text(
                "No grid yet: import a census extract with send-audit import-census "
                "CSV AUDIT, or type it with send-audit grid AUDIT.",
                style="unanswered",
            )
        )
    else:
        console.print(Text(describe_grid_source(audit)))
        _print_grid(build_grid_table(audit.census), console)
        for sentence in describe_mismatches(audit, criteria):
            console.print(Text(sentence, style="notice"))

    console.print()
    if benchmarks is None:
        benchmarks = load_criteria_benchmarks(criteria)
    _render_comparison(audit, criteria, console, benchmarks)


def render_grid(grid: CensusGrid, console: Console) -> None:
    """Draw one grid as a table, such as a new import before it is confirmed."""
    _print_grid(build_grid_table(grid), console)


def describe_grid_source(audit: Audit) -> str:
    """Say where the grid's counts came from, for the line under its heading."""
    grid = audit.census
    if grid is None:
        return "No SEND contextual grid has been imported or typed."
    census_year = audit.context.get("census_year")
    census = f" for the January {census_year} census" if census_year else ""
    if grid.source == "typed":
        return f"Typed by the SENCo{census}."
    pupils = sum(grid.on_roll.values())
    sentence = f"From a census extract of {pupils} pupils{census}."
    if grid.rows_left_out:
        rows = "row was" if grid.rows_left_out == 1 else "rows were"
        sentence += f" {grid.rows_left_out} invalid {rows} left out."

    return sentence


def describe_mismatches(audit: Audit, criteria: Criteria) -> list[str]:
    """Describe each context figure that differs from the grid's total."""
    if audit.census is None:
        return []
    questions = criteria.context.questions
    sentences = []
    for question_id, typed, from_grid in grid_mismatches(audit.census, audit.context):
        question = questions.get(question_id)
        label = question.label if question else question_id
        sentences.append(
            f"{label} is {typed}, but the grid adds up to {from_grid}; correct "
            "the figure or the grid, or import the census again."
        )

    return sentences


# Short labels for the rows of the drawn grid on a terminal too narrow for names.
_SHORT_LABELS = {
    "total": "All with SEND",
    "sen_support": "SEN Support",
    "ehc_plan": "EHC plan",
    "on_roll": "On roll",
}
# Width the labels need to be printed in full, in characters.
_FULL_LABEL_WIDTH = 52
# Columns kept for the labels when only the need codes fit, such as "SLCN".
_CODE_LABEL_WIDTH = 12
# Columns of padding that each number column of the grid takes beside its cells.
_COLUMN_GAP = 2


def _print_grid(table: GridTable, console: Console) -> None:
    # A grid too wide for the terminal is printed in parts, a few year groups at a
    # time with the totals in the last part, so no column is ever cut.
    widths = _grid_widths(table)
    years = len(table.year_groups)
    room = console.width - _CODE_LABEL_WIDTH
    parts: list[list[int]] = [[]]
    used = 0
    for column in range(years):
        if parts[-1] and used + widths[column] + _COLUMN_GAP > room:
            parts.append([])
            used = 0
        parts[-1].append(column)
        used += widths[column] + _COLUMN_GAP
    totals = [years, years + 1, years + 2]
    if used + sum(widths[c] + _COLUMN_GAP for c in totals) > room and parts[-1]:
        parts.append([])
    parts[-1] += totals
    for part in parts:
        console.print(_rich_grid(table, console.width, part))


def _grid_widths(table: GridTable) -> list[int]:
    columns = len(table.year_groups) + 3
    rows = [
        [_NO_HIDING.format(table, (row, column)) for column in range(columns)]
        for row in range(len(table.lines))
    ]
    shares = _grid_shares(table)
    headings = [*table.year_groups, "Total", "SEN\nSupport", "EHC\nplan"]

    return [
        max(
            len(part)
            for cell in (
                heading,
                *(cells[column] for cells in rows),
                *(shares[column : column + 1] if shares else ()),
            )
            for part in cell.split("\n")
        )
        for column, heading in enumerate(headings)
    ]


def _grid_shares(table: GridTable) -> list[str] | None:
    if all(share is None for share in table.share_with_send):
        return None
    shares = [_whole_percent(share) for share in table.share_with_send]

    return [*shares, _whole_percent(table.share_with_send_total), "", ""]


def _rich_grid(table: GridTable, console_width: int, shown: list[int]) -> Table:
    # Each number column is exactly as wide as its widest cell, and the labels get
    # the rest: full names when they fit, else the codes alone. `shown` lists the
    # columns of this part of the grid.
    rows = [
        [_NO_HIDING.format(table, (row, column)) for column in shown]
        for row in range(len(table.lines))
    ]
    every_width = _grid_widths(table)
    widths = [every_width[column] for column in shown]
    headings = [*table.year_groups, "Total", "SEN\nSupport", "EHC\nplan"]
    headings = [headings[column] for column in shown]
    shares = _grid_shares(table)
    if shares:
        shares = [shares[column] for column in shown]
    full = console_width - sum(width + 1 for width in widths) >= _FULL_LABEL_WIDTH

    grid = Table(
        box=box.SIMPLE_HEAD,
        header_style="heading",
        pad_edge=False,
        collapse_padding=True,
    )
    grid.add_column("Primary need", overflow="fold", min_width=_CODE_LABEL_WIDTH)
    for heading, width in zip(headings, widths, strict=True):
        grid.add_column(heading, justify="right", no_wrap=True, width=width)
    for line, cells in zip(table.lines, rows, strict=True):
        grid.add_row(
            Text(_grid_label(line, full)),
            *cells,
            style="heading" if line.kind in ("area", "total") else None,
            end_section=line.kind == "need" and line.code == NEED_CODES[-1],
        )
    if shares:
        grid.add_row(
            Text("% of the year group with SEND" if full else "% with SEND"), *shares
        )

    return grid


def _grid_label(line: GridLine, full: bool) -> str:
    if line.kind == "need":
        return f"  {line.label if full else line.code}"
    if full or line.kind == "area":
        return line.label

    return _SHORT_LABELS[line.kind]


def _whole_percent(share: float | None) -> str:
    # Whole numbers keep the columns narrow; the export prints one decimal place.
    return "-" if share is None else f"{share:.0f}%"


def comparison_rows(
    audit: Audit,
    criteria: Criteria,
    national: YearBenchmarks,
    hiding: "_Hiding" = _NO_HIDING,
) -> list[ComparisonRow]:
    """Pair the school's figures with the national ones of one census year.

    Only the figures the benchmarks hold for that year are listed, and only those
    whose percentage the criteria define.
    """
    rows = []
    percentages = criteria.context.percentages
    for percentage_id, national_value in national.percentages.items():
        percentage = percentages.get(percentage_id)
        if percentage is None:
            continue
        school = format_percentage(compute_percentage(percentage, audit.context))
        if percentage_hidden(percentage, hiding.figures):
            school = COMPLEMENTARY_MARK
        rows.append(
            ComparisonRow(
                f"{percentage.label} ({percentage.share_of})",
                school,
                format_percentage(national_value),
            )
        )

    needs = national.most_common_need
    for provision, label, code in (
        (
            "ehc_plan",
            "Most common primary need, pupils with an EHC plan",
            needs.ehc_plan,
        ),
        (
            "sen_support",
            "Most common primary need, pupils at SEN Support",
            needs.sen_support,
        ),
    ):
        if code is not None:
            school = _school_most_common_need(audit, provision, hiding)
            rows.append(ComparisonRow(label, school, f"{code} ({NEED_NAMES[code]})"))

    return rows


def _school_most_common_need(audit: Audit, provision: str, hiding: _Hiding) -> str:
    if audit.census is None:
        return "-"
    totals = {
        code: getattr(split, provision)
        for code, split in need_totals(audit.census).items()
    }
    pupils = sum(totals.values())
    most = max(totals.values())
    if not most:
        return "none"
    if hiding.is_small(most):
        return COMPLEMENTARY_MARK
    codes = [code for code in NEED_CODES if totals[code] == most]

    return f"{' and '.join(codes)} ({format_percentage(100 * most / pupils)})"


def describe_no_comparison(
    audit: Audit, criteria: Criteria, benchmarks: Benchmarks | None
) -> str | None:
    """Say why no national comparison can be shown, or return None when it can.

    Args:
        audit: The audit to compare.
        criteria: Its criteria, named when they have no national figures.
        benchmarks: The national figures of the criteria, None when they have none.
    """
    if benchmarks is None:
        return describe_missing_benchmarks(criteria)
    census_year = audit.context.get("census_year")
    if not census_year:
        return (
            "Give the year of the January census these figures come from to compare "
            "them with national figures."
        )
    if benchmarks.for_year(census_year) is None:
        held = ", ".join(str(entry.census_year) for entry in benchmarks.years)
        return (
            f"No national figures are held for the January {census_year} census; "
            f"they are held for {held}."
        )

    return None


def _render_comparison(
    audit: Audit, criteria: Criteria, console: Console, benchmarks: Benchmarks | None
) -> None:
    console.print(Text("National comparison", style="heading"))
    reason = describe_no_comparison(audit, criteria, benchmarks)
    if reason is not None:
        console.print(Text(reason, style="unanswered"))
        return

    national = benchmarks.for_year(audit.context["census_year"])
    table = Table(header_style="heading")
    table.add_column("Figure", ratio=3, overflow="fold")
    table.add_column("This school", justify="right")
    table.add_column(f"National, January {national.census_year}", justify="right")
    for row in comparison_rows(audit, criteria, national):
        table.add_row(row.label, row.school, row.national)
    console.print(table)
    console.print(Text(_source_sentence(benchmarks, national), style="figure.share"))


def _source_sentence(benchmarks: Benchmarks, national: YearBenchmarks) -> str:
    source = benchmarks.source
    sentence = (
        f"Source: {benchmarks.citation(national.census_year)} (release "
        f"{national.release}), {source.url}."
    )
    if source.coverage:
        sentence += (
            f" National figures count {source.coverage[0].lower()}{source.coverage[1:]}"
        )

    return sentence


def suppressed_figures(
    audit: Audit, criteria: Criteria, suppress_below: int | None
) -> dict[str, Suppression]:
    """Choose the context counts to hide when the audit is published.

    Every count from 1 to suppress_below - 1 is hidden ("small"). An `equal` rule
    of the criteria, such as SEN Support plus EHC plans equals the SEND register,
    with exactly one hidden count would let it be worked out from the others. So
    the smallest other non-zero count of that rule is hidden too
    ("complementary"). A percentage may also work out a difference, such as girls
    on the register (the register minus the boys on it). When that difference is
    small, the smallest count it comes from is hidden, so nobody can subtract.
    The main export should hide the same figures, and every percentage for which
    `percentage_hidden` is true.

    Returns:
        The hidden counts by question id; empty when suppress_below is None or 1.
    """
    if not suppress_below or suppress_below < 2:
        return {}
    counts = {
        question_id: value
        for question_id, question in criteria.context.questions.items()
        if question.kind == "count"
        and isinstance(value := audit.context.get(question_id), int)
        and not isinstance(value, bool)
    }
    hidden: dict[str, Suppression] = {
        question_id: "small"
        for question_id, value in counts.items()
        if 0 < value < suppress_below
    }
    rules = [rule for rule in criteria.context.rules if rule.kind == "equal"]
    changed = True
    while changed:
        changed = False
        for rule in rules:
            members = [term.lstrip("-") for term in rule.left + rule.right]
            if any(member not in counts for member in members):
                continue
            if sum(member in hidden for member in members) != 1:
                continue
            shown = sorted(
                (member for member in members if member not in hidden),
                key=lambda member: (counts[member] == 0, counts[member]),
            )
            if shown:
                hidden[shown[0]] = "complementary"
                changed = True
        differences = _hide_small_differences(criteria, counts, hidden, suppress_below)
        changed = changed or differences

    return hidden


def _hide_small_differences(
    criteria: Criteria,
    counts: dict[str, int],
    hidden: dict[str, Suppression],
    suppress_below: int,
) -> bool:
    # A difference of shown counts, such as the register minus the boys on it,
    # reveals a small number as surely as the count itself would.
    changed = False
    for percentage in criteria.context.percentages.values():
        for terms in (percentage.numerator, percentage.denominator):
            members = [term.lstrip("-") for term in terms]
            if len(members) < 2 or any(m not in counts or m in hidden for m in members):
                continue
            difference = sum(
                -counts[term[1:]] if term.startswith("-") else counts[term]
                for term in terms
            )
            if 0 < difference < suppress_below:
                smallest = min(members, key=lambda member: counts[member])
                hidden[smallest] = "complementary"
                changed = True

    return changed


def percentage_hidden(percentage: Percentage, hidden: Mapping[str, object]) -> bool:
    """Return whether a percentage is worked out from a hidden count, so reveals it."""
    terms = percentage.numerator + percentage.denominator

    return any(term.lstrip("-") in hidden for term in terms)


def export_census_markdown(
    audit: Audit,
    criteria: Criteria,
    suppress_below: int | None,
    benchmarks: Benchmarks | None = None,
    heading_level: int = 2,
) -> str:
    """Write the grid and the national comparison as GitHub-flavoured Markdown.

    Args:
        audit: The audit to export.
        criteria: Its criteria, for the labels of the figures.
        suppress_below: Hide every count from 1 to this number minus 1, and any
            count that could be worked out from them; None or 1 hides nothing.
        benchmarks: The national figures; those of the criteria folder when None.
        heading_level: The Markdown level of the two section headings.

    Returns:
        The grid section, then the national comparison section; the text ends
        with a newline.
    """
    if benchmarks is None:
        benchmarks = load_criteria_benchmarks(criteria)
    threshold = suppress_below if suppress_below and suppress_below > 1 else None
    figures = suppressed_figures(audit, criteria, threshold) if threshold else {}
    hiding = _Hiding(threshold, {}, figures)
    hashes = "#" * heading_level
    lines = [f"{hashes} SEND contextual grid", ""]
    if audit.census is None:
        lines.append("No SEND contextual grid has been imported or typed.")
    else:
        table = build_grid_table(audit.census)
        if threshold is not None:
            positions = suppress_small_counts(table, threshold, hiding.figures)
            hiding = _Hiding(threshold, positions, hiding.figures)
        lines += [describe_grid_source(audit), ""]
        lines += _markdown_grid(table, hiding)
        lines += _grid_notes(audit, criteria, hiding)

    lines += ["", f"{hashes} National comparison", ""]
    lines += _markdown_comparison(audit, criteria, benchmarks, hiding)

    return "\n".join(lines) + "\n"


def _markdown_row(cells: list[str]) -> str:
    # A "|" inside a cell would split it. No label contains one, but escape it anyway.
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _markdown_grid(table: GridTable, hiding: _Hiding) -> list[str]:
    columns = len(table.year_groups) + 3
    headings = ["Primary need", *table.year_groups, "Total", "SEN Support", "EHC plan"]
    lines = [_markdown_row(headings), "|:---|" + "---:|" * columns]
    for row, line in enumerate(table.lines):
        label = f"**{line.label}**" if line.kind in ("area", "total") else line.label
        cells = [hiding.format(table, (row, column)) for column in range(columns)]
        lines.append(_markdown_row([label, *cells]))

    shares = _shares_with_send(table, hiding)
    if shares is not None:
        lines.append(_markdown_row(["% of the year group with SEND", *shares, "", ""]))

    return lines


def _shares_with_send(table: GridTable, hiding: _Hiding) -> list[str] | None:
    # A share is hidden with either of the counts it is worked out from.
    rows = {line.kind: row for row, line in enumerate(table.lines)}
    if "on_roll" not in rows:
        return None
    shares = [*table.share_with_send, table.share_with_send_total]
    formatted = []
    for column, share in enumerate(shares):
        inputs = ((rows["total"], column), (rows["on_roll"], column))
        if any(position in hiding.positions for position in inputs):
            formatted.append(COMPLEMENTARY_MARK)
        else:
            formatted.append(format_percentage(share))

    return formatted


def _grid_notes(audit: Audit, criteria: Criteria, hiding: _Hiding) -> list[str]:
    notes = []
    if hiding.threshold is not None:
        below = hiding.threshold
        notes.append(
            f"Counts from 1 to {below - 1} are shown as <{below}, and "
            f"{COMPLEMENTARY_MARK} marks a figure hidden because a count below "
            f"{below} could be worked out from it."
        )
    mismatches = describe_mismatches(audit, criteria)
    if mismatches and hiding.threshold is not None:
        # The sentences name the counts, which may be the small ones hidden above.
        mismatches = ["The grid's totals differ from the figures typed in the audit."]

    lines = []
    for note in notes + mismatches:
        lines += ["", note]

    return lines


def _markdown_comparison(
    audit: Audit, criteria: Criteria, benchmarks: Benchmarks | None, hiding: _Hiding
) -> list[str]:
    reason = describe_no_comparison(audit, criteria, benchmarks)
    if reason is not None:
        return [reason]

    national = benchmarks.for_year(audit.context["census_year"])
    lines = [
        _markdown_row(
            ["Figure", "This school", f"National, January {national.census_year}"]
        ),
        "|:---|---:|---:|",
    ]
    for row in comparison_rows(audit, criteria, national, hiding):
        lines.append(_markdown_row([row.label, row.school, row.national]))

    return [*lines, "", _source_sentence(benchmarks, national)]
