"""National SEND figures by January census, to compare a school's profile with.

The figures live in `benchmarks.yaml` beside the criteria files, so a local
authority's criteria folder carries its own, or none. Each year lists only the
figures that are known for it; a comparison leaves out the others.
"""

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from send_audit.criteria import Criteria, default_criteria_dir
from send_audit.errors import InvalidCriteriaError
from send_audit.grid import NEED_CODES, SEN_SUPPORT_ONLY_CODES
from send_audit.validation import describe_validation_error
from send_audit.yamlfile import load_yaml

BENCHMARKS_NAME = "benchmarks.yaml"

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
Percent = Annotated[float, Field(ge=0, le=100)]


class Model(BaseModel):
    """Base for benchmark models: strict types, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class BenchmarkSource(Model):
    """The publication the national figures are taken from."""

    publisher: Text
    short_name: Text = Field(description="The publisher as printed, such as 'DfE'.")
    title: Text
    url: Text
    coverage: Text | None = Field(None, description="Which pupils the figures count.")


class MostCommonNeed(Model):
    """The most common primary type of need nationally, by provision."""

    ehc_plan: str | None = Field(None, description="Among pupils with an EHC plan.")
    sen_support: str | None = Field(None, description="Among pupils at SEN Support.")

    @model_validator(mode="after")
    def _check_codes(self) -> "MostCommonNeed":
        for field in ("ehc_plan", "sen_support"):
            code = getattr(self, field)
            if code is not None and code not in NEED_CODES:
                raise ValueError(
                    f"{field}: found {code!r}; expected a type-of-need code, "
                    f"one of {', '.join(NEED_CODES)}"
                )
        if self.ehc_plan in SEN_SUPPORT_ONLY_CODES:
            raise ValueError(f"ehc_plan: {self.ehc_plan} is used only with SEN Support")

        return self


class YearBenchmarks(Model):
    """The national figures of one January census."""

    census_year: int = Field(ge=2000, le=2100, description="The January census year.")
    release: Text = Field(description="The academic year of the release: '2024/25'.")
    percentages: dict[Id, Percent] = Field(
        default_factory=dict,
        description="National percentages by the id of the matching context figure.",
    )
    most_common_need: MostCommonNeed = MostCommonNeed()


class Benchmarks(Model):
    """Every year's national figures and their source."""

    source: BenchmarkSource
    years: tuple[YearBenchmarks, ...] = Field(min_length=1, strict=False)

    @model_validator(mode="after")
    def _check_years_unique(self) -> "Benchmarks":
        years = [entry.census_year for entry in self.years]
        repeated = sorted({year for year in years if years.count(year) > 1})
        if repeated:
            raise ValueError(
                f"census years listed more than once: {', '.join(map(str, repeated))}"
            )

        return self

    def for_year(self, census_year: int | str | None) -> YearBenchmarks | None:
        """Return the figures of a census year, or None when none are held.

        Args:
            census_year: As stored in an audit ("2025") or as a number.
        """
        if census_year is None or isinstance(census_year, bool):
            return None
        try:
            year = int(census_year)
        except (TypeError, ValueError):
            return None

        return next((entry for entry in self.years if entry.census_year == year), None)

    def citation(self, census_year: int) -> str:
        """Return the source as printed, such as 'DfE, "Special ...", January 2025'."""
        return f'{self.source.short_name}, "{self.source.title}", January {census_year}'


def default_benchmarks_path() -> Path:
    """Return the benchmarks file shipped next to the criteria."""
    return default_criteria_dir() / BENCHMARKS_NAME


def load_benchmarks(path: Path | None = None) -> Benchmarks:
    """Load and validate the national figures.

    Args:
        path: The file to read; the shipped `benchmarks.yaml` when None.

    Raises:
        InvalidCriteriaError: With the path and one line per invalid field.
    """
    path = default_benchmarks_path() if path is None else path
    data = load_yaml(path, InvalidCriteriaError)
    try:
        return Benchmarks.model_validate(data)
    except ValidationError as error:
        problems = describe_validation_error(error)
        raise InvalidCriteriaError(path, [f"{path}: {p}" for p in problems]) from None


def load_criteria_benchmarks(criteria: Criteria) -> Benchmarks | None:
    """Load the national figures of the criteria folder in use.

    Criteria built in memory have no folder, so they use the shipped figures.

    Returns:
        The figures of `benchmarks.yaml` in `criteria.folder`, or None when that
        folder has no such file. The shipped figures are never used in place of a
        folder's own.

    Raises:
        InvalidCriteriaError: When the file is invalid, with its path.
    """
    path = criteria_benchmarks_path(criteria)
    if not path.exists():
        return None

    return load_benchmarks(path)


def criteria_benchmarks_path(criteria: Criteria) -> Path:
    """Return the file the criteria's national figures are read from."""
    if criteria.folder is None:
        return default_benchmarks_path()

    return criteria.folder / BENCHMARKS_NAME


def describe_missing_benchmarks(criteria: Criteria) -> str:
    """Say why there is no national comparison when the criteria have no figures."""
    return (
        f"No national comparison: {criteria_benchmarks_path(criteria)} is not found, "
        "so these criteria have no national figures. To compare with them, add that "
        f"file, laid out like {default_benchmarks_path()}."
    )
