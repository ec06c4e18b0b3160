"""Drafts built from the ratings, for the SENCo to accept or edit."""

from send_audit.audit import Audit
from send_audit.criteria import Criteria, SectionPart


def draft_action_plan(audit: Audit, section: SectionPart) -> dict[str, str]:
    """Draft a section's action plan from its ratings.

    Green aspects become areas of strength, Red and Amber ones areas for
    development, and the next steps of those Red and Amber aspects the recommended
    actions.

    Returns:
        The draft text of `strengths`, `development` and `actions`, one bullet a line.
    """
    strengths, development, actions = [], [], []
    for aspect in section.aspects:
        answer = audit.aspects.get(aspect.id)
        if answer is None or answer.rating is None:
            continue
        if answer.rating == "green":
            strengths.append(f"- {aspect.text}")
        else:
            development.append(f"- {aspect.text} ({answer.rating.capitalize()})")
            if answer.next_steps:
                actions.append(f"- {_one_line(answer.next_steps)}")

    return {
        "strengths": "\n".join(strengths),
        "development": "\n".join(development),
        "actions": "\n".join(actions),
    }


def draft_priorities(audit: Audit, criteria: Criteria) -> str:
    """Draft the summary of priorities: the actions for Red aspects, section by section.

    Where no aspect is Red, the actions for Amber aspects are used instead.
    """
    for rating in ("red", "amber"):
        lines = []
        for section in criteria.sections:
            for aspect in section.aspects:
                answer = audit.aspects.get(aspect.id)
                if answer is None or answer.rating != rating:
                    continue
                action = _one_line(answer.next_steps or "") or aspect.text
                lines.append(f"- {section.title}: {action}")
        if lines:
            return "\n".join(lines)

    return ""


def _one_line(text: str) -> str:
    return " ".join(text.split())
