"""The audit as a GitHub-flavoured Markdown document, in the order of the form.

The document is for a headteacher or a SEND governor to read. Every piece of text
typed by a SENCo or taken from the criteria goes through `escape_markdown`, so none
of it can become emphasis, a link, a heading, a list, code, HTML or a table cell
boundary. The only HTML the exporter writes is `<br>` for a line break in a cell.
"""

import re
from dataclasses import dataclass

from send_audit.audit import RATINGS, Audit, ContextValue
from send_audit.census_report import (
    COMPLEMENTARY_MARK,
    export_census_markdown,
    percentage_hidden,
    suppressed_figures,
)
from send_audit.criteria import Criteria, Question, QuestionGroup, SectionPart
from send_audit.figures import broken_rules, compute_percentage, format_percentage
from send_audit.progress import audit_progress, count_ratings
from send_audit.summary import (
    ACTION_PLAN_FIELDS,
    KEPT_TITLE,
    LEFT_BLANK,
    NOT_ANSWERED,
    describe_criteria,
    format_context_value,
    format_saved_time,
    printable_text,
)
from send_audit.theme import RATING_WORDS

# Characters that make markup anywhere in a line: emphasis, code, links, HTML,
# entities, strikethrough and table cells. Each gets a backslash.
# NOTE: GitHub's extended autolinks may still make a typed bare URL such as
# www.example.org clickable. The tests parse with markdown-it's commonmark preset,
# which has no autolinking of bare URLs, so this is not checked.
_INLINE_MARKUP = re.compile(r"([\\`*_\[\]<>|~&])")
# Markup that counts only at the start of a line: headings, lists, quotes, setext
# underlines and ordered lists such as "1." or "1)".
_LINE_START_MARKUP = re.compile(r"^([#+\-=>])|^(\d+)([.)])")
_LINE_BREAK = "<br>"
# Written in place of an answer that is None, and of one left empty.
_NOT_ANSWERED = f"*{NOT_ANSWERED}*"
_LEFT_BLANK = f"*{LEFT_BLANK}*"


def escape_markdown(text: str, in_table: bool) -> str:
    """Escape text so that Markdown renders it as typed.

    Each character that could start markup gets a backslash, so `<script>` stays
    text and `|` cannot split a table cell. Leading and trailing spaces of each line
    are dropped, because four leading spaces would start a code block.

    Args:
        text: The text to escape, as typed.
        in_table: Whether it goes in a table cell, where line breaks become `<br>`.
            Outside a table each line break becomes a hard line break and each
            blank line starts a new paragraph.

    Returns:
        Markdown source for the text, "" for text that is only whitespace.
    """
    lines = [_escape_line(line) for line in printable_text(text).strip().split("\n")]
    if in_table:
        return _LINE_BREAK.join(lines)

    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])

    # A backslash at the end of a line is a hard line break.
    return "\n\n".join("\\\n".join(p) for p in paragraphs if p)


def _escape_line(line: str) -> str:
    escaped = _INLINE_MARKUP.sub(r"\\\1", line.strip())

    return _LINE_START_MARKUP.sub(_escape_line_start, escaped)


def _escape_line_start(match: re.Match) -> str:
    if match.group(1):
        return "\\" + match.group(1)

    return match.group(2) + "\\" + match.group(3)


def export_markdown(
    audit: Audit, criteria: Criteria, suppress_below: int | None = None
) -> str:
    """Write the whole audit as one Markdown document.

    Args:
        audit: The audit to export.
        criteria: The criteria set that gives the order, labels and aspect texts.
        suppress_below: Hide every count from 1 to this number minus 1, in the
            figures and the census grid, and any count or percentage that would
            let a hidden one be worked out; None hides nothing.

    Returns:
        The document, ending with a newline.
    """
    hidden = suppressed_figures(audit, criteria, suppress_below)
    census = export_census_markdown(
        audit, criteria, suppress_below=suppress_below, heading_level=3
    ).strip()
    blocks = _header_blocks(audit, criteria)
    blocks += _context_blocks(audit, criteria, _Hidden(suppress_below, hidden), census)
    blocks += _compliance_blocks(audit, criteria)
    blocks += _rating_count_blocks(audit, criteria)
    for section in criteria.sections:
        blocks += _section_blocks(audit, section)
    blocks += _action_plan_blocks(audit, criteria)
    blocks += ["## Summary of recommended priorities", _paragraph(audit.priorities)]
    blocks += _kept_blocks(audit, criteria)

    return "\n\n".join(blocks) + "\n"


def _header_blocks(audit: Audit, criteria: Criteria) -> list[str]:
    school = " ".join(audit.school.split()) or NOT_ANSWERED
    title = f"# {escape_markdown(criteria.manifest.title, False)}: "
    title += escape_markdown(school, False)

    answered, total = audit_progress(audit, criteria)
    lines = []
    for question in criteria.context.groups[0].questions:
        value = _context_value(question, audit.context.get(question.id), False)
        lines.append(f"**{escape_markdown(question.label, False)}:** {value}")
    lines.append(f"**Progress:** {answered} of {total} answered")
    details = "\\\n".join(lines)

    provenance = (
        f"Criteria: {escape_markdown(describe_criteria(audit, criteria), False)}. "
        f"Last saved {escape_markdown(format_saved_time(audit.updated), False)}."
    )

    return [title, details, provenance]


@dataclass(frozen=True)
class _Hidden:
    # The context counts hidden for publishing, and the threshold they fall below.
    threshold: int | None
    figures: dict[str, str]

    def marker(self, question_id: str) -> str | None:
        reason = self.figures.get(question_id)
        if reason is None:
            return None

        return f"<{self.threshold}" if reason == "small" else COMPLEMENTARY_MARK


def _context_blocks(
    audit: Audit, criteria: Criteria, hidden: _Hidden, census: str
) -> list[str]:
    # The first group is in the header. Warnings follow the last table of figures,
    # and the census grid opens the first group of narratives, which analyse it.
    groups = criteria.context.groups[1:]
    with_figures = [
        g for g in groups if any(q.kind != "narrative" for q in g.questions)
    ]
    blocks = []
    for group in groups:
        blocks.append(f"## {escape_markdown(group.title, False)}")
        if group in with_figures:
            blocks.append(_figure_table(audit, group, hidden))
        if with_figures and group is with_figures[-1]:
            blocks += _broken_rule_blocks(audit, criteria)
        if census and group not in with_figures:
            blocks.append(census)
            census = ""
        for question in group.questions:
            if question.kind == "narrative":
                blocks.append(f"### {escape_markdown(question.label, False)}")
                blocks.append(_paragraph(audit.context.get(question.id)))

    if census:
        blocks.append(census)

    return blocks


def _figure_table(audit: Audit, group: QuestionGroup, hidden: _Hidden) -> str:
    rows = []
    for question in group.questions:
        if question.kind != "narrative":
            marker = hidden.marker(question.id)
            value = audit.context.get(question.id)
            shown = marker or _context_value(question, value, True)
            rows.append([escape_markdown(question.label, True), shown, ""])
    for percentage in group.percentages:
        label = escape_markdown(percentage.label, True)
        if percentage_hidden(percentage, hidden.figures):
            rows.append([label, COMPLEMENTARY_MARK, ""])
            continue
        value = compute_percentage(percentage, audit.context)
        share = "" if value is None else escape_markdown(percentage.share_of, True)
        rows.append([label, escape_markdown(format_percentage(value), True), share])

    return _table(["Figure", "Value", "Share"], rows)


def _broken_rule_blocks(audit: Audit, criteria: Criteria) -> list[str]:
    labels = {q.id: q.label for q in criteria.context.questions.values()}

    return [
        f"**Warning:** {escape_markdown(broken.describe(labels), False)}"
        for broken in broken_rules(criteria.context, audit.context)
    ]


def _compliance_blocks(audit: Audit, criteria: Criteria) -> list[str]:
    rows = []
    for item in criteria.compliance.items:
        answer = audit.compliance.get(item.id)
        compliant = None if answer is None else answer.compliant
        note = None if answer is None else answer.note
        rows.append(
            [escape_markdown(item.title, True), _compliant(compliant), _note(note)]
        )

    return ["## SEND documentation", _table(["Requirement", "Compliant", "Note"], rows)]


def _compliant(compliant: str | None) -> str:
    return {"Y": "Yes", "N": "No"}.get(compliant or "", _NOT_ANSWERED)


def _note(note: str | None) -> str:
    # A note is optional, so a missing one is an empty cell.
    return escape_markdown(note or "", True)


def _rating_count_blocks(audit: Audit, criteria: Criteria) -> list[str]:
    totals = dict.fromkeys((*RATINGS, None), 0)
    rows = []
    for section in criteria.sections:
        counts = count_ratings(audit, section)
        for rating, count in counts.items():
            totals[rating] += count
        title = escape_markdown(f"{section.number}. {section.title}", True)
        rows.append([title, *(str(count) for count in counts.values())])
    rows.append(["**All sections**", *(f"**{count}**" for count in totals.values())])
    header = ["Section", *(RATING_WORDS[rating] for rating in (*RATINGS, None))]

    return ["## Ratings by section", _table(header, rows, numeric_from=1)]


def _section_blocks(audit: Audit, section: SectionPart) -> list[str]:
    rows = []
    for index, aspect in enumerate(section.aspects, start=1):
        answer = audit.aspects.get(aspect.id)
        rating = None if answer is None else answer.rating
        comment = None if answer is None else answer.comment
        next_steps = None if answer is None else answer.next_steps
        text = escape_markdown(f"{section.number}.{index} {aspect.text}", True)
        rows.append([text, RATING_WORDS[rating], _cell(comment), _cell(next_steps)])
    heading = f"## {escape_markdown(f'{section.number}. {section.title}', False)}"

    return [heading, _table(["Aspect", "Rating", "Evaluation", "Next steps"], rows)]


def _action_plan_blocks(audit: Audit, criteria: Criteria) -> list[str]:
    blocks = ["## Action plan"]
    for section in criteria.sections:
        plan = audit.action_plans.get(section.id)
        title = escape_markdown(f"{section.number}. {section.title}", False)
        blocks.append(f"### {title}")
        for field, label in ACTION_PLAN_FIELDS:
            blocks.append(f"**{label}**")
            blocks.append(_paragraph(None if plan is None else getattr(plan, field)))

    return blocks


def _kept_blocks(audit: Audit, criteria: Criteria) -> list[str]:
    tables = [
        _table(header, rows) for header, rows in _kept_tables(audit, criteria) if rows
    ]
    if not tables:
        return []

    manifest = criteria.manifest
    intro = (
        f"These answers are stored under ids that {manifest.id} version "
        f"{manifest.version} no longer has. They stay in the audit file."
    )

    return [f"## {KEPT_TITLE}", escape_markdown(intro, False), *tables]


def _kept_tables(
    audit: Audit, criteria: Criteria
) -> list[tuple[list[str], list[list[str]]]]:
    """List the answers stored under ids the criteria do not have, by kind."""
    compliance_ids = {item.id for item in criteria.compliance.items}
    section_ids = {section.id for section in criteria.sections}
    context = [
        [escape_markdown(key, True), _cell(None if value is None else str(value))]
        for key, value in audit.context.items()
        if key not in criteria.context.questions
    ]
    compliance = [
        [escape_markdown(key, True), _compliant(answer.compliant), _note(answer.note)]
        for key, answer in audit.compliance.items()
        if key not in compliance_ids
    ]
    aspects = [
        [
            escape_markdown(key, True),
            RATING_WORDS[answer.rating],
            _cell(answer.comment),
            _cell(answer.next_steps),
        ]
        for key, answer in audit.aspects.items()
        if key not in criteria.aspects
    ]
    plans = [
        [
            escape_markdown(key, True),
            *(_cell(getattr(plan, field)) for field, _ in ACTION_PLAN_FIELDS),
        ]
        for key, plan in audit.action_plans.items()
        if key not in section_ids
    ]
    plan_labels = [label for _, label in ACTION_PLAN_FIELDS]

    return [
        (["Context answer", "Answer"], context),
        (["Compliance item", "Compliant", "Note"], compliance),
        (["Aspect", "Rating", "Evaluation", "Next steps"], aspects),
        (["Action plan of section", *plan_labels], plans),
    ]


def _table(
    header: list[str], rows: list[list[str]], numeric_from: int | None = None
) -> str:
    """Write a table whose columns from `numeric_from` on are aligned right."""
    align = ["---"] * len(header)
    if numeric_from is not None:
        align[numeric_from:] = ["--:"] * (len(header) - numeric_from)
    lines = [_row(header), _row(align)]
    lines += [_row(row) for row in rows]

    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _context_value(
    question: Question, value: ContextValue | None, in_table: bool
) -> str:
    if value is None:
        return _NOT_ANSWERED
    text = escape_markdown(format_context_value(question, value), in_table)

    return text or _LEFT_BLANK


def _cell(value: str | None) -> str:
    if value is None:
        return _NOT_ANSWERED

    return escape_markdown(value, True) or _LEFT_BLANK


def _paragraph(value: str | None) -> str:
    if value is None:
        return _NOT_ANSWERED

    return escape_markdown(value, False) or _LEFT_BLANK
