"""The questions of an audit as an ordered list of steps, one prompt each.

A step records where its answer is stored in the audit, whether it has been answered and
how to ask it. Steps are grouped into units (a figure, a compliance item, an
aspect, an action plan) that the review menu offers as one entry, and into parts,
in the form's order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from send_audit.audit import Audit
from send_audit.checks import is_allowed
from send_audit.criteria import Criteria, Question

ACTION_PLAN_PART = "action_plan"
PRIORITIES_PART = "priorities"
ACTION_PLAN_FIELDS = ("strengths", "development", "actions")

# Names of the stored fields in menus, in the form's words.
_FIELD_TITLES = {
    "rating": "rating",
    "comment": "evaluation comment",
    "next_steps": "next steps",
    "strengths": "areas of strength",
    "development": "areas for development",
    "actions": "recommended actions",
}


@dataclass(frozen=True)
class Step:
    """One prompt of the interview.

    Attributes:
        key: Where the answer is stored, such as ("aspects", id, "rating").
        part: The id of the part it belongs to.
        unit: The id of the menu entry it belongs to, such as an aspect id.
        title: What it asks, in a few words, for menus.
        heading: The heading printed above it when the interview reaches it.
        answered: Whether the audit holds a valid answer for it.
        applies: Whether it is asked at all, given the other answers.
    """

    key: tuple[str, ...]
    part: str
    unit: str
    title: str
    heading: str
    answered: Callable[[Audit], bool]
    applies: Callable[[Audit], bool] = lambda audit: True


def build_steps(criteria: Criteria) -> list[Step]:
    """Return every step of the criteria, in the order the form asks them."""
    steps = []
    for group in criteria.context.groups:
        heading = group.title
        for question in group.questions:
            steps.append(
                Step(
                    key=("context", question.id),
                    part=criteria.context.id,
                    unit=question.id,
                    title=question.label,
                    heading=heading,
                    answered=_context_answered(question),
                )
            )

    for item in criteria.compliance.items:
        for field in ("compliant", "note"):
            steps.append(
                Step(
                    key=("compliance", item.id, field),
                    part=criteria.compliance.id,
                    unit=item.id,
                    title=item.title if field == "compliant" else f"{item.title}: note",
                    heading=criteria.compliance.title,
                    answered=_entry_answered("compliance", item.id, field),
                    applies=_always
                    if field == "compliant"
                    else _compliance_given(item.id),
                )
            )

    for section in criteria.sections:
        heading = f"{section.number}. {section.title}"
        for number, aspect in enumerate(section.aspects, start=1):
            for field in ("rating", "comment", "next_steps"):
                steps.append(
                    Step(
                        key=("aspects", aspect.id, field),
                        part=section.id,
                        unit=aspect.id,
                        title=f"aspect {number}, {_FIELD_TITLES[field]}",
                        heading=heading,
                        answered=_entry_answered("aspects", aspect.id, field),
                        applies=_always
                        if field == "rating"
                        else _aspect_rated(aspect.id),
                    )
                )

    for section in criteria.sections:
        for field in ACTION_PLAN_FIELDS:
            steps.append(
                Step(
                    key=("action_plans", section.id, field),
                    part=ACTION_PLAN_PART,
                    unit=section.id,
                    title=_FIELD_TITLES[field],
                    heading=f"Action plan: {section.number}. {section.title}",
                    answered=_entry_answered("action_plans", section.id, field),
                )
            )

    steps.append(
        Step(
            key=("priorities",),
            part=PRIORITIES_PART,
            unit=PRIORITIES_PART,
            title="priorities",
            heading="Summary of recommended priorities",
            answered=lambda audit: audit.priorities is not None,
        )
    )

    return steps


def first_unanswered(
    steps: list[Step], audit: Audit, skipped=frozenset()
) -> int | None:
    """Return the index of the first step still to be asked, or None when done."""
    for index, step in enumerate(steps):
        if step.key in skipped or not step.applies(audit):
            continue
        if not step.answered(audit):
            return index

    return None


def _always(audit: Audit) -> bool:
    return True


def _context_answered(question: Question) -> Callable[[Audit], bool]:
    # An answer the current criteria no longer allow is asked again.
    def answered(audit: Audit) -> bool:
        return is_allowed(question, audit.context.get(question.id))

    return answered


def _entry_answered(section: str, entry_id: str, field: str) -> Callable[[Audit], bool]:
    def answered(audit: Audit) -> bool:
        entry = getattr(audit, section).get(entry_id)
        return entry is not None and getattr(entry, field) is not None

    return answered


def _compliance_given(item_id: str) -> Callable[[Audit], bool]:
    def applies(audit: Audit) -> bool:
        entry = audit.compliance.get(item_id)
        return entry is not None and entry.compliant is not None

    return applies


def _aspect_rated(aspect_id: str) -> Callable[[Audit], bool]:
    def applies(audit: Audit) -> bool:
        entry = audit.aspects.get(aspect_id)
        return entry is not None and entry.rating is not None

    return applies
