import io
import re

import pytest
from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console

from send_audit.audit import ActionPlan, AspectAnswer, Audit, ComplianceAnswer
from send_audit.criteria import Criteria
from send_audit.summary import render_summary
from send_audit.theme import THEME

# The small audit printed at 80 columns, with each line's trailing spaces removed.
SMALL_AUDIT_AT_80 = """\
╭──────────────────────────────────────────────────────────────────────────────╮
│ SEND self-evaluation audit                                                   │
│                                                                              │
│ School         Oakfield Primary School                                       │
│ SENDCo         Ms Claire Hollins                                             │
│ Date of audit  Not answered                                                  │
│ Progress       13 of 17 answered                                             │
│ Criteria       SEND self-evaluation audit (small_criteria, version 2)        │
│ Last saved     20 November 2026 at 17:25                                     │
╰──────────────────────────────────────────────────────────────────────────────╯

SEND profile
────────────────────────────────────────────────────────────────────────────────

 Figure                                           Value
────────────────────────────────────────────────────────────────────────────────
 Number on roll                                   412
 SEND register                                    58
 SEN Support                                      51
 EHC plans                                        6
 Attendance                                       95.3%
 % on SEND register                               14.1% of all pupils on roll

Warning: SEN Support plus EHC plans must equal the register: SEN Support + EHC
plans = 57, which does not equal SEND register = 58.

Narratives
────────────────────────────────────────────────────────────────────────────────
SEND contextual grid
No grid yet: import a census extract with send-audit import-census CSV AUDIT, or
type it with send-audit grid AUDIT.

National comparison
Give the year of the January census these figures come from to compare them with
national figures.

Trends over time
  The register grew from 47 to 58.
  Most new needs are in Reception.

SEND documentation
────────────────────────────────────────────────────────────────────────────────

 Requirement                  Compliant      Note
────────────────────────────────────────────────────────────────────────────────
 SEN information report       Yes            Updated September 2026.
 Local Offer                  Not answered

Ratings by section
────────────────────────────────────────────────────────────────────────────────

 Section                                        Red   Amber   Green   Not rated
────────────────────────────────────────────────────────────────────────────────
 1. Culture, Leadership and Management            0       1       1           0
 2. High Quality Teaching                         0       0       0           1

 All sections                                     0       1       1           1

1. Culture, Leadership and Management
────────────────────────────────────────────────────────────────────────────────

1.1  All governors are aware of their statutory duties.
     Rating      Green
     Evaluation  Seven of the eleven governors have had SEND training.
     Next steps  Train the four new governors in the spring term.

1.2  The SENCO is given time and resources for the role.
     Rating      Amber
     Evaluation  Two days a week out of class.
     Next steps  Not answered

2. High Quality Teaching
────────────────────────────────────────────────────────────────────────────────

2.1  Quality first teaching is the first response.
     Rating      Not rated
     Evaluation  Not answered
     Next steps  Not answered

Action plan
────────────────────────────────────────────────────────────────────────────────

1. Culture, Leadership and Management
  Areas of strength
    SEND has a high profile.
  Areas for development
    SENCO release time.
  Recommended actions
    1. Review release time.
    2. Report to governors.

2. High Quality Teaching
  Areas of strength
    Not answered
  Areas for development
    Not answered
  Recommended actions
    Not answered

Summary of recommended priorities
────────────────────────────────────────────────────────────────────────────────

  1. Maths for pupils with SEND.
  2. Link the Local Offer.

Answers kept from an older version of the criteria
────────────────────────────────────────────────────────────────────────────────

These answers are stored under ids that small_criteria version 2 no longer has.
They stay in the audit file.

Context answer old_question
  Answer  Kept

Aspect old_aspect
  Rating      Red
  Evaluation  Kept from version 1.
  Next steps  Left blank
"""

SMALL_AUDIT_AT_60 = """\
╭──────────────────────────────────────────────────────────╮
│ SEND self-evaluation audit                               │
│                                                          │
│ School         Oakfield Primary School                   │
│ SENDCo         Ms Claire Hollins                         │
│ Date of audit  Not answered                              │
│ Progress       13 of 17 answered                         │
│ Criteria       SEND self-evaluation audit                │
│                (small_criteria, version 2)               │
│ Last saved     20 November 2026 at 17:25                 │
╰──────────────────────────────────────────────────────────╯

SEND profile
────────────────────────────────────────────────────────────

 Figure                               Value
────────────────────────────────────────────────────────────
 Number on roll                       412
 SEND register                        58
 SEN Support                          51
 EHC plans                            6
 Attendance                           95.3%
 % on SEND register                   14.1% of all pupils
                                      on roll

Warning: SEN Support plus EHC plans must equal the register:
SEN Support + EHC plans = 57, which does not equal SEND
register = 58.

Narratives
────────────────────────────────────────────────────────────
SEND contextual grid
No grid yet: import a census extract with send-audit
import-census CSV AUDIT, or type it with send-audit grid
AUDIT.

National comparison
Give the year of the January census these figures come from
to compare them with national figures.

Trends over time
  The register grew from 47 to 58.
  Most new needs are in Reception.

SEND documentation
────────────────────────────────────────────────────────────

 Requirement         Compliant      Note
────────────────────────────────────────────────────────────
 SEN information     Yes            Updated September 2026.
 report
 Local Offer         Not answered

Ratings by section
────────────────────────────────────────────────────────────

 Section                    Red   Amber   Green   Not rated
────────────────────────────────────────────────────────────
 1. Culture, Leadership       0       1       1           0
 and Management
 2. High Quality Teaching     0       0       0           1

 All sections                 0       1       1           1

1. Culture, Leadership and Management
────────────────────────────────────────────────────────────

1.1  All governors are aware of their statutory duties.
     Rating      Green
     Evaluation  Seven of the eleven governors have had SEND
                 training.
     Next steps  Train the four new governors in the spring
                 term.

1.2  The SENCO is given time and resources for the role.
     Rating      Amber
     Evaluation  Two days a week out of class.
     Next steps  Not answered

2. High Quality Teaching
────────────────────────────────────────────────────────────

2.1  Quality first teaching is the first response.
     Rating      Not rated
     Evaluation  Not answered
     Next steps  Not answered

Action plan
────────────────────────────────────────────────────────────

1. Culture, Leadership and Management
  Areas of strength
    SEND has a high profile.
  Areas for development
    SENCO release time.
  Recommended actions
    1. Review release time.
    2. Report to governors.

2. High Quality Teaching
  Areas of strength
    Not answered
  Areas for development
    Not answered
  Recommended actions
    Not answered

Summary of recommended priorities
────────────────────────────────────────────────────────────

  1. Maths for pupils with SEND.
  2. Link the Local Offer.

Answers kept from an older version of the criteria
────────────────────────────────────────────────────────────

These answers are stored under ids that small_criteria
version 2 no longer has. They stay in the audit file.

Context answer old_question
  Answer  Kept

Aspect old_aspect
  Rating      Red
  Evaluation  Kept from version 1.
  Next steps  Left blank
"""

# Text a SENCo might type that rich would otherwise read as markup, emoji or HTML.
HOSTILE_TEXTS = [
    'Pupils said "it\'s [bold]great[/bold]" | see [1], [/x] and :smile:',
    "<script>alert(1)</script>",
    "Ysgol Gymraeg Llanfair ŵ ŷ",
    "Rainbow group 🌈 started",
    "学校 partnership",
]
HOSTILE_IDS = ["markup", "html", "welsh", "emoji", "cjk"]


def render(audit: Audit, criteria: Criteria, width: int) -> str:
    """Render the summary without colour and strip each line's trailing spaces."""
    file = io.StringIO()
    console = Console(
        file=file,
        width=width,
        color_system=None,
        theme=THEME,
        markup=False,
        emoji=False,
        highlight=False,
    )
    render_summary(audit, criteria, console)

    return plain_lines(file.getvalue())


@pytest.mark.parametrize(
    ("width", "expected"),
    [(80, SMALL_AUDIT_AT_80), (60, SMALL_AUDIT_AT_60)],
    ids=["width-80", "width-60"],
)
def test_summary_whole_text(small_audit, small_criteria, width, expected):
    assert render(small_audit, small_criteria, width) == expected


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=HOSTILE_IDS)
def test_summary_prints_hostile_comment(small_audit, small_criteria, text):
    small_audit.aspects["governors_aware"].comment = text

    output = render(small_audit, small_criteria, 200)

    assert f"Evaluation  {text}\n" in output


@pytest.mark.parametrize("text", HOSTILE_TEXTS, ids=HOSTILE_IDS)
def test_summary_prints_hostile_school(small_audit, small_criteria, text):
    small_audit.context["school"] = text

    output = render(small_audit, small_criteria, 200)

    assert f"│ School         {text} " in output


def test_summary_keeps_line_breaks(small_audit, small_criteria):
    small_audit.aspects["governors_aware"].comment = "First line\nSecond\nThird"

    output = render(small_audit, small_criteria, 80)

    expected = (
        "     Evaluation  First line\n                 Second\n                 Third\n"
    )
    assert expected in output


def test_summary_replaces_control_codes(small_audit, small_criteria):
    small_audit.aspects["governors_aware"].comment = "\x1b[31mRed\x07"

    output = render(small_audit, small_criteria, 80)

    assert "\x1b" not in output
    assert "Evaluation  \ufffd[31mRed\ufffd\n" in output


def plain_lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.split("\n"))


@pytest.mark.parametrize(
    "environment",
    [{}, {"NO_COLOR": "1"}, {"TERM": "dumb"}],
    ids=["plain", "no-color", "term-dumb"],
)
def test_summary_file_has_no_escapes(
    small_audit, small_criteria, monkeypatch, environment
):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    file = io.StringIO()
    console = Console(file=file, width=80, theme=THEME, markup=False, emoji=False)

    render_summary(small_audit, small_criteria, console)

    assert "\x1b" not in file.getvalue()
    assert plain_lines(file.getvalue()) == SMALL_AUDIT_AT_80


def test_summary_terminal_term_dumb(small_audit, small_criteria, monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    file = io.StringIO()
    console = Console(file=file, width=80, theme=THEME, force_terminal=True)

    render_summary(small_audit, small_criteria, console)

    assert "\x1b" not in file.getvalue()
    assert plain_lines(file.getvalue()) == SMALL_AUDIT_AT_80


def test_summary_terminal_no_color(small_audit, small_criteria, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    file = io.StringIO()
    console = Console(file=file, width=80, theme=THEME, force_terminal=True)

    render_summary(small_audit, small_criteria, console)

    codes = set(re.findall(r"\x1b\[([0-9;]*)m", file.getvalue()))
    # Bold, dim, italic and reset only: NO_COLOR removes every colour.
    assert codes <= {"0", "1", "2", "3", "1;3"}
    assert plain_lines(re.sub(r"\x1b\[[0-9;]*m", "", file.getvalue())) == (
        SMALL_AUDIT_AT_80
    )


@pytest.mark.parametrize(
    ("rating", "word"),
    [("red", "Red"), ("amber", "Amber"), ("green", "Green")],
    ids=["red", "amber", "green"],
)
def test_summary_rating_style(small_audit, small_criteria, rating, word):
    small_audit.aspects["governors_aware"].rating = rating
    file = io.StringIO()
    console = Console(
        file=file, width=80, theme=THEME, force_terminal=True, color_system="standard"
    )

    render_summary(small_audit, small_criteria, console)

    style = THEME.styles[f"rating.{rating}"]
    expected = style.render(word, color_system=ColorSystem.STANDARD)
    assert f"Rating      {expected}" in file.getvalue()


@pytest.mark.parametrize("width", [80, 60], ids=["width-80", "width-60"])
def test_summary_example_fits_width(example_audit, shipped_criteria, width):
    output = render(example_audit, shipped_criteria, width)

    too_wide = [line for line in output.split("\n") if cell_len(line) > width]
    assert too_wide == []
    assert "…" not in output


@pytest.mark.parametrize("width", [80, 60], ids=["width-80", "width-60"])
def test_summary_example_wraps_whole_text(example_audit, shipped_criteria, width):
    flattened = " ".join(render(example_audit, shipped_criteria, width).split())

    for aspect_id, (_, aspect) in shipped_criteria.aspects.items():
        answer = example_audit.aspects[aspect_id]
        assert " ".join(aspect.text.split()) in flattened
        assert f"Evaluation {' '.join(answer.comment.split())}" in flattened
        assert f"Next steps {' '.join(answer.next_steps.split())}" in flattened


def test_summary_shows_kept_aspect(small_audit, small_criteria):
    output = render(small_audit, small_criteria, 80)

    kept = output.split("Answers kept from an older version of the criteria\n")[1]
    assert "Aspect old_aspect\n  Rating      Red\n" in kept
    assert "Evaluation  Kept from version 1." in kept


def test_summary_no_kept_block(small_audit, small_criteria):
    del small_audit.aspects["old_aspect"]
    del small_audit.context["old_question"]

    output = render(small_audit, small_criteria, 80)

    assert "Answers kept" not in output
    assert output.endswith("  2. Link the Local Offer.\n")


def test_summary_unrated_aspect(small_audit, small_criteria):
    small_audit.aspects["senco_time"] = AspectAnswer()

    output = render(small_audit, small_criteria, 80)

    expected = (
        "1.2  The SENCO is given time and resources for the role.\n"
        "     Rating      Not rated\n"
        "     Evaluation  Not answered\n"
        "     Next steps  Not answered\n"
    )
    assert expected in output


def test_summary_kept_compliance_and_plan(small_audit, small_criteria):
    small_audit.compliance["old_item"] = ComplianceAnswer(compliant="N", note="Old")
    small_audit.action_plans["old_section"] = ActionPlan(strengths="Kept strengths")

    output = render(small_audit, small_criteria, 80)

    kept = output.split("Answers kept from an older version of the criteria\n")[1]
    assert "Compliance item old_item\n  Compliant  No\n  Note       Old\n" in kept
    assert (
        "Action plan of section old_section\n"
        "  Areas of strength      Kept strengths\n"
        "  Areas for development  Not answered\n"
        "  Recommended actions    Not answered\n"
    ) in kept


def test_summary_context_left_blank(small_audit, small_criteria):
    small_audit.context["senco"] = "  "

    output = render(small_audit, small_criteria, 80)

    assert "│ SENDCo         Left blank " in output
