"""Offering the drafted SEND profile summary once the census figures change.

The draft is worked out from the figures, the grid and the national figures of the
criteria folder for the census year. It is saved only when the SENCo uses or edits
it at a terminal.
"""

from pathlib import Path

from rich.console import Console
from rich.text import Text

from send_audit.audit import Audit
from send_audit.benchmarks import describe_missing_benchmarks, load_criteria_benchmarks
from send_audit.census import CENSUS_YEAR_ID
from send_audit.criteria import Criteria
from send_audit.profile_draft import draft_profile_summary
from send_audit.storage import save_audit

# The context question that the drafted SEND profile summary answers.
PROFILE_SUMMARY_ID = "send_profile_summary"


def offer_profile_summary(
    audit: Audit,
    audit_path: Path,
    criteria: Criteria,
    console: Console,
    interactive: bool,
) -> None:
    """Print a drafted SEND profile summary and, at a terminal, offer to save it.

    Nothing is printed when the criteria have no summary question or the figures
    give nothing to draft. The audit is saved when the SENCo uses or edits the
    draft, which is asked only when `interactive` is true.
    """
    if PROFILE_SUMMARY_ID not in criteria.context.questions:
        return
    benchmarks = load_criteria_benchmarks(criteria)
    national = None
    if benchmarks is not None:
        national = benchmarks.for_year(audit.context.get(CENSUS_YEAR_ID))
    draft = draft_profile_summary(audit, national)
    if not draft:
        return

    console.print()
    console.print(Text("Drafted SEND profile summary", style="heading"))
    console.print(Text(draft))
    if benchmarks is None:
        console.print(Text(describe_missing_benchmarks(criteria), style="notice"))
    if not interactive:
        console.print(
            Text(
                "The draft was not saved. To accept or edit it, run import-census in "
                "a terminal.",
                style="notice",
            )
        )
        return

    summary = _ask_profile_summary(draft, audit.context.get(PROFILE_SUMMARY_ID))
    if summary is not None:
        audit.context = {**audit.context, PROFILE_SUMMARY_ID: summary}
        save_audit(audit, audit_path)
        console.print(Text(f"Saved the SEND profile summary in {audit_path}."))


def _ask_profile_summary(draft: str, current: object) -> str | None:
    from send_audit.prompts import ask_choice, ask_long_text

    choices: list[tuple[str, object]] = [
        ("Use the draft", "use"),
        ("Edit the draft", "edit"),
    ]
    if isinstance(current, str) and current.strip():
        choices.append(("Keep the summary already written", None))
    else:
        choices.append(("Leave the summary for later", None))
    answer = ask_choice("SEND profile summary:", choices, default="use")
    if answer == "use":
        return draft
    if answer == "edit":
        return ask_long_text("SEND profile summary", default=draft)

    return None
