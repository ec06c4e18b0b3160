"""The prompt kinds of the interview, built on questionary.

Every prompt uses `unsafe_ask()`, so Ctrl-C raises KeyboardInterrupt and Ctrl-D
raises EOFError instead of returning None; the interview saves and stops on both.
In a text prompt, as in readline, Ctrl-D ends the input only while the line is
empty, and otherwise deletes the character under the cursor.
Messages stay one line, because a prompt taller than the terminal shows only its
last lines: longer guidance is printed with rich before the prompt.
"""

from collections.abc import Callable, Sequence

import questionary
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.styles import Style

from send_audit.checks import AnswerError

# How to finish a multi-line answer, shown beside every long-text prompt.
LONG_TEXT_INSTRUCTION = "(Enter for a new line; Esc then Enter to finish)"

# Placeholder for a choice whose value is None, which questionary cannot return.
_NO_VALUE = object()

# Prompt styles that stay readable with NO_COLOR and on a dumb terminal.
STYLE = Style([("qmark", "bold"), ("question", "bold"), ("instruction", "italic")])


def _validator(check: Callable[[str], object]) -> Callable[[str], bool | str]:
    def validate(text: str) -> bool | str:
        try:
            check(text)
        except AnswerError as error:
            return str(error)
        return True

    return validate


def ask_text(message: str, check: Callable[[str], object], default: str = "") -> object:
    """Ask for one line, ask again until `check` accepts it, and return its value."""
    text = questionary.text(
        message, default=default, validate=_validator(check), style=STYLE
    ).unsafe_ask()

    return check(text)


class UnfinishedText(KeyboardInterrupt):
    """Ctrl-C in a long-text prompt, carrying the text typed so far.

    Attributes:
        text: What the prompt held when Ctrl-C was pressed, without surrounding
            space.
        changed: Whether that differs from the text the prompt started with.
    """

    def __init__(self, text: str, changed: bool) -> None:
        super().__init__()
        self.text = text
        self.changed = changed
        # Set by the interview once it has stored the text as the answer.
        self.kept = False


def ask_long_text(message: str, default: str = "") -> str:
    """Ask for text of any number of lines and return it without surrounding space.

    Raises:
        UnfinishedText: On Ctrl-C, with the lines typed so far, so the interview can
            keep them instead of losing a paragraph to an interruption.
    """
    # Without a continuation, prompt_toolkit 3.0 indents each further line of a
    # multiline prompt by the width of the message. A message wider than the
    # terminal then turns every wrapped line into indent, and the prompt is blank.
    question = questionary.text(
        message,
        default=default,
        multiline=True,
        instruction=LONG_TEXT_INSTRUCTION,
        prompt_continuation="",
        style=STYLE,
    )
    bindings = KeyBindings()

    @bindings.add("c-c", eager=True)
    def _interrupt(event) -> None:
        typed = event.app.current_buffer.text
        unfinished = UnfinishedText(typed.strip(), changed=typed != default)
        event.app.exit(exception=unfinished, style="class:aborting")

    application = question.application
    application.key_bindings = merge_key_bindings([application.key_bindings, bindings])

    return question.unsafe_ask().strip()


def ask_choice(message: str, choices: Sequence[tuple[str, object]], default=None):
    """Ask the SENCo to pick one of `(title, value)` choices and return its value.

    A choice may have the value None, such as "Skip for now" or "Back"; a default of
    None selects no choice in advance.
    """
    # questionary returns the title of a Choice whose value is None, so None values
    # travel as _NO_VALUE and are turned back into None here.
    options = [
        questionary.Choice(title, value=_NO_VALUE if value is None else value)
        for title, value in choices
    ]
    selected = None
    if default is not None:
        selected = next((o for o in options if o.value == default), None)

    question = questionary.select(
        message, choices=options, default=selected, style=STYLE
    )
    answer = _end_on_ctrl_d(question).unsafe_ask()

    return None if answer is _NO_VALUE else answer


def ask_confirm(message: str, default: bool = True) -> bool:
    """Ask a yes/no question; typing the whole word `yes` leaves no stray letters."""
    return questionary.confirm(
        message, default=default, auto_enter=False, style=STYLE
    ).unsafe_ask()


def _end_on_ctrl_d(question: questionary.Question) -> questionary.Question:
    # questionary 2.1 builds select on a bare Application, which ignores Ctrl-D. Its
    # text and confirm prompts are prompt_toolkit prompts, which raise EOFError.
    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _end_of_input(event) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    application = question.application
    application.key_bindings = merge_key_bindings([application.key_bindings, bindings])

    return question
