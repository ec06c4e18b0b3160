import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from send_audit.audit import ActionPlan, Audit, ComplianceAnswer
from send_audit.export import escape_markdown, export_markdown

# CommonMark plus GitHub's table and strikethrough rules. markdown-it-py's
# "gfm-like" preset would also need linkify-it-py, which is not a dependency.
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])

# Inline tokens that user text must never produce. The exporter itself writes strong
# and em around its own labels, and html_inline only for `<br>` in a cell.
MARKUP_TOKENS = {
    "em_open",
    "strong_open",
    "link_open",
    "image",
    "code_inline",
    "html_inline",
    "s_open",
    "softbreak",
}

# Text that would become Markdown or HTML if it were not escaped.
HOSTILE_CASES = [
    ("spec", 'Pupils said "it\'s [bold]great[/bold]" | see [1], [/x] and :smile:'),
    ("script", "<script>alert(1)</script>"),
    ("html-comment", "<!-- hidden -->"),
    ("emphasis", "*one* _two_ **three** __four__"),
    ("link", "[the report](https://example.org/report)"),
    ("reference", "[1]: https://example.org"),
    ("image", "![logo](logo.png)"),
    ("autolink", "<https://example.org>"),
    ("heading", "# Not a heading"),
    ("setext", "Not a heading\n==="),
    ("setext-dash", "Not a heading\n---"),
    ("bullet", "- not a list\n+ nor this\n* nor this"),
    ("ordered", "1. not a list\n2) nor this"),
    ("quote", "> not a quote"),
    ("code", "`not code`"),
    ("fence", "```\nnot code\n```"),
    ("indented", "    not code"),
    ("rule", "***"),
    ("pipe", "a | b || c"),
    ("strike", "~~not struck~~"),
    ("entity", "&copy; &#60; &amp;"),
    ("backslash", "ends with \\"),
    ("escaped-pipe", "a \\| b"),
    ("welsh", "Ysgol Gymraeg Llanfair ŵ ŷ"),
    ("emoji", "Rainbow group 🌈"),
    ("cjk", "学校"),
    ("three-lines", "First line\nSecond line\nThird line"),
]
HOSTILE_IDS = [case_id for case_id, _ in HOSTILE_CASES]
HOSTILE_TEXTS = [text for _, text in HOSTILE_CASES]


def parse(markdown: str) -> list[Token]:
    return MARKDOWN.parse(markdown)


def inline_text(inline: Token) -> str:
    """Return the rendered text of an inline token, each line break as a newline."""
    parts = []
    for child in inline.children or []:
        if child.type == "text":
            parts.append(child.content)
        elif child.type == "hardbreak" or (
            child.type == "html_inline" and child.content == "<br>"
        ):
            parts.append("\n")

    return "".join(parts)


def child_types(inline: Token) -> set[str]:
    return {child.type for child in inline.children or []}


def headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [
        (token.tag, inline_text(tokens[index + 1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Return each table as rows of cells, each cell its inline token."""
    found: list[list[list[Token]]] = []
    for token in tokens:
        if token.type == "table_open":
            found.append([])
        elif token.type == "tr_open":
            found[-1].append([])
        elif token.type == "inline" and found and token.level > 2:
            found[-1][-1].append(token)

    return found


def table_after(tokens: list[Token], heading: str) -> list[list[Token]]:
    """Return the first table after the heading with the given text."""
    start = next(
        index
        for index, token in enumerate(tokens)
        if token.type == "heading_open" and inline_text(tokens[index + 1]) == heading
    )

    return tables(tokens[start:])[0]


def row_texts(table: list[list[Token]]) -> list[list[str]]:
    return [[inline_text(cell) for cell in row] for row in table]


def strip_lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n"))


def test_export_headings_small(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    assert headings(tokens) == [
        ("h1", "SEND self-evaluation audit: Oakfield Primary School"),
        ("h2", "SEND profile"),
        ("h2", "Narratives"),
        ("h3", "SEND contextual grid"),
        ("h3", "National comparison"),
        ("h3", "Trends over time"),
        ("h2", "SEND documentation"),
        ("h2", "Ratings by section"),
        ("h2", "1. Culture, Leadership and Management"),
        ("h2", "2. High Quality Teaching"),
        ("h2", "Action plan"),
        ("h3", "1. Culture, Leadership and Management"),
        ("h3", "2. High Quality Teaching"),
        ("h2", "Summary of recommended priorities"),
        ("h2", "Answers kept from an older version of the criteria"),
    ]


def test_export_headings_example(example_audit, shipped_criteria):
    tokens = parse(export_markdown(example_audit, shipped_criteria))

    found = headings(tokens)
    sections = [f"{s.number}. {s.title}" for s in shipped_criteria.sections]
    groups = [g.title for g in shipped_criteria.context.groups[1:]]
    assert found[0] == ("h1", "SEND self-evaluation audit: Oakfield Primary School")
    assert [text for tag, text in found if tag == "h2"] == [
        *groups,
        "SEND documentation",
        "Ratings by section",
        *sections,
        "Action plan",
        "Summary of recommended priorities",
    ]
    assert [text for tag, text in found if tag == "h3"][-7:] == sections


@pytest.mark.parametrize(
    "which", ["small", "example"], ids=["small-audit", "example-audit"]
)
def test_export_table_row_widths(
    which, small_audit, small_criteria, example_audit, shipped_criteria
):
    if which == "small":
        markdown = export_markdown(small_audit, small_criteria)
    else:
        markdown = export_markdown(example_audit, shipped_criteria)

    found = tables(parse(markdown))

    assert found
    for table in found:
        header_width = len(table[0])
        assert [len(row) for row in table] == [header_width] * len(table)


def test_export_table_headers(small_audit, small_criteria):
    found = tables(parse(export_markdown(small_audit, small_criteria)))

    assert [row_texts(table)[0] for table in found] == [
        ["Figure", "Value", "Share"],
        ["Requirement", "Compliant", "Note"],
        ["Section", "Red", "Amber", "Green", "Not rated"],
        ["Aspect", "Rating", "Evaluation", "Next steps"],
        ["Aspect", "Rating", "Evaluation", "Next steps"],
        ["Context answer", "Answer"],
        ["Aspect", "Rating", "Evaluation", "Next steps"],
    ]


def test_export_figures_table(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    assert row_texts(table_after(tokens, "SEND profile"))[1:] == [
        ["Number on roll", "412", ""],
        ["SEND register", "58", ""],
        ["SEN Support", "51", ""],
        ["EHC plans", "6", ""],
        ["Attendance", "95.3%", ""],
        ["% on SEND register", "14.1%", "of all pupils on roll"],
    ]


def test_export_broken_rule_warning(small_audit, small_criteria):
    markdown = export_markdown(small_audit, small_criteria)

    paragraphs = [inline_text(t) for t in parse(markdown) if t.type == "inline"]
    assert (
        "Warning: SEN Support plus EHC plans must equal the register: SEN Support + "
        "EHC plans = 57, which does not equal SEND register = 58."
    ) in paragraphs


def test_export_compliance_table(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    assert row_texts(table_after(tokens, "SEND documentation"))[1:] == [
        ["SEN information report", "Yes", "Updated September 2026."],
        ["Local Offer", "Not answered", ""],
    ]


def test_export_rating_counts(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    assert row_texts(table_after(tokens, "Ratings by section"))[1:] == [
        ["1. Culture, Leadership and Management", "0", "1", "1", "0"],
        ["2. High Quality Teaching", "0", "0", "0", "1"],
        ["All sections", "0", "1", "1", "1"],
    ]


def test_export_aspect_table(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    leadership = table_after(tokens, "1. Culture, Leadership and Management")
    teaching = table_after(tokens, "2. High Quality Teaching")
    assert row_texts(leadership)[1:] == [
        [
            "1.1 All governors are aware of their statutory duties.",
            "Green",
            "Seven of the eleven governors have had SEND training.",
            "Train the four new governors in the spring term.",
        ],
        [
            "1.2 The SENCO is given time and resources for the role.",
            "Amber",
            "Two days a week out of class.",
            "Not answered",
        ],
    ]
    assert row_texts(teaching)[1:] == [
        [
            "2.1 Quality first teaching is the first response.",
            "Not rated",
            "Not answered",
            "Not answered",
        ]
    ]


def test_export_header_details(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    paragraphs = [inline_text(t) for t in tokens if t.type == "inline"]
    assert paragraphs[1] == (
        "School: Oakfield Primary School\n"
        "SENDCo: Ms Claire Hollins\n"
        "Date of audit: Not answered\n"
        "Progress: 13 of 17 answered"
    )
    assert paragraphs[2] == (
        "Criteria: SEND self-evaluation audit (small_criteria, version 2). "
        "Last saved 20 November 2026 at 17:25."
    )


def test_export_criteria_mismatch(small_audit, small_criteria):
    small_audit.criteria.version = 1

    markdown = export_markdown(small_audit, small_criteria)

    assert "answered against small\\_criteria, version 1, shown with" in markdown


def test_export_action_plan(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    start = headings(tokens).index(("h2", "Action plan"))
    inline = [inline_text(t) for t in tokens if t.type == "inline"]
    plan = inline[inline.index("Action plan", start) :]
    assert plan[:15] == [
        "Action plan",
        "1. Culture, Leadership and Management",
        "Areas of strength",
        "SEND has a high profile.",
        "Areas for development",
        "SENCO release time.",
        "Recommended actions",
        "1. Review release time.\n2. Report to governors.",
        "2. High Quality Teaching",
        "Areas of strength",
        "Not answered",
        "Areas for development",
        "Not answered",
        "Recommended actions",
        "Not answered",
    ]


def test_export_kept_answers(small_audit, small_criteria):
    tokens = parse(export_markdown(small_audit, small_criteria))

    kept = "Answers kept from an older version of the criteria"
    assert row_texts(table_after(tokens, kept)) == [
        ["Context answer", "Answer"],
        ["old_question", "Kept"],
    ]
    assert row_texts(tables(tokens)[-1]) == [
        ["Aspect", "Rating", "Evaluation", "Next steps"],
        ["old_aspect", "Red", "Kept from version 1.", "Left blank"],
    ]


def test_export_no_kept_answers(small_audit, small_criteria):
    del small_audit.aspects["old_aspect"]
    del small_audit.context["old_question"]

    markdown = export_markdown(small_audit, small_criteria)

    assert "Answers kept" not in markdown
    assert markdown.endswith(
        "1\\. Maths for pupils with SEND.\\\n2\\. Link the Local Offer.\n"
    )


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=HOSTILE_IDS)
def test_export_hostile_comment_cell(small_audit, small_criteria, text):
    small_audit.aspects["governors_aware"].comment = text

    tokens = parse(export_markdown(small_audit, small_criteria))

    row = table_after(tokens, "1. Culture, Leadership and Management")[1]
    assert len(row) == 4
    assert inline_text(row[2]) == strip_lines(text)
    assert child_types(row[2]) <= {"text", "html_inline"}
    breaks = [c.content for c in row[2].children if c.type == "html_inline"]
    assert breaks == ["<br>"] * text.count("\n")


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=HOSTILE_IDS)
def test_export_hostile_narrative(small_audit, small_criteria, text):
    small_audit.context["trends"] = text

    tokens = parse(export_markdown(small_audit, small_criteria))

    start = headings(tokens).index(("h3", "Trends over time"))
    assert headings(tokens)[start + 1] == ("h2", "SEND documentation")
    index = next(
        i
        for i, token in enumerate(tokens)
        if token.type == "inline" and token.content == "Trends over time"
    )
    paragraph = tokens[index + 2 : index + 5]
    assert [t.type for t in paragraph] == [
        "paragraph_open",
        "inline",
        "paragraph_close",
    ]
    assert inline_text(paragraph[1]) == strip_lines(text)
    assert child_types(paragraph[1]) <= {"text", "hardbreak"}


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=HOSTILE_IDS)
def test_export_hostile_school(small_audit, small_criteria, text):
    small_audit.context["school"] = text

    tokens = parse(export_markdown(small_audit, small_criteria))

    assert tokens[0].tag == "h1"
    title = " ".join(text.split())
    assert inline_text(tokens[1]) == f"SEND self-evaluation audit: {title}"
    assert child_types(tokens[1]) == {"text"}


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=HOSTILE_IDS)
def test_escape_markdown_paragraph(text):
    tokens = parse(escape_markdown(text, in_table=False))

    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    assert inline_text(tokens[1]) == strip_lines(text)
    assert not child_types(tokens[1]) & MARKUP_TOKENS


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=HOSTILE_IDS)
def test_escape_markdown_table_cell(text):
    cell = escape_markdown(text, in_table=True)

    table = tables(parse(f"| A | B |\n| --- | --- |\n| {cell} | after |\n"))[0]

    assert "\n" not in cell
    assert row_texts(table)[1] == [strip_lines(text), "after"]
    assert child_types(table[1][0]) <= {"text", "html_inline"}


@pytest.mark.parametrize(
    ("text", "in_table", "expected"),
    [
        ("a|b", True, "a\\|b"),
        ("one\ntwo", True, "one<br>two"),
        ("one\ntwo", False, "one\\\ntwo"),
        ("one\n\n\ntwo", False, "one\n\ntwo"),
        ("<b>", False, "\\<b\\>"),
        ("\n  padded  \n", False, "padded"),
        ("   ", True, ""),
        ("\x1b[31m", False, "\ufffd\\[31m"),
        ("one\r\ntwo", True, "one<br>two"),
    ],
    ids=[
        "pipe",
        "cell-break",
        "hard-break",
        "paragraphs",
        "angle-brackets",
        "outer-blank-lines",
        "only-spaces",
        "control-code",
        "crlf",
    ],
)
def test_escape_markdown_output(text, in_table, expected):
    assert escape_markdown(text, in_table) == expected


def test_export_blank_line_paragraphs(small_audit, small_criteria):
    small_audit.context["trends"] = "First paragraph.\n\nSecond paragraph."

    tokens = parse(export_markdown(small_audit, small_criteria))

    paragraphs = [inline_text(t) for t in tokens if t.type == "inline"]
    start = paragraphs.index("Trends over time")
    assert paragraphs[start + 1 : start + 3] == [
        "First paragraph.",
        "Second paragraph.",
    ]


def test_export_example_complete(example_audit: Audit, shipped_criteria):
    tokens = parse(export_markdown(example_audit, shipped_criteria))

    rows = {}
    for section in shipped_criteria.sections:
        table = table_after(tokens, f"{section.number}. {section.title}")
        assert len(table) == len(section.aspects) + 1
        rows.update(
            {
                aspect.id: row
                for aspect, row in zip(
                    section.aspects, row_texts(table)[1:], strict=True
                )
            }
        )
    for aspect_id, answer in example_audit.aspects.items():
        assert rows[aspect_id][1] == answer.rating.capitalize()
        assert rows[aspect_id][2] == answer.comment
        assert rows[aspect_id][3] == answer.next_steps
    assert "Not answered" not in export_markdown(example_audit, shipped_criteria)


def test_export_ends_with_newline(small_audit, small_criteria):
    markdown = export_markdown(small_audit, small_criteria)

    assert markdown.endswith("\n")
    assert not markdown.endswith("\n\n")


def test_export_kept_compliance_and_plan(small_audit, small_criteria):
    small_audit.compliance["old_item"] = ComplianceAnswer(compliant="N", note="Old")
    small_audit.action_plans["old_section"] = ActionPlan(strengths="Kept strengths")

    found = tables(parse(export_markdown(small_audit, small_criteria)))

    assert row_texts(found[-2]) == [
        ["Aspect", "Rating", "Evaluation", "Next steps"],
        ["old_aspect", "Red", "Kept from version 1.", "Left blank"],
    ]
    assert row_texts(found[-3]) == [
        ["Compliance item", "Compliant", "Note"],
        ["old_item", "No", "Old"],
    ]
    assert row_texts(found[-1]) == [
        [
            "Action plan of section",
            "Areas of strength",
            "Areas for development",
            "Recommended actions",
        ],
        ["old_section", "Kept strengths", "Not answered", "Not answered"],
    ]
