"""The interview in-process: real questionary prompts fed keys through a pipe."""

import contextlib
import io
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from keys import (
    CTRL_C,
    CTRL_D,
    DECLINE_CENSUS,
    DOWN,
    ENTER,
    FINISH,
    PASTE_END,
    PASTE_START,
    RATING_TITLES,
    AuditAnswers,
    audit_keys,
    choice_keys,
    context_keys,
    long_text_keys,
    piped_keys,
    text_keys,
)

from send_audit import prompts, session
from send_audit.audit import (
    ActionPlan,
    AspectAnswer,
    Audit,
    ComplianceAnswer,
    new_audit,
)
from send_audit.checks import AnswerError, parse_answer
from send_audit.criteria import Criteria, load_criteria
from send_audit.drafts import draft_action_plan
from send_audit.errors import SendAuditError
from send_audit.figures import broken_rules
from send_audit.interview import (
    Interrupted,
    Session,
    ask_step,
    interrupt_safely,
    run_new,
    run_steps,
)
from send_audit.steps import build_steps, first_unanswered
from send_audit.storage import audit_path_for, load_audit, save_audit
from send_audit.theme import make_console

pytestmark = pytest.mark.timeout(60)

# What the SENCo types for each context question, and what the audit stores.
CONTEXT_TYPED = {
    "school": "Oakfield Primary School",
    "senco": "Sam Patel",
    "headteacher": "Alex Morgan",
    "date_of_audit": "04/12/2026",
    "census_year": "2025",
    "number_on_roll": "1,200",
    "boys_on_roll": "610",
    "send_register": "64",
    "sen_support": "52",
    "ehc_plans": "12",
    "boys_on_send_register": "40",
    "disadvantaged_on_roll": "120",
    "disadvantaged_with_send": "30",
    "cla_plac_on_roll": "6",
    "cla_plac_with_send": "3",
    "attendance_total": "95.5",
    "attendance_send": "92.1%",
    "attendance_ehcp": "90",
    "suspensions_total": "14",
    "suspensions_send": "9",
    "permanent_exclusions_total": "1",
    "permanent_exclusions_send": "0",
    "send_profile_summary": "Year 4 has the most pupils with SEND.\nMost are boys.",
    "trends_over_time": "The register grew from 47 to 64 in three years.",
    "local_context": "High deprivation; the nearest CAMHS clinic is 20 miles away.",
}
CONTEXT_STORED = {
    "school": "Oakfield Primary School",
    "senco": "Sam Patel",
    "headteacher": "Alex Morgan",
    "date_of_audit": "2026-12-04",
    "census_year": "2025",
    "number_on_roll": 1200,
    "boys_on_roll": 610,
    "send_register": 64,
    "sen_support": 52,
    "ehc_plans": 12,
    "boys_on_send_register": 40,
    "disadvantaged_on_roll": 120,
    "disadvantaged_with_send": 30,
    "cla_plac_on_roll": 6,
    "cla_plac_with_send": 3,
    "attendance_total": 95.5,
    "attendance_send": 92.1,
    "attendance_ehcp": 90,
    "suspensions_total": 14,
    "suspensions_send": 9,
    "permanent_exclusions_total": 1,
    "permanent_exclusions_send": 0,
    "send_profile_summary": "Year 4 has the most pupils with SEND.\nMost are boys.",
    "trends_over_time": "The register grew from 47 to 64 in three years.",
    "local_context": "High deprivation; the nearest CAMHS clinic is 20 miles away.",
}

# Typed Y/N answers of the compliance items in order, and what each stores.
COMPLIANCE_TYPED = ("y", "Yes", "N", "no", "Y")
COMPLIANCE_STORED = ("Y", "Y", "N", "N", "Y")

# Ratings given to the aspects in turn, so that every section gets several.
RATING_CYCLE = ("red", "amber", "green")

# The aspect whose comment is typed on three lines in the whole audit.
MULTILINE_ASPECT = "governors_aware_of_duties"


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    return load_criteria()


@pytest.fixture
def terminal(monkeypatch):
    """Make the session layer believe standard input is a terminal."""
    monkeypatch.setattr(session, "stdin_is_terminal", lambda: True)


def only_audit_file(folder: Path) -> Path:
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 1, files

    return files[0]


def aspect_ids(criteria: Criteria) -> list[str]:
    return [a.id for s in criteria.sections for a in s.aspects]


def rating_of(criteria: Criteria, aspect_id: str) -> str:
    return RATING_CYCLE[aspect_ids(criteria).index(aspect_id) % len(RATING_CYCLE)]


def comment_of(aspect_id: str) -> str:
    if aspect_id == MULTILINE_ASPECT:
        return "Seven governors trained.\nFour still to go.\nMinutes show it."
    return f"Comment on {aspect_id}"


def next_steps_of(aspect_id: str) -> str:
    return f"Next steps for {aspect_id}"


def whole_audit_answers(criteria: Criteria) -> AuditAnswers:
    items = [item.id for item in criteria.compliance.items]

    def compliance(item):
        index = items.index(item.id)
        return COMPLIANCE_TYPED[index], f"Evidence for {item.title}"

    def aspect(aspect_id):
        title = rating_of(criteria, aspect_id).capitalize()
        return title, comment_of(aspect_id), next_steps_of(aspect_id)

    return AuditAnswers(CONTEXT_TYPED, compliance, aspect)


def complete_audit(criteria: Criteria) -> Audit:
    """Build an audit with every question answered, as the whole audit saves it."""
    audit = Audit(
        criteria={"id": criteria.manifest.id, "version": criteria.manifest.version},
        created="2026-12-04T09:00:00+00:00",
        updated="2026-12-04T09:00:00+00:00",
    )
    audit.context = dict(CONTEXT_STORED)
    for item in criteria.compliance.items:
        audit.compliance[item.id] = ComplianceAnswer(compliant="Y", note=item.title)
    for aspect_id in aspect_ids(criteria):
        audit.aspects[aspect_id] = AspectAnswer(
            rating=rating_of(criteria, aspect_id),
            comment=comment_of(aspect_id),
            next_steps=next_steps_of(aspect_id),
        )
    for section in criteria.sections:
        audit.action_plans[section.id] = ActionPlan(
            strengths="Strong", development="Weak", actions="Act"
        )
    audit.priorities = "1. Act."

    return audit


def audit_up_to(criteria: Criteria, aspects_done: int) -> Audit:
    """Build an audit answered up to and including the first `aspects_done` aspects."""
    audit = complete_audit(criteria)
    for aspect_id in aspect_ids(criteria)[aspects_done:]:
        del audit.aspects[aspect_id]
    audit.action_plans = {}
    audit.priorities = None

    return audit


def saved(audit: Audit, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    save_audit(audit, path)

    return path


def make_session(criteria: Criteria, audit: Audit, path: Path) -> Session:
    return Session(criteria=criteria, audit=audit, console=make_console(), path=path)


def step_for(criteria: Criteria, *key: str):
    return next(step for step in build_steps(criteria) if step.key == key)


def resume_command(path: Path) -> str:
    return f"  send-audit resume {shlex.quote(str(path))}"


def expected_plan(criteria: Criteria, section) -> dict[str, str]:
    """The draft the interview offers: Green as strengths, the rest to develop."""
    strengths, development, actions = [], [], []
    for aspect in section.aspects:
        rating = rating_of(criteria, aspect.id)
        if rating == "green":
            strengths.append(f"- {aspect.text}")
        else:
            development.append(f"- {aspect.text} ({rating.capitalize()})")
            actions.append(f"- {next_steps_of(aspect.id)}")

    return {
        "strengths": "\n".join(strengths),
        "development": "\n".join(development),
        "actions": "\n".join(actions),
    }


def expected_priorities(criteria: Criteria) -> str:
    """The draft priorities: the next steps of every Red aspect, by section."""
    lines = [
        f"- {section.title}: {next_steps_of(aspect.id)}"
        for section in criteria.sections
        for aspect in section.aspects
        if rating_of(criteria, aspect.id) == "red"
    ]

    return "\n".join(lines)


# A whole audit.


@dataclass(frozen=True)
class WholeAudit:
    status: int
    path: Path
    output: str


@pytest.fixture(scope="module")
def whole_audit(criteria, tmp_path_factory) -> WholeAudit:
    """Answer a whole new audit once; the tests below check what it saved."""
    audits = tmp_path_factory.mktemp("whole") / "audits"
    keys = audit_keys(criteria, whole_audit_answers(criteria))
    output = io.StringIO()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(session, "stdin_is_terminal", lambda: True)
        with piped_keys(keys), contextlib.redirect_stdout(output):
            status = session.start_new(criteria, audits, None, "")

    return WholeAudit(status, only_audit_file(audits), output.getvalue())


def test_whole_audit_completes(criteria, whole_audit):
    assert whole_audit.status == 0
    assert "The audit is complete" in whole_audit.output
    audit = load_audit(whole_audit.path)
    assert first_unanswered(build_steps(criteria), audit) is None


def test_whole_audit_saves_context(whole_audit):
    audit = load_audit(whole_audit.path)

    assert audit.context == CONTEXT_STORED
    assert not any(key.startswith("pct_") for key in audit.context)


def test_whole_audit_saves_compliance(criteria, whole_audit):
    audit = load_audit(whole_audit.path)

    for item, stored in zip(criteria.compliance.items, COMPLIANCE_STORED, strict=True):
        assert audit.compliance[item.id].compliant == stored, item.id
        assert audit.compliance[item.id].note == f"Evidence for {item.title}"


def test_whole_audit_saves_every_aspect(criteria, whole_audit):
    audit = load_audit(whole_audit.path)

    assert set(audit.aspects) == set(aspect_ids(criteria))
    for aspect_id in aspect_ids(criteria):
        answer = audit.aspects[aspect_id]
        assert answer.rating == rating_of(criteria, aspect_id), aspect_id
        assert answer.comment == comment_of(aspect_id), aspect_id
        assert answer.next_steps == next_steps_of(aspect_id), aspect_id


def test_whole_audit_accepts_plan_drafts(criteria, whole_audit):
    audit = load_audit(whole_audit.path)

    assert set(audit.action_plans) == {section.id for section in criteria.sections}
    for section in criteria.sections:
        plan = audit.action_plans[section.id]
        expected = expected_plan(criteria, section)
        assert plan.strengths == expected["strengths"], section.id
        assert plan.development == expected["development"], section.id
        assert plan.actions == expected["actions"], section.id


def test_whole_audit_keeps_priorities_draft(criteria, whole_audit):
    audit = load_audit(whole_audit.path)

    assert audit.priorities == expected_priorities(criteria)
    assert audit.priorities.count("\n") >= 2


# Answers that are not allowed.


def test_number_on_roll_asked_again(criteria, tmp_path):
    audit = complete_audit(criteria)
    del audit.context["number_on_roll"]
    path = saved(audit, tmp_path / "audit.yaml")
    keys = "lots" + ENTER + text_keys("-5") + text_keys("12.5") + text_keys("1,200")

    with piped_keys(keys):
        ask_step(
            make_session(criteria, audit, path),
            step_for(criteria, "context", "number_on_roll"),
            revisit=False,
        )

    assert audit.context["number_on_roll"] == 1200


def test_count_with_spaces_accepted(criteria, tmp_path):
    audit = complete_audit(criteria)
    del audit.context["number_on_roll"]
    path = saved(audit, tmp_path / "audit.yaml")

    with piped_keys(" 1200 " + ENTER):
        ask_step(
            make_session(criteria, audit, path),
            step_for(criteria, "context", "number_on_roll"),
            revisit=False,
        )

    assert audit.context["number_on_roll"] == 1200


def test_percentage_over_100_asked_again(criteria, tmp_path):
    audit = complete_audit(criteria)
    del audit.context["attendance_total"]
    path = saved(audit, tmp_path / "audit.yaml")

    with piped_keys("101" + ENTER + text_keys("95.5")):
        ask_step(
            make_session(criteria, audit, path),
            step_for(criteria, "context", "attendance_total"),
            revisit=False,
        )

    assert audit.context["attendance_total"] == 95.5


def test_impossible_date_asked_again(criteria, tmp_path):
    audit = complete_audit(criteria)
    del audit.context["date_of_audit"]
    path = saved(audit, tmp_path / "audit.yaml")

    with piped_keys(text_keys("31/02/2026") + text_keys("28/02/2026")):
        ask_step(
            make_session(criteria, audit, path),
            step_for(criteria, "context", "date_of_audit"),
            revisit=False,
        )

    assert audit.context["date_of_audit"] == "2026-02-28"


@pytest.mark.parametrize(
    ("question_id", "typed", "reason"),
    [
        ("number_on_roll", "lots", "whole number of 0 or more"),
        ("number_on_roll", "-5", "whole number of 0 or more"),
        ("number_on_roll", "12.5", "whole number of 0 or more"),
        ("attendance_total", "101", "from 0 to 100"),
        ("date_of_audit", "31/02/2026", "not a day of the calendar"),
    ],
    ids=["word", "negative", "fraction", "percentage-over-100", "31-february"],
)
def test_rejection_message_names_allowed_values(criteria, question_id, typed, reason):
    question = criteria.context.questions[question_id]

    with pytest.raises(AnswerError) as rejected:
        parse_answer(question, typed)

    assert repr(typed) in str(rejected.value)
    assert reason in str(rejected.value)


# Figures that do not add up.

HEADER_KEYS = "".join(
    text_keys(value)
    for value in ("Oakfield Primary School", "Sam Patel", "Alex Morgan", "04/12/2026")
)


def profile_keys(criteria: Criteria, **typed: str) -> str:
    """Return the keys that decline the census import, then type the figures."""
    questions = criteria.context.questions
    figures = "".join(
        context_keys(questions[qid], value) for qid, value in typed.items()
    )

    return DECLINE_CENSUS + figures


MISMATCH_KEYS = dict(
    census_year="2025",
    number_on_roll="1200",
    boys_on_roll="600",
    send_register="50",
    sen_support="40",
    ehc_plans="12",
)

# The choices of "Which figure needs correcting?", in the order shown.
MISMATCH_CHOICES = ("sen_support", "ehc_plans", "send_register")


@pytest.mark.parametrize(
    ("corrected", "value"),
    [("sen_support", 38), ("ehc_plans", 10), ("send_register", 52)],
    ids=["sen-support", "ehc-plans", "send-register"],
)
def test_mismatch_asks_for_correction(
    criteria, terminal, audits, capsys, corrected, value
):
    choice = DOWN * MISMATCH_CHOICES.index(corrected) + ENTER
    keys = (
        HEADER_KEYS
        + profile_keys(criteria, **MISMATCH_KEYS)
        + choice
        + text_keys(str(value))
        + CTRL_C
    )

    with piped_keys(keys):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    # rich wraps the message at the console width.
    out = " ".join(capsys.readouterr().out.split())
    assert (
        "SEN Support plus EHC plans must equal the number on the SEND register" in out
    )
    assert "= 52, which does not equal Number on SEND register = 50" in out
    audit = load_audit(only_audit_file(audits))
    expected = {"sen_support": 40, "ehc_plans": 12, "send_register": 50}
    expected[corrected] = value
    for question_id, count in expected.items():
        assert audit.context[question_id] == count, question_id
    assert broken_rules(criteria.context, audit.context) == []


def test_mismatch_left_unfixed_asked_on_resume(criteria, terminal, audits):
    stop_at_correction = HEADER_KEYS + profile_keys(criteria, **MISMATCH_KEYS) + CTRL_C
    with piped_keys(stop_at_correction):
        assert session.start_new(criteria, audits, None, "") == 130
    path = only_audit_file(audits)
    fix_register = DOWN * 2 + ENTER + text_keys("52")
    save_and_quit = DOWN * 2 + ENTER

    with piped_keys(fix_register + save_and_quit):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 0
    audit = load_audit(path)
    assert audit.context["send_register"] == 52
    assert broken_rules(criteria.context, audit.context) == []


def test_mismatch_left_for_later(criteria, terminal, audits):
    leave = DOWN * len(MISMATCH_CHOICES) + ENTER
    next_question = "40" + ENTER  # boys on the SEND register
    keys = HEADER_KEYS + profile_keys(criteria, **MISMATCH_KEYS) + leave
    keys += next_question + CTRL_C

    with piped_keys(keys):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    audit = load_audit(only_audit_file(audits))
    assert audit.context["send_register"] == 50
    assert audit.context["boys_on_send_register"] == 40
    assert len(broken_rules(criteria.context, audit.context)) == 1


# Ctrl-C, Ctrl-D and resuming.


@pytest.mark.parametrize("stop_key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_stop_at_third_question_saves(criteria, terminal, audits, capsys, stop_key):
    keys = text_keys("Oakfield Primary School") + text_keys("Sam Patel") + stop_key

    with piped_keys(keys):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    path = only_audit_file(audits)
    audit = load_audit(path)
    assert audit.context == {"school": "Oakfield Primary School", "senco": "Sam Patel"}
    assert resume_command(path) in capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("stop_key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_resume_starts_at_third_question(criteria, terminal, audits, stop_key):
    keys = text_keys("Oakfield Primary School") + text_keys("Sam Patel") + stop_key
    with piped_keys(keys):
        session.start_new(criteria, audits, None, "")
    path = only_audit_file(audits)
    continue_keys = ENTER + text_keys("Alex Morgan") + CTRL_C

    with piped_keys(continue_keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    assert load_audit(path).context == {
        "school": "Oakfield Primary School",
        "senco": "Sam Patel",
        "headteacher": "Alex Morgan",
    }


@pytest.mark.parametrize("stop_key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_stop_at_select_prompt_saves(criteria, terminal, audits, stop_key):
    # Enter after the stop key would answer the census year if the key were ignored.
    keys = HEADER_KEYS + DECLINE_CENSUS + stop_key + ENTER

    with piped_keys(keys):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    audit = load_audit(only_audit_file(audits))
    assert audit.context["date_of_audit"] == "2026-12-04"
    assert "census_year" not in audit.context


@pytest.mark.parametrize("stop_key", [CTRL_C, CTRL_D], ids=["ctrl-c", "ctrl-d"])
def test_stop_at_draft_confirm_saves(criteria, tmp_path, stop_key):
    audit = audit_up_to(criteria, len(aspect_ids(criteria)))
    path = saved(audit, tmp_path / "audit.yaml")
    interview = make_session(criteria, audit, path)

    with piped_keys(stop_key + ENTER):
        with pytest.raises(Interrupted) as stopped:
            run_new(interview)

    assert stopped.value.path == path
    plan = load_audit(path).action_plans.get(criteria.sections[0].id, ActionPlan())
    assert plan == ActionPlan()


def test_interrupted_before_school_saves_nothing(criteria, terminal, audits, capsys):
    with piped_keys(CTRL_C):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    assert not audits.exists() or not any(audits.iterdir())
    assert "Nothing was saved" in capsys.readouterr().err


def test_resume_continues_after_five_aspects(criteria, terminal, tmp_path):
    audit = audit_up_to(criteria, 5)
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    sixth, seventh = aspect_ids(criteria)[5:7]
    keys = (
        ENTER  # Continue
        + choice_keys(RATING_TITLES, "Green")
        + long_text_keys("c6")
        + long_text_keys("n6")
        + CTRL_C
    )

    with piped_keys(keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    resumed = load_audit(path)
    assert resumed.aspects[sixth] == AspectAnswer(
        rating="green", comment="c6", next_steps="n6"
    )
    assert resumed.aspects.get(seventh, AspectAnswer()).rating is None
    for aspect_id in aspect_ids(criteria)[:5]:
        assert resumed.aspects[aspect_id] == audit.aspects[aspect_id], aspect_id


def test_resume_continues_at_comment(criteria, terminal, tmp_path):
    audit = audit_up_to(criteria, 6)
    sixth = aspect_ids(criteria)[5]
    audit.aspects[sixth].comment = None
    audit.aspects[sixth].next_steps = None
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")

    with piped_keys(ENTER + long_text_keys("c6") + CTRL_C):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    answer = load_audit(path).aspects[sixth]
    assert answer.rating == rating_of(criteria, sixth)
    assert answer.comment == "c6"
    assert answer.next_steps is None


def test_resume_asks_invalid_census_year(criteria, terminal, tmp_path):
    # A year the criteria no longer offer is asked again, though the question
    # opens its group.
    audit = audit_up_to(criteria, 0)
    audit.context["census_year"] = "2019"
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    # The saved year is not a choice, so the prompt opens at the first one.
    pick = choice_keys(criteria.context.questions["census_year"].choices, "2025")

    with piped_keys(ENTER + pick + CTRL_C):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    assert load_audit(path).context["census_year"] == "2025"


def test_correction_checks_other_rules(criteria, terminal, tmp_path):
    # SEN Support 20 with 12 EHC plans makes the register 32, fewer than the 40 boys
    # on it, so correcting the register breaks a rule SEN Support is not in.
    path = saved(complete_audit(criteria), tmp_path / "audits" / "oakfield.yaml")
    questions = list(criteria.context.questions)
    keys = (
        ENTER  # Go to a part and change an answer
        + ENTER  # School context and SEND profile
        + DOWN * questions.index("sen_support")
        + ENTER
        + text_keys("20")
        + DOWN * MISMATCH_CHOICES.index("send_register")
        + ENTER
        + text_keys("32")
        + ENTER  # Number of boys on the SEND register needs correcting
        + text_keys("20")
        + DOWN * len(questions)
        + ENTER  # Back
        + DOWN
        + ENTER  # Save and quit
    )

    with piped_keys(keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 0
    audit = load_audit(path)
    assert audit.context["sen_support"] == 20
    assert audit.context["send_register"] == 32
    assert audit.context["boys_on_send_register"] == 20
    assert broken_rules(criteria.context, audit.context) == []
    assert audit.context["school"] == CONTEXT_STORED["school"]


# Changing an answer through the review menu.


def test_review_menu_changes_one_answer(criteria, terminal, tmp_path):
    original = complete_audit(criteria)
    path = saved(original, tmp_path / "audits" / "oakfield.yaml")
    items = [item.id for item in criteria.compliance.items]
    third = items[2]
    keys = (
        ENTER  # Go to a part and change an answer
        + DOWN
        + ENTER  # Information about SEND documentation
        + DOWN * 2
        + ENTER  # the third compliance item
        + text_keys("N")
        + ENTER  # keep the note
        + DOWN * len(items)
        + ENTER  # Back
        + DOWN
        + ENTER  # Save and quit
    )

    with piped_keys(keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 0
    changed = load_audit(path)
    assert changed.compliance[third].compliant == "N"
    assert changed.compliance[third].note == original.compliance[third].note
    original.compliance[third].compliant = "N"
    assert changed.model_dump(exclude={"updated"}) == original.model_dump(
        exclude={"updated"}
    )


def test_review_menu_changes_aspect_rating(criteria, terminal, tmp_path):
    original = complete_audit(criteria)
    path = saved(original, tmp_path / "audits" / "oakfield.yaml")
    first = aspect_ids(criteria)[0]
    section = criteria.sections[0]
    keys = (
        ENTER  # Go to a part and change an answer
        + DOWN * 2
        + ENTER  # the first section
        + ENTER  # its first aspect
        + choice_keys(RATING_TITLES, "Green", default="Red")
        + "n"
        + ENTER  # keep the action plan written before the change
        + FINISH  # keep the comment
        + FINISH  # keep the next steps
        + DOWN * len(section.aspects)
        + ENTER  # Back
        + DOWN
        + ENTER  # Save and quit
    )

    with piped_keys(keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 0
    changed = load_audit(path)
    assert changed.aspects[first].rating == "green"
    original.aspects[first].rating = "green"
    assert changed.model_dump(exclude={"updated"}) == original.model_dump(
        exclude={"updated"}
    )


def test_changed_rating_redrafts_action_plan(criteria, terminal, tmp_path):
    original = complete_audit(criteria)
    path = saved(original, tmp_path / "audits" / "oakfield.yaml")
    section = criteria.sections[0]
    keys = (
        ENTER  # Go to a part and change an answer
        + DOWN * 2
        + ENTER  # the first section
        + ENTER  # its first aspect
        + choice_keys(RATING_TITLES, "Green", default="Red")
        + "y"
        + ENTER  # replace the action plan with the new draft
        + FINISH
        + FINISH
        + DOWN * len(section.aspects)
        + ENTER  # Back
        + DOWN
        + ENTER  # Save and quit
    )

    with piped_keys(keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 0
    changed = load_audit(path)
    plan = changed.action_plans[section.id]
    draft = draft_action_plan(changed, section)
    assert plan.strengths == draft["strengths"]
    assert plan.development == draft["development"]
    assert plan.actions == draft["actions"]
    assert plan != original.action_plans[section.id]


# Keys that must reach only their own prompt.


def test_compliance_yes_typed_in_full(criteria, tmp_path):
    audit = audit_up_to(criteria, 0)
    audit.compliance = {}
    path = saved(audit, tmp_path / "audit.yaml")
    interview = make_session(criteria, audit, path)
    item = criteria.compliance.items[0].id

    with piped_keys("yes" + ENTER + ENTER + CTRL_C):
        with pytest.raises(Interrupted):
            run_new(interview)

    answer = load_audit(path).compliance[item]
    assert answer.compliant == "Y"
    assert answer.note == ""


def test_confirm_yes_typed_in_full():
    with piped_keys("yes" + ENTER + "next" + ENTER):
        confirmed = prompts.ask_confirm("Use this draft as it is?")
        following = prompts.ask_text("Then", lambda text: text)

    assert confirmed is True
    assert following == "next"


@pytest.mark.parametrize(
    "comment_keys",
    [
        "line 1" + ENTER + "line 2" + ENTER + "line 3" + FINISH,
        PASTE_START + "line 1\nline 2\nline 3" + PASTE_END + FINISH,
        PASTE_START + "line 1\r\nline 2\r\nline 3" + PASTE_END + FINISH,
    ],
    ids=["typed", "bracketed-paste", "bracketed-paste-crlf"],
)
def test_three_line_comment_kept(criteria, tmp_path, comment_keys):
    audit = audit_up_to(criteria, 0)
    path = saved(audit, tmp_path / "audit.yaml")
    interview = make_session(criteria, audit, path)
    first, second = aspect_ids(criteria)[:2]
    keys = (
        choice_keys(RATING_TITLES, "Amber")
        + comment_keys
        + "Next steps"
        + FINISH
        + CTRL_C
    )

    with piped_keys(keys):
        with pytest.raises(Interrupted):
            run_new(interview)

    saved_audit = load_audit(path)
    assert saved_audit.aspects[first].comment == "line 1\nline 2\nline 3"
    assert saved_audit.aspects[first].next_steps == "Next steps"
    assert saved_audit.aspects.get(second, AspectAnswer()).rating is None


# Skipping an aspect.


def test_skip_leaves_rating_unanswered(criteria, terminal, tmp_path):
    audit = audit_up_to(criteria, 0)
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    first, second = aspect_ids(criteria)[:2]
    keys = (
        ENTER  # Continue
        + choice_keys(RATING_TITLES, "Skip for now")
        + choice_keys(RATING_TITLES, "Red")
        + long_text_keys("c2")
        + long_text_keys("n2")
        + CTRL_C
    )

    with piped_keys(keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    saved_audit = load_audit(path)
    skipped = saved_audit.aspects.get(first, AspectAnswer())
    assert skipped.rating is None
    assert skipped.comment is None
    assert skipped.next_steps is None
    assert saved_audit.aspects[second] == AspectAnswer(
        rating="red", comment="c2", next_steps="n2"
    )


def test_skip_asked_again_on_resume(criteria, terminal, tmp_path):
    audit = audit_up_to(criteria, 0)
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    first = aspect_ids(criteria)[0]
    skip = ENTER + choice_keys(RATING_TITLES, "Skip for now") + CTRL_C
    with piped_keys(skip):
        session.resume_existing(criteria, path, None, "")
    rate = ENTER + choice_keys(RATING_TITLES, "Green") + long_text_keys("c1") + CTRL_C

    with piped_keys(rate):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    answer = load_audit(path).aspects[first]
    assert answer.rating == "green"
    assert answer.comment == "c1"


def test_skipped_aspect_counts_as_unanswered(criteria, terminal, tmp_path):
    audit = audit_up_to(criteria, 0)
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    first = aspect_ids(criteria)[0]
    skip = ENTER + choice_keys(RATING_TITLES, "Skip for now") + CTRL_C

    with piped_keys(skip):
        session.resume_existing(criteria, path, None, "")

    steps = build_steps(criteria)
    index = first_unanswered(steps, load_audit(path))
    assert steps[index].key == ("aspects", first, "rating")


# Never overwriting an audit.


def existing_audit(criteria: Criteria, audits: Path) -> tuple[Path, bytes]:
    """Save an audit under the name that a new audit of the school takes today.

    A new audit's file is named once the school is typed, before its date is, so
    the name has the day it was started.
    """
    today = new_audit(criteria.manifest.id, criteria.manifest.version).created[:10]
    path = audit_path_for(audits, "Oakfield Primary School", today)
    saved(audit_up_to(criteria, 3), path)

    return path, path.read_bytes()


def test_new_keeps_both_audits(criteria, terminal, audits):
    original, content = existing_audit(criteria, audits)
    keep_both = ENTER
    keys = text_keys("Oakfield Primary School") + keep_both + text_keys("Sam Patel")

    with piped_keys(keys + CTRL_C):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    assert original.read_bytes() == content
    second = original.with_name(f"{original.stem}-2.yaml")
    assert load_audit(second).context == {
        "school": "Oakfield Primary School",
        "senco": "Sam Patel",
    }


def test_new_stops_beside_existing_audit(criteria, terminal, audits):
    original, content = existing_audit(criteria, audits)
    keys = text_keys("Oakfield Primary School") + DOWN + ENTER + text_keys("Sam Patel")

    with piped_keys(keys):
        with pytest.raises(SendAuditError, match="send-audit resume"):
            session.start_new(criteria, audits, None, "")

    assert original.read_bytes() == content
    assert sorted(p.name for p in audits.iterdir()) == [original.name]


def test_unfinished_comment_kept_on_ctrl_c(criteria, terminal, tmp_path, capsys):
    audit = audit_up_to(criteria, 6)
    sixth = aspect_ids(criteria)[5]
    audit.aspects[sixth].comment = None
    audit.aspects[sixth].next_steps = None
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")

    with piped_keys(ENTER + "first line\rsecond line" + CTRL_C):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    assert load_audit(path).aspects[sixth].comment == "first line\nsecond line"
    assert "The text you were typing is kept" in capsys.readouterr().err


def test_untouched_draft_not_kept_on_ctrl_c(criteria, terminal, tmp_path):
    audit = complete_audit(criteria)
    audit.priorities = None
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")

    with piped_keys(ENTER + CTRL_C):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 130
    assert load_audit(path).priorities is None


def test_aspect_after_skip_shows_its_panel(criteria, terminal, tmp_path):
    audit = audit_up_to(criteria, 2)
    first, second = aspect_ids(criteria)[:2]
    del audit.aspects[first]
    audit.aspects[second].next_steps = None
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    output = io.StringIO()
    console = make_console()
    console.file = output
    keys = choice_keys(RATING_TITLES, "Skip for now") + long_text_keys("n2") + CTRL_C
    step = first_unanswered(build_steps(criteria), audit)

    with piped_keys(keys):
        current = Session(criteria=criteria, audit=audit, console=console, path=path)
        with pytest.raises(Interrupted):
            interrupt_safely(
                current, lambda: run_steps(current, build_steps(criteria), step)
            )

    second_text = criteria.aspects[second][1].text.split()[:5]
    assert " ".join(second_text) in " ".join(output.getvalue().split())
    assert load_audit(path).aspects[second].next_steps == "n2"


def test_file_takes_date_of_audit(criteria, terminal, audits):
    keys = "".join(
        text_keys(value)
        for value in ("Oakfield Primary School", "Sam Patel", "Alex Morgan")
    )
    keys += text_keys("20/11/2026") + CTRL_C

    with piped_keys(keys):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    names = sorted(path.name for path in audits.iterdir())
    assert names == ["oakfield-primary-school-2026-11-20.yaml"]
    audit = load_audit(audits / names[0])
    assert audit.date_of_audit == "2026-11-20"
    assert audit.context["headteacher"] == "Alex Morgan"


def test_file_keeps_name_when_date_name_taken(criteria, terminal, audits):
    taken = audits / "oakfield-primary-school-2026-11-20.yaml"
    saved(new_audit(criteria.manifest.id, criteria.manifest.version), taken)
    before = taken.read_bytes()
    keys = "".join(
        text_keys(value)
        for value in ("Oakfield Primary School", "Sam Patel", "Alex Morgan")
    )
    keys += text_keys("20/11/2026") + CTRL_C

    with piped_keys(keys):
        status = session.start_new(criteria, audits, None, "")

    assert status == 130
    assert taken.read_bytes() == before
    started = [path for path in audits.iterdir() if path != taken]
    assert len(started) == 1
    assert load_audit(started[0]).date_of_audit == "2026-11-20"
    assert not any(path.name.endswith(".lock") for path in audits.iterdir())


def test_skipped_aspect_rated_later_offers_redraft(criteria, terminal, tmp_path):
    audit = complete_audit(criteria)
    first = aspect_ids(criteria)[0]
    section = criteria.sections[0]
    audit.aspects[first].rating = None
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    keys = (
        ENTER  # Continue at the skipped aspect
        + choice_keys(RATING_TITLES, "Green")
        + "y"
        + ENTER  # replace the action plan; the comment and next steps are kept
        + DOWN
        + ENTER  # Save and quit
    )

    with piped_keys(keys):
        status = session.resume_existing(criteria, path, None, "")

    assert status == 0
    changed = load_audit(path)
    assert changed.aspects[first].rating == "green"
    draft = draft_action_plan(changed, section)
    assert changed.action_plans[section.id].strengths == draft["strengths"]
