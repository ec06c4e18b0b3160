"""Typing the SEND contextual grid by hand, for a school without a census extract."""

from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.text import Text

from send_audit.audit import Audit
from send_audit.census_comparison import comparison_table
from send_audit.census_grid import CensusGrid, GridCell
from send_audit.census_report import render_grid
from send_audit.criteria import Criteria
from send_audit.grid import (
    NEED_CODES,
    SEN_SUPPORT_ONLY_CODES,
    YEAR_GROUPS,
    grid_figures,
    need_label,
    year_group_name,
)
from send_audit.lock import AuditLock
from send_audit.profile_offer import offer_profile_summary
from send_audit.storage import load_audit, save_audit


def run_grid_entry(audit_path: Path, criteria: Criteria, console: Console) -> None:
    """Ask for the SEND contextual grid year group by year group, and save it.

    The grid is saved after each year group, so Ctrl-C keeps what was typed.
    Afterwards the SENCo may set the context figures from the grid's totals and
    accept a drafted SEND profile summary.
    """
    # A missing or invalid audit fails here, before a lock file is created.
    load_audit(audit_path, criteria)
    with AuditLock(audit_path, _notifier(console)):
        audit = load_audit(audit_path, criteria)
        start = _starting_grid(audit, console)
        if start is None:
            console.print(Text("Nothing was changed."))
            return
        try:
            _ask_grid(audit, audit_path, start, console)
        except (KeyboardInterrupt, EOFError):
            console.print(
                Text(
                    f"The year groups finished so far are saved in {audit_path}. "
                    f"To continue, run: send-audit grid {audit_path}",
                    style="notice",
                )
            )
            raise KeyboardInterrupt from None

        render_grid(audit.census, console)
        _offer_figures_from_grid(audit, audit_path, criteria, console)
        offer_profile_summary(audit, audit_path, criteria, console, True)


def _starting_grid(audit: Audit, console: Console) -> CensusGrid | None:
    from send_audit.prompts import ask_confirm

    current = audit.census
    if current is None:
        return CensusGrid(source="typed")
    if current.source == "census import":
        console.print(
            Text(
                "This audit's grid was imported from a census extract; typing one "
                "replaces it.",
                style="notice",
            )
        )
        if not ask_confirm("Type the grid by hand instead?", default=False):
            return None
        return CensusGrid(source="typed")

    return current


def _ask_grid(
    audit: Audit, audit_path: Path, start: CensusGrid, console: Console
) -> None:
    years = _ask_year_groups(start)
    rows = {year: cells for year, cells in start.rows.items() if year in years}
    on_roll = {year: count for year, count in start.on_roll.items() if year in years}
    audit.census = CensusGrid(source="typed", rows=rows, on_roll=on_roll)
    for year in years:
        console.print(Text(year_group_name(year), style="heading"))
        roll = _ask_optional_count(
            f"{year_group_name(year)}: pupils on roll (empty if not known)",
            start.on_roll.get(year),
        )
        cells = _ask_year_group_cells(year, start.rows.get(year, {}), roll)
        if roll is None:
            on_roll.pop(year, None)
        else:
            on_roll[year] = roll
        # A ticked year group stays in the grid even with no pupil with SEND, so
        # that it shows as a column of zeros and its missing roll keeps the total
        # roll unknown.
        rows[year] = cells
        audit.census = CensusGrid(
            source="typed", rows=dict(rows), on_roll=dict(on_roll)
        )
        save_audit(audit, audit_path)


def _ask_year_groups(start: CensusGrid) -> list[str]:
    import questionary

    from send_audit.prompts import STYLE

    present = set(start.rows) | set(start.on_roll)
    choices = [
        questionary.Choice(
            f"{year}: {year_group_name(year)}", value=year, checked=year in present
        )
        for year in YEAR_GROUPS
    ]
    answer = questionary.checkbox(
        "Year groups of the school:",
        choices=choices,
        validate=lambda ticked: bool(ticked) or "Tick at least one year group",
        style=STYLE,
    ).unsafe_ask()

    return [year for year in YEAR_GROUPS if year in answer]


def _ask_year_group_cells(
    year: str, previous: dict[str, GridCell], roll: int | None
) -> dict[str, GridCell]:
    """Ask for the needs of a year group's pupils with SEND, and the count of each.

    Args:
        year: The year group.
        previous: Its cells as typed before, offered as the defaults.
        roll: Its pupils on roll, if given. The counts of pupils with SEND typed
            for the year group may add up to no more than this.
    """
    import questionary

    from send_audit.prompts import STYLE

    name = year_group_name(year)
    choices = [
        questionary.Choice(need_label(code), value=code, checked=code in previous)
        for code in NEED_CODES
    ]
    codes = questionary.checkbox(
        f"{name}: primary needs of pupils with SEND (tick none if there are none):",
        choices=choices,
        style=STYLE,
    ).unsafe_ask()

    cells = {}
    with_send = 0
    for code in (code for code in NEED_CODES if code in codes):
        before = previous.get(code, GridCell())
        limit = _RollLimit(name, roll, with_send)
        support = _ask_count(
            f"{name}, {code}: pupils at SEN Support", before.sen_support, limit
        )
        plans = 0
        if code not in SEN_SUPPORT_ONLY_CODES:
            limit = _RollLimit(name, roll, with_send + support)
            plans = _ask_count(
                f"{name}, {code}: pupils with an EHC plan", before.ehc_plan, limit
            )
        with_send += support + plans
        if support or plans:
            cells[code] = GridCell(sen_support=support, ehc_plan=plans)

    return cells


@dataclass(frozen=True)
class _RollLimit:
    """The limit that a year group's roll sets on its next count of pupils with SEND."""

    name: str
    roll: int | None
    with_send: int

    def check(self, count: int) -> None:
        """Raise AnswerError when `count` more pupils with SEND exceed the roll."""
        from send_audit.checks import AnswerError

        if self.roll is None or self.with_send + count <= self.roll:
            return
        left = self.roll - self.with_send
        if not self.with_send:
            raise AnswerError(
                f"{count} is more than the {self.roll} pupils on roll in "
                f"{self.name}: type a count from 0 to {self.roll}"
            )
        raise AnswerError(
            f"{count} is too many: {self.name} has {self.roll} pupils on roll and "
            f"{self.with_send} with SEND typed already, so type a count from 0 to "
            f"{left}"
        )


def _ask_count(message: str, default: int, limit: _RollLimit) -> int:
    from send_audit.checks import parse_count
    from send_audit.prompts import ask_text

    def check(text: str) -> int:
        count = parse_count(text) if text.strip() else 0
        limit.check(count)
        return count

    # An empty field is read as 0, so the field never starts with a 0 that the
    # SENCo would have to delete before typing the count.
    return ask_text(
        f"{message} (empty for 0)", check, default=str(default) if default else ""
    )


def _ask_optional_count(message: str, default: int | None) -> int | None:
    from send_audit.checks import parse_count
    from send_audit.prompts import ask_text

    def check(text: str) -> int | None:
        return parse_count(text) if text.strip() else None

    return ask_text(message, check, default="" if default is None else str(default))


def _offer_figures_from_grid(
    audit: Audit, audit_path: Path, criteria: Criteria, console: Console
) -> None:
    from send_audit.prompts import ask_confirm

    figures = grid_figures(audit.census)
    changes = {
        key: value for key, value in figures.items() if audit.context.get(key) != value
    }
    if not changes:
        return

    new_context = {**audit.context, **changes}
    console.print(
        comparison_table(
            "Figures from the grid", "From the grid", audit, new_context, None, criteria
        )
    )
    console.print(
        Text(
            "Figures the grid does not hold, such as boys and disadvantaged pupils, "
            "keep their values.",
            style="notice",
        )
    )
    if ask_confirm("Set these figures from the grid's totals?", default=True):
        audit.context = new_context
        save_audit(audit, audit_path)
        console.print(Text(f"Saved the figures in {audit_path}."))


def _notifier(console: Console):
    return lambda sentence: console.print(Text(sentence, style="notice"))
