"""The summary of an audit printed with rich, in the order of the form.

Every piece of text typed by a SENCo or taken from the criteria goes in as a `Text`
object, so markup, emoji codes and brackets print exactly as typed. Every column
folds or wraps its text: nothing is cut short with an ellipsis.
"""

import datetime
import re

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from send_audit.audit import RATINGS, Audit, ContextValue
from send_audit.census_report import render_census
from send_audit.criteria import Criteria, Question, QuestionGroup, SectionPart
from send_audit.figures import broken_rules, compute_percentage, format_percentage
from send_audit.progress import audit_progress, count_ratings
from send_audit.theme import RATING_WORDS

NOT_ANSWERED = "Not answered"
LEFT_BLANK = "Left blank"
KEPT_TITLE = "Answers kept from an older version of the criteria"
ACTION_PLAN_FIELDS = (
    ("strengths", "Areas of strength"),
    ("development", "Areas for development"),
    ("actions", "Recommended actions"),
)

# C0 and C1 control characters other than tab and newline, and the bidirectional
# controls that can make text display in another order than it was typed. An escape
# sequence stored in an answer or the criteria must not reach the terminal, so each
# prints as U+FFFD.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# Spaces between the columns of the label and value grids.
_GRID_PADDING = (0, 2, 0, 0)
# Indent of text printed under its label, in columns.
_INDENT = 2


def render_summary(audit: Audit, criteria: Criteria, console: Console) -> None:
    """Print the whole audit: header, context, compliance, sections and plans.

    Args:
        audit: The audit to print.
        criteria: The criteria set that gives the order, labels and aspect texts.
        console: Where to print. A console that is not a terminal gets no escape
            codes.
    """
    console.print(_header_panel(audit, criteria))
    _render_context(audit, criteria, console)
    _render_compliance(audit, criteria, console)
    _render_rating_counts(audit, criteria, console)
    for section in criteria.sections:
        _render_section(audit, section, console)
    _render_action_plans(audit, criteria, console)

    _print_heading(console, "Summary of recommended priorities")
    _print_block(console, _indented(_answer_text(audit.priorities)))
    _render_kept_answers(audit, criteria, console)


def printable_text(text: str) -> str:
    """Return user text with every line end as a newline and control codes replaced."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    return _CONTROL.sub("\ufffd", text)


def format_context_value(question: Question, value: ContextValue) -> str:
    """Format a stored context answer: a count with thousands separators, a % sign."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if question.kind == "count" and isinstance(value, int):
        return f"{value:,}"
    if question.kind == "percentage" and is_number:
        return f"{value:g}%"

    return printable_text(str(value))


def format_saved_time(stamp: str) -> str:
    """Format an ISO 8601 time as "20 November 2026 at 17:25", or return it as is."""
    try:
        moment = datetime.datetime.fromisoformat(stamp)
    except ValueError:
        return printable_text(stamp)

    return f"{moment.day} {moment:%B %Y} at {moment:%H:%M}"


def describe_criteria(audit: Audit, criteria: Criteria) -> str:
    """Name the criteria set and version the audit was answered against."""
    answered_against = f"{audit.criteria.id}, version {audit.criteria.version}"
    manifest = criteria.manifest
    loaded = f"{manifest.id}, version {manifest.version}"
    if answered_against == loaded:
        return f"{manifest.title} ({loaded})"

    return f"{manifest.title}: answered against {answered_against}, shown with {loaded}"


def _header_panel(audit: Audit, criteria: Criteria) -> Panel:
    answered, total = audit_progress(audit, criteria)
    header = criteria.context.groups[0]
    rows = [
        (question.label, _context_text(question, audit.context.get(question.id)))
        for question in header.questions
    ]
    rows += [
        ("Progress", _text(f"{answered} of {total} answered")),
        ("Criteria", _text(describe_criteria(audit, criteria))),
        ("Last saved", _text(format_saved_time(audit.updated))),
    ]
    title = _text(criteria.manifest.title, "heading")

    return Panel(Group(title, Text(), _field_grid(rows)), box=box.ROUNDED)


def _render_context(audit: Audit, criteria: Criteria, console: Console) -> None:
    # The first group is in the header panel. Warnings follow the last figures, and
    # the census grid opens the first group of narratives, which analyse it.
    groups = criteria.context.groups[1:]
    with_figures = [group for group in groups if _figure_questions(group)]
    census_shown = False
    for group in groups:
        _print_heading(console, group.title)
        if group in with_figures:
            _print_block(console, _figure_table(audit, group))
        if with_figures and group is with_figures[-1]:
            _render_broken_rules(audit, criteria, console)
        if group not in with_figures and not census_shown:
            render_census(audit, criteria, console)
            census_shown = True
        for question in group.questions:
            if question.kind == "narrative":
                value = _context_text(question, audit.context.get(question.id))
                label = _text(question.label, "heading")
                _print_block(console, Group(label, _indented(value)))
    if not census_shown:
        render_census(audit, criteria, console)


def _figure_questions(group: QuestionGroup) -> list[Question]:
    return [q for q in group.questions if q.kind != "narrative"]


def _figure_table(audit: Audit, group: QuestionGroup) -> Table:
    table = _table()
    table.add_column(_text("Figure"), ratio=3, overflow="fold")
    table.add_column(_text("Value"), ratio=2, overflow="fold")
    for question in _figure_questions(group):
        value = audit.context.get(question.id)
        table.add_row(_text(question.label), _context_text(question, value))
    for percentage in group.percentages:
        value = compute_percentage(percentage, audit.context)
        share = _text(format_percentage(value))
        if value is not None:
            share.append_text(_text(f" {percentage.share_of}", "figure.share"))
        table.add_row(_text(percentage.label), share)

    return table


def _render_broken_rules(audit: Audit, criteria: Criteria, console: Console) -> None:
    labels = {q.id: q.label for q in criteria.context.questions.values()}
    for broken in broken_rules(criteria.context, audit.context):
        warning = _text("Warning: ", "error")
        warning.append_text(_text(broken.describe(labels)))
        _print_block(console, warning)


def _render_compliance(audit: Audit, criteria: Criteria, console: Console) -> None:
    _print_heading(console, "SEND documentation")
    table = _table()
    table.add_column(_text("Requirement"), ratio=3, overflow="fold")
    table.add_column(_text("Compliant"), overflow="fold")
    table.add_column(_text("Note"), ratio=4, overflow="fold")
    for item in criteria.compliance.items:
        answer = audit.compliance.get(item.id)
        compliant = None if answer is None else answer.compliant
        note = None if answer is None else answer.note
        table.add_row(_text(item.title), _compliant_text(compliant), _note_text(note))
    _print_block(console, table)


def _compliant_text(compliant: str | None) -> Text:
    if compliant == "Y":
        return _text("Yes", "compliant.yes")
    if compliant == "N":
        return _text("No", "compliant.no")

    return _text(NOT_ANSWERED, "unanswered")


def _note_text(note: str | None) -> Text:
    # A note is optional, so a missing one is shown as nothing at all.
    return _text(note or "")


def _render_rating_counts(audit: Audit, criteria: Criteria, console: Console) -> None:
    _print_heading(console, "Ratings by section")
    table = _table()
    table.add_column(_text("Section"), ratio=1, overflow="fold")
    for rating in (*RATINGS, None):
        table.add_column(_text(RATING_WORDS[rating]), justify="right", no_wrap=True)

    totals = dict.fromkeys((*RATINGS, None), 0)
    for section in criteria.sections:
        counts = count_ratings(audit, section)
        for rating, count in counts.items():
            totals[rating] += count
        cells = [_text(str(count)) for count in counts.values()]
        table.add_row(_text(f"{section.number}. {section.title}"), *cells)
    table.add_section()
    table.add_row(_text("All sections"), *(_text(str(n)) for n in totals.values()))
    _print_block(console, table)


def _render_section(audit: Audit, section: SectionPart, console: Console) -> None:
    _print_heading(console, f"{section.number}. {section.title}")
    # Every number gets the width of the longest, so the aspects line up.
    number_width = len(f"{section.number}.{len(section.aspects)}")
    for index, aspect in enumerate(section.aspects, start=1):
        answer = audit.aspects.get(aspect.id)
        rating = None if answer is None else answer.rating
        comment = None if answer is None else answer.comment
        next_steps = None if answer is None else answer.next_steps
        fields = _field_grid(
            [
                ("Rating", _rating_text(rating)),
                ("Evaluation", _answer_text(comment)),
                ("Next steps", _answer_text(next_steps)),
            ]
        )
        body = Group(_text(aspect.text, "heading"), fields)
        number = f"{section.number}.{index}".ljust(number_width)
        _print_block(console, _numbered(number, body))


def _render_action_plans(audit: Audit, criteria: Criteria, console: Console) -> None:
    _print_heading(console, "Action plan")
    for section in criteria.sections:
        plan = audit.action_plans.get(section.id)
        lines: list[RenderableType] = [
            _text(f"{section.number}. {section.title}", "heading")
        ]
        for field, label in ACTION_PLAN_FIELDS:
            value = None if plan is None else getattr(plan, field)
            lines.append(_indented(_text(label, "heading")))
            lines.append(_indented(_answer_text(value), levels=2))
        _print_block(console, Group(*lines))


def _render_kept_answers(audit: Audit, criteria: Criteria, console: Console) -> None:
    entries = _kept_entries(audit, criteria)
    if not entries:
        return

    _print_heading(console, KEPT_TITLE)
    manifest = criteria.manifest
    intro = (
        f"These answers are stored under ids that {manifest.id} version "
        f"{manifest.version} no longer has. They stay in the audit file."
    )
    _print_block(console, _text(intro))
    for title, rows in entries:
        body = Group(_text(title, "heading"), _indented(_field_grid(rows)))
        _print_block(console, body)


def _kept_entries(
    audit: Audit, criteria: Criteria
) -> list[tuple[str, list[tuple[str, Text]]]]:
    """List the answers stored under ids the criteria do not have, as titled rows."""
    compliance_ids = {item.id for item in criteria.compliance.items}
    section_ids = {section.id for section in criteria.sections}
    entries = []
    for key, value in audit.context.items():
        if key not in criteria.context.questions:
            text = _answer_text(None if value is None else str(value))
            entries.append((f"Context answer {key}", [("Answer", text)]))
    for key, compliance in audit.compliance.items():
        if key not in compliance_ids:
            rows = [
                ("Compliant", _compliant_text(compliance.compliant)),
                ("Note", _note_text(compliance.note)),
            ]
            entries.append((f"Compliance item {key}", rows))
    for key, aspect in audit.aspects.items():
        if key not in criteria.aspects:
            rows = [
                ("Rating", _rating_text(aspect.rating)),
                ("Evaluation", _answer_text(aspect.comment)),
                ("Next steps", _answer_text(aspect.next_steps)),
            ]
            entries.append((f"Aspect {key}", rows))
    for key, plan in audit.action_plans.items():
        if key not in section_ids:
            rows = [
                (label, _answer_text(getattr(plan, f)))
                for f, label in ACTION_PLAN_FIELDS
            ]
            entries.append((f"Action plan of section {key}", rows))

    return entries


def _print_heading(console: Console, title: str) -> None:
    # The rule under the title marks a part of the form even without bold or colour.
    console.print()
    console.print(_text(title, "heading"))
    console.print(Rule(style="heading"))


def _text(value: str, style: str = "") -> Text:
    # A styled span, unlike a base style, leaves the padding of a cell uncoloured.
    return Text.styled(printable_text(value), style)


def _print_block(console: Console, renderable: RenderableType) -> None:
    # Every block after a heading starts with a blank line, so blocks never touch.
    console.print()
    console.print(renderable)


def _table() -> Table:
    return Table(
        box=box.SIMPLE_HEAD, show_edge=False, expand=True, header_style="heading"
    )


def _field_grid(rows: list[tuple[str, Text]]) -> Table:
    grid = Table.grid(padding=_GRID_PADDING)
    grid.add_column(overflow="fold")
    grid.add_column(ratio=1, overflow="fold")
    for label, value in rows:
        grid.add_row(_text(label), value)

    return grid


def _numbered(number: str, body: RenderableType) -> Table:
    grid = Table.grid(padding=_GRID_PADDING)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(_text(number, "heading"), body)

    return grid


def _indented(renderable: RenderableType, levels: int = 1) -> Padding:
    return Padding(renderable, (0, 0, 0, _INDENT * levels))


def _rating_text(rating: str | None) -> Text:
    return _text(RATING_WORDS[rating], f"rating.{rating or 'none'}")


def _answer_text(value: str | None) -> Text:
    if value is None:
        return _text(NOT_ANSWERED, "unanswered")
    if not value.strip():
        return _text(LEFT_BLANK, "unanswered")

    return _text(value)


def _context_text(question: Question, value: ContextValue | None) -> Text:
    if value is None:
        return _text(NOT_ANSWERED, "unanswered")
    if isinstance(value, str) and not value.strip():
        return _text(LEFT_BLANK, "unanswered")

    return _text(format_context_value(question, value))
