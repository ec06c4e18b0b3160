"""Answers given in a YAML file: the checks, the terminal, scripts and the example."""

import contextlib
import inspect
import io
import os
import shlex
import subprocess
from pathlib import Path

import pytest
from keys import ENTER, RATING_TITLES, choice_keys, piped_keys, text_keys

from send_audit import prompts, session
from send_audit.answers import load_answers
from send_audit.audit import Audit
from send_audit.criteria import Criteria, load_criteria
from send_audit.errors import InvalidAnswersError
from send_audit.interview import Session, ask_step
from send_audit.steps import build_steps
from send_audit.storage import load_audit, save_audit
from send_audit.theme import make_console
from send_audit.yamlfile import dump_yaml

pytestmark = pytest.mark.timeout(60)

# The parts of an audit file that an answers file may give.
ANSWER_PARTS = ("context", "compliance", "aspects", "action_plans", "priorities")
# The shipped example audits; the first is turned into a complete answers file.
EXAMPLES = sorted((Path(__file__).parent.parent / "audits").glob("example-*.yaml"))
# Seconds a run without a terminal may take before the test calls it a hang.
RUN_SECONDS = 30
# The context questions of the form's first group, which name the audit file.
HEADER_IDS = ("school", "senco", "headteacher", "date_of_audit")
# The prompt functions of the interview, recorded to see what is asked.
PROMPT_NAMES = ("ask_text", "ask_long_text", "ask_choice", "ask_confirm")


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    return load_criteria()


@pytest.fixture
def example_answers() -> dict:
    """Every answer of the shipped example audit, laid out as an answers file."""
    assert EXAMPLES, "no audits/example-*.yaml is shipped"
    data = load_audit(EXAMPLES[0]).model_dump(mode="json")

    return {part: data[part] for part in ANSWER_PARTS}


@pytest.fixture
def environment(audits) -> dict[str, str]:
    variables = {
        name: value
        for name, value in os.environ.items()
        if name not in ("COLUMNS", "LINES", "NO_COLOR", "SEND_AUDIT_DEBUG")
    }
    variables.update(SEND_AUDIT_DIR=str(audits), LC_ALL="C.UTF-8")

    return variables


@pytest.fixture
def prompt_calls(monkeypatch) -> list[tuple[str, str, dict]]:
    """Record each prompt as (function name, message, bound arguments)."""
    record = []
    for name in PROMPT_NAMES:
        original = getattr(prompts, name)

        def recording(*args, _original=original, _name=name, **kwargs):
            bound = inspect.signature(_original).bind(*args, **kwargs)
            bound.apply_defaults()
            record.append((_name, bound.arguments["message"], dict(bound.arguments)))
            return _original(*args, **kwargs)

        monkeypatch.setattr(prompts, name, recording)

    return record


def write_answers(path: Path, answers: dict) -> Path:
    path.write_text(dump_yaml(answers), encoding="utf-8")

    return path


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")

    return path


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


def audit_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def only_audit_file(folder: Path) -> Path:
    files = audit_files(folder)
    assert len(files) == 1, files

    return files[0]


def answer_parts(audit: Audit) -> dict:
    data = audit.model_dump(mode="json")

    return {part: data[part] for part in ANSWER_PARTS}


def header_audit(criteria: Criteria, example_answers: dict, path: Path) -> Path:
    """Save an audit that has only the header answered, for `resume` to continue."""
    audit = Audit(
        criteria={"id": criteria.manifest.id, "version": criteria.manifest.version},
        created="2026-11-20T09:00:00+00:00",
        updated="2026-11-20T09:00:00+00:00",
    )
    audit.context = {key: example_answers["context"][key] for key in HEADER_IDS}
    path.parent.mkdir(parents=True, exist_ok=True)
    save_audit(audit, path)

    return path


def value_at(data: dict, where: tuple[str, ...]):
    for key in where:
        data = data[key]

    return data


# Each value checked as the prompt checks it.

ACCEPTED = [
    pytest.param(
        "context:\n  number_on_roll: 1,200\n",
        ("context", "number_on_roll"),
        1200,
        id="count-thousands",
    ),
    pytest.param(
        'context:\n  number_on_roll: "1,200"\n',
        ("context", "number_on_roll"),
        1200,
        id="count-quoted",
    ),
    pytest.param(
        "context:\n  number_on_roll: 0\n",
        ("context", "number_on_roll"),
        0,
        id="count-zero",
    ),
    pytest.param(
        "context:\n  attendance_total: 95.5%\n",
        ("context", "attendance_total"),
        95.5,
        id="percentage-sign",
    ),
    pytest.param(
        "context:\n  attendance_total: 100\n",
        ("context", "attendance_total"),
        100,
        id="percentage-whole",
    ),
    pytest.param(
        "context:\n  date_of_audit: 20/11/2026\n",
        ("context", "date_of_audit"),
        "2026-11-20",
        id="date-uk",
    ),
    pytest.param(
        "context:\n  date_of_audit: 2026-11-20\n",
        ("context", "date_of_audit"),
        "2026-11-20",
        id="date-iso",
    ),
    pytest.param(
        "context:\n  census_year: 2025\n",
        ("context", "census_year"),
        "2025",
        id="choice-number",
    ),
    pytest.param(
        "compliance:\n  equality_objectives: {compliant: yes}\n",
        ("compliance", "equality_objectives", "compliant"),
        "Y",
        id="compliant-yes",
    ),
    pytest.param(
        "compliance:\n  equality_objectives: {compliant: no}\n",
        ("compliance", "equality_objectives", "compliant"),
        "N",
        id="compliant-no",
    ),
    pytest.param(
        'compliance:\n  equality_objectives: {compliant: "Y"}\n',
        ("compliance", "equality_objectives", "compliant"),
        "Y",
        id="compliant-letter",
    ),
    pytest.param(
        "aspects:\n  inclusive_ethos: {rating: Green}\n",
        ("aspects", "inclusive_ethos", "rating"),
        "green",
        id="rating-capital",
    ),
    pytest.param(
        "aspects:\n  inclusive_ethos: {rating: ' AMBER '}\n",
        ("aspects", "inclusive_ethos", "rating"),
        "amber",
        id="rating-spaces",
    ),
    pytest.param(
        'priorities: "  Publish the Local Offer link.\\n"\n',
        ("priorities",),
        "Publish the Local Offer link.",
        id="text-stripped",
    ),
]


@pytest.mark.parametrize(("text", "where", "stored"), ACCEPTED)
def test_load_answers_accepts(criteria, tmp_path, text, where, stored):
    answers = load_answers(write_text(tmp_path / "answers.yaml", text), criteria)

    value = value_at(answers, where)
    assert value == stored
    assert type(value) is type(stored)


REJECTED = [
    pytest.param(
        "context:\n  number_on_roll: -5\n",
        "context.number_on_roll",
        "'-5'",
        id="count-negative",
    ),
    pytest.param(
        "context:\n  number_on_roll: lots\n",
        "context.number_on_roll",
        "'lots'",
        id="count-word",
    ),
    pytest.param(
        "context:\n  number_on_roll: 12.5\n",
        "context.number_on_roll",
        "'12.5'",
        id="count-fraction",
    ),
    pytest.param(
        "context:\n  number_on_roll: true\n",
        "context.number_on_roll",
        "True",
        id="count-boolean",
    ),
    pytest.param(
        "context:\n  attendance_total: 101\n",
        "context.attendance_total",
        "'101'",
        id="percentage-over-100",
    ),
    pytest.param(
        "context:\n  date_of_audit: 31/02/2026\n",
        "context.date_of_audit",
        "'31/02/2026'",
        id="date-impossible",
    ),
    pytest.param(
        "context:\n  census_year: 2019\n",
        "context.census_year",
        "'2019'",
        id="choice-unknown",
    ),
    pytest.param(
        "compliance:\n  equality_objectives: {compliant: maybe}\n",
        "compliance.equality_objectives.compliant",
        "'maybe'",
        id="compliant-word",
    ),
    pytest.param(
        "aspects:\n  inclusive_ethos: {rating: purple}\n",
        "aspects.inclusive_ethos.rating",
        "'purple'",
        id="rating-unknown",
    ),
    pytest.param(
        "priorities: 3\n",
        "priorities",
        "3",
        id="text-number",
    ),
    pytest.param(
        "context:\n  pupils_on_the_moon: 3\n",
        "context.pupils_on_the_moon",
        "unknown question id",
        id="unknown-question",
    ),
    pytest.param(
        "aspects:\n  made_up_aspect: {rating: red}\n",
        "aspects.made_up_aspect",
        "unknown aspect id",
        id="unknown-aspect",
    ),
    pytest.param(
        "compliance:\n  made_up_item: {compliant: Y}\n",
        "compliance.made_up_item",
        "unknown compliance item id",
        id="unknown-item",
    ),
    pytest.param(
        "aspects:\n  inclusive_ethos: {score: red}\n",
        "aspects.inclusive_ethos.score",
        "unknown field",
        id="unknown-field",
    ),
    pytest.param(
        "census:\n  rows: {}\n",
        "census",
        "unknown part",
        id="unknown-part",
    ),
]


@pytest.mark.parametrize(("text", "where", "expected"), REJECTED)
def test_load_answers_rejects(criteria, tmp_path, text, where, expected):
    path = write_text(tmp_path / "answers.yaml", text)

    with pytest.raises(InvalidAnswersError) as raised:
        load_answers(path, criteria)

    message = str(raised.value)
    assert f"{where}:" in message
    assert expected in message


# Several problems in one file, each with its id and the value found.
SEVERAL_PROBLEMS = """\
context:
  school: "Oakfield Primary School"
  number_on_roll: -5
  boys_on_roll: lots
  send_register: 12.5
  attendance_total: 101
  pupils_on_the_moon: 3
compliance:
  equality_objectives: {compliant: maybe}
aspects:
  inclusive_ethos: {rating: purple}
  made_up_aspect: {rating: red}
"""
SEVERAL_PROBLEMS_EXPECTED = {
    "context.number_on_roll": "'-5'",
    "context.boys_on_roll": "'lots'",
    "context.send_register": "'12.5'",
    "context.attendance_total": "'101'",
    "context.pupils_on_the_moon": "unknown question id",
    "compliance.equality_objectives.compliant": "'maybe'",
    "aspects.inclusive_ethos.rating": "'purple'",
    "aspects.made_up_aspect": "unknown aspect id",
}


def test_load_answers_lists_every_problem(criteria, tmp_path):
    path = write_text(tmp_path / "answers.yaml", SEVERAL_PROBLEMS)

    with pytest.raises(InvalidAnswersError) as raised:
        load_answers(path, criteria)

    lines = str(raised.value).splitlines()
    assert lines[0] == f"{path}: {len(SEVERAL_PROBLEMS_EXPECTED)} invalid answers:"
    for where, expected in SEVERAL_PROBLEMS_EXPECTED.items():
        line = next((line for line in lines if f"{where}:" in line), None)
        assert line is not None, where
        assert expected in line, where


# What is typed at the interview's prompt, and what the same text in a file gives.
TYPED = [
    pytest.param(("context", "number_on_roll"), "1,200", id="count-thousands"),
    pytest.param(("context", "number_on_roll"), "0", id="count-zero"),
    pytest.param(("context", "number_on_roll"), "-5", id="count-negative"),
    pytest.param(("context", "number_on_roll"), "lots", id="count-word"),
    pytest.param(("context", "number_on_roll"), "12.5", id="count-fraction"),
    pytest.param(("context", "number_on_roll"), "1,20", id="count-bad-comma"),
    pytest.param(("context", "attendance_total"), "101", id="percentage-over-100"),
    pytest.param(("context", "attendance_total"), "95.5%", id="percentage-sign"),
    pytest.param(("context", "date_of_audit"), "20/11/2026", id="date-uk"),
    pytest.param(("context", "date_of_audit"), "31/02/2026", id="date-impossible"),
    pytest.param(("context", "school"), "  Oakfield  ", id="text-spaces"),
    pytest.param(("context", "school"), "", id="text-required"),
    pytest.param(
        ("compliance", "equality_objectives", "compliant"), "yes", id="compliant-yes"
    ),
    pytest.param(
        ("compliance", "equality_objectives", "compliant"), "N", id="compliant-n"
    ),
    pytest.param(
        ("compliance", "equality_objectives", "compliant"), "maybe", id="compliant-word"
    ),
]


def ask_at_prompt(criteria: Criteria, key: tuple[str, ...], typed: str):
    """Type `typed` at the interview's prompt for `key`; None when it is rejected."""
    audit = Audit(
        criteria={"id": criteria.manifest.id, "version": criteria.manifest.version},
        created="2026-11-20T09:00:00+00:00",
        updated="2026-11-20T09:00:00+00:00",
    )
    step = next(step for step in build_steps(criteria) if step.key == key)
    interview = Session(criteria=criteria, audit=audit, console=make_console())
    with piped_keys(text_keys(typed)), contextlib.redirect_stdout(io.StringIO()):
        try:
            ask_step(interview, step, revisit=True)
        except EOFError:
            # The prompt showed its error and waited for keys that never came.
            return None

    return value_at(audit.model_dump(mode="json"), key)


def load_from_file(criteria: Criteria, key: tuple[str, ...], typed: str, folder):
    """Give `typed` as the file's value for `key`; None when it is rejected."""
    answers: dict = {}
    entry = answers
    for name in key[:-1]:
        entry = entry.setdefault(name, {})
    entry[key[-1]] = typed
    try:
        checked = load_answers(
            write_answers(folder / "answers.yaml", answers), criteria
        )
    except InvalidAnswersError:
        return None

    return value_at(checked, key)


@pytest.mark.parametrize(("key", "typed"), TYPED)
def test_file_value_matches_prompt(criteria, tmp_path, key, typed):
    at_prompt = ask_at_prompt(criteria, key, typed)
    from_file = load_from_file(criteria, key, typed, tmp_path)

    assert from_file == at_prompt
    assert type(from_file) is type(at_prompt)


# Without a terminal: what is given is saved, what remains is listed.

# Answers left out of the example to make a partial answers file.
LEFT_OUT = (
    ("context", "headteacher"),
    ("compliance", "local_offer_published", "compliant"),
    ("aspects", "inclusive_ethos", "comment"),
)
# What `new` lists as still missing for that file, in the form's order. The note
# of a compliance item is asked only once the item is answered Y or N.
LEFT_OUT_LISTED = (
    "context.headteacher",
    "compliance.local_offer_published.compliant",
    "aspects.inclusive_ethos.comment",
)


def leave_out(answers: dict, *where: tuple[str, ...]) -> dict:
    for key in where:
        del value_at(answers, key[:-1])[key[-1]]

    return answers


@pytest.mark.parametrize(
    ("command", "left_out", "status"),
    [
        pytest.param("new", (), 0, id="new-complete"),
        pytest.param("new", LEFT_OUT, 3, id="new-partial"),
        pytest.param("resume", (), 0, id="resume-complete"),
        pytest.param("resume", LEFT_OUT[1:], 3, id="resume-partial"),
    ],
)
def test_answers_exit_status(
    criteria, example_answers, environment, audits, tmp_path, command, left_out, status
):
    answers = write_answers(
        tmp_path / "answers.yaml", leave_out(example_answers, *left_out)
    )
    arguments = ["new", "--answers", str(answers)]
    if command == "resume":
        path = header_audit(criteria, example_answers, audits / "oakfield.yaml")
        arguments = ["resume", str(path), "--answers", str(answers)]

    result = run_send_audit(arguments, environment, tmp_path)

    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr


def test_partial_answers_listed(example_answers, environment, tmp_path):
    answers = write_answers(
        tmp_path / "answers.yaml", leave_out(example_answers, *LEFT_OUT)
    )

    result = run_send_audit(["new", "--answers", str(answers)], environment, tmp_path)

    lines = result.stdout.splitlines()
    # Two of the 84 questions lack an answer. The third gap is the comment of a
    # rated aspect, which counts as answered but is still listed.
    summary = f"82 of 84 questions are answered; these {len(LEFT_OUT_LISTED)} answers"
    assert f"{summary} are still missing:" in lines
    listed = [line.strip() for line in lines if line.startswith("  ")]
    assert listed == list(LEFT_OUT_LISTED)


def test_partial_answers_resume_command(example_answers, environment, audits, tmp_path):
    answers = write_answers(
        tmp_path / "answers.yaml", leave_out(example_answers, *LEFT_OUT)
    )

    result = run_send_audit(["new", "--answers", str(answers)], environment, tmp_path)

    # The command must survive a long path: it is copied from the output whole.
    command = f"send-audit resume {shlex.quote(str(only_audit_file(audits)))}"
    assert any(line.endswith(command) for line in result.stdout.splitlines()), (
        result.stdout
    )


def test_partial_answers_saved(example_answers, environment, audits, tmp_path):
    partial = leave_out(example_answers, *LEFT_OUT)
    answers = write_answers(tmp_path / "answers.yaml", partial)

    run_send_audit(["new", "--answers", str(answers)], environment, tmp_path)

    saved = answer_parts(load_audit(only_audit_file(audits)))
    assert saved["context"] == partial["context"]
    for item_id, entry in partial["compliance"].items():
        for name, value in entry.items():
            assert saved["compliance"][item_id][name] == value, item_id
    assert saved["aspects"]["inclusive_ethos"]["comment"] is None
    assert saved["aspects"]["inclusive_ethos"]["rating"] == "green"
    assert saved["action_plans"] == partial["action_plans"]
    assert saved["priorities"] == partial["priorities"]


def test_resume_answers_saved(criteria, example_answers, environment, audits, tmp_path):
    path = header_audit(criteria, example_answers, audits / "oakfield.yaml")
    figures = {"number_on_roll": "1,200", "send_register": 58, "ehc_plans": 7}
    answers = write_answers(tmp_path / "answers.yaml", {"context": figures})

    run_send_audit(
        ["resume", str(path), "--answers", str(answers)], environment, tmp_path
    )

    context = load_audit(path).context
    assert context["number_on_roll"] == 1200
    assert context["send_register"] == 58
    assert context["ehc_plans"] == 7
    for question_id in HEADER_IDS:
        assert context[question_id] == example_answers["context"][question_id]


# Files that are not valid answers: status 1, one message, nothing written.
INVALID_FILES = [
    pytest.param(SEVERAL_PROBLEMS, id="invalid-values"),
    pytest.param("context:\n  school: [unclosed\n", id="invalid-yaml"),
    pytest.param("- school\n- senco\n", id="not-mapping"),
    pytest.param("context:\n  senco: Sam Patel\n", id="no-school"),
    pytest.param(None, id="missing-file"),
]


@pytest.mark.parametrize("text", INVALID_FILES)
def test_invalid_answers_exit_one(environment, audits, tmp_path, text):
    path = tmp_path / "answers.yaml"
    if text is not None:
        write_text(path, text)

    result = run_send_audit(["new", "--answers", str(path)], environment, tmp_path)

    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {path}")
    assert "Traceback" not in result.stderr
    assert audit_files(audits) == []


def test_invalid_answers_listed(environment, tmp_path):
    path = write_text(tmp_path / "answers.yaml", SEVERAL_PROBLEMS)

    result = run_send_audit(["new", "--answers", str(path)], environment, tmp_path)

    for where, expected in SEVERAL_PROBLEMS_EXPECTED.items():
        line = next((x for x in result.stderr.splitlines() if f"{where}:" in x), None)
        assert line is not None, where
        assert expected in line, where


def test_resume_invalid_answers_keep_file(
    criteria, example_answers, environment, audits, tmp_path
):
    path = header_audit(criteria, example_answers, audits / "oakfield.yaml")
    content = path.read_bytes()
    answers = write_text(tmp_path / "answers.yaml", SEVERAL_PROBLEMS)

    result = run_send_audit(
        ["resume", str(path), "--answers", str(answers)], environment, tmp_path
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == content


# The shipped example, given back as an answers file.


def test_example_answers_complete(example_answers, environment, tmp_path):
    answers = write_answers(tmp_path / "answers.yaml", example_answers)

    result = run_send_audit(["new", "--answers", str(answers)], environment, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "The audit is complete." in result.stdout


def test_example_answers_match(example_answers, environment, audits, tmp_path):
    answers = write_answers(tmp_path / "answers.yaml", example_answers)

    run_send_audit(["new", "--answers", str(answers)], environment, tmp_path)

    assert answer_parts(load_audit(only_audit_file(audits))) == example_answers


# At a terminal: only what is still missing is asked.

FIRST_MISSING = [
    pytest.param(
        ("context", "headteacher"),
        "Headteacher",
        text_keys("Mr Ravi Desai"),
        "Mr Ravi Desai",
        id="header",
    ),
    pytest.param(
        ("context", "ehc_plans"),
        "Number with an EHC Plan (census code E)",
        text_keys("7"),
        7,
        id="figure",
    ),
    pytest.param(
        ("compliance", "local_offer_published", "compliant"),
        "Compliant? (Y/N)",
        text_keys("n"),
        "N",
        id="compliance",
    ),
    pytest.param(
        ("aspects", "inclusive_ethos", "rating"),
        "Rating",
        # The answers file gave the section's action plan, so rating an aspect of
        # it offers a new draft, which is declined.
        choice_keys(RATING_TITLES, "Amber") + "n" + ENTER,
        "amber",
        id="rating",
    ),
]


def start_new_at_terminal(criteria, audits, answers_path, keys) -> int:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(session, "stdin_is_terminal", lambda: True)
        output = io.StringIO()
        with (
            piped_keys(keys),
            contextlib.redirect_stdout(output),
            contextlib.redirect_stderr(output),
        ):
            return session.start_new(criteria, audits, answers_path, "")


@pytest.mark.parametrize(("key", "label", "keys", "stored"), FIRST_MISSING)
def test_new_asks_first_missing(
    criteria, example_answers, prompt_calls, audits, tmp_path, key, label, keys, stored
):
    answers = write_answers(tmp_path / "answers.yaml", leave_out(example_answers, key))

    start_new_at_terminal(criteria, audits, answers, keys)

    assert prompt_calls, "no prompt was shown"
    assert prompt_calls[0][1] == label


@pytest.mark.parametrize(("key", "label", "keys", "stored"), FIRST_MISSING)
def test_new_saves_first_missing(
    criteria, example_answers, prompt_calls, audits, tmp_path, key, label, keys, stored
):
    answers = write_answers(tmp_path / "answers.yaml", leave_out(example_answers, key))

    status = start_new_at_terminal(criteria, audits, answers, keys)

    assert status == 0
    asked = [message for _, message, _ in prompt_calls if "new draft?" not in message]
    assert len(asked) == 1, asked
    saved = load_audit(only_audit_file(audits)).model_dump(mode="json")
    assert value_at(saved, key) == stored


def test_resume_continues_at_first_missing(
    criteria, example_answers, prompt_calls, audits, tmp_path, monkeypatch
):
    path = header_audit(criteria, example_answers, audits / "oakfield.yaml")
    partial = leave_out(example_answers, ("context", "ehc_plans"))
    answers = write_answers(tmp_path / "answers.yaml", partial)
    monkeypatch.setattr(session, "stdin_is_terminal", lambda: True)

    with piped_keys(ENTER, text_keys("7")), contextlib.redirect_stdout(io.StringIO()):
        with contextlib.redirect_stderr(io.StringIO()):
            session.resume_existing(criteria, path, answers, "")

    _, message, arguments = prompt_calls[0]
    assert message == "What next?"
    label = "Number with an EHC Plan (census code E)"
    heading = "School context and SEND profile"
    assert arguments["choices"][0] == (f"Continue at: {heading}, {label}", "continue")
    assert prompt_calls[1][1] == label
    assert load_audit(path).context["ehc_plans"] == 7


def test_resume_lists_replaced_answers(environment, tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_bytes(EXAMPLES[0].read_bytes())
    answers = write_text(
        tmp_path / "answers.yaml", 'priorities: ""\ncontext:\n  senco: "Ms New"\n'
    )

    result = run_send_audit(
        ["resume", str(path), "--answers", str(answers)], environment, tmp_path
    )

    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    start = lines.index("The answers file replaced these saved answers:")
    assert lines[start + 1 : start + 3] == ["context.senco", "priorities"]
    assert load_audit(path).priorities == ""
