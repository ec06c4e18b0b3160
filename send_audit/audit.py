"""The audit model: every answer of one school's audit, keyed by criteria ids.

The stored model is strict: a hand edit that YAML reads as the wrong type, such as
`number_on_roll: true`, is rejected instead of being coerced. Every field that holds
an answer is None until the SENCo answers it; an answer left empty is "".
"""

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr

from send_audit.census_grid import CensusGrid

# Raised whenever the layout of an audit file changes; see send_audit.upgrade.
FORMAT_VERSION = 2

Id = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Rating = Literal["red", "amber", "green"]
RATINGS: tuple[Rating, ...] = ("red", "amber", "green")
ContextValue = StrictInt | StrictFloat | StrictStr


class Model(BaseModel):
    """Base for stored models: strict types, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)


class CriteriaRef(Model):
    """The criteria set an audit was answered against."""

    id: Id
    version: StrictInt = Field(ge=1)


class ComplianceAnswer(Model):
    """The answer to one statutory documentation check."""

    compliant: Literal["Y", "N"] | None = Field(None, description="Y or N.")
    note: StrictStr | None = Field(None, description="Optional note or evidence.")


class AspectAnswer(Model):
    """The SENCo's evaluation of one aspect."""

    rating: Rating | None = Field(None, description="None until rated.")
    comment: StrictStr | None = Field(None, description="Evaluation with examples.")
    next_steps: StrictStr | None = None


class ActionPlan(Model):
    """The action plan of one section."""

    strengths: StrictStr | None = None
    development: StrictStr | None = Field(None, description="Areas for development.")
    actions: StrictStr | None = Field(None, description="Recommended actions.")


class Audit(Model):
    """One school's audit, as saved in its YAML file."""

    format_version: StrictInt = FORMAT_VERSION
    criteria: CriteriaRef
    created: StrictStr = Field(description="When the audit was started, ISO 8601.")
    updated: StrictStr = Field(description="When an answer was last saved, ISO 8601.")
    context: dict[Id, ContextValue | None] = Field(
        default_factory=dict, description="Header, figures and narratives by id."
    )
    census: CensusGrid | None = Field(
        None, description="Counts by year group and need, from the census."
    )
    compliance: dict[Id, ComplianceAnswer] = Field(default_factory=dict)
    aspects: dict[Id, AspectAnswer] = Field(default_factory=dict)
    action_plans: dict[Id, ActionPlan] = Field(
        default_factory=dict, description="Action plans by section id."
    )
    priorities: StrictStr | None = Field(
        None, description="The summary of recommended priorities."
    )

    @property
    def school(self) -> str:
        """The school's name as typed, or "" before it is given."""
        value = self.context.get("school")
        return value if isinstance(value, str) else ""

    @property
    def date_of_audit(self) -> str:
        """The date of the audit as YYYY-MM-DD, or "" before it is given."""
        value = self.context.get("date_of_audit")
        return value if isinstance(value, str) else ""


def now_iso() -> str:
    """Return the current local time as ISO 8601 to the second, with its offset."""
    return datetime.datetime.now().astimezone().replace(microsecond=0).isoformat()


def new_audit(criteria_id: str, criteria_version: int) -> Audit:
    """Create an empty audit against the given criteria set."""
    stamp = now_iso()

    return Audit(
        criteria=CriteriaRef(id=criteria_id, version=criteria_version),
        created=stamp,
        updated=stamp,
    )
