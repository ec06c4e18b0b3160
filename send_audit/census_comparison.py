"""The table of context figures now and after a census import or a typed grid.

It lists the census year, each census figure and each percentage worked out from
census figures only, so the SENCo can check a change before confirming it.
"""

from rich.table import Table
from rich.text import Text

from send_audit.audit import Audit
from send_audit.census import CENSUS_FIGURE_IDS, CENSUS_YEAR_ID
from send_audit.census_grid import CensusGrid
from send_audit.criteria import Criteria, Percentage
from send_audit.figures import compute_percentage, format_percentage
from send_audit.grid import grid_total


def comparison_table(
    title: str,
    new_heading: str,
    audit: Audit,
    new_context: dict,
    new_grid: CensusGrid | None,
    criteria: Criteria,
) -> Table:
    """Build a table of the census figures now and as a change would leave them.

    Args:
        title: The title of the table.
        new_heading: The heading of the column of new values.
        audit: The audit as it is now.
        new_context: The context answers after the change. A figure that is not in
            it is left out of the table.
        new_grid: The grid after the change, or None to leave out the grid row.
        criteria: The criteria, for labels and percentages.
    """
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
