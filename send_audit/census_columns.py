"""Matching the headers of a census extract to the fields the import reads.

MIS exports name the same column in many ways, so each field lists the header
spellings it accepts. A header the SENCo chooses, with --column or when asked,
takes precedence over them.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from send_audit.errors import CensusError


@dataclass(frozen=True)
class CensusField:
    """A value the import reads from each pupil row, and the headers that hold it."""

    id: str
    label: str
    required: bool
    # Header spellings in order of preference. Headers are compared after
    # `normalise_header`, so "NC Year", "nc_year" and "NCYEAR" are one spelling.
    spellings: tuple[str, ...]
    # Whether several columns may be combined: a pupil is counted when any is yes.
    combines_columns: bool = False
    # Words of a header that suggest this field when no spelling matches, such as
    # "need" in "Needs code". They only order the choices when the SENCo is asked.
    hint_words: tuple[str, ...] = ()

    @property
    def in_sentence(self) -> str:
        """The label as written inside a sentence: "year group", "SEN provision"."""
        if self.label[:2].isupper():
            return self.label

        return self.label[0].lower() + self.label[1:]


def _spellings(text: str) -> tuple[str, ...]:
    return tuple(spelling.strip() for spelling in text.split("|"))


CENSUS_FIELDS = {
    census_field.id: census_field
    for census_field in (
        CensusField(
            "year_group",
            "Year group",
            True,
            _spellings(
                "NC Year|NC Year Actual|Year Group|National Curriculum Year"
                "|Curriculum Year|Year Taught In|Yr Group|Year Grp|Year|Yr"
            ),
            hint_words=("year", "yr", "ncy"),
        ),
        CensusField(
            "sex",
            "Sex",
            True,
            _spellings("Sex|Gender|Legal Sex|Boy/Girl"),
            hint_words=("sex", "gender"),
        ),
        CensusField(
            "sen_provision",
            "SEN provision (E, K or N)",
            True,
            _spellings(
                "SEN Provision|SEN Status|SEND Status|SEND Provision|SEN Stage"
                "|SEN Code|SEN Provision Type|SEN|Provision"
            ),
            hint_words=("sen", "send", "provision"),
        ),
        CensusField(
            "primary_need",
            "Primary type of need",
            True,
            _spellings(
                "Primary Need|SEN Primary Need|Primary Type of Need|Primary Need Type"
                "|SEN Primary Need Type|Primary SEN Need|Primary SEN Type|Type of Need"
                "|SEN Need Type|Need Type|SEN Type|SEN Need|SEN Need 1"
            ),
            hint_words=("need", "needs"),
        ),
        CensusField(
            "disadvantaged",
            "Disadvantaged (pupil premium or free school meals)",
            False,
            _spellings(
                "Pupil Premium|PP|Pupil Premium Eligible|PP Eligible"
                "|Pupil Premium Indicator|Disadvantaged|Disadvantaged Pupil|FSM"
                "|FSM Eligible|Free School Meals|Eligible for FSM|Ever 6 FSM|FSM6"
                "|FSM Ever 6|Ever FSM 6|FSM Ever"
            ),
            combines_columns=True,
            hint_words=("pp", "premium", "fsm", "disadvantaged"),
        ),
        CensusField(
            "cla_plac",
            "CLA or PLAC (looked after or previously looked after)",
            False,
            _spellings(
                "CLA/PLAC|CLA or PLAC|LAC/PLAC|In Care|CLA|LAC|Looked After"
                "|Looked After Child|Child Looked After|PLAC|Previously Looked After"
                "|Previously Looked After Child|Previously In Care|Ever In Care"
            ),
            combines_columns=True,
            hint_words=("cla", "lac", "plac", "care", "looked"),
        ),
    )
}


def normalise_header(header: str) -> str:
    """Fold a column header for matching: lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def match_columns(
    headers: Sequence[str],
    columns: Mapping[str, str | Sequence[str]] | None = None,
    path: Path | None = None,
) -> dict[str, tuple[str, ...]]:
    """Match the extract's headers to the fields the import reads.

    Args:
        headers: The header row, as read.
        columns: Headers chosen by the SENCo, by field id; they take precedence. An
            empty header for an optional field means the extract does not have it.
        path: The extract, named in error messages.

    Returns:
        The headers of each matched field. A field that could not be matched is
        absent; see `unmatched_fields`.

    Raises:
        CensusError: For an unknown field id, a chosen header that is not in the
            extract, or two headers that fit one field equally well.
    """
    name = f"{path}: " if path is not None else ""
    chosen = _chosen_columns(headers, columns or {}, name)
    matched = dict(chosen)
    used = {header for headers_found in chosen.values() for header in headers_found}
    for census_field in CENSUS_FIELDS.values():
        if census_field.id in matched:
            continue
        found = _match_field(census_field, headers, used, name)
        if found:
            matched[census_field.id] = found
            used.update(found)

    return matched


def suggest_columns(field_id: str, headers: Sequence[str]) -> list[str]:
    """Return the headers whose words suggest a field, in header order.

    Words are compared in lower case, and a header's words are its runs of
    letters and digits, so "SEN_Stage" contains "sen" but "Absence" does not.
    """
    hints = set(CENSUS_FIELDS[field_id].hint_words)

    return [
        header
        for header in headers
        if hints & set(re.findall(r"[a-z0-9]+", header.casefold()))
    ]


def is_listed_spelling(field_id: str, header: str) -> bool:
    """Return whether a header is one of the spellings listed for a field."""
    spellings = CENSUS_FIELDS[field_id].spellings

    return normalise_header(header) in {normalise_header(s) for s in spellings}


def unmatched_fields(matched: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Return the ids of the fields `match_columns` left out, in field order."""
    return [field_id for field_id in CENSUS_FIELDS if field_id not in matched]


def _chosen_columns(
    headers: Sequence[str], columns: Mapping[str, str | Sequence[str]], name: str
) -> dict[str, tuple[str, ...]]:
    chosen = {}
    for field_id, value in columns.items():
        census_field = CENSUS_FIELDS.get(field_id)
        if census_field is None:
            raise CensusError(
                f"{name}{field_id!r} is not a census field; use one of "
                f"{', '.join(CENSUS_FIELDS)}"
            )
        requested = (value,) if isinstance(value, str) else tuple(value)
        requested = tuple(header for header in requested if header.strip())
        if not requested and census_field.required:
            raise CensusError(
                f"{name}{field_id} needs a column: the import cannot work without "
                f"the {census_field.in_sentence}"
            )
        if len(requested) > 1 and not census_field.combines_columns:
            raise CensusError(
                f"{name}{field_id} is read from one column, but {len(requested)} were "
                f"given: {', '.join(map(repr, requested))}"
            )
        chosen[field_id] = tuple(
            _find_header(headers, header, name) for header in requested
        )
    for header in {header for found in chosen.values() for header in found}:
        fields = [field_id for field_id, found in chosen.items() if header in found]
        if len(fields) > 1:
            raise CensusError(
                f"{name}column {header!r} was given for {' and '.join(fields)}; "
                "each column can hold only one field"
            )

    return chosen


def _find_header(headers: Sequence[str], requested: str, name: str) -> str:
    for fold in (str.strip, lambda text: text.strip().casefold(), normalise_header):
        for header in headers:
            if fold(header) == fold(requested):
                return header

    raise CensusError(
        f"{name}no column {requested.strip()!r}; the columns are "
        f"{', '.join(repr(header) for header in headers if header)}"
    )


def _match_field(
    census_field: CensusField, headers: Sequence[str], used: set[str], name: str
) -> tuple[str, ...]:
    free = [header for header in headers if header and header not in used]
    if census_field.combines_columns:
        known = {normalise_header(spelling) for spelling in census_field.spellings}
        return tuple(header for header in free if normalise_header(header) in known)

    for spelling in census_field.spellings:
        folded = normalise_header(spelling)
        found = [header for header in free if normalise_header(header) == folded]
        if len(found) > 1:
            raise CensusError(
                f"{name}columns {' and '.join(map(repr, found))} could both be the "
                f"{census_field.in_sentence}; choose one with "
                f"--column {census_field.id}=HEADER"
            )
        if found:
            return tuple(found)

    return ()


def reject_missing_columns(
    matched: Mapping[str, tuple[str, ...]], headers: Sequence[str], path: Path
) -> None:
    """Raise when a required field has no column, naming the extract's headers.

    Raises:
        CensusError: When `matched` leaves out a required field.
    """
    missing = [
        field_id
        for field_id in unmatched_fields(matched)
        if CENSUS_FIELDS[field_id].required
    ]
    if not missing:
        return

    described = ", ".join(
        f"{field_id} ({CENSUS_FIELDS[field_id].label})" for field_id in missing
    )
    raise CensusError(
        f"{path}: no column found for {described}; the columns are "
        f"{', '.join(repr(header) for header in headers if header)}. "
        "Name each one with --column FIELD=HEADER, such as "
        "--column year_group='NC Year'"
    )
