"""Fictional census extracts with their true counts, for the census import tests.

Every pupil, name and UPN here is invented by a seeded random generator. The true
counts are worked out from the generator's own records with plain loops, never
with send_audit, so a test compares the import with an independent count.
"""

import csv
import io
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

# The census type-of-need codes, written out here rather than imported, so that
# the expected counts do not depend on the module under test.
NEED_CODES = (
    "SLCN", "ASD", "SPLD", "MLD", "SLD", "PMLD", "SEMH",
    "HI", "VI", "MSI", "PD", "OTH", "NSA", "DS",
)  # fmt: skip
EHC_PLAN_CODES = tuple(code for code in NEED_CODES if code != "NSA")

# Roughly how often each need is drawn at SEN Support; EHC plans draw evenly.
_SUPPORT_WEIGHTS = (26, 12, 14, 18, 1, 1, 17, 2, 1, 1, 2, 3, 3, 1)

# Nursery 1 to Year 6: a fictional primary school with a two-year nursery.
PRIMARY_YEAR_GROUPS = ("N1", "N2", "R", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6")
SECONDARY_YEAR_GROUPS = ("Y7", "Y8", "Y9", "Y10", "Y11")

_FORENAMES = (
    "Amarel", "Bexley", "Corwin", "Dalissa", "Elsbeth", "Fennick", "Gorvan",
    "Halvina", "Istra", "Jovanel", "Kestrin", "Lunetta", "Marrow", "Nessaly",
    "Orrin", "Pellamy", "Quillon", "Rosabeth", "Sorrel", "Tamsworth", "Ulvina",
    "Varro", "Wrenna", "Yselde", "Zephran",
)  # fmt: skip
_SURNAMES = (
    "Ashgrove", "Brindlecombe", "Carraway", "Dunmore", "Elderwick", "Fallowmere",
    "Greystock", "Hollinsby", "Inchcombe", "Juniper", "Kettleby", "Larkspur",
    "Moorcroft", "Nettlefold", "Oakhanger", "Pennyfeather", "Quarrendon",
    "Rookwood", "Stillwater", "Thistlewood",
)  # fmt: skip

# Header rows in spellings that MIS exports commonly use, keyed by test id.
HEADER_SETS = {
    "nc-year-gender": {
        "year_group": "NC Year",
        "sex": "Gender",
        "sen_provision": "SEN Status",
        "primary_need": "Primary Need",
        "disadvantaged": "Pupil Premium",
        "cla_plac": "In Care",
    },
    "year-group-sex": {
        "year_group": "Year Group",
        "sex": "Sex",
        "sen_provision": "SEN Provision",
        "primary_need": "SEN Primary Need",
        "disadvantaged": "FSM",
        "cla_plac": "Looked After",
    },
    "curriculum-year-legal-sex": {
        "year_group": "Curriculum Year",
        "sex": "Legal Sex",
        "sen_provision": "SEN Stage",
        "primary_need": "Primary Type of Need",
        "disadvantaged": "Disadvantaged",
        "cla_plac": "CLA/PLAC",
    },
    "lower-case-underscores": {
        "year_group": "nc_year",
        "sex": "gender",
        "sen_provision": "sen_status",
        "primary_need": "primary_need",
        "disadvantaged": "pupil_premium",
        "cla_plac": "in_care",
    },
}
DEFAULT_HEADERS = HEADER_SETS["nc-year-gender"]

# How each style writes year group Y7 and Reception; N1 and N2 stay as they are.
YEAR_STYLES = ("code", "Reception", "Y7", "Year 7", "7", "07")


@dataclass(frozen=True)
class FictionalPupil:
    """One invented pupil: identifiers that must never leave the extract, and codes."""

    upn: str
    forename: str
    surname: str
    date_of_birth: str
    year_group: str
    sex: str
    provision: str
    need: str
    disadvantaged: bool
    cla_plac: bool


@dataclass
class TrueCounts:
    """The counts of a list of pupils, worked out without send_audit."""

    counts: dict[str, int]
    # Year group -> need code -> (SEN Support, EHC plan); only non-zero cells.
    grid: dict[str, dict[str, tuple[int, int]]]
    on_roll: dict[str, int]
    # Every UPN, name and date of birth, to prove none reaches an output file.
    identifiers: list[str] = field(default_factory=list)


def make_pupils(
    seed: int = 20260115,
    count: int = 400,
    year_groups: tuple[str, ...] = PRIMARY_YEAR_GROUPS,
) -> list[FictionalPupil]:
    """Invent pupils, with every need code at SEN Support and on an EHC plan."""
    rng = random.Random(seed)
    # The first pupils are fixed so that every code and provision appears.
    forced = [("K", code) for code in NEED_CODES] + [("E", c) for c in EHC_PLAN_CODES]
    pupils = []
    for index in range(count):
        sex = "M" if rng.random() < 0.5 else "F"
        if index < len(forced):
            provision, need = forced[index]
        else:
            provision, need = _draw_provision(rng, sex)
        pupils.append(
            FictionalPupil(
                upn=_fictional_upn(rng),
                forename=rng.choice(_FORENAMES),
                surname=rng.choice(_SURNAMES),
                date_of_birth=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/2018",
                year_group=year_groups[rng.randrange(len(year_groups))],
                sex=sex,
                provision=provision,
                need=need,
                disadvantaged=rng.random() < 0.27,
                cla_plac=rng.random() < 0.03,
            )
        )

    return pupils


def _draw_provision(rng: random.Random, sex: str) -> tuple[str, str]:
    # Boys are more often on the SEND register, as in the national figures.
    chance = rng.random() * (0.8 if sex == "M" else 1.2)
    if chance < 0.025:
        return "E", rng.choice(EHC_PLAN_CODES)
    if chance < 0.14:
        return "K", rng.choices(NEED_CODES, weights=_SUPPORT_WEIGHTS)[0]

    return "N", ""


def _fictional_upn(rng: random.Random) -> str:
    # The shape of a UPN (a letter and 12 digits), with a letter no real one uses.
    return "Z" + "".join(str(rng.randrange(10)) for _ in range(12))


def true_counts(pupils: list[FictionalPupil]) -> TrueCounts:
    """Count the pupils with plain loops, as the census import should."""
    counts = Counter()
    grid: dict[str, dict[str, list[int]]] = {}
    on_roll = Counter()
    identifiers = []
    for pupil in pupils:
        with_send = pupil.provision != "N"
        counts["number_on_roll"] += 1
        counts["boys_on_roll"] += pupil.sex == "M"
        counts["send_register"] += with_send
        counts["sen_support"] += pupil.provision == "K"
        counts["ehc_plans"] += pupil.provision == "E"
        counts["boys_on_send_register"] += with_send and pupil.sex == "M"
        counts["disadvantaged_on_roll"] += pupil.disadvantaged
        counts["disadvantaged_with_send"] += pupil.disadvantaged and with_send
        counts["cla_plac_on_roll"] += pupil.cla_plac
        counts["cla_plac_with_send"] += pupil.cla_plac and with_send
        on_roll[pupil.year_group] += 1
        if with_send:
            cell = grid.setdefault(pupil.year_group, {}).setdefault(pupil.need, [0, 0])
            cell[0 if pupil.provision == "K" else 1] += 1
        identifiers += [
            pupil.upn,
            f"{pupil.forename} {pupil.surname}",
            pupil.date_of_birth,
        ]

    return TrueCounts(
        counts={key: int(value) for key, value in counts.items()},
        grid={
            year: {code: (cell[0], cell[1]) for code, cell in cells.items()}
            for year, cells in grid.items()
        },
        on_roll=dict(on_roll),
        identifiers=identifiers,
    )


def format_year_group(year_group: str, style: str) -> str:
    """Write a year group as an MIS might, such as "Year 7" or "07" for Y7."""
    if year_group in ("N1", "N2"):
        return year_group
    if year_group == "R":
        return "Reception" if style == "Reception" else "R"
    number = int(year_group[1:])
    spellings = {
        "code": f"Y{number}",
        "Reception": f"Y{number}",
        "Y7": f"Y{number}",
        "Year 7": f"Year {number}",
        "7": str(number),
        "07": f"{number:02d}",
    }

    return spellings[style]


def render_extract(
    pupils: list[FictionalPupil],
    headers: dict[str, str] = DEFAULT_HEADERS,
    year_style: str = "code",
    lower_case: bool = False,
    padded: bool = False,
    sex_words: bool = False,
    flag_words: bool = False,
    trailing_blank_rows: int = 0,
) -> list[list[str]]:
    """Lay the pupils out as CSV rows: identifiers first, as MIS exports do."""
    rows = [
        [
            "UPN",
            "Legal Surname",
            "Forename",
            "DOB",
            headers["year_group"],
            headers["sex"],
            headers["sen_provision"],
            headers["primary_need"],
            headers["disadvantaged"],
            headers["cla_plac"],
        ]
    ]
    for pupil in pupils:
        sex = {"M": "Male", "F": "Female"}[pupil.sex] if sex_words else pupil.sex
        yes, no = ("Yes", "No") if flag_words else ("Y", "")
        codes = [
            format_year_group(pupil.year_group, year_style),
            sex,
            pupil.provision,
            pupil.need,
            yes if pupil.disadvantaged else no,
            yes if pupil.cla_plac else no,
        ]
        if lower_case:
            codes = [code.lower() for code in codes]
        if padded:
            codes = [f"  {code} " for code in codes]
        rows.append(
            [pupil.upn, pupil.surname, pupil.forename, pupil.date_of_birth, *codes]
        )
    rows += [[""] * len(rows[0]) for _ in range(trailing_blank_rows)]

    return rows


def write_rows(
    path: Path,
    rows: list[list[str]],
    bom: bool = False,
    crlf: bool = False,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    """Write CSV rows with the given line ending, byte-order mark and encoding."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n"
    )
    writer.writerows(rows)
    text = ("\ufeff" if bom else "") + buffer.getvalue()
    path.write_bytes(text.encode(encoding))

    return path


def write_census_extract(
    path: Path,
    seed: int = 20260115,
    count: int = 400,
    year_groups: tuple[str, ...] = PRIMARY_YEAR_GROUPS,
    bom: bool = False,
    crlf: bool = False,
    **layout,
) -> TrueCounts:
    """Write a fictional extract of `count` pupils and return its true counts.

    Args:
        path: The CSV file to write.
        seed: Seeds the generator, so one seed always gives the same school.
        count: How many pupils are on roll.
        year_groups: The year groups pupils are drawn from.
        bom: Start the file with a UTF-8 byte-order mark.
        crlf: End lines with CR LF, as Windows programs do.
        **layout: Passed to `render_extract`, such as `year_style="07"`.
    """
    pupils = make_pupils(seed, count, year_groups)
    write_rows(path, render_extract(pupils, **layout), bom=bom, crlf=crlf)

    return true_counts(pupils)
