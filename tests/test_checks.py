"""Checks of single answers, as typed at a prompt or given in a file."""

import pytest

from send_audit.checks import (
    AnswerError,
    parse_answer,
    parse_count,
    parse_date,
    parse_yes_no,
)
from send_audit.criteria import load_criteria

QUESTIONS = load_criteria().context.questions


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("04/12/2026", "2026-12-04"),
        ("4/12/2026", "2026-12-04"),
        ("04.12.2026", "2026-12-04"),
        ("2026-12-04", "2026-12-04"),
        ("2026-12-4", "2026-12-04"),
        (" 29/02/2028 ", "2028-02-29"),
    ],
    ids=["uk", "uk-one-digit", "uk-dots", "iso", "iso-one-digit", "leap-day"],
)
def test_date_accepted(typed, stored):
    assert parse_date(typed) == stored


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31/02/2026", "not a day of the calendar"),
        ("29/02/2027", "not a day of the calendar"),
        ("01/01/1900", "give a year from 2014 to 2099"),
        ("12/2026", "type it as DD/MM/YYYY"),
        ("tomorrow", "type it as DD/MM/YYYY"),
    ],
    ids=["31-february", "not-leap", "year-1900", "no-day", "word"],
)
def test_date_rejected_with_reason(typed, reason):
    with pytest.raises(AnswerError, match=reason):
        parse_date(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1,200", 1200), (" 1200 ", 1200), ("0", 0), ("12,345,678", 12345678)],
    ids=["comma", "spaces", "zero", "millions"],
)
def test_count_accepted(typed, stored):
    assert parse_count(typed) == stored


@pytest.mark.parametrize("typed", ["-5", "12.5", "lots", "1,20", "", "1 200"], ids=repr)
def test_count_rejected_naming_value(typed):
    with pytest.raises(AnswerError) as rejected:
        parse_count(typed)

    assert repr(typed.strip()) in str(rejected.value)
    assert "whole number of 0 or more" in str(rejected.value)


def test_pasted_lines_in_name_become_one_line():
    value = parse_answer(QUESTIONS["school"], "Oakfield\nPrimary  School\n")

    assert value == "Oakfield Primary School"


def test_narrative_keeps_its_lines():
    value = parse_answer(QUESTIONS["local_context"], "Line one\nLine two\n")

    assert value == "Line one\nLine two"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("y", "Y"), ("Yes", "Y"), ("N", "N"), (" no ", "N")],
    ids=["y", "yes", "n", "no"],
)
def test_yes_no_accepted(typed, stored):
    assert parse_yes_no(typed) == stored


def test_yes_no_rejects_other_words():
    with pytest.raises(AnswerError, match="'maybe' is not Y or N"):
        parse_yes_no("maybe")
