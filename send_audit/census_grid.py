"""The SEND contextual grid: pupils by year group and primary type of need.

Only counts are kept, never a pupil-level row, name or identifier. Year groups and
need codes are checked against send_audit.grid, so a hand edit with a typo such as
`SCLN` or `Y15` is rejected when the audit is loaded. So is a year group with more
pupils with SEND than its roll.
"""

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    model_validator,
)

from send_audit.grid import NEED_CODES, SEN_SUPPORT_ONLY_CODES, YEAR_GROUPS

Count = Annotated[StrictInt, Field(ge=0)]


def _check_year_group(value: str) -> str:
    if value not in YEAR_GROUPS:
        raise ValueError(
            f"{value!r} is not a year group; expected one of {', '.join(YEAR_GROUPS)}"
        )
    return value


def _check_need_code(value: str) -> str:
    if value not in NEED_CODES:
        raise ValueError(
            f"{value!r} is not a type-of-need code; expected one of "
            f"{', '.join(NEED_CODES)}"
        )
    return value


YearGroup = Annotated[StrictStr, AfterValidator(_check_year_group)]
NeedCode = Annotated[StrictStr, AfterValidator(_check_need_code)]


class GridCell(BaseModel):
    """Pupils of one year group with one primary type of need, by provision."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

    sen_support: Count = Field(0, description="Census provision K.")
    ehc_plan: Count = Field(0, description="Census provision E.")


class CensusGrid(BaseModel):
    """Counts by year group, then by type-of-need code, then by provision."""

    model_config = ConfigDict(extra="forbid", strict=True, validate_assignment=True)

    source: Literal["census import", "typed"] = Field(
        description="Whether the counts came from a census extract or were typed."
    )
    rows: dict[YearGroup, dict[NeedCode, GridCell]] = Field(
        default_factory=dict, description="Year group -> need code -> cell."
    )
    on_roll: dict[YearGroup, Count] = Field(
        default_factory=dict,
        description="Pupils on roll by year group, with or without SEND, when known.",
    )
    rows_left_out: Count = Field(
        0, description="Invalid rows of the census extract that were not counted."
    )

    @model_validator(mode="after")
    def _check_sen_support_only_codes(self) -> "CensusGrid":
        for year, cells in self.rows.items():
            for code, cell in cells.items():
                if code in SEN_SUPPORT_ONLY_CODES and cell.ehc_plan:
                    raise ValueError(
                        f"rows.{year}.{code}.ehc_plan: found {cell.ehc_plan}; "
                        f"{code} is used only with SEN Support, so it must be 0"
                    )

        return self

    @model_validator(mode="after")
    def _check_send_within_roll(self) -> "CensusGrid":
        for year, roll in self.on_roll.items():
            cells = self.rows.get(year, {}).values()
            with_send = sum(cell.sen_support + cell.ehc_plan for cell in cells)
            if with_send > roll:
                raise ValueError(
                    f"rows.{year}: {with_send} pupils with SEND, but on_roll.{year} "
                    f"is {roll}; a year group cannot have more pupils with SEND than "
                    "on roll"
                )

        return self
