"""Answers given in a YAML file instead of at the prompts.

The file uses the same layout and ids as an audit file, for example::

    context:
      school: "Oakfield Primary School"
      number_on_roll: 412
    compliance:
      equality_objectives: {compliant: "Y", note: "Published on the website"}
    aspects:
      slt_understand_duties: {rating: green, comment: "...", next_steps: "..."}
    action_plans:
      culture_leadership_management:
        {strengths: "...", development: "...", actions: "..."}
    priorities: "..."

Every value goes through the same check as the prompt for it, and every problem is
reported at once.
"""

from pathlib import Path

from send_audit.audit import RATINGS, ActionPlan, AspectAnswer, Audit, ComplianceAnswer
from send_audit.checks import AnswerError, check_stored, parse_yes_no
from send_audit.criteria import Criteria
from send_audit.errors import InvalidAnswersError, InvalidFileError
from send_audit.figures import broken_rules
from send_audit.steps import ACTION_PLAN_FIELDS
from send_audit.yamlfile import load_yaml

_TOP_LEVEL = ("context", "compliance", "aspects", "action_plans", "priorities")


def load_answers(path: Path, criteria: Criteria) -> dict:
    """Read an answers file and check every value as the prompts would.

    Returns:
        The checked answers, in the file's layout, with values as they are stored.

    Raises:
        InvalidAnswersError: Listing every problem with its id and value.
    """
    data = load_yaml(path, InvalidFileError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidAnswersError(
            f"{path}: expected a mapping with {', '.join(_TOP_LEVEL)}"
        )

    problems: list[str] = []
    checked: dict = {}
    for key in data:
        if key not in _TOP_LEVEL:
            problems.append(f"{key}: unknown part; allowed: {', '.join(_TOP_LEVEL)}")
    checked["context"] = _check_context(data.get("context"), criteria, problems)
    checked["compliance"] = _check_compliance(
        data.get("compliance"), criteria, problems
    )
    checked["aspects"] = _check_aspects(data.get("aspects"), criteria, problems)
    checked["action_plans"] = _check_action_plans(
        data.get("action_plans"), criteria, problems
    )
    if data.get("priorities") is not None:
        checked["priorities"] = _check_text("priorities", data["priorities"], problems)

    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        raise InvalidAnswersError(f"{path}: {len(problems)} invalid answers:\n{lines}")

    return checked


def apply_answers(audit: Audit, answers: dict, criteria: Criteria) -> list[str]:
    """Store checked answers in the audit, replacing earlier ones.

    Returns:
        The rules between counts that the answers break, described for the SENCo.
    """
    audit.context.update(answers.get("context", {}))
    for item_id, fields in answers.get("compliance", {}).items():
        entry = audit.compliance.setdefault(item_id, ComplianceAnswer())
        for name, value in fields.items():
            setattr(entry, name, value)
    for aspect_id, fields in answers.get("aspects", {}).items():
        entry = audit.aspects.setdefault(aspect_id, AspectAnswer())
        for name, value in fields.items():
            setattr(entry, name, value)
    for section_id, fields in answers.get("action_plans", {}).items():
        entry = audit.action_plans.setdefault(section_id, ActionPlan())
        for name, value in fields.items():
            setattr(entry, name, value)
    if "priorities" in answers:
        audit.priorities = answers["priorities"]

    labels = {q.id: q.label for q in criteria.context.questions.values()}

    return [b.describe(labels) for b in broken_rules(criteria.context, audit.context)]


def _mapping(part: str, value, problems: list[str]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(
            f"{part}: found {value!r}; expected a mapping of ids to answers"
        )
        return {}

    return value


def _check_context(values, criteria: Criteria, problems: list[str]) -> dict:
    checked = {}
    questions = criteria.context.questions
    for question_id, value in _mapping("context", values, problems).items():
        if question_id not in questions:
            problems.append(f"context.{question_id}: unknown question id")
            continue
        if value is None:
            continue
        try:
            checked[question_id] = check_stored(questions[question_id], value)
        except AnswerError as error:
            problems.append(f"context.{question_id}: {error}")

    return checked


def _check_compliance(values, criteria: Criteria, problems: list[str]) -> dict:
    checked = {}
    known = {item.id for item in criteria.compliance.items}
    for item_id, fields in _mapping("compliance", values, problems).items():
        where = f"compliance.{item_id}"
        if item_id not in known:
            problems.append(f"{where}: unknown compliance item id")
            continue
        fields = _fields(where, fields, ("compliant", "note"), problems)
        entry = {}
        if fields.get("compliant") is not None:
            value = fields["compliant"]
            try:
                if not isinstance(value, str):
                    raise AnswerError(
                        f"{value!r} is not Y or N: answer Y (yes) or N (no)"
                    )
                entry["compliant"] = parse_yes_no(value)
            except AnswerError as error:
                problems.append(f"{where}.compliant: {error}")
        if fields.get("note") is not None:
            entry["note"] = _check_text(f"{where}.note", fields["note"], problems)
        checked[item_id] = entry

    return checked


def _check_aspects(values, criteria: Criteria, problems: list[str]) -> dict:
    checked = {}
    for aspect_id, fields in _mapping("aspects", values, problems).items():
        where = f"aspects.{aspect_id}"
        if aspect_id not in criteria.aspects:
            problems.append(f"{where}: unknown aspect id")
            continue
        fields = _fields(where, fields, ("rating", "comment", "next_steps"), problems)
        entry = {}
        rating = fields.get("rating")
        if rating is not None:
            word = rating.strip().lower() if isinstance(rating, str) else rating
            if word in RATINGS:
                entry["rating"] = word
            else:
                problems.append(
                    f"{where}.rating: found {rating!r}; allowed: red, amber, green"
                )
        for name in ("comment", "next_steps"):
            if fields.get(name) is not None:
                entry[name] = _check_text(f"{where}.{name}", fields[name], problems)
        checked[aspect_id] = entry

    return checked


def _check_action_plans(values, criteria: Criteria, problems: list[str]) -> dict:
    checked = {}
    known = {section.id for section in criteria.sections}
    for section_id, fields in _mapping("action_plans", values, problems).items():
        where = f"action_plans.{section_id}"
        if section_id not in known:
            problems.append(f"{where}: unknown section id")
            continue
        fields = _fields(where, fields, ACTION_PLAN_FIELDS, problems)
        checked[section_id] = {
            name: _check_text(f"{where}.{name}", value, problems)
            for name, value in fields.items()
            if value is not None
        }

    return checked


def _fields(where: str, fields, allowed: tuple[str, ...], problems: list[str]) -> dict:
    if not isinstance(fields, dict):
        problems.append(
            f"{where}: found {fields!r}; expected fields {', '.join(allowed)}"
        )
        return {}
    for name in fields:
        if name not in allowed:
            problems.append(
                f"{where}.{name}: unknown field; allowed: {', '.join(allowed)}"
            )

    return {name: value for name, value in fields.items() if name in allowed}


def _check_text(where: str, value, problems: list[str]) -> str | None:
    if isinstance(value, str):
        return value.strip()
    problems.append(f"{where}: found {value!r}; expected text (put it in quotes)")

    return None
