"""The one rich theme of send-audit: semantic style names, never raw colours."""

import os
import shutil

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "rating.red": "bold white on red",
        "rating.amber": "bold black on yellow",
        "rating.green": "bold white on green",
        "rating.none": "italic",
        "unanswered": "italic yellow",
        "heading": "bold",
        "figure.label": "",
        "figure.share": "dim",
        "notice": "cyan",
        "error": "bold red",
        "compliant.yes": "green",
        "compliant.no": "bold red",
    }
)

# TERM values for which rich ignores the terminal's real size.
_DUMB_TERMINALS = {"dumb", "unknown"}

# Words printed for each rating, so that nothing depends on colour alone.
RATING_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", None: "Not rated"}


def make_console(stderr: bool = False, width: int | None = None) -> Console:
    """Create a console with the theme; user text must be passed as Text objects.

    Markup, emoji codes and highlighting are off, so `[bold]` or `:smile:` typed by
    a SENCo prints as typed.
    """
    height = None
    if width is None and os.environ.get("TERM", "").lower() in _DUMB_TERMINALS:
        # rich 15 takes a dumb terminal to be 80 by 25 unless given both sizes;
        # ask the terminal (or $COLUMNS) instead, so a narrow one is not overrun.
        width, height = shutil.get_terminal_size(fallback=(80, 24))

    return Console(
        theme=THEME,
        stderr=stderr,
        width=width,
        height=height,
        markup=False,
        emoji=False,
        highlight=False,
    )
