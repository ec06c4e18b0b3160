"""The installed send-audit at other widths and terminal types, resized, and piped."""

import os
import re
import shlex
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest
from keys import CTRL_D, CTRL_U, choice_keys

from send_audit.criteria import load_criteria
from send_audit.interview import latest_census_year
from send_audit.storage import load_audit, save_audit

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(
        shutil.which("send-audit") is None, reason="send-audit is not installed"
    ),
]

# Seconds to wait for each piece of expected output.
EXPECT_SECONDS = 10
# Rows of every pseudo-terminal; the tests vary the columns.
ROWS = 24
# Seconds for the program to handle a window size change before the next step.
RESIZE_SECONDS = 0.5
# Seconds within which a command without a terminal must have exited. It should
# take well under one; the margin is for a loaded test machine.
NO_TERMINAL_SECONDS = 5
# The shipped example audit, complete, which the summary tests print.
EXAMPLES = sorted((Path(__file__).parent.parent / "audits").glob("example-*.yaml"))
# An aspect of the example whose rating the summary tests remove.
UNRATED_ASPECT = "inclusive_ethos"

# Every word the summary may print for a rating.
RATING_WORDS = ("Red", "Amber", "Green", "Not rated")
# A control sequence: CSI, its parameters and its final byte.
_CSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# An SGR sequence that sets a colour: 30-37, 38;..., 40-47, 48;..., 90-97, 100-107.
_COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]")
# An aspect's rating line in the summary, such as "  Rating      Green".
_RATING_LINE = re.compile(r"^\s*Rating\s{2,}(\S.*?)\s*$")

SCHOOL = "Oakfield Primary School"
HEADER_TYPED = {
    "School": SCHOOL,
    "SENDCo": "Sam Patel",
    "Headteacher": "Alex Morgan",
    "Date of audit": "04/12/2026",
}
HEADER_STORED = {
    "school": SCHOOL,
    "senco": "Sam Patel",
    "headteacher": "Alex Morgan",
    "date_of_audit": "2026-12-04",
}


@dataclass(frozen=True)
class Terminal:
    """The width and type of a pseudo-terminal, and whether NO_COLOR is set."""

    columns: int
    term: str = "xterm"
    no_color: bool = False


TERMINALS = [
    pytest.param(Terminal(80), id="80-columns"),
    pytest.param(Terminal(60), id="60-columns"),
    pytest.param(Terminal(80, term="dumb"), id="dumb-80"),
    pytest.param(Terminal(60, term="dumb"), id="dumb-60"),
    pytest.param(Terminal(80, no_color=True), id="no-color-80"),
    pytest.param(Terminal(60, no_color=True), id="no-color-60"),
]


@pytest.fixture
def unrated_example(tmp_path) -> Path:
    """A copy of the example audit with one aspect left unrated."""
    assert EXAMPLES, "no audits/example-*.yaml is shipped"
    audit = load_audit(EXAMPLES[0])
    audit.aspects[UNRATED_ASPECT].rating = None
    path = tmp_path / "example.yaml"
    save_audit(audit, path)

    return path


def spawn(
    arguments: list[str],
    environment: dict,
    cwd: Path,
    terminal: Terminal = Terminal(80),
) -> pexpect.spawn:
    variables = dict(environment, TERM=terminal.term)
    if terminal.no_color:
        variables["NO_COLOR"] = "1"

    return pexpect.spawn(
        "send-audit",
        arguments,
        env=variables,
        cwd=str(cwd),
        encoding="utf-8",
        dimensions=(ROWS, terminal.columns),
        timeout=EXPECT_SECONDS,
    )


def answer(child: pexpect.spawn, label: str, typed: str) -> None:
    child.expect_exact(label)
    child.send(CTRL_U + typed + "\r")


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()

    return child.exitstatus


def only_audit_file(folder: Path) -> Path:
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 1, files

    return files[0]


def answer_header(child: pexpect.spawn) -> None:
    for label, typed in HEADER_TYPED.items():
        answer(child, label, typed)


def census_year_keys(chosen: str) -> str:
    choices = load_criteria().context.questions["census_year"].choices

    return choice_keys(choices, chosen, str(latest_census_year()))


def screen_lines(output: str) -> list[str]:
    """Return the lines a terminal shows for `output`, without control sequences."""
    plain = _CSI.sub("", output).replace("\r", "")

    return plain.split("\n")


def run_summary(path: Path, environment: dict, cwd: Path, terminal: Terminal) -> str:
    child = spawn(["summary", str(path)], environment, cwd, terminal)
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 0, output

    return output


def resumable_audit(folder: Path) -> Path:
    """Save the example with its last narrative unanswered, for `resume` to ask."""
    assert EXAMPLES, "no audits/example-*.yaml is shipped"
    audit = load_audit(EXAMPLES[0])
    del audit.context["local_context"]
    path = folder / "oakfield.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_audit(audit, path)

    return path


# Prompts and summary at each width and terminal type.


@pytest.mark.parametrize("terminal", TERMINALS)
def test_new_saves_answers(environment, audits, tmp_path, terminal):
    child = spawn(["new"], environment, tmp_path, terminal)
    answer_header(child)
    child.expect_exact("Fill the figures from a census extract?")
    child.send("n\r")
    child.expect_exact("Year of the January census")
    child.send(census_year_keys("2025"))
    child.expect_exact("Total number on roll")
    child.sendintr()

    assert finish(child) == 130
    context = load_audit(only_audit_file(audits)).context
    for question_id, stored in HEADER_STORED.items():
        assert context[question_id] == stored, question_id
    assert context["census_year"] == "2025"


@pytest.mark.parametrize("terminal", TERMINALS)
def test_summary_fits_width(environment, unrated_example, tmp_path, terminal):
    output = run_summary(unrated_example, environment, tmp_path, terminal)

    too_wide = [line for line in screen_lines(output) if len(line) > terminal.columns]
    assert too_wide == []


@pytest.mark.parametrize("terminal", TERMINALS)
def test_summary_ratings_in_words(environment, unrated_example, tmp_path, terminal):
    output = run_summary(unrated_example, environment, tmp_path, terminal)

    audit = load_audit(unrated_example)
    ratings = [
        match.group(1)
        for line in screen_lines(output)
        if (match := _RATING_LINE.match(line))
    ]
    assert len(ratings) == len(audit.aspects)
    assert set(ratings) <= set(RATING_WORDS)
    assert "Not rated" in ratings


@pytest.mark.parametrize(
    "terminal",
    [Terminal(columns, term="dumb") for columns in (60, 80)],
    ids=["dumb-60", "dumb-80"],
)
def test_dumb_summary_no_escape_codes(environment, unrated_example, tmp_path, terminal):
    output = run_summary(unrated_example, environment, tmp_path, terminal)

    assert "\x1b" not in output


@pytest.mark.parametrize(
    "terminal",
    [Terminal(columns, no_color=True) for columns in (60, 80)],
    ids=["no-color-60", "no-color-80"],
)
def test_no_color_summary_no_colours(environment, unrated_example, tmp_path, terminal):
    output = run_summary(unrated_example, environment, tmp_path, terminal)

    assert _COLOUR.findall(output) == []


# A terminal resized while a prompt waits.


def resize_and_back(child: pexpect.spawn, label: str) -> None:
    """Narrow the terminal to 60 columns and widen it to 80 again."""
    for columns in (60, 80):
        child.setwinsize(ROWS, columns)
        # prompt_toolkit redraws the prompt, label first, for each new size.
        child.expect_exact(label)
        time.sleep(RESIZE_SECONDS)


def test_resize_at_text_prompt(environment, audits, tmp_path):
    child = spawn(["new"], environment, tmp_path)
    answer(child, "School", SCHOOL)
    child.expect_exact("SENDCo")

    resize_and_back(child, "SENDCo")
    child.send(CTRL_U + "Sam Patel\r")
    child.expect_exact("Headteacher")
    child.sendintr()

    assert finish(child) == 130
    assert load_audit(only_audit_file(audits)).context["senco"] == "Sam Patel"


def test_resize_at_choice_prompt(environment, audits, tmp_path):
    child = spawn(["new"], environment, tmp_path)
    answer_header(child)
    child.expect_exact("Fill the figures from a census extract?")
    child.send("n\r")
    child.expect_exact("Year of the January census")

    resize_and_back(child, "Year of the January census")
    child.send(census_year_keys("2025"))
    child.expect_exact("Total number on roll")
    child.sendintr()

    assert finish(child) == 130
    assert load_audit(only_audit_file(audits)).context["census_year"] == "2025"


# Ctrl-D at each kind of prompt, which must act as Ctrl-C does.


def ctrl_d_at_text(child: pexpect.spawn) -> None:
    answer(child, "School", SCHOOL)
    answer(child, "SENDCo", "Sam Patel")
    child.expect_exact("Headteacher")


def ctrl_d_at_confirm(child: pexpect.spawn) -> None:
    answer_header(child)
    child.expect_exact("Fill the figures from a census extract?")


def ctrl_d_at_choice(child: pexpect.spawn) -> None:
    ctrl_d_at_confirm(child)
    child.send("n\r")
    child.expect_exact("Year of the January census")


def ctrl_d_at_menu(child: pexpect.spawn) -> None:
    child.expect_exact("What next?")


def ctrl_d_at_long_text(child: pexpect.spawn) -> None:
    ctrl_d_at_menu(child)
    child.send("\r")  # Continue
    child.expect_exact("Local community and context")
    child.expect_exact("Esc then Enter to finish")


CTRL_D_PROMPTS = [
    pytest.param("new", ctrl_d_at_text, id="text"),
    pytest.param("new", ctrl_d_at_confirm, id="confirm"),
    pytest.param("new", ctrl_d_at_choice, id="choice"),
    pytest.param("resume", ctrl_d_at_menu, id="menu"),
    pytest.param("resume", ctrl_d_at_long_text, id="long-text"),
]


def start(command: str, environment: dict, audits: Path, cwd: Path) -> pexpect.spawn:
    if command == "new":
        return spawn(["new"], environment, cwd)

    return spawn(["resume", str(resumable_audit(audits))], environment, cwd)


@pytest.mark.parametrize(("command", "reach_prompt"), CTRL_D_PROMPTS)
def test_ctrl_d_prints_resume_command(
    environment, audits, tmp_path, command, reach_prompt
):
    child = start(command, environment, audits, tmp_path)
    reach_prompt(child)

    child.send(CTRL_D)

    child.expect_exact("To carry on, run:")
    child.expect_exact(f"send-audit resume {shlex.quote(str(only_audit_file(audits)))}")
    assert finish(child) == 130


@pytest.mark.parametrize(("command", "reach_prompt"), CTRL_D_PROMPTS)
def test_ctrl_d_keeps_answers(environment, audits, tmp_path, command, reach_prompt):
    child = start(command, environment, audits, tmp_path)
    before = load_audit(only_audit_file(audits)) if command == "resume" else None
    reach_prompt(child)

    child.send(CTRL_D)

    assert finish(child) == 130
    saved = load_audit(only_audit_file(audits))
    if before is not None:
        assert saved.model_dump(exclude={"updated"}) == before.model_dump(
            exclude={"updated"}
        )
        return
    for question_id in ("school", "senco"):
        assert saved.context[question_id] == HEADER_STORED[question_id], question_id


# Standard input that is not a terminal.

STDIN_KINDS = [
    pytest.param({"stdin": subprocess.DEVNULL}, id="dev-null"),
    pytest.param({"input": "Oakfield Primary School\n"}, id="pipe"),
]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run_without_terminal(
    command: str, stdin: dict, environment: dict, audits: Path, cwd: Path
) -> Run:
    arguments = ["new"]
    if command == "resume":
        arguments = ["resume", str(resumable_audit(audits))]
    started = time.monotonic()
    result = subprocess.run(
        ["send-audit", *arguments],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        # Far beyond NO_TERMINAL_SECONDS: a hang fails the assert, not this.
        timeout=60,
        **stdin,
    )
    seconds = time.monotonic() - started

    return Run(result.returncode, result.stdout, result.stderr, seconds)


@pytest.mark.parametrize("stdin", STDIN_KINDS)
@pytest.mark.parametrize("command", ["new", "resume"])
def test_no_terminal_one_line_message(environment, audits, tmp_path, command, stdin):
    run = run_without_terminal(command, stdin, environment, audits, tmp_path)

    assert run.returncode == 1
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"Error: send-audit {command} needs a terminal")
    assert "--answers FILE" in lines[0]


@pytest.mark.parametrize("stdin", STDIN_KINDS)
@pytest.mark.parametrize("command", ["new", "resume"])
def test_no_terminal_exits_quickly(environment, audits, tmp_path, command, stdin):
    run = run_without_terminal(command, stdin, environment, audits, tmp_path)

    assert run.seconds < NO_TERMINAL_SECONDS


@pytest.mark.parametrize("stdin", STDIN_KINDS)
@pytest.mark.parametrize("command", ["new", "resume"])
def test_no_terminal_no_escape_codes(environment, audits, tmp_path, command, stdin):
    run = run_without_terminal(command, stdin, environment, audits, tmp_path)

    assert "\x1b" not in run.stdout
    assert "\x1b" not in run.stderr


@pytest.mark.parametrize(
    ("before", "after"),
    [("", "< /dev/null"), ("echo Oakfield |", "")],
    ids=["dev-null", "pipe"],
)
@pytest.mark.parametrize("command", ["new", "resume"])
def test_no_terminal_draws_no_prompt(
    environment, audits, tmp_path, command, before, after
):
    # Standard output and error stay a terminal, as when a SENCo types the command
    # with a redirect or a pipe: the error may be coloured, but no prompt is drawn.
    arguments = "new"
    if command == "resume":
        arguments = f"resume {shlex.quote(str(resumable_audit(audits)))}"
    child = pexpect.spawn(
        "bash",
        ["-c", f"{before} send-audit {arguments} {after}"],
        env=environment,
        cwd=str(tmp_path),
        encoding="utf-8",
        dimensions=(ROWS, 80),
        timeout=EXPECT_SECONDS,
    )

    child.expect(pexpect.EOF)
    output = child.before
    child.close()

    assert child.exitstatus == 1
    assert "needs a terminal" in output
    controls = [code for code in _CSI.findall(output) if not code.endswith("m")]
    assert controls == []


def test_new_with_output_redirected_refuses(tmp_path):
    # A pseudo-terminal on standard input, but standard output goes to a file.
    output = tmp_path / "out.txt"
    child = pexpect.spawn(
        "bash",
        ["-c", f"send-audit new > {output}"],
        encoding="utf-8",
        dimensions=(24, 80),
        env={**os.environ, "SEND_AUDIT_DIR": str(tmp_path / "audits"), "TERM": "xterm"},
        timeout=10,
    )
    child.expect_exact("needs a terminal")
    child.expect(pexpect.EOF)
    child.close()

    assert child.exitstatus == 1
    assert output.read_text() == ""
    assert not (tmp_path / "audits").exists()
