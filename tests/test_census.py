"""Tests of the census import: reading, checking, counting and applying extracts."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from census_factory import (
    DEFAULT_HEADERS,
    HEADER_SETS,
    SECONDARY_YEAR_GROUPS,
    YEAR_STYLES,
    make_pupils,
    render_extract,
    true_counts,
    write_census_extract,
    write_rows,
)
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from typer.testing import CliRunner

from send_audit import census_command, census_import, grid_entry, prompts
from send_audit.audit import Audit, new_audit
from send_audit.benchmarks import load_benchmarks
from send_audit.census import (
    CENSUS_FIGURE_IDS,
    apply_census,
    read_census,
    read_census_header,
)
from send_audit.census_columns import match_columns, suggest_columns, unmatched_fields
from send_audit.census_grid import CensusGrid, GridCell
from send_audit.census_report import export_census_markdown, render_census
from send_audit.census_rows import describe_bad_rows, normalise_year_group, parse_need
from send_audit.checks import AnswerError
from send_audit.criteria import Criteria, default_criteria_dir
from send_audit.errors import CensusError, InvalidCriteriaError, NotATerminalError
from send_audit.figures import broken_rules
from send_audit.grid import grid_year_groups
from send_audit.profile_draft import draft_profile_summary
from send_audit.storage import load_audit, save_audit
from send_audit.theme import make_console

ENTER = "\r"
DOWN = "\x1b[B"
BACKSPACE = "\x7f"
CTRL_C = "\x03"
# Esc then Enter submits a multi-line text prompt.
SUBMIT_LONG_TEXT = "\x1b\r"


def grid_as_tuples(grid: CensusGrid) -> dict[str, dict[str, tuple[int, int]]]:
    return {
        year: {code: (cell.sen_support, cell.ehc_plan) for code, cell in cells.items()}
        for year, cells in grid.rows.items()
    }


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    """A fictional primary school of 400 pupils, written once for the module."""
    path = tmp_path_factory.mktemp("census") / "oakbridge-primary.csv"
    truth = write_census_extract(path)

    return path, truth


@pytest.fixture
def keys():
    """Keystrokes for the prompts: send them all, then run the code that asks."""
    with (
        create_pipe_input() as pipe,
        create_app_session(input=pipe, output=DummyOutput()),
    ):
        yield pipe


def saved_audit(path: Path, criteria: Criteria, **context) -> Path:
    audit = new_audit(criteria.manifest.id, criteria.manifest.version)
    audit.context = {"school": "Oakbridge Primary School (fictional)", **context}
    save_audit(audit, path)

    return path


def quiet_console():
    return make_console(width=120)


# --- Counts from the generated school -------------------------------------------


@pytest.mark.parametrize("figure_id", CENSUS_FIGURE_IDS, ids=CENSUS_FIGURE_IDS)
def test_read_census_counts_figure(school, figure_id):
    path, truth = school

    assert read_census(path).counts[figure_id] == truth.counts[figure_id]


def test_read_census_grid_matches_generator(school):
    path, truth = school

    assert grid_as_tuples(read_census(path).grid) == truth.grid


def test_read_census_on_roll_by_year_group(school):
    path, truth = school

    assert read_census(path).grid.on_roll == truth.on_roll


def test_read_census_finds_no_bad_rows(school):
    path, _ = school
    extract = read_census(path)

    assert extract.bad_rows == ()
    assert extract.pupils == 400
    assert extract.grid.rows_left_out == 0


def test_read_census_counts_every_need_code(school):
    path, _ = school
    codes = {code for cells in read_census(path).grid.rows.values() for code in cells}

    assert codes == {
        "SLCN", "ASD", "SPLD", "MLD", "SLD", "PMLD", "SEMH",
        "HI", "VI", "MSI", "PD", "OTH", "NSA", "DS",
    }  # fmt: skip


def test_read_census_reports_columns_used(school):
    path, _ = school
    columns = read_census(path).columns

    assert columns == {field: (header,) for field, header in DEFAULT_HEADERS.items()}


def test_census_counts_keep_the_context_rules(school, shipped_criteria):
    path, _ = school
    audit = new_audit("test", 1)
    apply_census(audit, read_census(path))

    assert broken_rules(shipped_criteria.context, audit.context) == []


# --- What real exports contain ---------------------------------------------------

QUIRKS = {
    "utf8-byte-order-mark": {"bom": True},
    "windows-line-endings": {"crlf": True},
    "byte-order-mark-and-crlf": {"bom": True, "crlf": True},
    "trailing-blank-rows": {"trailing_blank_rows": 4},
    "surrounding-spaces": {"padded": True},
    "lower-case-codes": {"lower_case": True},
    "sex-as-words": {"sex_words": True},
    "flags-as-yes-no": {"flag_words": True},
    **{f"year-style-{style}": {"year_style": style} for style in YEAR_STYLES},
    **{
        f"headers-{name}": {"headers": headers} for name, headers in HEADER_SETS.items()
    },
    "secondary-07": {"year_groups": SECONDARY_YEAR_GROUPS, "year_style": "07"},
    "secondary-year-7": {"year_groups": SECONDARY_YEAR_GROUPS, "year_style": "Year 7"},
    "everything-at-once": {
        "bom": True,
        "crlf": True,
        "trailing_blank_rows": 2,
        "padded": True,
        "lower_case": True,
        "year_style": "Year 7",
        "sex_words": True,
    },
}


@pytest.mark.parametrize("layout", QUIRKS.values(), ids=QUIRKS.keys())
def test_read_census_tolerates_quirk(tmp_path, layout):
    path = tmp_path / "extract.csv"
    truth = write_census_extract(path, seed=7, **layout)
    extract = read_census(path)

    assert [bad.describe() for bad in extract.bad_rows] == []
    assert extract.counts == truth.counts
    assert grid_as_tuples(extract.grid) == truth.grid
    assert extract.grid.on_roll == truth.on_roll


@pytest.mark.parametrize("delimiter", [";", "\t"], ids=["semicolons", "tabs"])
def test_read_census_detects_delimiter(tmp_path, delimiter):
    pupils = make_pupils(seed=3, count=60)
    path = write_rows(
        tmp_path / "extract.csv", render_extract(pupils), delimiter=delimiter
    )

    assert read_census(path).counts == true_counts(pupils).counts


def test_read_census_reads_windows_1252(tmp_path):
    pupils = make_pupils(seed=4, count=30)
    rows = render_extract(pupils)
    rows[1][1] = "Brontë-Ashgrove"
    path = write_rows(tmp_path / "extract.csv", rows, encoding="cp1252")

    assert read_census(path).counts == true_counts(pupils).counts


def test_read_census_reads_utf16(tmp_path):
    pupils = make_pupils(seed=5, count=30)
    path = write_rows(
        tmp_path / "extract.csv",
        render_extract(pupils),
        delimiter="\t",
        encoding="utf-16",
    )

    assert read_census(path).counts == true_counts(pupils).counts


def test_read_census_skips_title_line(tmp_path):
    pupils = make_pupils(seed=6, count=20)
    rows = [["Pupil list printed 12/01/2026"], *render_extract(pupils)]
    rows[3][6] = "Q"  # the second pupil, on spreadsheet row 4
    path = write_rows(tmp_path / "extract.csv", rows)
    extract = read_census(path)

    assert [(bad.row, bad.value) for bad in extract.bad_rows] == [(4, "Q")]


def test_read_census_skips_blank_rows_in_middle(tmp_path):
    pupils = make_pupils(seed=8, count=20)
    rows = render_extract(pupils)
    rows.insert(5, [])
    rows.insert(9, [""] * 10)
    path = write_rows(tmp_path / "extract.csv", rows)

    assert read_census(path).counts == true_counts(pupils).counts


# --- Spellings of single cells ---------------------------------------------------

YEAR_GROUP_SPELLINGS = [
    ("N1", "N1"),
    ("n2", "N2"),
    ("Nursery 1", "N1"),
    ("R", "R"),
    ("Reception", "R"),
    ("reception", "R"),
    ("Rec", "R"),
    ("YR", "R"),
    ("Year R", "R"),
    ("Y7", "Y7"),
    ("y7", "Y7"),
    ("Y 7", "Y7"),
    ("Year 7", "Y7"),
    ("year 7", "Y7"),
    ("Yr 7", "Y7"),
    ("7", "Y7"),
    ("07", "Y7"),
    ("Y07", "Y7"),
    ("Year 11", "Y11"),
    ("14", "Y14"),
    ("X", "X"),
]


@pytest.mark.parametrize(
    ("text", "expected"), YEAR_GROUP_SPELLINGS, ids=[t for t, _ in YEAR_GROUP_SPELLINGS]
)
def test_normalise_year_group_spelling(text, expected):
    assert normalise_year_group(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "0", "15", "Y15", "Year", "Nursery", "E1", "2025/26", "7A", "Year Seven"],
    ids=[
        "empty", "zero", "fifteen", "y15", "year-alone", "nursery-alone", "e1",
        "academic-year", "form-group", "words",
    ],
)  # fmt: skip
def test_normalise_year_group_rejects(text):
    assert normalise_year_group(text) is None


NEED_SPELLINGS = [
    ("SLCN", "SLCN"),
    ("slcn", "SLCN"),
    ("SpLD", "SPLD"),
    ("Autistic Spectrum Disorder", "ASD"),
    ("ASC", "ASD"),
    ("SEMH - Social, emotional and mental health", "SEMH"),
    ("MLD: Moderate learning difficulty", "MLD"),
    ("Down syndrome", "DS"),
    ("Down's syndrome", "DS"),
    ("Dyslexia", None),
    ("SEN", None),
]


@pytest.mark.parametrize(
    ("text", "expected"), NEED_SPELLINGS, ids=[t for t, _ in NEED_SPELLINGS]
)
def test_parse_need_spelling(text, expected):
    assert parse_need(text) == expected


def one_pupil_file(tmp_path: Path, **codes: str) -> Path:
    cells = {
        "year_group": "Y3",
        "sex": "F",
        "sen_provision": "K",
        "primary_need": "SLCN",
        "disadvantaged": "",
        "cla_plac": "",
        **codes,
    }
    rows = [list(DEFAULT_HEADERS.values()), [cells[field] for field in DEFAULT_HEADERS]]

    return write_rows(tmp_path / "one.csv", rows)


PROVISION_SPELLINGS = [
    ("E", "E", "ASD"),
    ("EHC Plan", "E", "ASD"),
    ("EHCP", "E", "ASD"),
    ("SEN Support", "K", "SLCN"),
    ("k", "K", "SLCN"),
    ("No SEN", "N", ""),
    ("n", "N", "N/A"),
]


@pytest.mark.parametrize(
    ("text", "code", "need"),
    PROVISION_SPELLINGS,
    ids=[f"{t}-{n or 'no-need'}" for t, _, n in PROVISION_SPELLINGS],
)
def test_read_census_accepts_provision_spelling(tmp_path, text, code, need):
    path = one_pupil_file(tmp_path, sen_provision=text, primary_need=need)
    counts = read_census(path).counts
    expected = {"E": "ehc_plans", "K": "sen_support", "N": None}[code]

    assert counts["ehc_plans"] + counts["sen_support"] == (0 if code == "N" else 1)
    if expected:
        assert counts[expected] == 1


@pytest.mark.parametrize(
    ("text", "disadvantaged"),
    [
        ("Y", 1),
        ("Yes", 1),
        ("TRUE", 1),
        ("1", 1),
        ("N", 0),
        ("No", 0),
        ("", 0),
        ("0", 0),
    ],
    ids=["Y", "Yes", "TRUE", "1", "N", "No", "empty", "0"],
)
def test_read_census_accepts_flag_spelling(tmp_path, text, disadvantaged):
    path = one_pupil_file(tmp_path, disadvantaged=text)

    assert read_census(path).counts["disadvantaged_on_roll"] == disadvantaged


# --- Bad rows --------------------------------------------------------------------

# Each kind of bad row: the codes of the row, and the column and value reported.
BAD_ROWS = {
    "provision-not-a-code": (("Y3", "M", "S", "", "", ""), "SEN Status", "S"),
    "provision-missing": (("Y3", "M", "", "", "", ""), "SEN Status", ""),
    "ehc-plan-without-need": (("Y3", "F", "E", "", "", ""), "Primary Need", ""),
    "sen-support-without-need": (("Y4", "F", "K", "", "", ""), "Primary Need", ""),
    "need-not-a-code": (("Y4", "M", "K", "XYZ", "", ""), "Primary Need", "XYZ"),
    "nsa-with-ehc-plan": (("Y5", "M", "E", "NSA", "", ""), "Primary Need", "NSA"),
    "need-without-sen": (("Y5", "F", "N", "SLCN", "", ""), "Primary Need", "SLCN"),
    "year-group-unknown": (("Y15", "F", "N", "", "", ""), "NC Year", "Y15"),
    "year-group-missing": (("", "F", "N", "", "", ""), "NC Year", ""),
    "sex-unknown": (("Y2", "U", "N", "", "", ""), "Gender", "U"),
    "disadvantaged-unknown": (
        ("Y2", "F", "N", "", "maybe", ""),
        "Pupil Premium",
        "maybe",
    ),
    # None: the value is not shown, because it is the only filled cell of its
    # column and not a yes/no flag, so the column may not hold flags at all.
    "cla-plac-unknown": (("Y2", "F", "N", "", "", "?"), "In Care", None),
}
# The good pupils come first, so the bad rows start on spreadsheet row 7.
FIRST_BAD_ROW = 7
GOOD_PUPILS = 5


@pytest.fixture
def bad_extract(tmp_path):
    """An extract with every kind of bad row between good ones, and the good pupils."""
    pupils = make_pupils(seed=11, count=GOOD_PUPILS * 2)
    rows = render_extract(pupils)
    bad = [["Z000000000000", "Fictional", "Pupil", "01/01/2018", *codes]
           for codes, _, _ in BAD_ROWS.values()]  # fmt: skip
    rows = rows[: GOOD_PUPILS + 1] + bad + rows[GOOD_PUPILS + 1 :]
    path = write_rows(tmp_path / "extract.csv", rows)

    return path, pupils


@pytest.mark.parametrize(
    ("offset", "kind"), list(enumerate(BAD_ROWS)), ids=list(BAD_ROWS)
)
def test_bad_row_reported_with_row_and_value(bad_extract, offset, kind):
    path, _ = bad_extract
    _, column, value = BAD_ROWS[kind]
    found = [(bad.row, bad.column, bad.value) for bad in read_census(path).bad_rows]

    assert (FIRST_BAD_ROW + offset, column, value) in found


@pytest.mark.parametrize("kind", list(BAD_ROWS), ids=list(BAD_ROWS))
def test_bad_row_message_says_what_is_allowed(bad_extract, kind):
    path, _ = bad_extract
    offset = list(BAD_ROWS).index(kind)
    problems = [
        bad.problem
        for bad in read_census(path).bad_rows
        if bad.row == FIRST_BAD_ROW + offset
    ]

    assert len(problems) == 1
    assert any(word in problems[0] for word in ("expected", "needs", "only", "no type"))


def test_bad_rows_all_reported_at_once(bad_extract):
    path, _ = bad_extract
    extract = read_census(path)

    assert extract.bad_row_count == len(BAD_ROWS)
    assert extract.grid.rows_left_out == len(BAD_ROWS)


def test_bad_rows_left_out_of_counts(bad_extract):
    path, pupils = bad_extract
    extract = read_census(path)
    truth = true_counts(pupils)

    assert extract.counts == truth.counts
    assert grid_as_tuples(extract.grid) == truth.grid


def test_bad_row_with_several_problems_reports_each(tmp_path):
    path = one_pupil_file(tmp_path, year_group="Y99", sex="?", sen_provision="Q")
    found = {(bad.row, bad.column) for bad in read_census(path).bad_rows}

    assert found == {(2, "NC Year"), (2, "Gender"), (2, "SEN Status")}


def test_bad_row_extra_cells_reported_without_contents(tmp_path):
    rows = [list(DEFAULT_HEADERS.values()), ["Y3", "F", "N", "", "", "", "Hidden Name"]]
    path = write_rows(tmp_path / "extract.csv", rows)
    (bad,) = read_census(path).bad_rows

    assert bad.row == 2
    assert "Hidden Name" not in bad.describe()
    assert "7 cells" in bad.describe()


@pytest.mark.parametrize(
    "census_year", [2025, 2026, None], ids=["2025", "2026", "none"]
)
def test_down_syndrome_accepted(tmp_path, census_year):
    path = one_pupil_file(tmp_path, primary_need="DS")
    extract = read_census(path, census_year=census_year)

    assert extract.bad_rows == ()
    assert extract.grid.rows == {"Y3": {"DS": GridCell(sen_support=1, ehc_plan=0)}}


def test_down_syndrome_rejected_before_2025(tmp_path):
    path = one_pupil_file(tmp_path, primary_need="DS")
    (bad,) = read_census(path, census_year=2024).bad_rows

    assert (bad.row, bad.value) == (2, "DS")
    assert "January 2025" in bad.problem


def test_describe_bad_rows_groups_repeats(tmp_path):
    rows = [list(DEFAULT_HEADERS.values())]
    rows += [["Y3", "F", "S", "", "", ""] for _ in range(3)]
    rows += [["Y3", "F", "N", "", "", ""], ["Y3", "F", "S", "", "", ""]]
    # Enough valid provisions that the column's invalid values are shown.
    rows += [["Y3", "F", "N", "", "", ""] for _ in range(5)]
    path = write_rows(tmp_path / "extract.csv", rows)
    lines = describe_bad_rows(read_census(path).bad_rows)

    assert lines == [
        "rows 2-4, 6, column 'SEN Status': found 'S'; expected E (EHC plan), "
        "K (SEN Support) or N (no special educational need)"
    ]


def test_read_census_warns_without_provision_n(tmp_path):
    rows = [list(DEFAULT_HEADERS.values()), ["Y3", "F", "K", "SLCN", "", ""]]
    path = write_rows(tmp_path / "extract.csv", rows)
    (warning,) = read_census(path).warnings

    assert "every pupil on roll" in warning


# --- Columns ---------------------------------------------------------------------


def test_match_columns_ignores_case_and_spaces():
    headers = ["  nc year ", "GENDER", "Sen_Status", "primary NEED", "UPN"]
    matched = match_columns(headers)

    assert matched == {
        "year_group": ("  nc year ",),
        "sex": ("GENDER",),
        "sen_provision": ("Sen_Status",),
        "primary_need": ("primary NEED",),
    }
    assert unmatched_fields(matched) == ["disadvantaged", "cla_plac"]


def test_match_columns_combines_flag_columns():
    headers = [
        "NC Year",
        "Gender",
        "SEN Status",
        "Primary Need",
        "Pupil Premium",
        "FSM",
    ]

    assert match_columns(headers)["disadvantaged"] == ("Pupil Premium", "FSM")


def test_read_census_counts_either_flag_column(tmp_path):
    rows = [
        ["NC Year", "Gender", "SEN Status", "Primary Need", "Pupil Premium", "FSM"],
        ["Y1", "M", "N", "", "Y", ""],
        ["Y1", "M", "N", "", "", "Y"],
        ["Y1", "M", "N", "", "Y", "Y"],
        ["Y1", "M", "N", "", "", ""],
    ]
    path = write_rows(tmp_path / "extract.csv", rows)

    assert read_census(path).counts["disadvantaged_on_roll"] == 3


def test_match_columns_given_header_wins():
    headers = ["NC Year", "Year Taught", "Gender", "SEN Status", "Primary Need"]
    matched = match_columns(headers, {"year_group": "year taught"})

    assert matched["year_group"] == ("Year Taught",)


def test_match_columns_given_empty_header_means_absent():
    headers = ["NC Year", "Gender", "SEN Status", "Primary Need", "FSM"]

    assert match_columns(headers, {"disadvantaged": ""})["disadvantaged"] == ()


def test_match_columns_rejects_unknown_field():
    with pytest.raises(CensusError, match=r"'needs' is not a census field.*year_group"):
        match_columns(["NC Year"], {"needs": "Need"})


def test_match_columns_rejects_header_not_in_extract():
    with pytest.raises(
        CensusError, match=r"no column 'Stage'; the columns are 'NC Year'"
    ):
        match_columns(["NC Year", "Gender"], {"sen_provision": "Stage"})


def test_match_columns_rejects_two_headers_for_one_field():
    with pytest.raises(CensusError, match=r"'Year' and 'YEAR' could both be"):
        match_columns(["Year", "YEAR", "Gender"])


def test_match_columns_rejects_one_header_for_two_fields():
    with pytest.raises(CensusError, match=r"'Gender' was given for year_group and sex"):
        match_columns(["Gender"], {"year_group": "Gender", "sex": "Gender"})


def test_match_columns_rejects_required_field_given_empty():
    with pytest.raises(CensusError, match=r"sen_provision needs a column"):
        match_columns(["NC Year"], {"sen_provision": ""})


def test_read_census_names_missing_column(tmp_path):
    rows = [["NC Year", "Gender", "SEN Status", "Needs"], ["Y1", "M", "N", ""]]
    path = write_rows(tmp_path / "extract.csv", rows)

    with pytest.raises(CensusError) as raised:
        read_census(path)

    message = str(raised.value)
    assert str(path) in message
    assert "primary_need" in message
    assert "'Needs'" in message
    assert "--column" in message


def test_read_census_given_column(tmp_path):
    rows = [["NC Year", "Gender", "SEN Status", "Needs"], ["Y1", "M", "K", "ASD"]]
    path = write_rows(tmp_path / "extract.csv", rows)
    extract = read_census(path, {"primary_need": "Needs"})

    assert extract.grid.rows == {"Y1": {"ASD": GridCell(sen_support=1, ehc_plan=0)}}


def test_read_census_without_optional_columns(tmp_path):
    rows = [
        ["NC Year", "Gender", "SEN Status", "Primary Need"],
        ["Y1", "M", "K", "ASD"],
    ]
    path = write_rows(tmp_path / "extract.csv", rows)
    counts = read_census(path).counts

    assert "disadvantaged_on_roll" not in counts
    assert "cla_plac_with_send" not in counts
    assert counts["send_register"] == 1


# --- Files that cannot be read ---------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\r\n\r\n", "the file is empty"),
        (b"NC Year,Gender,SEN Status,Primary Need\r\n", "no pupil rows"),
        (b"NC Year,Gender\x81\xff,SEN Status\n", "not UTF-8"),
    ],
    ids=["empty", "blank-lines", "header-only", "undecodable"],
)
def test_read_census_rejects_file(tmp_path, content, message):
    path = tmp_path / "extract.csv"
    path.write_bytes(content)

    with pytest.raises(CensusError, match=message):
        read_census(path)


def test_read_census_rejects_missing_file(tmp_path):
    with pytest.raises(CensusError, match="file not found"):
        read_census(tmp_path / "absent.csv")


def test_read_census_header_returns_stripped_headers(tmp_path):
    path = write_rows(tmp_path / "extract.csv", [[" NC Year ", "Gender"], ["Y1", "M"]])

    assert read_census_header(path) == ["NC Year", "Gender"]


# --- Applying an extract to an audit ---------------------------------------------


def test_apply_census_fills_figures(school):
    path, truth = school
    audit = new_audit("test", 1)
    apply_census(audit, read_census(path))

    assert {key: audit.context[key] for key in CENSUS_FIGURE_IDS} == truth.counts


def test_apply_census_sets_grid(school):
    path, truth = school
    audit = new_audit("test", 1)
    apply_census(audit, read_census(path))

    assert audit.census.source == "census import"
    assert grid_as_tuples(audit.census) == truth.grid


def test_apply_census_sets_census_year(school):
    path, _ = school
    audit = new_audit("test", 1)
    apply_census(audit, read_census(path, census_year=2026))

    assert audit.context["census_year"] == "2026"


def test_apply_census_keeps_figures_without_column(tmp_path):
    rows = [
        ["NC Year", "Gender", "SEN Status", "Primary Need"],
        ["Y1", "M", "K", "ASD"],
    ]
    path = write_rows(tmp_path / "extract.csv", rows)
    audit = new_audit("test", 1)
    audit.context = {"cla_plac_on_roll": 3, "send_register": 40}
    apply_census(audit, read_census(path))

    assert audit.context["cla_plac_on_roll"] == 3
    assert audit.context["send_register"] == 1


def test_apply_census_replaces_typed_grid(school):
    path, _ = school
    audit = new_audit("test", 1)
    audit.census = CensusGrid(
        source="typed", rows={"Y14": {"HI": GridCell(ehc_plan=1)}}
    )
    apply_census(audit, read_census(path))

    assert "Y14" not in audit.census.rows


def test_apply_census_rejects_extract_without_valid_rows(tmp_path):
    path = one_pupil_file(tmp_path, sen_provision="S")
    audit = new_audit("test", 1)

    with pytest.raises(CensusError, match="none of the 1 pupil rows is valid"):
        apply_census(audit, read_census(path))


def test_apply_census_survives_save_and_load(school, tmp_path, shipped_criteria):
    path, _ = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    audit = load_audit(audit_path, shipped_criteria)
    apply_census(audit, read_census(path, census_year=2026))
    save_audit(audit, audit_path)
    loaded = load_audit(audit_path, shipped_criteria)

    assert loaded.census == audit.census
    assert loaded.context == audit.context


def test_saved_audit_holds_no_pupil_data(school, tmp_path, shipped_criteria):
    path, truth = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    audit = load_audit(audit_path, shipped_criteria)
    apply_census(audit, read_census(path, census_year=2026))
    save_audit(audit, audit_path)
    text = audit_path.read_text(encoding="utf-8")

    leaked = [identifier for identifier in truth.identifiers if identifier in text]
    assert leaked == []
    assert "UPN" not in text


def test_reports_hold_no_pupil_data(school, shipped_criteria):
    path, truth = school
    audit = new_audit("test", 1)
    apply_census(audit, read_census(path, census_year=2026))
    audit.context["send_profile_summary"] = draft_profile_summary(audit)
    console = make_console(width=200)
    with console.capture() as captured:
        render_census(audit, shipped_criteria, console)
    outputs = [
        captured.get(),
        export_census_markdown(audit, shipped_criteria, None),
        export_census_markdown(audit, shipped_criteria, 5),
        audit.context["send_profile_summary"],
    ]

    for output in outputs:
        assert [i for i in truth.identifiers if i in output] == []


# --- The drafted SEND profile summary --------------------------------------------


def draft_audit(rows, on_roll=None, **context) -> Audit:
    audit = new_audit("test", 1)
    audit.context = context
    audit.census = CensusGrid(
        source="typed",
        rows={
            year: {
                code: GridCell(sen_support=k, ehc_plan=e)
                for code, (k, e) in cells.items()
            }
            for year, cells in rows.items()
        },
        on_roll=on_roll or {},
    )

    return audit


def test_draft_profile_summary_whole_text():
    audit = draft_audit(
        {
            "Y1": {"SLCN": (4, 0), "ASD": (1, 2)},
            "Y2": {"SEMH": (2, 0)},
            "R": {"SLCN": (1, 0)},
        },
        on_roll={"R": 30, "Y1": 30, "Y2": 28},
        number_on_roll=88,
        boys_on_roll=44,
        send_register=10,
        sen_support=8,
        ehc_plans=2,
        boys_on_send_register=6,
        census_year="2025",
    )
    draft = draft_profile_summary(audit, load_benchmarks().for_year(2025))

    assert draft == (
        "10 pupils are on the SEND register, 11.4% of the 88 on roll: 8 at SEN "
        "Support and 2 with an EHC plan.\n"
        "The year groups with the most pupils with SEND are Year 1 (7 pupils, 23.3% "
        "of the year group), Year 2 (2, 7.1%) and Reception (1, 3.3%).\n"
        "The SEND register has 6 boys and 4 girls, a boy:girl ratio of 1.5:1. 13.6% "
        "of boys and 9.1% of girls on roll have SEND.\n"
        "The most common primary needs are SLCN (5 pupils, 50.0% of the register), "
        "ASD (3, 30.0%) and SEMH (2, 20.0%).\n"
        "Among the 2 pupils with an EHC plan, the most common primary need is "
        "ASD (2).\n"
        "Nationally in January 2025, 5.3% of pupils had an EHC plan (here 2.3%) and "
        "14.2% of pupils were at SEN Support (here 9.1%)."
    )


def test_draft_profile_summary_empty_without_grid():
    assert draft_profile_summary(new_audit("test", 1)) == ""


def test_draft_profile_summary_all_boys():
    audit = draft_audit(
        {"Y1": {"SLCN": (3, 0)}}, send_register=3, boys_on_send_register=3
    )

    assert "All 3 pupils on the SEND register are boys." in draft_profile_summary(audit)


def test_draft_summary_no_cut_through_tie():
    rows = {"Y1": {"SLCN": (5, 0)}, **{y: {"ASD": (3, 0)} for y in ("Y2", "Y3", "Y4")}}
    draft = draft_profile_summary(draft_audit(rows))

    assert (
        "The year group with the most pupils with SEND is Year 1 (5 pupils)." in draft
    )


def test_draft_summary_names_whole_tie():
    rows = {year: {"SLCN": (2, 0)} for year in ("R", "Y1", "Y2", "Y3")}
    draft = draft_profile_summary(draft_audit(rows))

    assert (
        "Reception, Year 1, Year 2 and Year 3 have the most pupils with SEND, "
        "2 pupils each." in draft
    )


def test_draft_profile_summary_one_pupil():
    draft = draft_profile_summary(
        draft_audit({"Y1": {"HI": (0, 1)}}, send_register=1, boys_on_send_register=0)
    )

    assert "The one pupil on the SEND register is a girl." in draft
    assert "The one pupil with an EHC plan has HI as their primary need." in draft


def test_draft_profile_summary_ties_on_ehc_plans():
    audit = draft_audit({"Y1": {"ASD": (0, 2), "SEMH": (0, 2)}})

    assert "the most common primary needs are ASD and SEMH (2 each)" in (
        draft_profile_summary(audit)
    )


# --- The import-census command without a terminal --------------------------------


@pytest.fixture
def cli():
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Keep the commands as subcommands."""

    census_command.register(app)

    def invoke(*args: str):
        return CliRunner().invoke(app, [str(arg) for arg in args])

    return invoke


def test_import_census_yes_saves_figures(cli, school, tmp_path, shipped_criteria):
    path, truth = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli("import-census", path, audit_path, "--yes", "--census-year", "2026")
    audit = load_audit(audit_path, shipped_criteria)

    assert result.exit_code == 0, result.output
    assert {key: audit.context[key] for key in CENSUS_FIGURE_IDS} == truth.counts
    assert audit.context["census_year"] == "2026"


def test_import_census_shows_old_and_new_figures(
    cli, school, tmp_path, shipped_criteria
):
    path, _ = school
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, number_on_roll=390
    )
    result = cli("import-census", path, audit_path, "--yes")
    line = next(
        line for line in result.output.splitlines() if "Total number on roll" in line
    )
    cells = [cell.strip() for cell in line.strip("│ ").split("│")]

    assert cells == ["Total number on roll", "390", "400"]


def test_import_census_without_yes_needs_terminal(
    cli, school, tmp_path, shipped_criteria
):
    path, _ = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    before = audit_path.read_bytes()
    result = cli("import-census", path, audit_path)

    assert isinstance(result.exception, NotATerminalError)
    assert "--yes" in str(result.exception)
    assert audit_path.read_bytes() == before


def test_import_census_bad_rows_change_nothing(
    cli, bad_extract, tmp_path, shipped_criteria
):
    path, _ = bad_extract
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    before = audit_path.read_bytes()
    result = cli("import-census", path, audit_path, "--yes")

    assert isinstance(result.exception, CensusError)
    message = str(result.exception)
    assert str(path) in message
    assert f"because of {len(BAD_ROWS)} invalid rows" in message
    sex_row = FIRST_BAD_ROW + list(BAD_ROWS).index("sex-unknown")
    assert f"row {sex_row}, column 'Gender': found 'U'" in message
    assert "--valid-rows-only" in message
    assert audit_path.read_bytes() == before


def test_import_census_valid_rows_only(cli, bad_extract, tmp_path, shipped_criteria):
    path, pupils = bad_extract
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli("import-census", path, audit_path, "--yes", "--valid-rows-only")
    audit = load_audit(audit_path, shipped_criteria)

    assert result.exit_code == 0, result.output
    assert audit.context["number_on_roll"] == len(pupils)
    assert audit.census.rows_left_out == len(BAD_ROWS)


def test_import_census_column_option(cli, tmp_path, shipped_criteria):
    rows = [["Yr", "Sex", "Stage", "Needs", "PP"], ["Y1", "M", "K", "ASD", "Y"]]
    path = write_rows(tmp_path / "extract.csv", rows)
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli(
        "import-census", path, audit_path, "--yes",
        "--column", "sen_provision=Stage", "-c", "primary_need=Needs",
    )  # fmt: skip
    audit = load_audit(audit_path, shipped_criteria)

    assert result.exit_code == 0, result.output
    assert audit.census.rows == {"Y1": {"ASD": GridCell(sen_support=1, ehc_plan=0)}}
    assert audit.context["disadvantaged_with_send"] == 1


def test_import_census_rejects_malformed_column_option(
    cli, school, tmp_path, shipped_criteria
):
    path, _ = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli("import-census", path, audit_path, "--column", "primary_need")

    assert result.exit_code == 2
    assert "FIELD=HEADER" in result.output


def test_import_census_rejects_unknown_census_year(
    cli, school, tmp_path, shipped_criteria
):
    path, _ = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli("import-census", path, audit_path, "--yes", "--census-year", "2019")

    assert isinstance(result.exception, CensusError)
    assert "2024, 2025, 2026" in str(result.exception)


def test_import_census_missing_audit(cli, school, tmp_path):
    path, _ = school
    result = cli("import-census", path, tmp_path / "absent.yaml", "--yes")

    assert "file not found" in str(result.exception)
    assert not (tmp_path / ".absent.yaml.lock").exists()


def test_grid_command_needs_terminal(cli, tmp_path, shipped_criteria):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli("grid", audit_path)

    assert isinstance(result.exception, NotATerminalError)


@pytest.mark.parametrize(
    "command", ["import-census", "grid"], ids=["import-census", "grid"]
)
def test_census_command_has_help(cli, command):
    result = cli(command, "--help")

    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert census_command.__dict__[command.replace("-", "_")].__doc__ in result.output


def test_import_census_yes_does_not_import_questionary(
    school, tmp_path, shipped_criteria
):
    path, _ = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    script = (
        "import sys, typer\n"
        "from typer.testing import CliRunner\n"
        "from send_audit import census_command\n"
        "app = typer.Typer()\n"
        "app.callback()(lambda: None)\n"
        "census_command.register(app)\n"
        f"result = CliRunner().invoke(app, ['import-census', {str(path)!r}, "
        f"{str(audit_path)!r}, '--yes'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('questionary' in sys.modules)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout

    assert output.strip() == "False"


# --- Prompts, with real keystrokes -----------------------------------------------


@pytest.mark.timeout(30)
def test_run_import_confirmed_saves_draft(keys, school, tmp_path, shipped_criteria):
    path, truth = school
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    keys.send_text("y" + ENTER + ENTER)  # confirm, then use the drafted summary
    changed = census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )
    audit = load_audit(audit_path, shipped_criteria)

    assert changed is True
    assert audit.context["number_on_roll"] == truth.counts["number_on_roll"]
    assert audit.context["send_profile_summary"] == draft_profile_summary(
        audit, load_benchmarks().for_year(2026)
    )


@pytest.mark.timeout(30)
def test_run_import_declined_changes_nothing(keys, school, tmp_path, shipped_criteria):
    path, _ = school
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    before = audit_path.read_bytes()
    keys.send_text("n" + ENTER)
    changed = census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )

    assert changed is False
    assert audit_path.read_bytes() == before


@pytest.mark.timeout(30)
def test_run_import_asks_unmatched_column(keys, tmp_path, shipped_criteria):
    pupils = make_pupils(seed=12, count=40)
    rows = render_extract(pupils)
    rows[0][7] = "Needs code"
    path = write_rows(tmp_path / "extract.csv", rows)
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    # "Needs code" is suggested by its words, so it comes first and Enter takes it.
    keys.send_text(ENTER + "y" + ENTER + ENTER)
    census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )
    audit = load_audit(audit_path, shipped_criteria)

    assert grid_as_tuples(audit.census) == true_counts(pupils).grid


@pytest.mark.timeout(30)
def test_run_import_optional_column_not_in_extract(keys, tmp_path, shipped_criteria):
    pupils = make_pupils(seed=13, count=40)
    rows = [row[:9] for row in render_extract(pupils)]  # no CLA/PLAC column
    path = write_rows(tmp_path / "extract.csv", rows)
    audit_path = saved_audit(
        tmp_path / "audit.yaml",
        shipped_criteria,
        census_year="2026",
        cla_plac_on_roll=2,
    )
    # "Not in this extract" is the first choice, so Enter takes it.
    keys.send_text(ENTER + "y" + ENTER + ENTER)
    census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )
    audit = load_audit(audit_path, shipped_criteria)

    assert audit.context["cla_plac_on_roll"] == 2
    assert audit.context["number_on_roll"] == 40


@pytest.mark.timeout(30)
def test_run_import_bad_rows_declined(keys, bad_extract, tmp_path, shipped_criteria):
    path, _ = bad_extract
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    before = audit_path.read_bytes()
    keys.send_text(ENTER)  # the default answer is No

    with pytest.raises(CensusError, match="nothing was imported"):
        census_import.run_import(
            path, audit_path, shipped_criteria, quiet_console(), interactive=True
        )

    assert audit_path.read_bytes() == before


@pytest.mark.timeout(30)
def test_run_import_bad_rows_accepted(keys, bad_extract, tmp_path, shipped_criteria):
    path, pupils = bad_extract
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    keys.send_text("y" + ENTER + "y" + ENTER + ENTER)
    census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )
    audit = load_audit(audit_path, shipped_criteria)

    assert audit.context["number_on_roll"] == len(pupils)


@pytest.mark.timeout(30)
def test_run_import_asks_census_year(keys, school, tmp_path, shipped_criteria):
    from send_audit.interview import latest_census_year

    path, _ = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    keys.send_text(ENTER + "y" + ENTER + ENTER)  # the default year, confirm, draft
    census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )
    choices = shipped_criteria.context.questions["census_year"].choices
    latest = str(latest_census_year())
    expected = latest if latest in choices else choices[-1]

    assert load_audit(audit_path, shipped_criteria).context["census_year"] == expected


@pytest.mark.timeout(30)
def test_run_import_edit_draft(keys, school, tmp_path, shipped_criteria):
    path, _ = school
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    keys.send_text(
        "y" + ENTER + DOWN + ENTER + " Checked by the SENCo." + SUBMIT_LONG_TEXT
    )
    census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )
    audit = load_audit(audit_path, shipped_criteria)
    draft = draft_profile_summary(audit, load_benchmarks().for_year(2026))

    assert audit.context["send_profile_summary"] == draft + " Checked by the SENCo."


@pytest.mark.timeout(30)
def test_run_import_keeps_written_summary(keys, school, tmp_path, shipped_criteria):
    path, _ = school
    audit_path = saved_audit(
        tmp_path / "audit.yaml",
        shipped_criteria,
        census_year="2026",
        send_profile_summary="Written by the SENCo.",
    )
    keys.send_text("y" + ENTER + DOWN + DOWN + ENTER)
    census_import.run_import(
        path, audit_path, shipped_criteria, quiet_console(), interactive=True
    )
    summary = load_audit(audit_path, shipped_criteria).context["send_profile_summary"]

    assert summary == "Written by the SENCo."


@pytest.mark.timeout(30)
def test_offer_census_import_accepted(keys, school, tmp_path, shipped_criteria):
    path, truth = school
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2025"
    )
    audit = load_audit(audit_path, shipped_criteria)
    keys.send_text("y" + ENTER + str(path) + ENTER + "y" + ENTER + ENTER)
    imported = census_import.offer_census_import(
        audit, audit_path, shipped_criteria, quiet_console()
    )

    assert imported is True
    assert audit.context["send_register"] == truth.counts["send_register"]
    saved = load_audit(audit_path, shipped_criteria)
    assert saved.context["send_register"] == truth.counts["send_register"]


@pytest.mark.timeout(30)
def test_offer_census_import_declined(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    audit = load_audit(audit_path, shipped_criteria)
    before = audit_path.read_bytes()
    keys.send_text("n" + ENTER)
    imported = census_import.offer_census_import(
        audit, audit_path, shipped_criteria, quiet_console()
    )

    assert imported is False
    assert audit_path.read_bytes() == before


@pytest.mark.timeout(30)
def test_offer_census_import_retries_after_error(
    keys, school, tmp_path, shipped_criteria
):
    path, truth = school
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2025"
    )
    audit = load_audit(audit_path, shipped_criteria)
    keys.send_text(
        "y" + ENTER + str(empty) + ENTER  # the empty file fails to read
        + "y" + ENTER + str(path) + ENTER  # try another file
        + "y" + ENTER + ENTER
    )  # fmt: skip
    imported = census_import.offer_census_import(
        audit, audit_path, shipped_criteria, quiet_console()
    )

    assert imported is True
    assert audit.context["number_on_roll"] == truth.counts["number_on_roll"]


@pytest.mark.timeout(30)
def test_offer_census_import_empty_path_skips(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2025"
    )
    audit = load_audit(audit_path, shipped_criteria)
    keys.send_text("y" + ENTER + ENTER)

    assert (
        census_import.offer_census_import(
            audit, audit_path, shipped_criteria, quiet_console()
        )
        is False
    )


# The keys that type a grid of Reception and Year 1: year groups are listed N1,
# N2, R, Y1, ..., and needs in the grid's order, so NSA is the thirteenth.
GRID_KEYS = (
    DOWN + DOWN + " " + DOWN + " " + ENTER  # tick R and Y1
    + "30" + ENTER  # pupils on roll in Reception
    + " " + DOWN + " " + ENTER  # SLCN and ASD
    + "3" + ENTER + "1" + ENTER  # SLCN: 3 K, 1 E
    + ENTER + "2" + ENTER  # ASD: 0 K (an empty count), 2 E
    + "28" + ENTER  # pupils on roll in Year 1
    + DOWN * 12 + " " + ENTER  # NSA
    + "4" + ENTER  # NSA: 4 K, never an EHC plan
)  # fmt: skip


@pytest.mark.timeout(30)
def test_run_grid_entry_saves_typed_grid(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    keys.send_text(GRID_KEYS + ENTER + ENTER)  # set the figures, use the draft
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())
    audit = load_audit(audit_path, shipped_criteria)

    assert audit.census.source == "typed"
    assert grid_as_tuples(audit.census) == {
        "R": {"SLCN": (3, 1), "ASD": (0, 2)},
        "Y1": {"NSA": (4, 0)},
    }
    assert audit.census.on_roll == {"R": 30, "Y1": 28}


@pytest.mark.timeout(30)
def test_run_grid_entry_sets_figures_from_grid(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria, send_register=9)
    keys.send_text(GRID_KEYS + ENTER + ENTER)
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())
    context = load_audit(audit_path, shipped_criteria).context

    assert context["send_register"] == 10
    assert context["sen_support"] == 7
    assert context["ehc_plans"] == 3
    assert context["number_on_roll"] == 58


@pytest.mark.timeout(30)
def test_run_grid_entry_ctrl_c_keeps_year_groups_typed(
    keys, tmp_path, shipped_criteria
):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    first_year_group = GRID_KEYS.split("28" + ENTER)[0]
    keys.send_text(first_year_group + CTRL_C)

    with pytest.raises(KeyboardInterrupt):
        grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    audit = load_audit(audit_path, shipped_criteria)
    assert grid_as_tuples(audit.census) == {"R": {"SLCN": (3, 1), "ASD": (0, 2)}}
    assert not (tmp_path / ".audit.yaml.lock").exists()


@pytest.mark.timeout(30)
def test_run_grid_entry_keeps_imported_grid(keys, school, tmp_path, shipped_criteria):
    path, truth = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    audit = load_audit(audit_path, shipped_criteria)
    apply_census(audit, read_census(path))
    save_audit(audit, audit_path)
    keys.send_text(ENTER)  # the default answer is No: keep the imported grid
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    assert grid_as_tuples(load_audit(audit_path, shipped_criteria).census) == truth.grid


def test_read_census_semicolons_below_title_line(tmp_path):
    pupils = make_pupils(seed=9, count=20)
    rows = [["Pupil list printed 12/01/2026"], *render_extract(pupils)]
    path = write_rows(tmp_path / "extract.csv", rows, delimiter=";")

    assert read_census(path).counts == true_counts(pupils).counts


# --- The grid typed by hand: counts within the roll --------------------------------

# Tick Reception only, give it 30 pupils on roll, and tick SLCN.
RECEPTION_SLCN_KEYS = (
    DOWN + DOWN + " " + ENTER  # tick R
    + "30" + ENTER  # pupils on roll in Reception
    + " " + ENTER  # SLCN
)  # fmt: skip
# Accepts "Set these figures from the grid's totals?", then uses the draft.
ACCEPT_FIGURES_AND_DRAFT = ENTER + ENTER


@pytest.mark.timeout(30)
def test_grid_entry_rejects_support_above_roll(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    keys.send_text(
        RECEPTION_SLCN_KEYS
        + "40" + ENTER  # more than the 30 on roll: rejected, and asked again
        + BACKSPACE * 2 + "25" + ENTER  # SEN Support
        + ENTER  # no EHC plans
        + ACCEPT_FIGURES_AND_DRAFT
    )  # fmt: skip
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    assert grid_as_tuples(load_audit(audit_path, shipped_criteria).census) == {
        "R": {"SLCN": (25, 0)}
    }


@pytest.mark.timeout(30)
def test_grid_entry_rejects_sum_above_roll(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    keys.send_text(
        DOWN + DOWN + " " + ENTER  # tick R
        + "30" + ENTER  # pupils on roll in Reception
        + " " + DOWN + " " + ENTER  # SLCN and ASD
        + "20" + ENTER + "4" + ENTER  # SLCN: 20 K, 4 E
        + "7" + ENTER  # ASD: 24 with SEND already, so 7 is rejected
        + BACKSPACE + "6" + ENTER  # ASD: 6 K, the most the roll allows
        + "1" + ENTER  # ASD: any EHC plan is now rejected
        + BACKSPACE + ENTER  # ASD: no EHC plans
        + ACCEPT_FIGURES_AND_DRAFT
    )  # fmt: skip
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    assert grid_as_tuples(load_audit(audit_path, shipped_criteria).census) == {
        "R": {"SLCN": (20, 4), "ASD": (6, 0)}
    }


@pytest.mark.timeout(30)
def test_grid_entry_without_roll_has_no_limit(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    keys.send_text(
        DOWN + DOWN + " " + ENTER  # tick R
        + ENTER  # roll not known
        + " " + ENTER  # SLCN
        + "40" + ENTER + ENTER  # SLCN: 40 K, no EHC plans
        + ACCEPT_FIGURES_AND_DRAFT
    )  # fmt: skip
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    assert grid_as_tuples(load_audit(audit_path, shipped_criteria).census) == {
        "R": {"SLCN": (40, 0)}
    }


def test_grid_entry_roll_message_first_count():
    with pytest.raises(AnswerError) as raised:
        grid_entry._RollLimit("Reception", 30, 0).check(40)

    assert str(raised.value) == (
        "40 is more than the 30 pupils on roll in Reception: type a count from 0 to 30"
    )


def test_grid_entry_roll_message_later_count():
    with pytest.raises(AnswerError) as raised:
        grid_entry._RollLimit("Reception", 30, 24).check(7)

    assert str(raised.value) == (
        "7 is too many: Reception has 30 pupils on roll and 24 with SEND typed "
        "already, so type a count from 0 to 6"
    )


@pytest.fixture
def prompt_defaults(monkeypatch):
    """The message and default of every one-line prompt, in the order shown."""
    shown = []
    ask_text = prompts.ask_text

    def recording_ask_text(message, check, default=""):
        shown.append((message, default))
        return ask_text(message, check, default)

    monkeypatch.setattr(prompts, "ask_text", recording_ask_text)

    return shown


@pytest.mark.timeout(30)
def test_grid_entry_counts_start_empty(
    keys, prompt_defaults, tmp_path, shipped_criteria
):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    keys.send_text(RECEPTION_SLCN_KEYS + "4" + ENTER + ENTER + ACCEPT_FIGURES_AND_DRAFT)
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    assert prompt_defaults[1:] == [
        ("Reception, SLCN: pupils at SEN Support (empty for 0)", ""),
        ("Reception, SLCN: pupils with an EHC plan (empty for 0)", ""),
    ]
    assert grid_as_tuples(load_audit(audit_path, shipped_criteria).census) == {
        "R": {"SLCN": (4, 0)}
    }


@pytest.mark.timeout(30)
def test_grid_entry_offers_counts_typed_before(
    keys, prompt_defaults, tmp_path, shipped_criteria
):
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    audit = load_audit(audit_path, shipped_criteria)
    audit.census = CensusGrid(
        source="typed",
        rows={"R": {"SLCN": GridCell(sen_support=3, ehc_plan=1)}},
        on_roll={"R": 30},
    )
    save_audit(audit, audit_path)
    # Keep the ticks, the roll and both counts, then set the figures and the draft.
    keys.send_text(ENTER * 5 + ACCEPT_FIGURES_AND_DRAFT)
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    assert [default for _, default in prompt_defaults] == ["30", "3", "1"]


# --- The grid typed by hand: year groups, the roll and the draft -----------------


@pytest.mark.timeout(30)
def test_grid_entry_keeps_ticked_year_without_send(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, number_on_roll=100
    )
    keys.send_text(
        DOWN + DOWN + " " + DOWN + " " + ENTER  # tick R and Y1
        + "30" + ENTER + " " + ENTER + "3" + ENTER + ENTER  # R: 30 on roll, 3 SLCN
        + ENTER + ENTER  # Y1: roll not known, no pupil with SEND
        + ACCEPT_FIGURES_AND_DRAFT
    )  # fmt: skip
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())
    audit = load_audit(audit_path, shipped_criteria)

    assert audit.census.rows["Y1"] == {}
    assert grid_year_groups(audit.census) == ("R", "Y1")
    assert audit.census.on_roll == {"R": 30}
    assert audit.context["send_register"] == 3


@pytest.mark.timeout(30)
def test_grid_entry_roll_offered_only_when_complete(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, number_on_roll=100
    )
    keys.send_text(
        DOWN + DOWN + " " + DOWN + " " + ENTER  # tick R and Y1
        + "30" + ENTER + " " + ENTER + "3" + ENTER + ENTER  # R: 30 on roll, 3 SLCN
        + ENTER + ENTER  # Y1: roll not known, no pupil with SEND
        + ACCEPT_FIGURES_AND_DRAFT
    )  # fmt: skip
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())

    assert load_audit(audit_path, shipped_criteria).context["number_on_roll"] == 100


@pytest.mark.timeout(30)
def test_grid_entry_declined_figures_draft_says_so(keys, tmp_path, shipped_criteria):
    audit_path = saved_audit(
        tmp_path / "audit.yaml",
        shipped_criteria,
        send_register=9,
        sen_support=7,
        ehc_plans=2,
        boys_on_send_register=6,
    )
    keys.send_text(GRID_KEYS + "n" + ENTER + ENTER)  # keep the figures, use the draft
    grid_entry.run_grid_entry(audit_path, shipped_criteria, quiet_console())
    context = load_audit(audit_path, shipped_criteria).context
    summary = context["send_profile_summary"]

    assert context["send_register"] == 9
    assert summary.split("\n")[0] == (
        "The grid does not match the audit's figures: it has 10 pupils on the SEND "
        "register where the figures have 9 and 3 pupils with an EHC plan where the "
        "figures have 2. This draft is worked out from the grid alone."
    )
    assert "boys" not in summary


def test_draft_summary_differing_figures_whole_text():
    audit = draft_audit(
        {"Y1": {"SLCN": (8, 0)}, "Y2": {"ASD": (0, 2)}},
        number_on_roll=200,
        boys_on_roll=100,
        send_register=12,
        sen_support=10,
        ehc_plans=2,
        boys_on_send_register=8,
        census_year="2025",
    )
    draft = draft_profile_summary(audit, load_benchmarks().for_year(2025))

    assert draft == (
        "The grid does not match the audit's figures: it has 10 pupils on the SEND "
        "register where the figures have 12 and 8 pupils at SEN Support where the "
        "figures have 10. This draft is worked out from the grid alone.\n"
        "10 pupils are on the SEND register: 8 at SEN Support and 2 with an EHC "
        "plan.\n"
        "The year groups with the most pupils with SEND are Year 1 (8 pupils) and "
        "Year 2 (2).\n"
        "The most common primary needs are SLCN (8 pupils, 80.0% of the register) "
        "and ASD (2, 20.0%).\n"
        "Among the 2 pupils with an EHC plan, the most common primary need is "
        "ASD (2)."
    )


def test_draft_summary_differing_roll_uses_grid():
    audit = draft_audit(
        {"Y1": {"SLCN": (3, 0)}},
        on_roll={"Y1": 30},
        number_on_roll=200,
        send_register=3,
        sen_support=3,
        ehc_plans=0,
    )
    draft = draft_profile_summary(audit)

    assert "it has 30 pupils on roll where the figures have 200" in draft
    assert "3 pupils are on the SEND register, 10.0% of the 30 on roll" in draft
    assert "of the 200 on roll" not in draft


# --- National figures of the criteria folder in use -------------------------------

# National figures of a fictional local authority, unlike the shipped ones.
LOCAL_BENCHMARKS = """\
source:
  publisher: "Fictional County Council"
  short_name: "FCC"
  title: "SEND in Fictional County"
  url: "https://example.invalid/send"
years:
  - census_year: 2025
    release: "2024/25"
    percentages:
      pct_ehc_plans: 7.7
      pct_sen_support: 11.1
"""


@pytest.fixture
def local_criteria(tmp_path):
    """A copy of the shipped criteria whose benchmarks.yaml has other figures."""
    folder = tmp_path / "local-criteria"
    shutil.copytree(default_criteria_dir(), folder)
    (folder / "benchmarks.yaml").write_text(LOCAL_BENCHMARKS, encoding="utf-8")

    return folder


def test_import_census_draft_uses_folder_figures(
    cli, school, tmp_path, shipped_criteria, local_criteria
):
    path, _ = school
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli(
        "import-census", path, audit_path, "--yes", "--census-year", "2025",
        "--criteria", local_criteria,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Nationally in January 2025, 7.7% of pupils had an EHC plan" in (
        " ".join(result.output.split())
    )


def test_import_census_folder_without_benchmarks(
    cli, school, tmp_path, shipped_criteria, local_criteria
):
    path, _ = school
    (local_criteria / "benchmarks.yaml").unlink()
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli(
        "import-census", path, audit_path, "--yes", "--census-year", "2025",
        "--criteria", local_criteria,
    )  # fmt: skip
    output = " ".join(result.output.split())

    assert result.exit_code == 0, result.output
    assert "No national comparison" in output
    assert "Nationally" not in output


def test_import_census_broken_benchmarks_stops(
    cli, school, tmp_path, shipped_criteria, local_criteria
):
    path, _ = school
    benchmarks_path = local_criteria / "benchmarks.yaml"
    benchmarks_path.write_text(
        LOCAL_BENCHMARKS + 'extra: !!python/object/apply:os.system ["true"]\n',
        encoding="utf-8",
    )
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    before = audit_path.read_bytes()
    result = cli(
        "import-census", path, audit_path, "--yes", "--criteria", local_criteria
    )

    assert isinstance(result.exception, InvalidCriteriaError)
    assert str(benchmarks_path) in str(result.exception)
    assert "tags that create Python objects" in str(result.exception)
    assert audit_path.read_bytes() == before


# --- Which column is which: defaults and values not shown -------------------------


@pytest.mark.parametrize(
    ("field_id", "headers", "suggested"),
    [
        ("primary_need", ["UPN", "Needs code", "DOB"], ["Needs code"]),
        ("sen_provision", ["Absence", "SEN_Stage"], ["SEN_Stage"]),
        ("cla_plac", ["Forename", "Surname", "DOB"], []),
        ("year_group", ["Name", "Year of Entry"], ["Year of Entry"]),
    ],
    ids=["needs-code", "whole-words-only", "no-suggestion", "year-word"],
)
def test_suggest_columns(field_id, headers, suggested):
    assert suggest_columns(field_id, headers) == suggested


@pytest.mark.timeout(30)
def test_run_import_required_column_enter_stops(keys, tmp_path, shipped_criteria):
    pupils = make_pupils(seed=14, count=20)
    rows = render_extract(pupils)
    rows[0][7] = "Code 1"  # no header is suggested for the primary need
    path = write_rows(tmp_path / "extract.csv", rows)
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    before = audit_path.read_bytes()
    keys.send_text(ENTER)

    with pytest.raises(CensusError, match="no column for the primary type of need"):
        census_import.run_import(
            path, audit_path, shipped_criteria, quiet_console(), interactive=True
        )

    assert audit_path.read_bytes() == before


@pytest.mark.timeout(30)
def test_run_import_chosen_name_column_hides_names(keys, tmp_path, shipped_criteria):
    pupils = make_pupils(seed=15, count=20)
    rows = [row[:9] for row in render_extract(pupils)]  # no CLA/PLAC column
    path = write_rows(tmp_path / "extract.csv", rows)
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2026"
    )
    # Choices: "Not in this extract", UPN, Legal Surname, Forename, DOB.
    keys.send_text(DOWN * 3 + ENTER)

    with pytest.raises(CensusError) as raised:
        census_import.run_import(
            path, audit_path, shipped_criteria, quiet_console(), interactive=True
        )

    message = str(raised.value)
    assert "rows 2-21, column 'Forename': expected Y or N" in message
    assert "value not shown" in message
    assert [name for name in true_counts(pupils).identifiers if name in message] == []
    assert [pupil.forename for pupil in pupils if pupil.forename in message] == []


def test_read_census_hides_values_of_chosen_column(tmp_path):
    pupils = make_pupils(seed=16, count=10)
    path = write_rows(tmp_path / "extract.csv", render_extract(pupils))
    extract = read_census(path, {"cla_plac": "Forename"})
    forenames = {pupil.forename for pupil in pupils}

    assert extract.bad_row_count == 10
    assert {bad.value for bad in extract.bad_rows} == {None}
    assert [line for line in describe_bad_rows(extract.bad_rows)
            if any(name in line for name in forenames)] == []  # fmt: skip


def test_read_census_hides_values_of_mostly_invalid_column(tmp_path):
    # "SEN" is a listed spelling for the provision, but this column contains names.
    pupils = make_pupils(seed=17, count=10)
    rows = render_extract(pupils)
    rows[0][6] = "SEN"
    for row, pupil in zip(rows[1:], pupils, strict=True):
        row[6] = pupil.forename
    path = write_rows(tmp_path / "extract.csv", rows)
    extract = read_census(path)

    assert {bad.value for bad in extract.bad_rows if bad.column == "SEN"} == {None}


def test_read_census_shows_typo_in_valid_column(tmp_path):
    pupils = make_pupils(seed=18, count=10)
    rows = render_extract(pupils)
    rows[3][6] = "Q"
    path = write_rows(tmp_path / "extract.csv", rows)
    (bad,) = read_census(path).bad_rows

    assert bad.describe().startswith("row 4, column 'SEN Status': found 'Q'")


def test_import_census_bad_rows_table_hides_notes(cli, tmp_path, shipped_criteria):
    pupils = make_pupils(seed=19, count=20)
    rows = [row[:9] for row in render_extract(pupils)]  # no CLA/PLAC column
    rows[0].append("Notes")
    for row in rows[1:]:
        row.append("")
    rows[5][9] = "Seen by Ms Quillon"
    path = write_rows(tmp_path / "extract.csv", rows)
    audit_path = saved_audit(tmp_path / "audit.yaml", shipped_criteria)
    result = cli(
        "import-census", path, audit_path, "--yes", "--valid-rows-only",
        "--column", "cla_plac=Notes",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "Quillon" not in result.output
    assert "not shown" in result.output


def test_read_census_without_header_hides_first_row(tmp_path):
    pupils = make_pupils(seed=20, count=10)
    path = write_rows(tmp_path / "extract.csv", render_extract(pupils)[1:])

    with pytest.raises(CensusError, match="no header row") as raised:
        read_census(path)

    message = str(raised.value)
    assert [name for name in true_counts(pupils).identifiers if name in message] == []
    assert pupils[0].forename not in message


# --- The path of the extract, typed or dragged into the terminal ------------------


@pytest.fixture
def spaced_school(school, tmp_path):
    """The generated school's extract, under a file name with a space."""
    path = tmp_path / "my census.csv"
    shutil.copyfile(school[0], path)

    return path, school[1]


PATH_FORMS = {
    "single-quotes": "'{path}'",
    "double-quotes": '"{path}"',
    "quotes-and-spaces": "  '{path}'  ",
    "escaped-space": "{escaped}",
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("form", PATH_FORMS.values(), ids=PATH_FORMS.keys())
def test_offer_census_import_dropped_path(
    keys, spaced_school, tmp_path, shipped_criteria, form
):
    path, truth = spaced_school
    typed = form.format(path=path, escaped=str(path).replace(" ", "\\ "))
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2025"
    )
    audit = load_audit(audit_path, shipped_criteria)
    keys.send_text("y" + ENTER + typed + ENTER + "y" + ENTER + ENTER)
    imported = census_import.offer_census_import(
        audit, audit_path, shipped_criteria, quiet_console()
    )

    assert imported is True
    assert audit.context["number_on_roll"] == truth.counts["number_on_roll"]


@pytest.mark.timeout(30)
def test_offer_census_import_path_under_home(
    keys, spaced_school, tmp_path, shipped_criteria, monkeypatch
):
    path, truth = spaced_school
    monkeypatch.setenv("HOME", str(path.parent))
    audit_path = saved_audit(
        tmp_path / "audit.yaml", shipped_criteria, census_year="2025"
    )
    audit = load_audit(audit_path, shipped_criteria)
    keys.send_text("y" + ENTER + "'~/my census.csv'" + ENTER + "y" + ENTER + ENTER)
    imported = census_import.offer_census_import(
        audit, audit_path, shipped_criteria, quiet_console()
    )

    assert imported is True
    assert audit.context["number_on_roll"] == truth.counts["number_on_roll"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("   ", None),
        ("''", None),
        ("'/tmp/a b.csv'", Path("/tmp/a b.csv")),
        ('"/tmp/a b.csv"', Path("/tmp/a b.csv")),
        ("'/tmp/a.csv\"", Path("'/tmp/a.csv\"")),
        ("''/tmp/a.csv''", Path("'/tmp/a.csv'")),
    ],
    ids=[
        "empty", "spaces", "empty-quotes", "single", "double", "unmatched",
        "one-pair-only",
    ],
)  # fmt: skip
def test_typed_path(text, expected):
    assert census_import.typed_path(text) == expected
