"""Resuming an audit after the criteria changed: kept, invalid and new answers."""

import contextlib
import inspect
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from keys import ENTER, FINISH, RATING_TITLES, choice_keys, piped_keys, text_keys

from send_audit import prompts, session
from send_audit.audit import Audit
from send_audit.criteria import Criteria, default_criteria_dir, load_criteria
from send_audit.errors import InvalidCriteriaError
from send_audit.storage import load_audit, save_audit
from send_audit.summary import KEPT_TITLE
from send_audit.yamlfile import dump_yaml, load_yaml

pytestmark = pytest.mark.timeout(60)

# The shipped example audit: complete, and answered against version 1.
EXAMPLES = sorted((Path(__file__).parent.parent / "audits").glob("example-*.yaml"))
# The parts of an audit file that an answers file may give.
ANSWER_PARTS = ("context", "compliance", "aspects", "action_plans", "priorities")
# The prompt functions of the interview, recorded to see what is asked.
PROMPT_NAMES = ("ask_text", "ask_long_text", "ask_choice", "ask_confirm")
# Seconds a `send-audit` run may take before the test calls it a hang.
RUN_SECONDS = 30
# The part files of the shipped criteria that the tests edit.
MANIFEST_FILE = "criteria.yaml"
CONTEXT_FILE = "01_context.yaml"
COMPLIANCE_FILE = "02_compliance.yaml"
FIRST_SECTION_FILE = "03_culture_leadership_management.yaml"
FIRST_SECTION_HEADING = "1. Culture, Leadership and Management"
CRITERIA_ID = "la_send_self_evaluation"
# Box-drawing characters of rich panels and rules, removed before matching text.
_BOX_DRAWING = re.compile("[\u2500-\u257f]")

# An aspect that a newer version of the criteria adds to the first section.
NEW_ASPECT = {
    "id": "send_governor_visits_lessons",
    "text": "The SEND governor visits lessons and reports back to the full board.",
    "evidence": ["Visit notes are shared with the governing board each term"],
}


@dataclass(frozen=True)
class PromptCall:
    """One prompt of the interview, and how many characters were printed before it."""

    function: str
    message: str
    arguments: dict
    printed: int


@dataclass(frozen=True)
class Resumed:
    status: int
    output: str


@pytest.fixture
def criteria_dir(tmp_path) -> Path:
    """A copy of the shipped criteria that a test may edit."""
    folder = tmp_path / "criteria"
    shutil.copytree(default_criteria_dir(), folder)

    return folder


@pytest.fixture
def example() -> Audit:
    assert EXAMPLES, "no audits/example-*.yaml is shipped"

    return load_audit(EXAMPLES[0])


@pytest.fixture
def audit_path(tmp_path) -> Path:
    """A copy of the example audit, to resume."""
    path = tmp_path / "audits" / "oakfield.yaml"
    path.parent.mkdir()
    shutil.copyfile(EXAMPLES[0], path)

    return path


@pytest.fixture
def environment(tmp_path) -> dict[str, str]:
    variables = {
        name: value
        for name, value in os.environ.items()
        if name not in ("COLUMNS", "LINES", "NO_COLOR", "SEND_AUDIT_DEBUG")
    }
    variables.update(SEND_AUDIT_DIR=str(tmp_path / "audits"), LC_ALL="C.UTF-8")

    return variables


@pytest.fixture
def prompt_calls(monkeypatch) -> list[PromptCall]:
    """Record each prompt the interview shows, in order."""
    record = []
    for name in PROMPT_NAMES:
        original = getattr(prompts, name)

        def recording(*args, _original=original, _name=name, **kwargs):
            bound = inspect.signature(_original).bind(*args, **kwargs)
            bound.apply_defaults()
            printed = (
                len(sys.stdout.getvalue()) if hasattr(sys.stdout, "getvalue") else 0
            )
            message = bound.arguments["message"]
            record.append(PromptCall(_name, message, dict(bound.arguments), printed))
            return _original(*args, **kwargs)

        monkeypatch.setattr(prompts, name, recording)

    return record


def edit_part(folder: Path, name: str, change: Callable[[dict], None]) -> None:
    path = folder / name
    data = load_yaml(path, InvalidCriteriaError)
    change(data)
    path.write_text(dump_yaml(data), encoding="utf-8")


def retire_aspect(folder: Path) -> None:
    def change(part: dict) -> None:
        part["aspects"] = [a for a in part["aspects"] if a["id"] != "inclusive_ethos"]

    edit_part(folder, FIRST_SECTION_FILE, change)


def retire_item(folder: Path) -> None:
    def change(part: dict) -> None:
        part["items"] = [i for i in part["items"] if i["id"] != "local_offer_published"]

    edit_part(folder, COMPLIANCE_FILE, change)


def retire_question(folder: Path) -> None:
    def change(part: dict) -> None:
        header = part["groups"][0]
        header["questions"] = [
            q for q in header["questions"] if q["id"] != "headteacher"
        ]

    edit_part(folder, CONTEXT_FILE, change)


def add_aspect(folder: Path) -> None:
    edit_part(
        folder, FIRST_SECTION_FILE, lambda part: part["aspects"].append(NEW_ASPECT)
    )


def context_question(part: dict, question_id: str) -> dict:
    questions = [q for group in part["groups"] for q in group["questions"]]

    return next(q for q in questions if q["id"] == question_id)


def remove_census_choice(folder: Path) -> None:
    def change(part: dict) -> None:
        question = context_question(part, "census_year")
        question["choices"] = [c for c in question["choices"] if c != "2026"]

    edit_part(folder, CONTEXT_FILE, change)


def lower_roll_maximum(folder: Path) -> None:
    def change(part: dict) -> None:
        context_question(part, "number_on_roll")["maximum"] = 400

    edit_part(folder, CONTEXT_FILE, change)


def raise_version(folder: Path) -> None:
    edit_part(folder, MANIFEST_FILE, lambda manifest: manifest.update(version=2))


def resume_at_terminal(criteria: Criteria, path: Path, *keys: str) -> Resumed:
    output = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(session, "stdin_is_terminal", lambda: True)
        with (
            piped_keys(*keys),
            contextlib.redirect_stdout(output),
            contextlib.redirect_stderr(output),
        ):
            status = session.resume_existing(criteria, path, None, "")

    return Resumed(status, output.getvalue())


def run_send_audit(arguments: list[str], environment: dict, cwd: Path):
    return subprocess.run(
        ["send-audit", *arguments],
        env=environment,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
    )


def flat(text: str) -> str:
    """Return printed text without box drawing and with every run of space as one."""
    return " ".join(_BOX_DRAWING.sub(" ", text).split())


# Answers to ids that the criteria no longer have.

RETIRED = [
    pytest.param(retire_aspect, "aspects", "inclusive_ethos", "Aspect", id="aspect"),
    pytest.param(
        retire_item,
        "compliance",
        "local_offer_published",
        "Compliance item",
        id="compliance-item",
    ),
    pytest.param(
        retire_question, "context", "headteacher", "Context answer", id="question"
    ),
]


def kept_entry(audit: Audit, part: str, key: str):
    return getattr(audit, part)[key]


def kept_text(audit: Audit, part: str, key: str) -> str:
    """The text of a kept answer that the summary must show."""
    entry = kept_entry(audit, part, key)
    if part == "aspects":
        return entry.comment
    if part == "compliance":
        return entry.note

    return entry


@pytest.mark.parametrize(("retire", "part", "key", "title"), RETIRED)
def test_resume_lists_retired(criteria_dir, audit_path, retire, part, key, title):
    retire(criteria_dir)

    resumed = resume_at_terminal(load_criteria(criteria_dir), audit_path)

    assert resumed.status == session.EXIT_INTERRUPTED
    text = flat(resumed.output)
    assert "no longer in the criteria are kept in the file" in text
    assert f"{part}.{key}" in text


@pytest.mark.parametrize(("retire", "part", "key", "title"), RETIRED)
def test_resume_keeps_retired(
    criteria_dir, example, audit_path, retire, part, key, title
):
    retire(criteria_dir)
    audit = load_audit(audit_path)
    audit.priorities = None
    save_audit(audit, audit_path)

    # Continue at the priorities, keep the draft, then stop at the menu.
    resume_at_terminal(load_criteria(criteria_dir), audit_path, ENTER, FINISH)

    saved = load_audit(audit_path)
    assert saved.priorities is not None, "the new answer was not saved"
    assert kept_entry(saved, part, key) == kept_entry(example, part, key)


@pytest.mark.parametrize(("retire", "part", "key", "title"), RETIRED)
def test_answers_file_keeps_retired(
    criteria_dir, example, audit_path, environment, tmp_path, retire, part, key, title
):
    retire(criteria_dir)
    answers = tmp_path / "answers.yaml"
    answers.write_text(dump_yaml({"priorities": "Link the Local Offer."}))

    result = run_send_audit(
        [
            *("resume", str(audit_path)),
            *("--criteria", str(criteria_dir)),
            *("--answers", str(answers)),
        ],
        environment,
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    saved = load_audit(audit_path)
    assert saved.priorities == "Link the Local Offer."
    assert kept_entry(saved, part, key) == kept_entry(example, part, key)


@pytest.mark.parametrize(("retire", "part", "key", "title"), RETIRED)
def test_summary_lists_retired(
    criteria_dir, example, audit_path, environment, tmp_path, retire, part, key, title
):
    retire(criteria_dir)

    result = run_send_audit(
        ["summary", str(audit_path), "--criteria", str(criteria_dir)],
        environment,
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    text = flat(result.stdout)
    assert KEPT_TITLE in text
    assert f"{title} {key}" in text
    assert flat(kept_text(example, part, key)) in text


# Answers that the criteria no longer allow.

INVALID = [
    pytest.param(
        remove_census_choice, "census_year", "'2026'", ENTER, "2024", id="choice"
    ),
    pytest.param(
        lower_roll_maximum,
        "number_on_roll",
        "412",
        text_keys("400"),
        400,
        id="count-maximum",
    ),
]


def resume_invalid(
    criteria_dir: Path, audit_path: Path, change, question_id: str, keys: str
) -> tuple[str, Resumed]:
    """Resume after `change`, answer the question asked again, stop at the menu.

    Returns:
        The label of the question, and the outcome of the resume.
    """
    change(criteria_dir)
    criteria = load_criteria(criteria_dir)
    resumed = resume_at_terminal(criteria, audit_path, ENTER, keys)

    return criteria.context.questions[question_id].label, resumed


@pytest.mark.parametrize(("change", "question_id", "old", "keys", "new"), INVALID)
def test_invalid_answer_listed(
    criteria_dir, audit_path, prompt_calls, change, question_id, old, keys, new
):
    label, resumed = resume_invalid(criteria_dir, audit_path, change, question_id, keys)

    before_menu = flat(resumed.output[: prompt_calls[0].printed])
    assert f"{label}: the saved answer is no longer allowed ({old}" in before_menu


@pytest.mark.parametrize(("change", "question_id", "old", "keys", "new"), INVALID)
def test_invalid_answer_asked_again(
    criteria_dir, audit_path, prompt_calls, change, question_id, old, keys, new
):
    label, _ = resume_invalid(criteria_dir, audit_path, change, question_id, keys)

    heading = "School context and SEND profile"
    assert prompt_calls[0].message == "What next?"
    assert (
        prompt_calls[0].arguments["choices"][0][0] == f"Continue at: {heading}, {label}"
    )
    assert prompt_calls[1].message == label


@pytest.mark.parametrize(("change", "question_id", "old", "keys", "new"), INVALID)
def test_invalid_answer_shown_at_prompt(
    criteria_dir, audit_path, prompt_calls, change, question_id, old, keys, new
):
    _, resumed = resume_invalid(criteria_dir, audit_path, change, question_id, keys)

    # What is printed after the menu and before the question is asked again.
    before_prompt = flat(
        resumed.output[prompt_calls[0].printed : prompt_calls[1].printed]
    )
    assert f"The saved answer is no longer allowed ({old}" in before_prompt


@pytest.mark.parametrize(("change", "question_id", "old", "keys", "new"), INVALID)
def test_invalid_answer_replaced(
    criteria_dir, audit_path, prompt_calls, change, question_id, old, keys, new
):
    resume_invalid(criteria_dir, audit_path, change, question_id, keys)

    assert load_audit(audit_path).context[question_id] == new


# Aspects added to a section.


def test_new_aspect_offered(criteria_dir, audit_path, prompt_calls):
    add_aspect(criteria_dir)
    criteria = load_criteria(criteria_dir)

    resume_at_terminal(criteria, audit_path)

    number = len(criteria.sections[0].aspects)
    expected = f"Continue at: {FIRST_SECTION_HEADING}, aspect {number}, rating"
    assert prompt_calls[0].message == "What next?"
    assert prompt_calls[0].arguments["choices"][0][0] == expected


def test_new_aspect_asked(criteria_dir, audit_path, prompt_calls):
    add_aspect(criteria_dir)

    resumed = resume_at_terminal(load_criteria(criteria_dir), audit_path, ENTER)

    assert prompt_calls[1].message == "Rating"
    panel_text = flat(resumed.output[prompt_calls[0].printed : prompt_calls[1].printed])
    assert NEW_ASPECT["text"] in panel_text


def test_new_aspect_saved(criteria_dir, audit_path):
    add_aspect(criteria_dir)
    keys = choice_keys(RATING_TITLES, "Red")

    resume_at_terminal(load_criteria(criteria_dir), audit_path, ENTER, keys)

    saved = load_audit(audit_path)
    assert saved.aspects[NEW_ASPECT["id"]].rating == "red"


# The criteria version recorded in the audit.


def test_version_change_on_resume(criteria_dir, audit_path):
    raise_version(criteria_dir)

    resumed = resume_at_terminal(load_criteria(criteria_dir), audit_path)

    expected = (
        f"This audit was answered against criteria {CRITERIA_ID} version 1; "
        f"these are {CRITERIA_ID} version 2."
    )
    assert expected in flat(resumed.output)


def test_version_change_in_summary(criteria_dir, audit_path, environment, tmp_path):
    raise_version(criteria_dir)

    result = run_send_audit(
        ["summary", str(audit_path), "--criteria", str(criteria_dir)],
        environment,
        tmp_path,
    )

    expected = (
        f"answered against {CRITERIA_ID}, version 1, "
        f"shown with {CRITERIA_ID}, version 2"
    )
    assert expected in flat(result.stdout)


def test_new_audit_records_version(criteria_dir, example, environment, tmp_path):
    raise_version(criteria_dir)
    data = example.model_dump(mode="json")
    answers = tmp_path / "answers.yaml"
    answers.write_text(dump_yaml({part: data[part] for part in ANSWER_PARTS}))

    result = run_send_audit(
        ["new", "--criteria", str(criteria_dir), "--answers", str(answers)],
        environment,
        tmp_path,
    )

    assert result.returncode == 0, result.stderr
    saved = load_audit(next((tmp_path / "audits").glob("*.yaml")))
    assert saved.criteria.version == 2
