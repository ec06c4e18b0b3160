"""Reading and writing audit files: atomic saves, private modes and safe names."""

import datetime
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from pydantic import ValidationError

from send_audit.audit import FORMAT_VERSION, Audit
from send_audit.checks import describe_kind
from send_audit.criteria import Criteria
from send_audit.errors import InvalidAuditError, NewerFormatError, SendAuditError
from send_audit.upgrade import upgrade_audit_data
from send_audit.validation import describe_validation_error
from send_audit.yamlfile import dump_yaml, load_yaml

# Environment variable that sets the audits folder when --audits-dir is not given.
AUDITS_DIR_VARIABLE = "SEND_AUDIT_DIR"
AUDIT_SUFFIX = ".yaml"
FILE_MODE = 0o600
FOLDER_MODE = 0o700
# File systems limit a name to 255 bytes; leave room for the date and suffixes.
_MAX_STEM_BYTES = 120


def resolve_audits_dir(option: Path | None) -> Path:
    """Return the audits folder: the option, else $SEND_AUDIT_DIR, else ./audits."""
    if option is not None:
        return option
    from_environment = os.environ.get(AUDITS_DIR_VARIABLE, "").strip()

    return Path(from_environment) if from_environment else Path("audits")


def safe_file_stem(school: str, date_of_audit: str) -> str:
    """Make a file name stem such as `st-marys-c-of-e-primary-2026-12-04`.

    Letters are folded to ASCII and everything else becomes a hyphen, so the name
    cannot hold a folder separator, `..`, a drive letter or a control character.
    """
    folded = unicodedata.normalize("NFKD", school).encode("ascii", "ignore").decode()
    folded = folded.replace("'", "").replace("\u2019", "")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    slug = slug.encode()[:_MAX_STEM_BYTES].decode(errors="ignore").strip("-")
    date = re.sub(r"[^0-9-]", "", date_of_audit)

    return "-".join(part for part in (slug or "audit", date) if part)


def audit_path_for(folder: Path, school: str, date_of_audit: str) -> Path:
    """Return the path of a new audit inside the folder, never outside it."""
    path = folder / f"{safe_file_stem(school, date_of_audit)}{AUDIT_SUFFIX}"
    if path.resolve().parent != folder.resolve():
        raise SendAuditError(f"{path}: refusing to write outside the audits folder")

    return path


def load_audit(path: Path, criteria: Criteria | None = None) -> Audit:
    """Load an audit file, upgrading an older format in memory only.

    Args:
        path: The audit file.
        criteria: When given, every context answer must have the type its question
            expects (a count must be a whole number, a name text), so a hand edit
            such as `number_on_roll: on` is rejected instead of being shown.

    Raises:
        InvalidAuditError: For invalid YAML (`PATH:LINE:COLUMN: reason`) or one line
            per invalid field, with the value found and what is allowed.
        NewerFormatError: For a file written by a newer send-audit.
    """
    data = load_yaml(path, InvalidAuditError)
    if not isinstance(data, dict):
        raise InvalidAuditError(
            path, [f"{path}: not an audit (expected a mapping of fields)"]
        )

    version = data.get("format_version")
    if (
        isinstance(version, int)
        and not isinstance(version, bool)
        and version > FORMAT_VERSION
    ):
        raise NewerFormatError(
            f"{path}: audit file format {version} needs a newer send-audit "
            f"(this one reads formats up to {FORMAT_VERSION}); upgrade with "
            "pip install --upgrade send-audit"
        )
    data = upgrade_audit_data(data, path)

    try:
        audit = Audit.model_validate(data)
    except ValidationError as error:
        problems = describe_validation_error(error)
        raise InvalidAuditError(
            path, [f"{path}: {problem}" for problem in problems]
        ) from None

    if criteria is not None:
        problems = context_type_problems(audit, criteria)
        if problems:
            raise InvalidAuditError(path, [f"{path}: {p}" for p in problems])

    return audit


def _is_iso_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False

    return len(value) == 10


# The stored type of each kind of context question.
_STORED_TYPES = {
    "count": (int,),
    "percentage": (int, float),
    "text": (str,),
    "narrative": (str,),
    "date": (str,),
    "choice": (str,),
}


def context_type_problems(audit: Audit, criteria: Criteria) -> list[str]:
    """Describe context answers whose type does not fit their question, one a line.

    A value of the right type that breaks a bound or is no longer a choice is not a
    problem here: the interview shows it and asks again.
    """
    problems = []
    for question_id, value in audit.context.items():
        question = criteria.context.questions.get(question_id)
        if question is None or value is None:
            continue
        if not isinstance(value, _STORED_TYPES[question.kind]):
            hint = (
                ", without quotes" if question.kind in ("count", "percentage") else ""
            )
            problems.append(
                f"context.{question_id}: found {value!r}; expected "
                f"{describe_kind(question)}{hint}"
            )
        elif question.kind == "date" and not _is_iso_date(value):
            problems.append(
                f"context.{question_id}: found {value!r}; expected a date written "
                'YYYY-MM-DD, such as "2026-12-04"'
            )

    return problems


def save_audit(audit: Audit, path: Path) -> None:
    """Write the audit atomically: a full new file is renamed over the old one.

    A crash at any moment leaves either the previous file or the new one, never a
    mixture. A new file gets mode 0600 and a new folder 0700; an existing file
    keeps its mode.
    """
    write_private_file(path, dump_yaml(audit.model_dump(mode="json")))


def write_private_file(path: Path, text: str) -> None:
    """Write text to a file atomically, as `save_audit` does for audits.

    A new file gets mode 0600 and a new folder 0700; an existing file keeps its
    mode.
    """
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=FOLDER_MODE, parents=True)
    try:
        mode = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = FILE_MODE

    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=folder
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk too.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def list_audit_files(folder: Path) -> list[Path]:
    """Return the audit files of a folder, by name; hidden and lock files are not."""
    if not folder.is_dir():
        return []

    return sorted(
        path
        for path in folder.glob(f"*{AUDIT_SUFFIX}")
        if not path.name.startswith(".") and path.is_file()
    )


def remove_leftover_temporaries(path: Path) -> None:
    """Delete temporary files that a save killed halfway left beside the audit.

    Call it only while holding the audit's lock, so no save of it is under way.
    """
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        leftover.unlink(missing_ok=True)
