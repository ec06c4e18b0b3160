"""Upgrades of audit files written in an older format, applied in memory.

Loading never writes: an upgraded audit reaches the disk in the current format
only when the SENCo next answers a question.

Format history:
    1: `criteria` named the criteria set by id alone, as a string.
    2: `criteria` records the id and the version of the criteria set.
"""

from pathlib import Path

from send_audit.errors import InvalidAuditError


def _upgrade_1_to_2(data: dict) -> dict:
    # Format 1 files were all answered against version 1 of their criteria set.
    upgraded = dict(data)
    criteria = upgraded.get("criteria")
    if isinstance(criteria, str):
        upgraded["criteria"] = {"id": criteria, "version": 1}
    upgraded["format_version"] = 2

    return upgraded


# The upgrade from each format to the next one.
_UPGRADES = {1: _upgrade_1_to_2}


def upgrade_audit_data(data: dict, path: Path) -> dict:
    """Bring audit data in any older format up to the current one.

    Raises:
        InvalidAuditError: When format_version is missing or not a known format.
    """
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidAuditError(
            path,
            [
                f"{path}: format_version: found {version!r}; expected a whole number "
                "of 1 or more"
            ],
        )
    while version in _UPGRADES:
        data = _UPGRADES[version](data)
        version = data["format_version"]

    return data
