"""The review menu of `resume`: progress by part, continuing, changing any answer.

questionary has no key to go back to an earlier question, so `resume` offers this
menu instead: continue at the first unanswered question, or pick a part and an
answer to change.
"""

from rich.table import Table
from rich.text import Text

from send_audit import prompts
from send_audit.interview import (
    Session,
    ask_step,
    print_heading,
    print_saved,
    run_steps,
)
from send_audit.progress import part_progress
from send_audit.steps import Step, first_unanswered
from send_audit.summary import printable_text
from send_audit.theme import RATING_WORDS


def review_menu(session: Session, steps: list[Step]) -> None:
    """Offer to continue, change an answer or quit, until the SENCo quits."""
    while True:
        _print_progress(session)
        index = first_unanswered(steps, session.audit, frozenset(session.skipped))
        choices = []
        if index is not None:
            step = steps[index]
            choices.append((f"Continue at: {step.heading}, {step.title}", "continue"))
        choices += [
            ("Go to a part and change an answer", "part"),
            ("Save and quit", "quit"),
        ]
        if index is None:
            session.console.print(
                Text("Every question is answered.", style="heading"), soft_wrap=True
            )
        action = prompts.ask_choice("What next?", choices)
        if action == "quit":
            print_saved(session)
            return
        if action == "continue":
            run_steps(session, steps, index)
        else:
            _choose_part(session, steps)


def _print_progress(session: Session) -> None:
    school = printable_text(session.audit.school) or "Audit"
    table = Table(title=Text(school), title_justify="left")
    table.add_column("Part")
    table.add_column("Answered", justify="right")
    for progress in part_progress(session.audit, session.criteria):
        done = progress.answered == progress.total
        style = "" if done else "unanswered"
        table.add_row(
            Text(progress.title),
            Text(f"{progress.answered}/{progress.total}", style=style),
        )
    session.console.print(table)


def _choose_part(session: Session, steps: list[Step]) -> None:
    parts = part_progress(session.audit, session.criteria)
    choices = [(f"{p.title} ({p.answered}/{p.total})", p.id) for p in parts]
    part = prompts.ask_choice("Which part?", [*choices, ("Back", None)])
    if part is None:
        return
    while True:
        units = _units_of(steps, part)
        choices = [
            (_describe_unit(session, unit, unit_steps), unit)
            for unit, unit_steps in units.items()
        ]
        unit = prompts.ask_choice("Which answer?", [*choices, ("Back", None)])
        if unit is None:
            return
        session._aspect_on_screen = None
        for step in units[unit]:
            if step.applies(session.audit):
                print_heading(session, step)
                ask_step(session, step, revisit=True)
                session.save()


def _units_of(steps: list[Step], part: str) -> dict[str, list[Step]]:
    units: dict[str, list[Step]] = {}
    for step in steps:
        if step.part == part:
            units.setdefault(step.unit, []).append(step)

    return units


def _describe_unit(session: Session, unit: str, unit_steps: list[Step]) -> str:
    # The answer comes first, so a narrow terminal that cuts the line still shows it.
    audit = session.audit
    criteria = session.criteria
    kind = unit_steps[0].key[0]
    if kind == "context":
        question = criteria.context.questions[unit]
        value = audit.context.get(unit)
        shown = "not answered" if value is None else _shorten(str(value), 30)
        return f"[{shown}] {question.label}"
    if kind == "compliance":
        item = next(i for i in criteria.compliance.items if i.id == unit)
        answer = audit.compliance.get(unit)
        compliant = answer.compliant if answer else None
        return f"[{compliant or 'not answered'}] {item.title}"
    if kind == "aspects":
        answer = audit.aspects.get(unit)
        rating = RATING_WORDS[answer.rating if answer else None]
        return f"[{rating}] {_shorten(criteria.aspects[unit][1].text)}"
    if kind == "action_plans":
        section = next(s for s in criteria.sections if s.id == unit)
        done = all(step.answered(audit) for step in unit_steps)
        state = "answered" if done else "not answered"
        return f"[{state}] {section.number}. {section.title}"

    state = "answered" if audit.priorities is not None else "not answered"

    return f"[{state}] Summary of recommended priorities"


def _shorten(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
