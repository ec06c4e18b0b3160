"""One writer at a time: a lock file beside the audit while it is being answered.

The writer holds an exclusive `flock` on `.NAME.lock` for as long as it runs. The
kernel drops that lock when the process ends in any way, SIGKILL and power loss
included, so a lock file whose flock can be taken was left by a process that has
stopped, and is taken over. The file also records the writer's process id, host and
start time, so a second window can say who has the audit open.
"""

import fcntl
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

from send_audit.audit import now_iso
from send_audit.errors import AuditLockedError
from send_audit.storage import remove_leftover_temporaries

# Attempts at taking a lock file that its holder is removing at the same moment.
_ATTEMPTS = 5


def lock_path_for(audit_path: Path) -> Path:
    """Return the lock file of an audit: `.NAME.lock` in the same folder."""
    return audit_path.with_name(f".{audit_path.name}.lock")


class AuditLock:
    """The lock of one audit, as a context manager.

    Args:
        audit_path: The audit to lock.
        notify: Called with a sentence when a lock left by a stopped process is
            taken over.
    """

    def __init__(self, audit_path: Path, notify: Callable[[str], None]) -> None:
        self.path = lock_path_for(audit_path)
        self.audit_path = audit_path
        self.notify = notify
        self._descriptor: int | None = None

    def __enter__(self) -> "AuditLock":
        self.acquire()
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock, or raise AuditLockedError naming the process that has it."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for _ in range(_ATTEMPTS):
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = _read_owner(descriptor)
                os.close(descriptor)
                raise AuditLockedError(
                    _describe_holder(self.audit_path, owner)
                ) from None
            if _still_linked(descriptor, self.path):
                break
            # The holder removed the file between our open and flock: start again.
            os.close(descriptor)
        else:
            raise AuditLockedError(
                f"{self.audit_path} is being opened and closed by another send-audit; "
                "try again"
            )

        previous = _read_owner(descriptor)
        if previous is not None:
            self.notify(
                "Taking over the lock of a send-audit that stopped without closing "
                f"this audit (process {previous.get('pid')}, since "
                f"{previous.get('since')})."
            )
        _write_owner(descriptor)
        self._descriptor = descriptor
        # Only the lock holder saves this audit, so no save of it is under way now.
        remove_leftover_temporaries(self.audit_path)

    def move_to(self, audit_path: Path) -> bool:
        """Move the held lock to another audit's lock file, keeping the flock.

        Returns:
            False, leaving the lock where it is, when that lock file exists.
        """
        new_path = lock_path_for(audit_path)
        try:
            os.link(self.path, new_path)
        except FileExistsError:
            return False
        self.path.unlink()
        self.path = new_path
        self.audit_path = audit_path

        return True

    def release(self) -> None:
        """Remove the lock file and drop the lock, if this process holds it."""
        if self._descriptor is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self._descriptor)
        self._descriptor = None


def _still_linked(descriptor: int, path: Path) -> bool:
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)

    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


def _read_owner(descriptor: int) -> dict | None:
    os.lseek(descriptor, 0, os.SEEK_SET)
    raw = os.read(descriptor, 4096)
    if not raw.strip():
        return None
    try:
        owner = json.loads(raw.decode("utf-8"))
    except ValueError:
        return {"pid": "unknown", "since": "unknown"}

    return owner if isinstance(owner, dict) else None


def _write_owner(descriptor: int) -> None:
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "since": now_iso()}
    os.ftruncate(descriptor, 0)
    os.lseek(descriptor, 0, os.SEEK_SET)
    os.write(descriptor, json.dumps(owner).encode("utf-8"))
    os.fsync(descriptor)


def _describe_holder(audit_path: Path, owner: dict | None) -> str:
    if owner is None:
        return f"{audit_path} is open in another send-audit; finish there first"

    return (
        f"{audit_path} is open in another send-audit (process {owner.get('pid')} "
        f"on {owner.get('host')}, since {owner.get('since')}); finish there first, "
        "or close that window"
    )
