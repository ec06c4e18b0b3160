"""How far an audit has got: answers counted by part of the form and by rating."""

from dataclasses import dataclass

from send_audit.audit import RATINGS, Audit, Rating
from send_audit.criteria import Criteria, SectionPart

ACTION_PLAN_ID = "action_plan"
ACTION_PLAN_TITLE = "Action plan"
PRIORITIES_ID = "priorities"
PRIORITIES_TITLE = "Summary of recommended priorities"


@dataclass(frozen=True)
class PartProgress:
    """The answered and total counts of one part of the form."""

    id: str
    title: str
    answered: int
    total: int


def part_progress(audit: Audit, criteria: Criteria) -> list[PartProgress]:
    """Count the answers of each part, in the form's order.

    An answer counts once it is not None, so an answer deliberately left empty ("")
    counts as answered. Answers stored under ids that the criteria no longer have
    are not counted.

    Args:
        audit: The audit to measure.
        criteria: The criteria set it is measured against.

    Returns:
        The context part, the compliance part, each section, the action plan (one
        per section) and the priorities.
    """
    context = criteria.context
    compliance = criteria.compliance
    parts = [
        PartProgress(
            context.id,
            context.title,
            sum(audit.context.get(q) is not None for q in context.questions),
            len(context.questions),
        ),
        PartProgress(
            compliance.id,
            compliance.title,
            sum(_is_compliance_answered(audit, item.id) for item in compliance.items),
            len(compliance.items),
        ),
    ]
    for section in criteria.sections:
        rated = sum(_is_rated(audit, aspect.id) for aspect in section.aspects)
        parts.append(
            PartProgress(section.id, section.title, rated, len(section.aspects))
        )

    planned = sum(_is_plan_complete(audit, s.id) for s in criteria.sections)
    parts.append(
        PartProgress(ACTION_PLAN_ID, ACTION_PLAN_TITLE, planned, len(criteria.sections))
    )
    parts.append(
        PartProgress(
            PRIORITIES_ID, PRIORITIES_TITLE, int(audit.priorities is not None), 1
        )
    )

    return parts


def audit_progress(audit: Audit, criteria: Criteria) -> tuple[int, int]:
    """Return the answered and total counts over every part of the form."""
    parts = part_progress(audit, criteria)

    return sum(p.answered for p in parts), sum(p.total for p in parts)


def count_ratings(audit: Audit, section: SectionPart) -> dict[Rating | None, int]:
    """Count the section's aspects by rating, with None for those not rated yet."""
    counts: dict[Rating | None, int] = dict.fromkeys((*RATINGS, None), 0)
    for aspect in section.aspects:
        answer = audit.aspects.get(aspect.id)
        counts[None if answer is None else answer.rating] += 1

    return counts


def _is_compliance_answered(audit: Audit, item_id: str) -> bool:
    answer = audit.compliance.get(item_id)
    return answer is not None and answer.compliant is not None


def _is_rated(audit: Audit, aspect_id: str) -> bool:
    answer = audit.aspects.get(aspect_id)
    return answer is not None and answer.rating is not None


def _is_plan_complete(audit: Audit, section_id: str) -> bool:
    plan = audit.action_plans.get(section_id)
    if plan is None:
        return False

    return None not in (plan.strengths, plan.development, plan.actions)
