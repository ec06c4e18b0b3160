"""The installed send-audit command in a real pseudo-terminal, as a SENCo runs it."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest

from send_audit.audit import Audit
from send_audit.criteria import Criteria, load_criteria
from send_audit.storage import load_audit, save_audit

pytestmark = [
    pytest.mark.timeout(90),
    pytest.mark.skipif(
        shutil.which("send-audit") is None, reason="send-audit is not installed"
    ),
]

# Seconds to wait for each piece of expected output.
EXPECT_SECONDS = 10
# Rows and columns of the pseudo-terminal.
DIMENSIONS = (40, 100)
# The shipped example audits, which the summary must print in words.
EXAMPLES = sorted((Path(__file__).parent.parent / "audits").glob("example-*.yaml"))
# Deletes the text before the cursor, so typing replaces a prompt's default.
CTRL_U = "\x15"

SCHOOL = "Oakfield Primary School"
# Every figure of the SEND profile, attendance and exclusions, keeping the rules.
ALL_FIGURES = {
    "census_year": "2025",
    "number_on_roll": 1200,
    "boys_on_roll": 610,
    "send_register": 64,
    "sen_support": 52,
    "ehc_plans": 12,
    "boys_on_send_register": 40,
    "disadvantaged_on_roll": 120,
    "disadvantaged_with_send": 30,
    "cla_plac_on_roll": 6,
    "cla_plac_with_send": 3,
    "attendance_total": 95.5,
    "attendance_send": 92.1,
    "attendance_ehcp": 90,
    "suspensions_total": 14,
    "suspensions_send": 9,
    "permanent_exclusions_total": 1,
    "permanent_exclusions_send": 0,
}
FIGURES = {
    "number_on_roll": 1200,
    "boys_on_roll": 600,
    "send_register": 52,
    "sen_support": 40,
}


@pytest.fixture(scope="module")
def criteria() -> Criteria:
    return load_criteria()


def spawn(arguments: list[str], environment: dict, cwd: Path) -> pexpect.spawn:
    return pexpect.spawn(
        "send-audit",
        arguments,
        env=environment,
        cwd=str(cwd),
        encoding="utf-8",
        dimensions=DIMENSIONS,
        timeout=EXPECT_SECONDS,
    )


def answer(child: pexpect.spawn, label: str, typed: str) -> None:
    child.expect_exact(label)
    child.send(CTRL_U + typed + "\r")


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()

    return child.exitstatus


def resume_command(path: Path) -> str:
    return f"send-audit resume {shlex.quote(str(path))}"


def only_audit_file(folder: Path) -> Path:
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 1, files

    return files[0]


def start_short_audit(child: pexpect.spawn) -> None:
    """Answer the header and the first figures, stopping at the EHC plans."""
    answer(child, "School", SCHOOL)
    answer(child, "SENDCo", "Sam Patel")
    answer(child, "Headteacher", "Alex Morgan")
    answer(child, "Date of audit", "04/12/2026")
    child.expect_exact("Fill the figures from a census extract?")
    child.send("n\r")
    child.expect_exact("Year of the January census")
    child.send("\r")
    answer(child, "Total number on roll", "lots")
    child.expect_exact("'lots' is not a count")
    child.send(CTRL_U + "1,200\r")
    answer(child, "Number of boys on roll", "600")
    answer(child, "Number on SEND register", "52")
    answer(child, "Number at SEN Support", "40")
    child.expect_exact("Number with an EHC Plan")


def header_and_figures(criteria: Criteria, **context) -> Audit:
    audit = Audit(
        criteria={"id": criteria.manifest.id, "version": criteria.manifest.version},
        created="2026-12-04T09:00:00+00:00",
        updated="2026-12-04T09:00:00+00:00",
    )
    audit.context = {
        "school": SCHOOL,
        "senco": "Sam Patel",
        "headteacher": "Alex Morgan",
        "date_of_audit": "2026-12-04",
        **context,
    }

    return audit


def saved(audit: Audit, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    save_audit(audit, path)

    return path


# Ctrl-C and resuming.


def test_ctrl_c_prints_resume_command(environment, audits, tmp_path):
    child = spawn(["new"], environment, tmp_path)
    start_short_audit(child)

    child.sendintr()

    child.expect_exact("To carry on, run:")
    path = only_audit_file(audits)
    child.expect_exact(resume_command(path))
    assert finish(child) == 130


def test_ctrl_c_keeps_answers_on_disk(environment, audits, tmp_path):
    child = spawn(["new"], environment, tmp_path)
    start_short_audit(child)

    child.sendintr()

    assert finish(child) == 130
    context = load_audit(only_audit_file(audits)).context
    assert context["school"] == SCHOOL
    assert context["date_of_audit"] == "2026-12-04"
    for question_id, value in FIGURES.items():
        assert context[question_id] == value, question_id
    assert "ehc_plans" not in context


def test_resume_asks_next_unanswered(environment, audits, tmp_path):
    child = spawn(["new"], environment, tmp_path)
    start_short_audit(child)
    child.sendintr()
    finish(child)
    path = only_audit_file(audits)

    child = spawn(["resume", str(path)], environment, tmp_path)
    child.expect_exact("Answered")
    child.expect_exact("School context and SEND profile")
    child.expect_exact(
        "Continue at: School context and SEND profile, Number with an EHC"
    )
    child.send("\r")
    # The group's guidance comes between the menu and the question.
    child.expect_exact("Use the January school census figures")
    answer(child, "Number with an EHC Plan", "12")
    child.expect_exact("Number of boys on the SEND register")
    child.sendintr()

    assert finish(child) == 130
    assert load_audit(path).context["ehc_plans"] == 12


def test_second_resume_rejected(criteria, environment, tmp_path):
    path = saved(header_and_figures(criteria), tmp_path / "audits" / "oakfield.yaml")
    content = path.read_bytes()
    first = spawn(["resume", str(path)], environment, tmp_path)
    first.expect_exact("What next?")

    second = spawn(["resume", str(path)], environment, tmp_path)
    second.expect_exact(f"is open in another send-audit (process {first.pid}")
    status = finish(second)

    assert status == 1
    assert path.read_bytes() == content
    first.sendintr()
    assert finish(first) == 130


# Prompts that must show what they ask.


def test_long_text_prompt_visible(criteria, environment, tmp_path):
    # The label and instruction together are wider than the 100 columns.
    audit = header_and_figures(
        criteria, **ALL_FIGURES, send_profile_summary="Year 4 has the most."
    )
    path = saved(audit, tmp_path / "audits" / "oakfield.yaml")
    child = spawn(["resume", str(path)], environment, tmp_path)
    child.expect_exact("What next?")

    child.send("\r")  # Continue
    child.expect_exact("Complete these after analysing")
    child.expect_exact("Trends and patterns observed over time")
    child.expect_exact("Esc then Enter to finish")
    child.send("Register grew")
    child.expect_exact("Register grew")
    child.sendintr()

    assert finish(child) == 130


# Without a terminal.


@pytest.mark.parametrize(
    "stdin",
    [{"stdin": subprocess.DEVNULL}, {"input": "x\n"}],
    ids=["dev-null", "piped-text"],
)
def test_new_without_terminal_fails(environment, tmp_path, stdin):
    result = subprocess.run(
        ["send-audit", "new"],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=10,
        **stdin,
    )

    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "needs a terminal" in lines[0]
    assert "--answers" in lines[0]
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr


# The summary in words.


@pytest.mark.skipif(not EXAMPLES, reason="no audits/example-*.yaml is shipped yet")
def test_summary_to_file_in_words(environment, tmp_path):
    output = tmp_path / "out.txt"
    environment["NO_COLOR"] = "1"

    with output.open("w", encoding="utf-8") as file:
        result = subprocess.run(
            ["send-audit", "summary", str(EXAMPLES[0])],
            env=environment,
            stdout=file,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
        )

    assert result.returncode == 0, result.stderr
    text = output.read_text(encoding="utf-8")
    assert "\x1b" not in text
    for word in ("Red", "Amber", "Green"):
        assert re.search(rf"\b{word}\b", text), word


# A school name with punctuation and an emoji.

AWKWARD_SCHOOL = "St Mary's C of E / Primary: Ysgol Gymraeg 🌈"


def test_awkward_school_name_safe_file(environment, audits, tmp_path):
    child = spawn(["new"], environment, tmp_path)
    answer(child, "School", AWKWARD_SCHOOL)
    child.expect_exact("SENDCo")
    child.sendintr()
    assert finish(child) == 130

    path = only_audit_file(audits)
    assert path.parent.resolve() == audits.resolve()
    assert re.fullmatch(r"[a-z0-9-]+\.yaml", path.name), path.name
    assert load_audit(path).school == AWKWARD_SCHOOL


def test_awkward_school_name_shown(environment, audits, tmp_path):
    child = spawn(["new"], environment, tmp_path)
    answer(child, "School", AWKWARD_SCHOOL)
    child.expect_exact("SENDCo")
    child.sendintr()
    finish(child)

    child = spawn(["resume", str(only_audit_file(audits))], environment, tmp_path)
    child.expect_exact(AWKWARD_SCHOOL)
    child.expect_exact("What next?")
    child.sendintr()

    assert finish(child) == 130
