"""The command line as a whole: help, exit codes, errors and start-up imports."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from send_audit.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = next((ROOT / "audits").glob("example-*.yaml"))
COMMANDS = sorted(
    command.name or command.callback.__name__ for command in app.registered_commands
)


def _run(
    *arguments: str, stdin=subprocess.DEVNULL, env=None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["send-audit", *arguments],
        capture_output=True,
        text=True,
        stdin=stdin,
        timeout=30,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
    )


@pytest.mark.parametrize("command", COMMANDS, ids=COMMANDS)
def test_every_command_has_help(command):
    result = _run(command, "--help")

    assert result.returncode == 0
    assert "Usage:" in result.stdout
    assert len(result.stdout.splitlines()) > 3


@pytest.mark.parametrize(
    "arguments",
    [["summary", str(EXAMPLE)], ["export", str(EXAMPLE)], ["list"], ["--help"]],
    ids=["summary", "export", "list", "help"],
)
def test_commands_that_ask_nothing_skip_questionary(arguments, tmp_path):
    code = (
        "import sys\n"
        "from send_audit.cli import main\n"
        f"sys.argv = ['send-audit', *{arguments!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as done:\n"
        "    assert done.code in (0, None), done.code\n"
        "print('questionary' in sys.modules, 'prompt_toolkit' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False"


def test_missing_audit_file_is_one_line_error(tmp_path):
    result = _run("summary", str(tmp_path / "missing.yaml"))

    assert result.returncode == 1
    assert (
        result.stderr.strip() == f"Error: {tmp_path / 'missing.yaml'}: file not found"
    )
    assert "Traceback" not in result.stderr


def test_invalid_yaml_reports_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text('format_version: 2\ncontext:\n  school: "Oak\n  senco: [\n')
    result = _run("summary", str(path))

    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {path}:")
    assert "Traceback" not in result.stderr


def test_python_tag_in_audit_runs_nothing(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(
        f'format_version: 2\nx: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    result = _run("summary", str(path))

    assert result.returncode == 1
    assert "not allowed" in result.stderr
    assert not marker.exists()


def test_invalid_criteria_folder_names_file(tmp_path):
    folder = tmp_path / "criteria"
    folder.mkdir()
    (folder / "criteria.yaml").write_text("id: Bad Id\nversion: 0\n")
    result = _run("summary", str(EXAMPLE), "--criteria", str(folder))

    assert result.returncode == 1
    assert f"{folder / 'criteria.yaml'}: id: found 'Bad Id'" in result.stderr
    assert "version: found 0" in result.stderr
    assert "title: missing" in result.stderr


def test_unknown_command_is_usage_error():
    result = _run("frobnicate")

    assert result.returncode == 2
    assert "No such command" in result.stderr


def test_list_shows_example_with_progress():
    result = _run("list", "--audits-dir", str(EXAMPLE.parent))

    assert result.returncode == 0
    assert "Oakfield Primary School" in result.stdout
    assert "84/84" in result.stdout


def test_export_writes_private_file(tmp_path):
    output = tmp_path / "report.md"
    result = _run("export", str(EXAMPLE), "-o", str(output))

    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8").startswith("# SEND self-evaluation audit")
    assert oct(output.stat().st_mode & 0o777) == oct(0o600)


def test_summary_to_file_has_no_escape_codes(tmp_path):
    output = tmp_path / "summary.txt"
    with output.open("w") as file:
        subprocess.run(
            ["send-audit", "summary", str(EXAMPLE)], stdout=file, timeout=30, check=True
        )
    text = output.read_text(encoding="utf-8")

    assert "\x1b" not in text
    for word in ("Red", "Amber", "Green"):
        assert word in text


def test_export_refuses_audit_as_output(tmp_path):
    audit = tmp_path / "audit.yaml"
    audit.write_bytes(EXAMPLE.read_bytes())
    result = _run("export", str(audit), "-o", str(audit))

    assert result.returncode == 1
    assert "cannot be written to a .yaml file" in result.stderr
    assert audit.read_bytes() == EXAMPLE.read_bytes()


def test_export_refuses_existing_report(tmp_path):
    report = tmp_path / "report.md"
    report.write_text("the headteacher's notes")
    result = _run("export", str(EXAMPLE), "-o", str(report))

    assert result.returncode == 1
    assert "already exists; add --force" in result.stderr
    assert report.read_text() == "the headteacher's notes"


def test_export_force_replaces_report(tmp_path):
    report = tmp_path / "report.md"
    report.write_text("old")
    result = _run("export", str(EXAMPLE), "-o", str(report), "--force")

    assert result.returncode == 0, result.stderr
    assert report.read_text(encoding="utf-8").startswith("# SEND self-evaluation")


def test_export_dash_writes_standard_output(tmp_path):
    result = subprocess.run(
        ["send-audit", "export", str(EXAMPLE), "-o", "-"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# SEND self-evaluation audit")
    assert not (tmp_path / "-").exists()


def test_export_into_missing_folder_refused(tmp_path):
    output = tmp_path / "missing" / "report.md"
    result = _run("export", str(EXAMPLE), "-o", str(output))

    assert result.returncode == 1
    assert "not found" in result.stderr
    assert not output.parent.exists()
