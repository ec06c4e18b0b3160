"""A scripted interview that a test kills with SIGKILL at random moments.

Run as `python crash_driver.py AUDIT_PATH`. It takes the audit's lock, creates the
audit or continues it from its first unanswered question, and answers every
remaining step through real questionary prompts fed by prompt_toolkit pipe input.
After each save returns it prints `SAVED <json>` with every answer on disk so far,
so the test knows what had been confirmed when it killed the process.
"""

import json
import os
import sys
from pathlib import Path

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from send_audit import interview
from send_audit.audit import new_audit
from send_audit.criteria import load_criteria
from send_audit.lock import AuditLock
from send_audit.steps import build_steps, first_unanswered
from send_audit.storage import load_audit, save_audit
from send_audit.theme import THEME

ENTER = "\r"
DOWN = "\x1b[B"
FINISH = "\x1b\r"

# Consistent figures, so that no rule between counts interrupts the script.
FIGURES = {
    "census_year": "",
    "number_on_roll": "412",
    "boys_on_roll": "210",
    "send_register": "64",
    "sen_support": "52",
    "ehc_plans": "12",
    "boys_on_send_register": "40",
    "disadvantaged_on_roll": "90",
    "disadvantaged_with_send": "25",
    "cla_plac_on_roll": "4",
    "cla_plac_with_send": "2",
    "attendance_total": "95.1",
    "attendance_send": "92.4",
    "attendance_ehcp": "90",
    "suspensions_total": "8",
    "suspensions_send": "5",
    "permanent_exclusions_total": "0",
    "permanent_exclusions_send": "0",
}


def answer_for(question) -> str:
    """Return the keys that answer one context question."""
    if question.kind == "choice":
        return ENTER
    if question.kind == "narrative":
        return f"{question.id} line one{ENTER}line two: yes{FINISH}"
    if question.kind == "date":
        return ENTER
    if question.id in FIGURES:
        return FIGURES[question.id] + ENTER

    return f"Oakfield {question.id} N{ENTER}"


def script_from(steps, audit, criteria) -> str:
    """Return the keys that answer every step still unanswered, in order.

    Each aspect is rated Amber, so its comment and next steps are asked and every
    action plan gets a draft, which is accepted: that answers all three fields.
    """
    start = first_unanswered(steps, audit)
    if start is None:
        return ""
    keys = []
    drafted = set()
    for step in steps[start:]:
        kind = step.key[0]
        if step.answered(audit):
            continue
        if kind == "context":
            keys.append(answer_for(criteria.context.questions[step.key[1]]))
        elif kind == "compliance":
            compliant = step.key[2] == "compliant"
            keys.append("yes" + ENTER if compliant else "note 1:30" + ENTER)
        elif kind == "aspects" and step.key[2] == "rating":
            keys.append(DOWN + ENTER)
        elif kind == "aspects":
            keys.append(f"{step.key[1]} {step.key[2]}: on 0755{FINISH}")
        elif kind == "action_plans":
            if step.key[1] not in drafted:
                drafted.add(step.key[1])
                keys.append("y" + ENTER)
        else:
            keys.append(f"Priorities 2024-01-05{FINISH}")

    return "".join(keys)


def snapshot(audit) -> dict:
    """Return every answer of the audit, without its timestamps."""
    return audit.model_dump(mode="json", exclude={"updated", "created"})


def main() -> None:
    path = Path(sys.argv[1])
    criteria = load_criteria()
    steps = build_steps(criteria)
    with AuditLock(path, notify=lambda message: None):
        if path.exists():
            audit = load_audit(path, criteria)
        else:
            audit = new_audit(criteria.manifest.id, criteria.manifest.version)
            save_audit(audit, path)

        original_save = interview.save_audit

        def save_and_report(audit_to_save, target):
            original_save(audit_to_save, target)
            print("SAVED " + json.dumps(snapshot(audit_to_save)), flush=True)

        interview.save_audit = save_and_report
        console = Console(file=open(os.devnull, "w"), width=80, theme=THEME)
        session = interview.Session(
            criteria=criteria, audit=audit, console=console, path=path
        )
        with (
            create_pipe_input() as pipe,
            create_app_session(input=pipe, output=DummyOutput()),
        ):
            pipe.send_text(script_from(steps, audit, criteria))
            print("READY", flush=True)
            start = first_unanswered(steps, audit)
            if start is not None:
                interview.run_steps(session, steps, start)
    print("DONE", flush=True)


if __name__ == "__main__":
    main()
