"""Percentages and rules worked out from the counts."""

import pytest

from send_audit.criteria import load_criteria
from send_audit.figures import broken_rules, compute_percentage, format_percentage

CONTEXT = load_criteria().context
PERCENTAGES = CONTEXT.percentages


@pytest.mark.parametrize(
    ("percentage_id", "counts", "expected"),
    [
        ("pct_send_register", {"send_register": 58, "number_on_roll": 412}, "14.1%"),
        ("pct_send_register", {"send_register": 0, "number_on_roll": 412}, "0.0%"),
        ("pct_send_register", {"send_register": 5, "number_on_roll": 0}, "-"),
        ("pct_send_register", {"number_on_roll": 412}, "-"),
        (
            "pct_girls_with_send",
            {
                "send_register": 58,
                "boys_on_send_register": 37,
                "number_on_roll": 412,
                "boys_on_roll": 208,
            },
            "10.3%",
        ),
        (
            "pct_girls_with_send",
            {
                "send_register": 90,
                "boys_on_send_register": 100,
                "number_on_roll": 200,
                "boys_on_roll": 100,
            },
            "-",
        ),
        (
            "pct_suspensions_send",
            {"suspensions_send": 25, "suspensions_total": 20},
            "-",
        ),
    ],
    ids=["share", "zero", "base-zero", "missing", "girls", "negative", "above-100"],
)
def test_percentage_worked_out(percentage_id, counts, expected):
    value = compute_percentage(PERCENTAGES[percentage_id], counts)

    assert format_percentage(value) == expected


def test_register_mismatch_is_broken_rule():
    counts = {"sen_support": 40, "ehc_plans": 12, "send_register": 50}
    broken = broken_rules(CONTEXT, counts)

    assert len(broken) == 1
    assert (broken[0].left, broken[0].right) == (52, 50)


def test_consistent_counts_break_no_rule():
    counts = {"sen_support": 40, "ehc_plans": 12, "send_register": 52}

    assert broken_rules(CONTEXT, counts) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [(11.25, "11.3%"), (12.35, "12.4%"), (0.04, "0.0%"), (99.95, "100.0%")],
    ids=["half-up", "half-up-binary", "small", "near-100"],
)
def test_percentage_halves_round_up(value, shown):
    assert format_percentage(value) == shown
