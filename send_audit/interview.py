"""The interview: asks each step, saves after every answer, and offers a review menu.

Ctrl-C or Ctrl-D at any prompt raises `Interrupted` once the answers given so far
are on disk; the CLI turns it into the resume command and exit status 130.
"""

import datetime
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from send_audit import prompts
from send_audit.audit import (
    RATINGS,
    ActionPlan,
    AspectAnswer,
    Audit,
    ComplianceAnswer,
    now_iso,
)
from send_audit.checks import (
    AnswerError,
    check_stored,
    is_allowed,
    parse_answer,
    parse_text,
    parse_yes_no,
)
from send_audit.criteria import Criteria, Question
from send_audit.drafts import draft_action_plan, draft_priorities
from send_audit.figures import (
    broken_rules,
    compute_percentage,
    format_percentage,
    rule_question_ids,
)
from send_audit.progress import audit_progress
from send_audit.steps import ACTION_PLAN_FIELDS, Step, build_steps, first_unanswered
from send_audit.storage import save_audit
from send_audit.theme import RATING_WORDS


class Interrupted(Exception):
    """Ctrl-C or Ctrl-D at a prompt, raised after the audit is saved.

    Args:
        path: The saved audit, or None when nothing had been answered yet.
        kept_unfinished: Whether text typed but not finished was kept as the answer.
    """

    def __init__(self, path: Path | None, kept_unfinished: bool = False) -> None:
        self.path = path
        self.kept_unfinished = kept_unfinished
        super().__init__(str(path))


@dataclass
class Session:
    """One sitting at the terminal: the audit, where it is saved, and what was seen.

    Attributes:
        open_file: Called once the school is known, to choose the file and lock it;
            None when the audit already has a file.
        skipped: Steps the SENCo chose to skip for now in this sitting.
        after_date: Called once the date of audit is answered, so a new audit's file
            can take that date in its name.
        rules_left_for_later: Whether the SENCo chose to leave counts that break a
            rule between them until the next sitting.
    """

    criteria: Criteria
    audit: Audit
    console: Console
    path: Path | None = None
    open_file: Callable[["Session"], None] | None = None
    skipped: set = field(default_factory=set)
    before_group: Callable[["Session", str], None] | None = None
    after_date: Callable[["Session"], None] | None = None
    _heading: str = ""
    _groups_seen: set = field(default_factory=set)
    _aspect_on_screen: str | None = None
    rules_left_for_later: bool = False
    _saved: dict | None = None

    def __post_init__(self) -> None:
        # What is on disk already; an audit upgraded from an older format in memory
        # is written only once an answer changes it.
        self._saved = self._answers() if self.path is not None else None

    def save(self) -> None:
        """Write the audit to its file if an answer changed since the last save.

        Does nothing before the school is known, because the file is named after it.
        """
        if self.path is None and self.open_file is not None and self.audit.school:
            self.open_file(self)
        if self.path is None:
            return
        answers = self._answers()
        if answers == self._saved:
            return
        self.audit.updated = now_iso()
        save_audit(self.audit, self.path)
        self._saved = answers

    def _answers(self) -> dict:
        return self.audit.model_dump(exclude={"updated"})


def run_steps(session: Session, steps: list[Step], start: int = 0) -> None:
    """Ask every step from `start` on that applies and is still unanswered."""
    for step in steps[start:]:
        audit = session.audit
        if (
            step.key in session.skipped
            or not step.applies(audit)
            or step.answered(audit)
        ):
            continue
        print_heading(session, step)
        ask_step(session, step, revisit=False)
        session.save()


def interrupt_safely(session: Session, action: Callable[[], None]) -> None:
    """Run `action`; on Ctrl-C or Ctrl-D save and raise Interrupted."""
    try:
        action()
    except prompts.UnfinishedText as stop:
        session.save()
        raise Interrupted(session.path, kept_unfinished=stop.kept) from None
    except (KeyboardInterrupt, EOFError):
        session.save()
        raise Interrupted(session.path) from None


def run_new(session: Session) -> None:
    """Ask a new audit from the first question to the last."""
    steps = build_steps(session.criteria)

    def ask_all() -> None:
        _resolve_saved_rules(session)
        run_steps(session, steps)

    interrupt_safely(session, ask_all)
    _print_finish(session, steps)


def run_resume(session: Session) -> None:
    """Show progress, then continue or change answers through the review menu."""
    # The review menu is built on this module, so it is imported when it is used.
    from send_audit.review import review_menu

    steps = build_steps(session.criteria)

    def review() -> None:
        _resolve_saved_rules(session)
        review_menu(session, steps)

    interrupt_safely(session, review)


def ask_step(session: Session, step: Step, revisit: bool) -> None:
    """Ask one step and store its answer in the audit.

    Text typed into a long-text prompt before Ctrl-C is stored as the answer when
    it differs from what the prompt started with, because a paragraph is too much
    to lose to an interruption. The SENCo can edit it on resume.
    """
    try:
        _ask_step(session, step, revisit)
    except prompts.UnfinishedText as stop:
        stop.kept = bool(stop.changed and stop.text)
        if stop.kept:
            _store_text(session.audit, step.key, stop.text)
        raise


def _store_text(audit: Audit, key: tuple[str, ...], text: str) -> None:
    if key[0] == "context":
        audit.context[key[1]] = text
    elif key[0] == "priorities":
        audit.priorities = text
    else:
        setattr(getattr(audit, key[0])[key[1]], key[2], text)


def _ask_step(session: Session, step: Step, revisit: bool) -> None:
    kind = step.key[0]
    if kind == "context":
        _ask_context(session, session.criteria.context.questions[step.key[1]], revisit)
    elif kind == "compliance":
        _ask_compliance(session, step.key[1], step.key[2])
    elif kind == "aspects":
        _ask_aspect(session, step.key[1], step.key[2])
    elif kind == "action_plans":
        _ask_action_plan(session, step.key[1], step.key[2])
    else:
        _ask_priorities(session)


def print_heading(session: Session, step: Step) -> None:
    """Print the step's heading as a rule, unless it is the one printed last."""
    if step.heading == session._heading:
        return
    session._heading = step.heading
    session.console.print()
    session.console.rule(Text(step.heading, style="heading"))


def _ask_context(session: Session, question: Question, revisit: bool) -> None:
    context = session.criteria.context
    group = next(g for g in context.groups if question in g.questions)
    if not revisit and group.id not in session._groups_seen:
        session._groups_seen.add(group.id)
        if session.before_group is not None:
            session.before_group(session, group.id)
        if group.intro:
            session.console.print(Text(group.intro, style="notice"))
        # The census import may have just answered the question. An answer that
        # the criteria no longer allow is asked again all the same.
        if is_allowed(question, session.audit.context.get(question.id)):
            return
    if question.help:
        session.console.print(Text(question.help, style="notice"))
    current = session.audit.context.get(question.id)
    # The notice printed on resume may have scrolled away, and a choice prompt
    # cannot show a saved value that is no longer among its choices.
    reason = _disallowed_reason(question, current)
    if reason is not None:
        session.console.print(
            Text(f"The saved answer is no longer allowed ({reason}).", style="notice")
        )

    value = _prompt_question(question, current)
    session.audit.context[question.id] = value
    if question.id == "date_of_audit" and session.after_date is not None:
        session.after_date(session)
    if question.kind == "count":
        _print_new_percentages(session, question)
        session.save()
        _resolve_broken_rules(session, question)


def _prompt_question(question: Question, current) -> object:
    if question.kind == "choice":
        choices = [(choice, choice) for choice in question.choices]
        if current is None and question.default == "census_year":
            current = str(latest_census_year())
        return prompts.ask_choice(question.label, choices, default=current)
    if question.kind == "narrative":
        text = prompts.ask_long_text(question.label, default=_as_text(current))
        return parse_text(text)

    default = _as_text(current)
    if not default and question.default == "today":
        default = datetime.date.today().strftime("%d/%m/%Y")
    if question.kind == "date" and default[:4].isdigit() and len(default) == 10:
        default = datetime.date.fromisoformat(default).strftime("%d/%m/%Y")

    return prompts.ask_text(
        question.label, lambda text: parse_answer(question, text), default
    )


def latest_census_year(today: datetime.date | None = None) -> int:
    """Return the year of the latest January census: the current calendar year."""
    return (today or datetime.date.today()).year


def _as_text(value) -> str:
    return "" if value is None else str(value)


def _print_new_percentages(session: Session, question: Question) -> None:
    values = session.audit.context
    for percentage in session.criteria.context.percentages.values():
        terms = {t.lstrip("-") for t in percentage.numerator + percentage.denominator}
        if question.id not in terms:
            continue
        value = compute_percentage(percentage, values)
        if value is not None:
            shown = format_percentage(value)
            line = f"  {percentage.label}: {shown} {percentage.share_of}"
            session.console.print(Text(line, style="figure.share"))


def _disallowed_reason(question: Question, value) -> str | None:
    """Return why the criteria reject a saved answer, or None when they allow it."""
    if value is None:
        return None
    try:
        check_stored(question, value)
    except AnswerError as error:
        return str(error)

    return None


def _resolve_saved_rules(session: Session) -> None:
    # Ctrl-C at a correction, an answers file or a hand edit can leave saved figures
    # that break a rule. They are corrected before anything else is asked.
    for question in session.criteria.context.questions.values():
        if question.kind == "count":
            _resolve_broken_rules(session, question)


def _resolve_broken_rules(session: Session, question: Question) -> None:
    context = session.criteria.context
    labels = {q.id: q.label for q in context.questions.values()}
    while not session.rules_left_for_later:
        broken = [
            b
            for b in broken_rules(context, session.audit.context)
            if question.id in rule_question_ids(b.rule)
        ]
        if not broken:
            return
        rule = broken[0]
        session.console.print(Text(rule.describe(labels), style="error"))
        choices = [
            (f"{session.audit.context.get(qid)}: {labels[qid]}", qid)
            for qid in rule_question_ids(rule.rule)
        ]
        choices.append(("Leave the figures for now (asked again on resume)", None))
        wrong = prompts.ask_choice("Which figure needs correcting?", choices)
        if wrong is None:
            # The SENCo may not have the figures to hand; the summary and export
            # show the broken rule until it is corrected.
            session.rules_left_for_later = True
            return
        target = context.questions[wrong]
        session.audit.context[wrong] = _prompt_question(
            target, session.audit.context.get(wrong)
        )
        _print_new_percentages(session, target)
        session.save()
        if target.id != question.id:
            # The corrected figure may break a rule that this question is not in.
            _resolve_broken_rules(session, target)


def _ask_compliance(session: Session, item_id: str, field_name: str) -> None:
    item = next(i for i in session.criteria.compliance.items if i.id == item_id)
    answer = session.audit.compliance.setdefault(item_id, ComplianceAnswer())
    if field_name == "compliant":
        body = Text()
        body.append(item.requirement + "\n\n")
        for source in item.sources:
            where = ", ".join(
                part
                for part in (
                    source.document,
                    f"paragraph {source.paragraph}" if source.paragraph else "",
                    f"page {source.page}" if source.page else "",
                )
                if part
            )
            body.append(f"Source: {where}\n", style="figure.share")
        body.append("\n")
        body.append(item.question, style="heading")
        session.console.print(Panel(body, title=Text(item.title), title_align="left"))
        answer.compliant = prompts.ask_text(
            "Compliant? (Y/N)", parse_yes_no, default=answer.compliant or ""
        )
    else:
        answer.note = prompts.ask_text(
            "Note or evidence (optional; Enter to leave empty)",
            parse_text,
            default=answer.note or "",
        )


def _ask_aspect(session: Session, aspect_id: str, field_name: str) -> None:
    section, aspect = session.criteria.aspects[aspect_id]
    answer = session.audit.aspects.setdefault(aspect_id, AspectAnswer())
    if session._aspect_on_screen != aspect_id:
        # Every prompt of an aspect is asked under its own panel, also when the
        # interview starts at its comment or a skipped aspect came before it.
        session._aspect_on_screen = aspect_id
        session.console.print(_aspect_panel(aspect, section))
        if field_name != "rating":
            word = RATING_WORDS[answer.rating]
            session.console.print(Text(f"Rating: {word}", style="heading"))
    if field_name == "rating":
        choices = [(RATING_WORDS[r], r) for r in RATINGS] + [("Skip for now", None)]
        before = answer.rating
        rating = prompts.ask_choice("Rating", choices, default=answer.rating)
        answer.rating = rating
        if rating != before:
            # An action plan drafted from the earlier ratings no longer matches.
            session.save()
            _offer_redraft(session, section)
        if rating is None:
            session.skipped.add(("aspects", aspect_id, "rating"))
        else:
            session.skipped.discard(("aspects", aspect_id, "rating"))
    elif field_name == "comment":
        answer.comment = prompts.ask_long_text(
            "Evaluation comment, with specific examples", default=answer.comment or ""
        )
    else:
        answer.next_steps = prompts.ask_long_text(
            "Next steps (to agree with SLT and the SEND governor)",
            default=answer.next_steps or "",
        )


def _offer_redraft(session: Session, section) -> None:
    """Offer a new action plan draft once a rating of its section has changed."""
    plan = session.audit.action_plans.get(section.id)
    if plan is None or all(getattr(plan, name) is None for name in ACTION_PLAN_FIELDS):
        return
    draft = draft_action_plan(session.audit, section)
    session.console.print(draft_panel(draft))
    question = (
        f"The action plan of {section.number}. {section.title} was written before "
        "this rating changed. Replace it with this new draft?"
    )
    if prompts.ask_confirm(question, default=False):
        for name in ACTION_PLAN_FIELDS:
            setattr(plan, name, draft[name])
        session.save()
        session.console.print(
            Text("Check the summary of recommended priorities too.", style="notice")
        )


def _aspect_panel(aspect, section) -> Panel:
    # A two-column grid gives each evidence example a hanging indent when it wraps.
    evidence = Table.grid(padding=(0, 1))
    evidence.add_column(no_wrap=True)
    evidence.add_column()
    for example in aspect.evidence:
        if isinstance(example, str):
            evidence.add_row("•", Text(example))
            continue
        nested = Table.grid(padding=(0, 1))
        nested.add_column(no_wrap=True)
        nested.add_column()
        for item in example.items:
            nested.add_row("-", Text(item))
        evidence.add_row("•", Group(Text(example.text), nested))
    body = Group(
        Text(aspect.text, style="heading"),
        Text(""),
        Text("Examples of evidence:"),
        evidence,
    )
    index = [a.id for a in section.aspects].index(aspect.id) + 1
    title = Text(f"{section.title}: aspect {index} of {len(section.aspects)}")

    return Panel(body, title=title, title_align="left")


def _ask_action_plan(session: Session, section_id: str, field_name: str) -> None:
    section = next(s for s in session.criteria.sections if s.id == section_id)
    plan = session.audit.action_plans.setdefault(section_id, ActionPlan())
    draft = draft_action_plan(session.audit, section)
    untouched = all(getattr(plan, name) is None for name in ACTION_PLAN_FIELDS)
    if untouched and any(draft.values()):
        session.console.print(draft_panel(draft))
        if prompts.ask_confirm("Use this draft as it is?", default=True):
            for name in ACTION_PLAN_FIELDS:
                setattr(plan, name, draft[name])
            return

    current = getattr(plan, field_name)
    default = draft[field_name] if current is None else current
    label = _PLAN_LABELS[field_name]
    setattr(plan, field_name, prompts.ask_long_text(label, default=default))


# The action plan's fields as the form heads them.
_PLAN_LABELS = {
    "strengths": "Areas of strength",
    "development": "Areas for development",
    "actions": "Recommended actions",
}


def draft_panel(draft: dict[str, str]) -> Panel:
    """Return a panel of a drafted action plan, a row per field."""
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(style="heading", no_wrap=True)
    table.add_column()
    for name in ACTION_PLAN_FIELDS:
        table.add_row(_PLAN_LABELS[name], Text(draft[name] or "(none)"))

    return Panel(table, title="Draft built from the ratings")


def _ask_priorities(session: Session) -> None:
    current = session.audit.priorities
    default = (
        draft_priorities(session.audit, session.criteria)
        if current is None
        else current
    )
    if current is None and default:
        session.console.print(
            Text(
                "A draft from the Red (or Amber) aspects is filled in; edit it freely."
            )
        )
    session.audit.priorities = prompts.ask_long_text(
        "Summary of recommended priorities", default=default
    )


def _print_finish(session: Session, steps: list[Step]) -> None:
    session.console.print()
    if first_unanswered(steps, session.audit) is None:
        session.console.print(Text("The audit is complete.", style="heading"))
    else:
        answered, total = audit_progress(session.audit, session.criteria)
        session.console.print(
            Text(
                f"{answered} of {total} questions are answered; resume the audit to "
                "answer the rest.",
                style="heading",
            )
        )
    print_saved(session)


def print_saved(session: Session) -> None:
    """Print where the audit is saved and the commands that use it next."""
    console = session.console
    path = shlex.quote(str(session.path))
    console.print(Text(f"Saved in {session.path}."), soft_wrap=True)
    if first_unanswered(build_steps(session.criteria), session.audit) is not None:
        console.print(Text(f"Carry on with: send-audit resume {path}"), soft_wrap=True)
    console.print(Text(f"See it with: send-audit summary {path}"), soft_wrap=True)
    console.print(
        Text(f"Report: send-audit export {path} -o report.md"), soft_wrap=True
    )
