"""Property-based tests: any audit round-trips, any file loads or fails cleanly."""

import random
import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from send_audit.audit import (
    RATINGS,
    ActionPlan,
    AspectAnswer,
    Audit,
    ComplianceAnswer,
    new_audit,
)
from send_audit.checks import AnswerError, check_stored, parse_answer
from send_audit.criteria import default_criteria_dir, load_criteria
from send_audit.errors import SendAuditError
from send_audit.storage import load_audit, save_audit

CRITERIA = load_criteria()
EXAMPLES = settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Any text a keyboard or a paste can produce; lone surrogates cannot be UTF-8.
free_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
optional_text = st.none() | free_text
# Stored values of each kind of context question.
STORED_VALUES = {
    "count": st.integers(0, 10**9),
    "percentage": st.integers(0, 100) | st.floats(0, 100, allow_nan=False),
    "text": free_text,
    "narrative": free_text,
    "date": st.dates().map(lambda day: day.isoformat()),
    "choice": free_text,
}


@st.composite
def context_answers(draw) -> dict:
    questions = draw(
        st.lists(st.sampled_from(list(CRITERIA.context.questions.values())))
    )
    return {q.id: draw(st.none() | STORED_VALUES[q.kind]) for q in questions}


@st.composite
def audits(draw) -> Audit:
    audit = new_audit(CRITERIA.manifest.id, CRITERIA.manifest.version)
    audit.context.update(draw(context_answers()))
    for item in draw(st.lists(st.sampled_from(CRITERIA.compliance.items), max_size=3)):
        audit.compliance[item.id] = ComplianceAnswer(
            compliant=draw(st.sampled_from([None, "Y", "N"])), note=draw(optional_text)
        )
    for aspect_id in draw(
        st.lists(st.sampled_from(sorted(CRITERIA.aspects)), max_size=4)
    ):
        audit.aspects[aspect_id] = AspectAnswer(
            rating=draw(st.sampled_from([None, *RATINGS])),
            comment=draw(optional_text),
            next_steps=draw(optional_text),
        )
    for section in draw(st.lists(st.sampled_from(CRITERIA.sections), max_size=2)):
        audit.action_plans[section.id] = ActionPlan(
            strengths=draw(optional_text),
            development=draw(optional_text),
            actions=draw(optional_text),
        )
    audit.priorities = draw(optional_text)

    return audit


@EXAMPLES
@given(audits())
def test_saved_audit_loads_equal(audit):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.yaml"
        save_audit(audit, path)

        assert load_audit(path, CRITERIA) == audit


scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True)
    | free_text
    | st.sampled_from(["yes", "on", "0755", "2024-01-05", "1:30", "!!python/name:os"])
)
yaml_data = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            free_text | st.sampled_from(list(Audit.model_fields)), children, max_size=5
        )
    ),
    max_leaves=20,
)


def _load_or_fail_cleanly(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_audit(path, CRITERIA)
        except SendAuditError:
            pass


@EXAMPLES
@given(yaml_data)
def test_any_yaml_document_loads_or_fails_cleanly(data):
    _load_or_fail_cleanly(yaml.safe_dump(data, allow_unicode=True))


def _example_audit_text() -> str:
    audit = new_audit(CRITERIA.manifest.id, CRITERIA.manifest.version)
    audit.context.update(
        {"school": "Oakfield", "number_on_roll": 412, "census_year": "2026"}
    )
    audit.compliance["equality_objectives"] = ComplianceAnswer(compliant="Y", note="x")
    audit.aspects["inclusive_ethos"] = AspectAnswer(rating="green", comment="a\nb")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "audit.yaml"
        save_audit(audit, path)
        return path.read_text(encoding="utf-8")


EXAMPLE_AUDIT_LINES = _example_audit_text().splitlines()


@EXAMPLES
@given(
    st.integers(0, len(EXAMPLE_AUDIT_LINES) - 1),
    st.sampled_from(["delete", "replace", "insert", "cut"]),
    free_text,
)
def test_hand_edited_audit_loads_or_fails_cleanly(line, edit, text):
    lines = list(EXAMPLE_AUDIT_LINES)
    if edit == "delete":
        del lines[line]
    elif edit == "replace":
        key = lines[line].split(":")[0]
        lines[line] = f"{key}: {text}"
    elif edit == "insert":
        lines.insert(line, text)
    else:
        lines[line] = lines[line][: len(text)]

    _load_or_fail_cleanly("\n".join(lines) + "\n")


CRITERIA_FILES = sorted(p.name for p in default_criteria_dir().glob("*.yaml"))


@EXAMPLES
@given(st.sampled_from(CRITERIA_FILES), st.integers(0, 10**6), scalars)
def test_edited_criteria_load_or_fail_cleanly(name, seed, value):
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "criteria"
        shutil.copytree(default_criteria_dir(), copy)
        path = copy / name
        lines = path.read_text(encoding="utf-8").splitlines()
        index = random.Random(seed).randrange(len(lines))
        key = lines[index].split(":")[0]
        lines[index] = (
            f"{key}: {yaml.safe_dump(value, default_flow_style=True).strip()}"
        )
        path.write_text(
            "\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass"
        )
        try:
            load_criteria(copy)
        except SendAuditError:
            pass


@EXAMPLES
@given(st.sampled_from(list(CRITERIA.context.questions.values())), free_text)
def test_typed_answer_accepted_or_rejected_with_message(question, text):
    try:
        value = parse_answer(question, text)
    except AnswerError as error:
        assert str(error)
        return

    assert check_stored(question, value) == value
