"""Measure what a SENCo waits for: a save after each answer and short commands.

Run `python benchmarks/run.py` from the repository with send-audit installed. It
prints the median of repeated runs for:

- saving a complete audit (in process: dump, write, fsync, rename), and loading it;
- whole processes: `send-audit --help`, `send-audit summary` and `send-audit export`
  on the shipped example audit, and `python -c pass` as the floor every Python
  command pays, with each command's time as a ratio of that floor.
"""

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from send_audit.criteria import load_criteria
from send_audit.storage import load_audit, save_audit

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = next((ROOT / "audits").glob("example-*.yaml"))
SAVE_RUNS = 200
PROCESS_RUNS = 15


def median_seconds(action, runs: int) -> float:
    """Run `action` `runs` times and return the median wall-clock time in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)

    return statistics.median(times)


def run_process(arguments: list[str]) -> None:
    """Run a command to completion with its output discarded."""
    subprocess.run(
        arguments, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def main() -> None:
    criteria = load_criteria()
    audit = load_audit(EXAMPLE, criteria)
    command = shutil.which("send-audit")
    if command is None:
        sys.exit("send-audit is not installed: run pip install . first")

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "audit.yaml"
        save = median_seconds(lambda: save_audit(audit, target), SAVE_RUNS)
        load = median_seconds(lambda: load_audit(target, criteria), SAVE_RUNS)

    floor = median_seconds(
        lambda: run_process([sys.executable, "-c", "pass"]), PROCESS_RUNS
    )
    processes = {
        "send-audit --help": [command, "--help"],
        "send-audit summary EXAMPLE": [command, "summary", str(EXAMPLE)],
        "send-audit export EXAMPLE": [command, "export", str(EXAMPLE)],
    }

    print(f"example audit: {EXAMPLE.name} ({EXAMPLE.stat().st_size} bytes)")
    print(f"{'what':<32} {'median':>10} {'ratio':>7}")
    print(f"{'save complete audit':<32} {save * 1000:>8.2f}ms")
    print(f"{'load complete audit':<32} {load * 1000:>8.2f}ms")
    print(f"{'python -c pass (floor)':<32} {floor * 1000:>8.1f}ms {1:>7.2f}")
    for name, arguments in processes.items():
        seconds = median_seconds(
            lambda arguments=arguments: run_process(arguments), PROCESS_RUNS
        )
        print(f"{name:<32} {seconds * 1000:>8.1f}ms {seconds / floor:>7.2f}")


if __name__ == "__main__":
    main()
