"""Keystrokes for the interview's prompts, sent through a prompt_toolkit pipe.

Production code calls questionary without an `input=` argument, so the keys go in
through an app session whose input is a pipe. The pipe is closed once the keys are
written: a prompt that finds no key left raises EOFError instead of waiting.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from send_audit.criteria import ComplianceItem, Criteria, Question
from send_audit.interview import latest_census_year

ENTER = "\r"
DOWN = "\x1b[B"
UP = "\x1b[A"
ESC = "\x1b"
CTRL_C = "\x03"
CTRL_D = "\x04"
# Deletes the text before the cursor, so typing replaces a one-line default.
CTRL_U = "\x15"
BACKSPACE = "\x7f"
# Submits a multiline text prompt: Enter alone starts a new line there.
FINISH = ESC + ENTER
# What a terminal with bracketed paste mode sends around pasted text.
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"

# A new audit offers a census import before the questions of this group.
CENSUS_GROUP = "profile"
# The keys that decline "Fill the figures from a census extract?".
DECLINE_CENSUS = "n" + ENTER

# The rating prompt's choices, in the order they are listed.
RATING_TITLES = ("Red", "Amber", "Green", "Skip for now")

# Linux pipes buffer 64 KiB: a longer script would block the write before any
# prompt starts reading.
_PIPE_BUFFER_BYTES = 65536


@contextmanager
def piped_keys(*keys: str) -> Iterator[PipeInput]:
    """Run the block with every prompt reading `keys`, then EOFError.

    Raises:
        ValueError: When the keys do not fit in the pipe's buffer.
    """
    script = "".join(keys)
    if len(script.encode()) >= _PIPE_BUFFER_BYTES:
        raise ValueError(
            f"key script of {len(script.encode())} bytes is too long for the pipe; "
            f"send less than {_PIPE_BUFFER_BYTES} bytes at a time"
        )

    with create_pipe_input() as pipe:
        with create_app_session(input=pipe, output=DummyOutput()):
            pipe.send_text(script)
            pipe.close()
            yield pipe


def text_keys(value: str) -> str:
    """Return the keys that replace a one-line prompt's default with `value`."""
    return CTRL_U + value + ENTER


def long_text_keys(value: str) -> str:
    """Return the keys that type `value`, one line at a time, into an empty prompt."""
    return value.replace("\n", ENTER) + FINISH


def choice_keys(titles: Sequence[str], chosen: str, default: str | None = None) -> str:
    """Return the arrow keys and Enter that pick `chosen` from a select prompt.

    Args:
        titles: The choices' titles, in order.
        chosen: The title to pick.
        default: The title selected when the prompt opens; the first when None.
    """
    start = titles.index(default) if default in titles else 0
    moves = titles.index(chosen) - start
    arrow = DOWN if moves > 0 else UP

    return arrow * abs(moves) + ENTER


@dataclass(frozen=True)
class AuditAnswers:
    """What a SENCo types for a whole audit.

    The figures must satisfy the criteria's rules, because a broken rule opens a
    correction prompt that these keys do not answer. Every section needs at least
    one rated aspect, so that each action plan has a draft to accept.

    Attributes:
        context: What is typed for each context question, by id. A choice
            question gets the title of its choice, and a narrative may have
            several lines.
        compliance: The typed Y/N answer and note for a compliance item.
        aspect: The rating title, comment and next steps for an aspect id.
    """

    context: dict[str, str]
    compliance: Callable[[ComplianceItem], tuple[str, str]]
    aspect: Callable[[str], tuple[str, str, str]]


def audit_keys(criteria: Criteria, answers: AuditAnswers) -> str:
    """Build the keys of a whole new audit, from the first question to the last.

    The census import offered before the SEND profile is declined, each action plan
    accepts the draft built from the ratings, and the summary of priorities keeps
    its draft.
    """
    keys = []
    for group in criteria.context.groups:
        if group.id == CENSUS_GROUP:
            keys.append(DECLINE_CENSUS)
        keys += [context_keys(q, answers.context[q.id]) for q in group.questions]

    for item in criteria.compliance.items:
        compliant, note = answers.compliance(item)
        keys += [text_keys(compliant), text_keys(note)]

    rated_sections = set()
    for section in criteria.sections:
        for aspect in section.aspects:
            rating, comment, next_steps = answers.aspect(aspect.id)
            keys.append(choice_keys(RATING_TITLES, rating))
            if rating != "Skip for now":
                rated_sections.add(section.id)
                keys += [long_text_keys(comment), long_text_keys(next_steps)]

    for section in criteria.sections:
        if section.id not in rated_sections:
            raise ValueError(f"section {section.id} has no rating to draft a plan from")
        keys.append("y" + ENTER)
    keys.append(FINISH)

    return "".join(keys)


def context_keys(question: Question, value: str) -> str:
    """Return the keys that answer one context question with `value`."""
    if question.kind == "choice":
        default = None
        if question.default == "census_year":
            default = str(latest_census_year())
        return choice_keys(question.choices, value, default)
    if question.kind == "narrative":
        return long_text_keys(value)

    return text_keys(value)
