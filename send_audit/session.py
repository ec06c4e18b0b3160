"""Starting and resuming an interview: terminals, files, locks and answers files."""

import os
import shlex
import sys
from contextlib import ExitStack
from pathlib import Path

from rich.console import Console
from rich.text import Text

from send_audit.answers import apply_answers, load_answers
from send_audit.audit import Audit, new_audit
from send_audit.checks import AnswerError, check_stored
from send_audit.criteria import Criteria
from send_audit.errors import (
    EXIT_INCOMPLETE,
    EXIT_INTERRUPTED,
    NotATerminalError,
    SendAuditError,
)
from send_audit.lock import AuditLock
from send_audit.progress import audit_progress
from send_audit.steps import build_steps, first_unanswered
from send_audit.storage import audit_path_for, load_audit, save_audit
from send_audit.theme import make_console


def stdin_is_terminal() -> bool:
    """Return whether the prompts have a terminal to read keys from and draw on.

    Both standard input and standard output must be terminals: prompt_toolkit
    draws on standard output, so with it redirected the questions would go into
    the file instead of onto the screen.
    """
    try:
        return all(
            stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout)
        )
    except (AttributeError, ValueError):
        return False


def start_new(
    criteria: Criteria, folder: Path, answers_path: Path | None, hint: str
) -> int:
    """Run `send-audit new` and return the exit status."""
    answers = load_answers(answers_path, criteria) if answers_path else None
    terminal = stdin_is_terminal()
    if not terminal and answers is None:
        raise NotATerminalError(
            "send-audit new needs a terminal to ask its questions, with neither input "
            "nor output redirected; "
            "to give the answers in a file instead, use --answers FILE"
        )

    console = make_console()
    audit = new_audit(criteria.manifest.id, criteria.manifest.version)
    with ExitStack() as stack:
        if answers is not None:
            _report_rules(console, apply_answers(audit, answers, criteria))
            if not audit.school:
                raise SendAuditError(
                    f"{answers_path}: context.school is missing; the school's name is "
                    "needed to name the audit file"
                )
            path = _choose_new_path(folder, audit, console, terminal)
            stack.enter_context(AuditLock(path, _notifier(console)))
            save_audit(audit, path)
            if not terminal:
                return _report_remaining(console, criteria, audit, path, hint)
            return _interview(
                console, criteria, audit, path, hint, resume=False, stack=stack
            )

        return _interview(
            console,
            criteria,
            audit,
            None,
            hint,
            resume=False,
            stack=stack,
            folder=folder,
        )


def resume_existing(
    criteria: Criteria, path: Path, answers_path: Path | None, hint: str
) -> int:
    """Run `send-audit resume` and return the exit status."""
    audit = load_audit(path, criteria)
    answers = load_answers(answers_path, criteria) if answers_path else None
    terminal = stdin_is_terminal()
    if not terminal and answers is None:
        raise NotATerminalError(
            "send-audit resume needs a terminal to ask its questions, with neither "
            "input nor output redirected; "
            "to give the answers in a file instead, use --answers FILE"
        )

    console = make_console()
    with ExitStack() as stack:
        stack.enter_context(AuditLock(path, _notifier(console)))
        _report_criteria_changes(console, criteria, audit)
        if answers is not None:
            before = audit.model_dump(mode="json")
            _report_rules(console, apply_answers(audit, answers, criteria))
            _report_replaced(console, before, audit.model_dump(mode="json"))
            save_audit(audit, path)
            if not terminal:
                return _report_remaining(console, criteria, audit, path, hint)

        return _interview(
            console, criteria, audit, path, hint, resume=True, stack=stack
        )


def _interview(
    console: Console,
    criteria: Criteria,
    audit: Audit,
    path: Path | None,
    hint: str,
    resume: bool,
    stack: ExitStack,
    folder: Path | None = None,
) -> int:
    from send_audit.interview import Interrupted, Session, run_new, run_resume

    locks: list[AuditLock] = []

    def open_file(session: Session) -> None:
        chosen = _choose_new_path(folder, session.audit, console, terminal=True)
        locks.append(stack.enter_context(AuditLock(chosen, _notifier(console))))
        session.path = chosen
        session.open_file = None

    def follow_date(session: Session) -> None:
        # A new audit's file is named when the school is known, after the day it was
        # started. Once the SENCo gives another date of audit, the file takes it.
        if not locks or session.path is None:
            return
        wanted = audit_path_for(
            folder, session.audit.school, session.audit.date_of_audit
        )
        if wanted != session.path and rename_audit(session.path, wanted, locks[-1]):
            session.path = wanted

    session = Session(
        criteria=criteria,
        audit=audit,
        console=console,
        path=path,
        open_file=open_file if path is None else None,
        before_group=_census_offer() if not resume else None,
        after_date=follow_date if not resume else None,
    )
    try:
        if resume:
            run_resume(session)
        else:
            run_new(session)
    except Interrupted as stop:
        _print_interrupted(stop.path, hint, stop.kept_unfinished)
        return EXIT_INTERRUPTED

    return 0


def rename_audit(path: Path, wanted: Path, lock: AuditLock) -> bool:
    """Rename an audit and its lock, unless the new name is taken.

    Returns:
        Whether the audit now lives at `wanted`.
    """
    if not lock.move_to(wanted):
        return False
    try:
        # A hard link, unlike a rename, fails instead of replacing a file that
        # another audit has just taken.
        os.link(path, wanted)
    except FileExistsError:
        lock.move_to(path)
        return False
    path.unlink()

    return True


def _print_interrupted(path: Path | None, hint: str, kept_unfinished: bool) -> None:
    console = make_console(stderr=True)
    console.print()
    if path is None:
        console.print(
            Text("Stopped. Nothing was saved, because no answer had been given yet.")
        )
        return
    console.print(Text(f"Stopped. Every answer so far is saved in {path}."))
    if kept_unfinished:
        console.print(
            Text(
                "The text you were typing is kept as that answer; change it after "
                "resuming, under Go to a part and change an answer."
            )
        )
    console.print(Text("To carry on, run:"))
    # Unwrapped, so that a long path stays one command when copied from the screen.
    console.print(
        Text(f"  send-audit resume {shlex.quote(str(path))}{hint}"), soft_wrap=True
    )


def _choose_new_path(
    folder: Path, audit: Audit, console: Console, terminal: bool
) -> Path:
    """Return a free path for a new audit, asking before reusing a taken name."""
    path = audit_path_for(
        folder, audit.school, audit.date_of_audit or audit.created[:10]
    )
    if not path.exists():
        return path

    alternative = _free_alternative(path)
    message = f"{path} already contains an audit."
    if not terminal:
        raise SendAuditError(
            f"{message} Resume it with: send-audit resume {shlex.quote(str(path))}"
        )

    from send_audit import prompts

    console.print(Text(message, style="notice"))
    choice = prompts.ask_choice(
        "It will not be overwritten. What would you like to do?",
        [
            (f"Keep both: save this new audit as {alternative.name}", "keep"),
            ("Stop here, so I can resume the existing audit", "stop"),
        ],
    )
    if choice == "stop":
        raise SendAuditError(
            "Stopped. Resume the existing audit with: "
            f"send-audit resume {shlex.quote(str(path))}"
        )

    return alternative


def _free_alternative(path: Path) -> Path:
    number = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
        number += 1


def _notifier(console: Console):
    return lambda message: console.print(Text(message, style="notice"))


def _report_replaced(console: Console, before: dict, after: dict) -> None:
    """List the answers that an answers file replaced, so none changes unnoticed."""
    replaced = [
        key
        for key, value in _flatten(before).items()
        if value is not None and _flatten(after).get(key) != value
    ]
    if replaced:
        console.print(Text("The answers file replaced these saved answers:"))
    for key in replaced:
        console.print(Text(f"  {key}"), soft_wrap=True)


def _flatten(data: dict) -> dict[str, object]:
    flat = {}
    for part in ("context", "compliance", "aspects", "action_plans"):
        for entry_id, entry in data[part].items():
            if isinstance(entry, dict):
                for name, value in entry.items():
                    flat[f"{part}.{entry_id}.{name}"] = value
            else:
                flat[f"{part}.{entry_id}"] = entry
    flat["priorities"] = data["priorities"]

    return flat


def _report_rules(console: Console, broken: list[str]) -> None:
    for message in broken:
        console.print(Text(f"Check: {message}", style="error"))


def _report_remaining(
    console: Console, criteria: Criteria, audit: Audit, path: Path, hint: str
) -> int:
    steps = build_steps(criteria)
    missing = [s for s in steps if s.applies(audit) and not s.answered(audit)]
    # Unwrapped, so that a script or a person gets each path and command whole.
    console.print(Text(f"Saved {path}."), soft_wrap=True)
    if not missing:
        console.print(Text("The audit is complete."))
        return 0

    answered, total = audit_progress(audit, criteria)
    console.print(
        Text(
            f"{answered} of {total} questions are answered; "
            f"these {len(missing)} answers are still missing:"
        )
    )
    for step in missing:
        console.print(Text(f"  {'.'.join(step.key)}"), soft_wrap=True)
    command = f"send-audit resume {shlex.quote(str(path))}{hint}"
    console.print(Text(f"Answer them at a terminal with: {command}"), soft_wrap=True)

    return EXIT_INCOMPLETE


def _report_criteria_changes(
    console: Console, criteria: Criteria, audit: Audit
) -> None:
    if (
        audit.criteria.id != criteria.manifest.id
        or audit.criteria.version != criteria.manifest.version
    ):
        console.print(
            Text(
                f"This audit was answered against criteria {audit.criteria.id} version "
                f"{audit.criteria.version}; these are {criteria.manifest.id} version "
                f"{criteria.manifest.version}.",
                style="notice",
            )
        )
    retired = _retired_answer_ids(criteria, audit)
    if retired:
        console.print(
            Text(
                "Answers no longer in the criteria are kept in the file: "
                + ", ".join(retired),
                style="notice",
            )
        )
    for question in criteria.context.questions.values():
        value = audit.context.get(question.id)
        if value is None:
            continue
        try:
            check_stored(question, value)
        except AnswerError as error:
            console.print(
                Text(
                    f"{question.label}: the saved answer is no longer allowed "
                    f"({error}); it will be asked again.",
                    style="notice",
                )
            )
    if first_unanswered(build_steps(criteria), audit) is None:
        console.print(
            Text("Every question is answered; you can still change any answer.")
        )


def _retired_answer_ids(criteria: Criteria, audit: Audit) -> list[str]:
    """List the answers stored under ids the criteria no longer have, as `part.id`."""
    known_ids = {
        "context": criteria.context.questions,
        "compliance": {item.id for item in criteria.compliance.items},
        "aspects": criteria.aspects,
        "action_plans": {section.id for section in criteria.sections},
    }

    return [
        f"{part}.{key}"
        for part, ids in known_ids.items()
        for key in getattr(audit, part)
        if key not in ids
    ]


def _census_offer():
    from send_audit.census_import import offer_census_import

    def before_group(session, group_id: str) -> None:
        if group_id != "profile" or session.path is None:
            return
        # Figures given in an answers file are not offered for replacement, because
        # only the questions still missing are asked.
        group = next(g for g in session.criteria.context.groups if g.id == group_id)
        if any(session.audit.context.get(q.id) is not None for q in group.questions):
            return
        offer_census_import(
            session.audit, session.path, session.criteria, session.console
        )

    return before_group
