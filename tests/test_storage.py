"""Saving and loading audit files: atomic saves, modes, names, versions, bad files."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML

from send_audit.audit import FORMAT_VERSION, AspectAnswer, ComplianceAnswer, new_audit
from send_audit.criteria import load_criteria
from send_audit.errors import AuditLockedError, InvalidAuditError, NewerFormatError
from send_audit.lock import AuditLock, lock_path_for
from send_audit.storage import (
    audit_path_for,
    load_audit,
    remove_leftover_temporaries,
    safe_file_stem,
    save_audit,
)

CRITERIA = load_criteria()

# Free text that YAML 1.1 tools would turn into booleans, dates and numbers.
YAML_TRAPS = [
    "N",
    "n",
    "Y",
    "yes",
    "no",
    "on",
    "off",
    "true",
    "~",
    "null",
    "2024-01-05",
    "1:30",
    "1e3",
    "0755",
    "0x1F",
    ".inf",
    "-.5",
    "+1",
    "12",
    "3.0",
    "",
    " ",
    "a: b",
    "- item",
    "# not a comment",
    "&anchor",
    "*alias",
    "!tag",
    "%",
    "@",
    "`",
    "|",
    ">",
    "'quoted'",
    '"double"',
    "{x: 1}",
    "[1, 2]",
    "line\nline",
    "trailing \n",
    "\ttab",
    "é ŵ 🌈 学校",
    "\u2028",
    "\x85 next line",
]


def _audit_with(text: str):
    audit = new_audit(CRITERIA.manifest.id, CRITERIA.manifest.version)
    audit.context["school"] = text
    audit.context["number_on_roll"] = 412
    audit.context["attendance_total"] = 95.5
    audit.compliance["equality_objectives"] = ComplianceAnswer(compliant="N", note=text)
    audit.aspects["inclusive_ethos"] = AspectAnswer(rating="amber", comment=text)
    audit.priorities = text

    return audit


@pytest.mark.parametrize("text", YAML_TRAPS, ids=[repr(t) for t in YAML_TRAPS])
def test_free_text_round_trips_exactly(tmp_path, text):
    path = tmp_path / "audit.yaml"
    audit = _audit_with(text)
    save_audit(audit, path)

    assert load_audit(path, CRITERIA) == audit


@pytest.mark.parametrize("text", YAML_TRAPS, ids=[repr(t) for t in YAML_TRAPS])
def test_saved_file_means_the_same_to_yaml_1_2(tmp_path, text):
    path = tmp_path / "audit.yaml"
    save_audit(_audit_with(text), path)
    source = path.read_text(encoding="utf-8")

    read_by_pyyaml = yaml.safe_load(source)
    read_by_ruamel = YAML(typ="safe", pure=True).load(source)

    assert read_by_ruamel == read_by_pyyaml
    assert read_by_ruamel["context"]["school"] == text


def test_new_file_and_folder_are_private(tmp_path):
    path = tmp_path / "audits" / "audit.yaml"
    save_audit(_audit_with("Oakfield"), path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_save_keeps_mode_of_existing_file(tmp_path):
    path = tmp_path / "audit.yaml"
    save_audit(_audit_with("Oakfield"), path)
    path.chmod(0o640)
    save_audit(_audit_with("Oakfield again"), path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_save_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "audit.yaml"
    save_audit(_audit_with("Oakfield"), path)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.yaml"]


def test_failed_save_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "audit.yaml"
    save_audit(_audit_with("First"), path)
    before = path.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        save_audit(_audit_with("Second"), path)

    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["audit.yaml"]


def test_leftover_temporaries_removed(tmp_path):
    path = tmp_path / "audit.yaml"
    leftover = tmp_path / ".audit.yaml.x1y2.tmp"
    leftover.write_text("half a save")
    other = tmp_path / ".other.yaml.x1y2.tmp"
    other.write_text("another audit's save")
    remove_leftover_temporaries(path)

    assert not leftover.exists()
    assert other.exists()


@pytest.mark.parametrize(
    ("school", "stem"),
    [
        (
            "St Mary's C of E / Primary: Ysgol Gymraeg 🌈",
            "st-marys-c-of-e-primary-ysgol-gymraeg",
        ),
        ("../../etc/passwd", "etc-passwd"),
        ("C:\\Windows\\System32", "c-windows-system32"),
        (
            "Ysgol Gynradd Llanfair Pwllgwyngyll ŵ",
            "ysgol-gynradd-llanfair-pwllgwyngyll-w",
        ),
        ("学校", "audit"),
        ("...", "audit"),
        ("a\x00b\nc", "a-b-c"),
    ],
    ids=[
        "apostrophe-slash-colon",
        "parent-folders",
        "windows-path",
        "welsh",
        "cjk",
        "dots",
        "control",
    ],
)
def test_school_name_gives_safe_file_name(tmp_path, school, stem):
    path = audit_path_for(tmp_path, school, "2026-12-04")

    assert path.name == f"{stem}-2026-12-04.yaml"
    assert path.parent == tmp_path


def test_very_long_school_name_is_shortened():
    stem = safe_file_stem("Ysgol " * 100, "2026-12-04")

    assert len(stem.encode()) <= 140


def test_newer_format_refused_with_version_needed(tmp_path):
    path = tmp_path / "audit.yaml"
    save_audit(_audit_with("Oakfield"), path)
    path.write_text(
        path.read_text().replace(
            f"format_version: {FORMAT_VERSION}", f"format_version: {FORMAT_VERSION + 1}"
        )
    )

    with pytest.raises(
        NewerFormatError, match=f"format {FORMAT_VERSION + 1} needs a newer"
    ):
        load_audit(path, CRITERIA)


def test_format_1_upgraded_in_memory_only(tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_text(
        'format_version: 1\ncriteria: "la_send_self_evaluation"\n'
        'created: "2025-01-10T09:00:00+00:00"\nupdated: "2025-01-10T09:00:00+00:00"\n'
        'context:\n  school: "Oakfield"\n'
    )
    before = path.read_bytes()
    audit = load_audit(path, CRITERIA)

    assert audit.format_version == FORMAT_VERSION
    assert audit.criteria.id == "la_send_self_evaluation"
    assert audit.criteria.version == 1
    assert audit.school == "Oakfield"
    assert path.read_bytes() == before


def test_invalid_yaml_gives_path_line_column(tmp_path):
    path = tmp_path / "audit.yaml"
    path.write_text('format_version: 2\ncontext:\n  school: "Oak\n  senco: [\n')

    with pytest.raises(InvalidAuditError) as raised:
        load_audit(path, CRITERIA)

    message = str(raised.value)
    assert message.startswith(f"{path}:")
    line, column = message.split(":")[1:3]
    assert line.isdigit() and column.isdigit()


def test_python_tag_rejected_and_not_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "audit.yaml"
    path.write_text(
        "format_version: 2\n"
        f'school: !!python/object/apply:os.system ["touch {marker}"]\n'
    )

    with pytest.raises(InvalidAuditError, match="not allowed"):
        load_audit(path, CRITERIA)

    assert not marker.exists()


def _hand_edited(tmp_path, replacements: dict[str, str]) -> Path:
    path = tmp_path / "audit.yaml"
    save_audit(_audit_with("Oakfield"), path)
    text = path.read_text()
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)

    return path


def test_number_on_roll_on_rejected(tmp_path):
    path = _hand_edited(tmp_path, {"number_on_roll: 412": "number_on_roll: on"})

    with pytest.raises(InvalidAuditError) as raised:
        load_audit(path, CRITERIA)

    assert "context.number_on_roll: found 'on'" in str(raised.value)
    assert "whole number" in str(raised.value)


def test_number_on_roll_true_rejected(tmp_path):
    path = _hand_edited(tmp_path, {"number_on_roll: 412": "number_on_roll: true"})

    with pytest.raises(InvalidAuditError, match=r"context\.number_on_roll: found True"):
        load_audit(path, CRITERIA)


def test_compliant_yes_rejected_naming_field(tmp_path):
    path = _hand_edited(tmp_path, {'compliant: "N"': "compliant: yes"})

    with pytest.raises(InvalidAuditError) as raised:
        load_audit(path, CRITERIA)

    message = str(raised.value)
    assert str(path) in message
    assert "compliance.equality_objectives.compliant: found 'yes'" in message


def test_unquoted_date_and_urn_keep_their_text(tmp_path):
    path = _hand_edited(
        tmp_path,
        {
            "number_on_roll: 412": (
                "number_on_roll: 412\n  date_of_audit: 2024-01-05\n  urn: 0755"
            )
        },
    )
    audit = load_audit(path, CRITERIA)

    assert audit.context["date_of_audit"] == "2024-01-05"
    assert audit.context["urn"] == "0755"


def test_every_wrong_field_listed(tmp_path):
    path = _hand_edited(
        tmp_path,
        {
            "number_on_roll: 412": "number_on_roll: [1]",
            'rating: "amber"': "rating: purple",
        },
    )

    with pytest.raises(InvalidAuditError) as raised:
        load_audit(path, CRITERIA)

    problems = raised.value.problems
    assert any("context.number_on_roll" in p for p in problems)
    assert any("aspects.inclusive_ethos.rating: found 'purple'" in p for p in problems)


def test_second_lock_names_holder(tmp_path):
    path = tmp_path / "audit.yaml"
    with AuditLock(path, notify=print):
        with pytest.raises(AuditLockedError, match=f"process {os.getpid()}"):
            AuditLock(path, notify=print).acquire()


def test_lock_removed_on_release(tmp_path):
    path = tmp_path / "audit.yaml"
    with AuditLock(path, notify=print):
        assert lock_path_for(path).exists()

    assert not lock_path_for(path).exists()


def test_lock_of_killed_process_taken_over(tmp_path):
    path = tmp_path / "audit.yaml"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from send_audit.lock import AuditLock\n"
            f"AuditLock(Path({str(path)!r}), print).acquire()\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(AuditLockedError, match=f"process {holder.pid}"):
        AuditLock(path, notify=print).acquire()
    holder.kill()
    holder.wait()

    notices = []
    lock = AuditLock(path, notify=notices.append)
    lock.acquire()
    lock.release()

    assert len(notices) == 1
    assert f"process {holder.pid}" in notices[0]


@pytest.mark.parametrize(
    "date", ["2024-13-45", "2024-02-30", "next tuesday", "2024-1-5"], ids=repr
)
def test_hand_edited_bad_date_rejected(tmp_path, date):
    path = _hand_edited(
        tmp_path,
        {"number_on_roll: 412": f'number_on_roll: 412\n  date_of_audit: "{date}"'},
    )

    with pytest.raises(InvalidAuditError) as raised:
        load_audit(path, CRITERIA)

    assert f"context.date_of_audit: found {date!r}" in str(raised.value)
    assert "YYYY-MM-DD" in str(raised.value)


def test_quoted_count_hint_says_without_quotes(tmp_path):
    path = _hand_edited(tmp_path, {"number_on_roll: 412": 'number_on_roll: "1200"'})

    with pytest.raises(
        InvalidAuditError, match="whole number of 0 or more, without quotes"
    ):
        load_audit(path, CRITERIA)
