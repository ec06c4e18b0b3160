"""A drafted SEND profile summary, worked out from the grid and the figures.

The form asks the SENCo to summarise the SEND contextual grid: high needs year
groups, the boy:girl ratio and the most common needs. The draft states those
facts in plain sentences for the SENCo to accept or edit; it never judges them.

The register, SEN Support and EHC plan counts, and the roll when the grid has every
year group's roll, always come from the grid. When the audit's figures differ
from the grid, the draft opens by saying so and uses no figure of the audit, so
that no sentence combines counts that disagree.
"""

from send_audit.audit import Audit
from send_audit.benchmarks import YearBenchmarks
from send_audit.census_grid import CensusGrid
from send_audit.figures import format_percentage
from send_audit.grid import (
    NEED_CODES,
    YEAR_GROUPS,
    grid_figures,
    grid_mismatches,
    grid_total,
    need_totals,
    year_group_name,
    year_group_totals,
)

# How many year groups and needs the draft names, largest first.
_TOP = 3

# The figures the grid determines, as the mismatch sentence names them after a
# number of pupils.
_GRID_FIGURE_WORDS = {
    "send_register": "on the SEND register",
    "sen_support": "at SEN Support",
    "ehc_plans": "with an EHC plan",
    "number_on_roll": "on roll",
}


def draft_profile_summary(audit: Audit, national: YearBenchmarks | None = None) -> str:
    """Draft the SEND profile summary of an audit, one sentence per line.

    Args:
        audit: The audit; its grid is required, and the boy:girl sentence needs
            the counts of boys.
        national: The national figures of the audit's census year, if known.

    Returns:
        The draft, or "" when the audit has no grid or no pupil in it has SEND.
    """
    grid = audit.census
    if grid is None or grid_total(grid).total == 0:
        return ""

    typed = _counts(audit)
    mismatches = grid_mismatches(grid, typed)
    counts = _draft_counts(grid, typed, agree=not mismatches)
    sentences = [
        _mismatch_sentence(mismatches),
        _register_sentence(grid, counts),
        _year_group_sentence(grid),
        _sex_sentence(counts),
        _needs_sentence(grid),
        _ehc_plan_needs_sentence(grid),
        _national_sentence(counts, national),
    ]

    return "\n".join(sentence for sentence in sentences if sentence)


def _counts(audit: Audit) -> dict[str, int]:
    # Only whole-number answers; an unanswered or odd value is left out.
    return {
        key: value
        for key, value in audit.context.items()
        if isinstance(value, int) and not isinstance(value, bool)
    }


def _draft_counts(
    grid: CensusGrid, typed: dict[str, int], agree: bool
) -> dict[str, int]:
    # The grid's own totals, and the audit's other counts only while the audit
    # agrees with the grid: otherwise a share such as boys with SEND would divide
    # the audit's count of boys by a register of a different size.
    from_audit = typed if agree else {}

    return {**from_audit, **grid_figures(grid)}


def _mismatch_sentence(mismatches: list[tuple[str, int, int]]) -> str | None:
    if not mismatches:
        return None
    differences = [
        f"{_plural(from_grid, 'pupil')} {_GRID_FIGURE_WORDS[figure_id]} where the "
        f"figures have {typed}"
        for figure_id, typed, from_grid in mismatches
    ]

    return (
        f"The grid does not match the audit's figures: it has {_join(differences)}. "
        "This draft is worked out from the grid alone."
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _share(part: int, whole: int | None) -> str | None:
    if not whole:
        return None

    return format_percentage(100 * part / whole)


def _join(items: list[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)

    return f"{', '.join(items[:-1])} and {items[-1]}"


def _register_sentence(grid: CensusGrid, counts: dict[str, int]) -> str:
    total = grid_total(grid)
    share = _share(total.total, counts.get("number_on_roll"))
    on_roll = f", {share} of the {counts['number_on_roll']} on roll" if share else ""
    is_are = "is" if total.total == 1 else "are"

    return (
        f"{_plural(total.total, 'pupil')} {is_are} on the SEND register{on_roll}: "
        f"{total.sen_support} at SEN Support and {total.ehc_plan} with an EHC plan."
    )


def _leaders(totals: dict[str, int], order: tuple[str, ...]) -> list[str]:
    # The largest few, but never a cut through a tie: with counts 5, 3, 3, 3 only
    # the 5 is named, and with 3, 3, 3, 3 all four are.
    ranked = sorted(
        (key for key in order if totals.get(key)), key=lambda key: -totals[key]
    )
    if len(ranked) <= _TOP or totals[ranked[_TOP - 1]] != totals[ranked[_TOP]]:
        return ranked[:_TOP]
    above_tie = [key for key in ranked if totals[key] > totals[ranked[_TOP]]]

    return above_tie or [key for key in ranked if totals[key] == totals[ranked[0]]]


def _year_group_sentence(grid: CensusGrid) -> str:
    totals = {year: split.total for year, split in year_group_totals(grid).items()}
    leaders = _leaders(totals, YEAR_GROUPS)
    if len(leaders) > _TOP:
        names = _join([year_group_name(year) for year in leaders])
        return (
            f"{names} have the most pupils with SEND, "
            f"{_plural(totals[leaders[0]], 'pupil')} each."
        )

    described = []
    for index, year in enumerate(leaders):
        count = _plural(totals[year], "pupil") if index == 0 else str(totals[year])
        share = _share(totals[year], grid.on_roll.get(year))
        suffix = " of the year group" if index == 0 else ""
        details = f"{count}, {share}{suffix}" if share else count
        described.append(f"{year_group_name(year)} ({details})")
    if len(described) == 1:
        return f"The year group with the most pupils with SEND is {described[0]}."

    return f"The year groups with the most pupils with SEND are {_join(described)}."


def _sex_sentence(counts: dict[str, int]) -> str | None:
    register = counts["send_register"]
    boys = counts.get("boys_on_send_register")
    if boys is None or not register or boys > register:
        return None
    girls = register - boys
    if register == 1:
        sentence = (
            f"The one pupil on the SEND register is a {'boy' if boys else 'girl'}."
        )
    elif girls == 0:
        sentence = f"All {_plural(register, 'pupil')} on the SEND register are boys."
    elif boys == 0:
        sentence = f"All {_plural(register, 'pupil')} on the SEND register are girls."
    else:
        sentence = (
            f"The SEND register has {_plural(boys, 'boy')} and "
            f"{_plural(girls, 'girl')}, a boy:girl ratio of {boys / girls:.1f}:1."
        )

    return sentence + _sex_shares(counts, boys, girls)


def _sex_shares(counts: dict[str, int], boys: int, girls: int) -> str:
    roll = counts.get("number_on_roll")
    boys_on_roll = counts.get("boys_on_roll")
    if roll is None or boys_on_roll is None or boys_on_roll > roll:
        return ""
    boys_share = _share(boys, boys_on_roll)
    girls_share = _share(girls, roll - boys_on_roll)
    if boys_share is None or girls_share is None:
        return ""

    return f" {boys_share} of boys and {girls_share} of girls on roll have SEND."


def _needs_sentence(grid: CensusGrid) -> str:
    totals = {code: split.total for code, split in need_totals(grid).items()}
    register = sum(totals.values())
    leaders = _leaders(totals, NEED_CODES)
    if len(leaders) > _TOP:
        return (
            f"The most common primary needs are {_join(leaders)}, "
            f"{_plural(totals[leaders[0]], 'pupil')} each."
        )

    described = []
    for index, code in enumerate(leaders):
        count = _plural(totals[code], "pupil") if index == 0 else str(totals[code])
        suffix = " of the register" if index == 0 else ""
        described.append(f"{code} ({count}, {_share(totals[code], register)}{suffix})")
    if len(described) == 1:
        return f"The most common primary need is {described[0]}."

    return f"The most common primary needs are {_join(described)}."


def _ehc_plan_needs_sentence(grid: CensusGrid) -> str | None:
    plans = {code: split.ehc_plan for code, split in need_totals(grid).items()}
    total = sum(plans.values())
    if not total:
        return None
    most = max(plans.values())
    codes = [code for code in NEED_CODES if plans[code] == most]
    if total == 1:
        return f"The one pupil with an EHC plan has {codes[0]} as their primary need."
    each = " each" if len(codes) > 1 else ""
    need = "need is" if len(codes) == 1 else "needs are"

    return (
        f"Among the {_plural(total, 'pupil')} with an EHC plan, the most common "
        f"primary {need} {_join(codes)} ({most}{each})."
    )


def _national_sentence(
    counts: dict[str, int], national: YearBenchmarks | None
) -> str | None:
    roll = counts.get("number_on_roll")
    if national is None or not roll:
        return None
    pairs = []
    for percentage_id, count_id, words in (
        ("pct_ehc_plans", "ehc_plans", "had an EHC plan"),
        ("pct_sen_support", "sen_support", "were at SEN Support"),
    ):
        value = national.percentages.get(percentage_id)
        count = counts.get(count_id)
        if value is None or count is None:
            continue
        school = format_percentage(100 * count / roll)
        pairs.append(f"{format_percentage(value)} of pupils {words} (here {school})")
    if not pairs:
        return None

    return f"Nationally in January {national.census_year}, {_join(pairs)}."
