"""The criteria of an audit: its parts, questions, compliance items and aspects.

A criteria set is a folder with a manifest, `criteria.yaml`, that names one YAML
file per part of the form in the order the form asks them. Every question, item,
aspect and section has a stable id, and audit files store answers by those ids, so
a local authority can reword its criteria without losing anybody's answers.
"""

from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from send_audit.errors import InvalidCriteriaError
from send_audit.validation import describe_validation_error
from send_audit.yamlfile import load_yaml

MANIFEST_NAME = "criteria.yaml"

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]

# A term of a sum in a rule or a percentage: a count question's id, or "-" and an
# id to subtract it.
Term = Annotated[str, Field(pattern=r"^-?[a-z][a-z0-9_]*$")]


class Model(BaseModel):
    """Base for criteria models: unknown fields are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Question(Model):
    """One question of the context part: a header field, a figure or a narrative."""

    id: Id
    kind: Literal["text", "date", "count", "percentage", "choice", "narrative"] = Field(
        description="text is one line, narrative several; count is a whole number."
    )
    label: Text = Field(description="The short prompt, as the form words it.")
    help: str | None = Field(None, description="Guidance printed before the prompt.")
    required: bool = Field(False, description="Whether the answer may be left empty.")
    default: Literal["today", "census_year"] | None = Field(
        None,
        description="today for a date; census_year, the latest January, for a choice.",
    )
    choices: tuple[Text, ...] | None = Field(None, description="Only for choice.")
    maximum: int | None = Field(None, description="Largest count allowed.")

    @model_validator(mode="after")
    def _check_kind_options(self) -> "Question":
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError("choices must be given for kind choice, and only for it")
        if self.default == "today" and self.kind != "date":
            raise ValueError("default 'today' is only for kind date")
        if self.default == "census_year" and self.kind != "choice":
            raise ValueError("default 'census_year' is only for kind choice")
        if self.maximum is not None and self.kind != "count":
            raise ValueError("maximum is only for kind count")

        return self


class Percentage(Model):
    """A percentage the program computes from counts, never typed."""

    id: Id
    label: Text = Field(description="What it is, for example '% on SEND register'.")
    share_of: Text = Field(description="Its denominator in words: 'of pupils on roll'.")
    numerator: tuple[Term, ...] = Field(min_length=1)
    denominator: tuple[Term, ...] = Field(min_length=1)


class Rule(Model):
    """A relation between counts that every audit must satisfy."""

    kind: Literal["equal", "at_most"]
    left: tuple[Term, ...] = Field(min_length=1)
    right: tuple[Term, ...] = Field(min_length=1)
    message: Text = Field(description="The rule in words, shown when it is broken.")


class QuestionGroup(Model):
    """Questions printed under one heading, with the percentages computed from them."""

    id: Id
    title: Text
    intro: str | None = None
    questions: tuple[Question, ...] = Field(min_length=1)
    percentages: tuple[Percentage, ...] = ()


class ContextPart(Model):
    """The header, school context, SEND profile, attendance and exclusions."""

    kind: Literal["context"]
    id: Id
    title: Text
    groups: tuple[QuestionGroup, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = ()

    @cached_property
    def questions(self) -> dict[str, Question]:
        """Every question of the part by id, in the order they are asked."""
        return {q.id: q for group in self.groups for q in group.questions}

    @cached_property
    def percentages(self) -> dict[str, Percentage]:
        """Every computed percentage of the part by id."""
        return {p.id: p for group in self.groups for p in group.percentages}

    @model_validator(mode="after")
    def _check_references(self) -> "ContextPart":
        counts = {q.id for q in self.questions.values() if q.kind == "count"}
        ids = [q.id for g in self.groups for q in g.questions]
        ids += [p.id for g in self.groups for p in g.percentages]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"ids used more than once: {', '.join(repeated)}")

        terms = [
            t for p in self.percentages.values() for t in p.numerator + p.denominator
        ]
        terms += [t for r in self.rules for t in r.left + r.right]
        unknown = sorted({t.lstrip("-") for t in terms} - counts)
        if unknown:
            raise ValueError(
                f"terms that are not count questions: {', '.join(unknown)}"
            )

        return self


class Source(Model):
    """The document, paragraph and page of a statutory requirement."""

    document: Text
    paragraph: str | None = None
    page: int | None = None


class ComplianceItem(Model):
    """A statutory documentation check answered Y or N."""

    id: Id
    title: Text = Field(description="A short name, used in the summary and export.")
    requirement: Text = Field(description="What the law or guidance requires.")
    sources: tuple[Source, ...] = Field(min_length=1)
    question: Text = Field(description="The Y/N question put to the SENCo.")


class CompliancePart(Model):
    """The five statutory documentation checks."""

    kind: Literal["compliance"]
    id: Id
    title: Text
    items: tuple[ComplianceItem, ...] = Field(min_length=1)


class EvidenceList(Model):
    """An evidence example with a nested list, such as the four areas of outcomes."""

    text: Text
    items: tuple[Text, ...] = Field(min_length=1)


Evidence = Text | EvidenceList


class Aspect(Model):
    """One aspect of a section, rated Red, Amber or Green."""

    id: Id
    text: Text = Field(description="The aspect as the form words it.")
    evidence: tuple[Evidence, ...] = Field(
        min_length=1,
        description="Examples of evidence: what it looks like in practice.",
    )


class SectionPart(Model):
    """One of the seven sections of aspects, with its action plan."""

    kind: Literal["section"]
    id: Id
    number: int = Field(ge=1)
    title: Text
    aspects: tuple[Aspect, ...] = Field(min_length=1)


Part = Annotated[
    ContextPart | CompliancePart | SectionPart, Field(discriminator="kind")
]


class Manifest(Model):
    """The manifest of a criteria set: its identity and its files in order."""

    id: Id
    version: int = Field(ge=1, description="Raised whenever an id or a bound changes.")
    title: Text
    publisher: str | None = None
    parts: tuple[Text, ...] = Field(min_length=1, description="Part files, in order.")
    sources: tuple[Text, ...] = ()


class Criteria(Model):
    """A whole criteria set, loaded and cross-checked."""

    manifest: Manifest
    parts: tuple[Part, ...]
    folder: Path | None = Field(
        None,
        exclude=True,
        description="The folder the criteria were read from, None when built in "
        "memory. Its benchmarks.yaml, if any, contains the national figures.",
    )

    @cached_property
    def context(self) -> ContextPart:
        """The context part; a criteria set has exactly one."""
        return next(p for p in self.parts if isinstance(p, ContextPart))

    @cached_property
    def compliance(self) -> CompliancePart:
        """The compliance part; a criteria set has exactly one."""
        return next(p for p in self.parts if isinstance(p, CompliancePart))

    @cached_property
    def sections(self) -> tuple[SectionPart, ...]:
        """The sections of aspects, in the form's order."""
        return tuple(p for p in self.parts if isinstance(p, SectionPart))

    @cached_property
    def aspects(self) -> dict[str, tuple[SectionPart, Aspect]]:
        """Every aspect by id, with the section it belongs to."""
        return {a.id: (s, a) for s in self.sections for a in s.aspects}

    @model_validator(mode="after")
    def _check_parts(self) -> "Criteria":
        kinds = [p.kind for p in self.parts]
        for kind in ("context", "compliance"):
            if kinds.count(kind) != 1:
                raise ValueError(
                    f"needs exactly one part of kind {kind}, found {kinds.count(kind)}"
                )
        if "section" not in kinds:
            raise ValueError("needs at least one part of kind section")

        ids = [p.id for p in self.parts]
        ids += [a.id for s in self.sections for a in s.aspects]
        ids += [i.id for i in self.compliance.items]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"ids used more than once: {', '.join(repeated)}")

        return self


def default_criteria_dir() -> Path:
    """Return the folder of the criteria shipped with send-audit.

    An installed wheel carries them inside the package; a source checkout keeps them
    in `criteria/` beside the package.
    """
    package = Path(__file__).resolve().parent
    installed = package / "data" / "criteria"
    if installed.is_dir():
        return installed

    return package.parent / "criteria"


def load_criteria(folder: Path | None = None) -> Criteria:
    """Load and validate a criteria set.

    The folder's `benchmarks.yaml` of national figures, when there is one, is
    checked too, so that a broken one stops every command before its first prompt.

    Args:
        folder: The folder holding `criteria.yaml`; the shipped set when None.

    Raises:
        InvalidCriteriaError: With the path, the line or field, and what is wrong.
    """
    # send_audit.benchmarks imports this module, so it is imported only when called.
    from send_audit.benchmarks import load_criteria_benchmarks

    folder = default_criteria_dir() if folder is None else folder
    manifest_path = folder / MANIFEST_NAME
    manifest = _validate(
        Manifest, load_yaml(manifest_path, InvalidCriteriaError), manifest_path
    )

    parts = []
    for name in manifest.parts:
        path = folder / name
        data = load_yaml(path, InvalidCriteriaError)
        parts.append(_validate(_PartFile, {"part": data}, path).part)

    try:
        criteria = Criteria(manifest=manifest, parts=tuple(parts), folder=folder)
    except ValidationError as error:
        problems = describe_validation_error(error, union_tags=_PART_KINDS)
        raise InvalidCriteriaError(
            folder, [f"{folder}: {p}" for p in problems]
        ) from None
    load_criteria_benchmarks(criteria)

    return criteria


# The `kind` tags of the part union, which pydantic adds to error locations.
_PART_KINDS = frozenset({"context", "compliance", "section"})


class _PartFile(Model):
    part: Part


def _validate(model: type[Model], data: object, path: Path):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = describe_validation_error(
            error, strip_prefix=("part",), union_tags=_PART_KINDS
        )
        raise InvalidCriteriaError(path, [f"{path}: {p}" for p in problems]) from None
