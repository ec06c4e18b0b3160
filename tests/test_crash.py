"""SIGKILL at random moments during a long interview never loses a confirmed answer."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from send_audit.criteria import load_criteria
from send_audit.storage import load_audit

DRIVER = Path(__file__).with_name("crash_driver.py")
KILLS = 200


def _answers_in(snapshot: dict) -> dict:
    """Flatten a snapshot into {"aspects.id.rating": value} for every given answer."""
    flat = {}
    for part in ("context", "compliance", "aspects", "action_plans"):
        for entry_id, entry in snapshot[part].items():
            if isinstance(entry, dict):
                for name, value in entry.items():
                    if value is not None:
                        flat[f"{part}.{entry_id}.{name}"] = value
            elif entry is not None:
                flat[f"{part}.{entry_id}"] = entry
    if snapshot["priorities"] is not None:
        flat["priorities"] = snapshot["priorities"]

    return flat


def _run_until_killed(path: Path, rng: random.Random) -> tuple[dict | None, bool]:
    """Start the driver, kill it after a random number of saves and a random delay.

    Returns:
        The last snapshot the driver confirmed, and whether it finished first.
    """
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    saves_before_kill = rng.randint(0, 6)
    confirmed = None
    finished = False
    seen = 0
    for line in process.stdout:
        if line.startswith("SAVED "):
            confirmed = json.loads(line[6:])
            seen += 1
        if line.startswith("DONE"):
            finished = True
            break
        if (line.startswith("READY") and saves_before_kill == 0) or (
            seen >= saves_before_kill > 0
        ):
            # Sleep into the next save, often into its write, fsync or rename.
            time.sleep(rng.uniform(0, 0.03))
            process.send_signal(signal.SIGKILL)
            break
    rest, errors = process.communicate(timeout=60)
    for line in rest.splitlines():
        if line.startswith("SAVED "):
            confirmed = json.loads(line[6:])
        finished = finished or line.startswith("DONE")
    if process.returncode not in (0, -signal.SIGKILL):
        pytest.fail(f"driver failed with {process.returncode}:\n{errors}")

    return confirmed, finished


@pytest.mark.timeout(900)
def test_sigkill_never_loses_confirmed_answers(tmp_path):
    criteria = load_criteria()
    rng = random.Random(20261204)
    audits = 0
    kills = 0
    path = tmp_path / "audit-0.yaml"
    confirmed: dict = {}
    while kills < KILLS:
        snapshot, finished = _run_until_killed(path, rng)
        if snapshot is not None:
            confirmed = _answers_in(snapshot)
        on_disk = _answers_in(load_audit(path, criteria).model_dump(mode="json"))
        lost = {
            key: value for key, value in confirmed.items() if on_disk.get(key) != value
        }
        assert lost == {}, f"answers lost after kill {kills}"
        if finished:
            audits += 1
            path = tmp_path / f"audit-{audits}.yaml"
            confirmed = {}
        else:
            kills += 1

    assert audits >= 1, "the scripted interview never reached its end"
    leftovers = [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    assert len(leftovers) <= 1, f"temporary files left behind: {leftovers}"


def test_driver_finishes_without_kill(tmp_path):
    path = tmp_path / "whole.yaml"
    result = subprocess.run(
        [sys.executable, str(DRIVER), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.rstrip().endswith("DONE")
