"""Checks of single answers, shared by the prompts and by answers files.

Each check turns what a person typed into the value stored in the audit, or raises
`AnswerError` with a message that names the value and what is allowed. Answers
given in a file go through the same checks as text, so both paths agree.
"""

import datetime
import re

from send_audit.criteria import Question

YES_NO = ("Y", "N")

_COUNT = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_PERCENTAGE = re.compile(r"^\d+(\.\d+)?$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# Years accepted in a date: the SEND code of practice dates from 2014, so an audit
# dated earlier, or far later, is a typing mistake.
_FIRST_YEAR = 2014
_LAST_YEAR = 2099
_UK_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")


class AnswerError(ValueError):
    """An answer that the question does not allow; its message is for the SENCo."""


def parse_answer(question: Question, text: str):
    """Check one typed answer and return the value to store.

    Args:
        question: The question it answers.
        text: What the SENCo typed.

    Raises:
        AnswerError: When the answer is not allowed, naming it and what is.
    """
    if question.kind == "text":
        # A name is one line: lines pasted into it become one, joined by spaces.
        value = parse_text(text, required=question.required, label=question.label)
        return " ".join(value.split())
    if question.kind == "narrative":
        return parse_text(text, required=question.required, label=question.label)
    if question.kind == "count":
        return parse_count(text, maximum=question.maximum)
    if question.kind == "percentage":
        return parse_percentage(text)
    if question.kind == "date":
        return parse_date(text)

    return parse_choice(text, question.choices or ())


def parse_text(text: str, required: bool = False, label: str = "This answer") -> str:
    """Return text with the blank lines and spaces around it removed.

    Bytes a terminal could not decode arrive as lone surrogates, which cannot be
    saved as UTF-8; each becomes U+FFFD, the replacement character.
    """
    value = _SURROGATE.sub("\ufffd", text).strip()
    if required and not value:
        raise AnswerError(f"{label} is required: type at least one character")

    return value


def parse_count(text: str, maximum: int | None = None) -> int:
    """Return a whole number of at least 0; thousands may be written `1,200`."""
    cleaned = text.strip()
    if not _COUNT.match(cleaned):
        raise AnswerError(
            f"{text.strip()!r} is not a count: type a whole number of 0 or more"
        )
    value = int(cleaned.replace(",", ""))
    if maximum is not None and value > maximum:
        raise AnswerError(f"{value} is too large: the most allowed is {maximum}")

    return value


def parse_percentage(text: str) -> int | float:
    """Return a percentage from 0 to 100; a trailing % sign is allowed."""
    cleaned = text.strip().removesuffix("%").strip()
    if not _PERCENTAGE.match(cleaned) or float(cleaned) > 100:
        raise AnswerError(
            f"{text.strip()!r} is not a percentage: type a number from 0 to 100"
        )
    value = float(cleaned)

    return int(value) if value.is_integer() and "." not in cleaned else value


def parse_date(text: str) -> str:
    """Return a date as YYYY-MM-DD, from YYYY-MM-DD or the UK's DD/MM/YYYY.

    Days and months may have one digit, and the UK form may use dots.
    """
    cleaned = text.strip()
    uk = _UK_DATE.match(cleaned)
    iso = _ISO_DATE.match(cleaned)
    if uk:
        day, month, year = (int(part) for part in uk.groups())
    elif iso:
        year, month, day = (int(part) for part in iso.groups())
    else:
        raise AnswerError(f"{cleaned!r} is not a date: type it as DD/MM/YYYY")

    try:
        date = datetime.date(year, month, day)
    except ValueError:
        raise AnswerError(
            f"{cleaned!r} is not a day of the calendar: check the day and month"
        ) from None
    if not _FIRST_YEAR <= date.year <= _LAST_YEAR:
        raise AnswerError(
            f"{cleaned!r} is out of range: give a year from {_FIRST_YEAR} to "
            f"{_LAST_YEAR}"
        )

    return date.isoformat()


def parse_choice(text: str, choices: tuple[str, ...]) -> str:
    """Return the choice that matches the text, ignoring case."""
    cleaned = text.strip()
    for choice in choices:
        if cleaned.casefold() == choice.casefold():
            return choice

    raise AnswerError(f"{cleaned!r} is not one of the choices: {', '.join(choices)}")


def parse_yes_no(text: str) -> str:
    """Return Y or N from y, yes, n or no in any case."""
    cleaned = text.strip().casefold()
    if cleaned in ("y", "yes"):
        return "Y"
    if cleaned in ("n", "no"):
        return "N"

    raise AnswerError(f"{text.strip()!r} is not Y or N: answer Y (yes) or N (no)")


def check_stored(question: Question, value: object):
    """Check a value already stored or given in a file, as the prompt would.

    Returns:
        The value to store, which is `value` itself for a valid stored answer.

    Raises:
        AnswerError: When the prompt would not accept the value.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise AnswerError(
            f"{value!r} is not allowed here: give {describe_kind(question)}"
        )

    return parse_answer(question, str(value))


def is_allowed(question: Question, value: object) -> bool:
    """Return whether a stored value answers the question as its prompt allows."""
    if value is None:
        return False
    try:
        check_stored(question, value)
    except AnswerError:
        return False

    return True


def describe_kind(question: Question) -> str:
    """Describe in words what an answer to the question must be."""
    descriptions = {
        "text": "text",
        "narrative": "text",
        "count": "a whole number of 0 or more",
        "percentage": "a number from 0 to 100",
        "date": "a date such as 2026-12-04",
        "choice": f"one of {', '.join(question.choices or ())}",
    }

    return descriptions[question.kind]
