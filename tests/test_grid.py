"""Tests of the SEND contextual grid: its model, totals, suppression and drawing."""

import shutil
from io import StringIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from pydantic import ValidationError
from rich.console import Console

from send_audit.audit import Audit, new_audit
from send_audit.benchmarks import load_benchmarks
from send_audit.census_grid import CensusGrid, GridCell
from send_audit.census_report import (
    comparison_rows,
    describe_mismatches,
    export_census_markdown,
    percentage_hidden,
    render_census,
    render_grid,
    suppressed_figures,
)
from send_audit.criteria import default_criteria_dir, load_criteria
from send_audit.grid import (
    AREAS_OF_NEED,
    NEED_CODES,
    NEED_NAMES,
    UNGROUPED_CODES,
    YEAR_GROUPS,
    Split,
    area_totals,
    build_grid_table,
    grid_figures,
    grid_mismatches,
    grid_total,
    need_totals,
    suppress_small_counts,
    table_value,
    year_group_name,
    year_group_totals,
)
from send_audit.theme import THEME


def make_grid(rows, on_roll=None, source="typed") -> CensusGrid:
    return CensusGrid(
        source=source,
        rows={
            year: {
                code: GridCell(sen_support=k, ehc_plan=e)
                for code, (k, e) in cells.items()
            }
            for year, cells in rows.items()
        },
        on_roll=on_roll or {},
    )


SMALL_GRID = {
    "R": {"SLCN": (3, 1), "SEMH": (2, 0)},
    "Y1": {"SLCN": (4, 0), "ASD": (0, 2), "NSA": (1, 0)},
}


# --- Layout ----------------------------------------------------------------------

AREA_CODES = {
    "Communication and interaction": ("SLCN", "ASD"),
    "Cognition and learning": ("SPLD", "MLD", "SLD", "PMLD"),
    "Social, emotional and mental health": ("SEMH",),
    "Sensory and/or physical": ("HI", "VI", "MSI", "PD"),
}


@pytest.mark.parametrize(
    ("title", "codes"), AREA_CODES.items(), ids=[a.id for a in AREAS_OF_NEED]
)
def test_area_of_need_codes(title, codes):
    area = next(area for area in AREAS_OF_NEED if area.title == title)

    assert area.codes == codes


def test_ungrouped_codes_listed_on_their_own():
    assert UNGROUPED_CODES == ("OTH", "NSA", "DS")


def test_need_codes_in_display_order():
    assert NEED_CODES == (
        "SLCN", "ASD", "SPLD", "MLD", "SLD", "PMLD", "SEMH",
        "HI", "VI", "MSI", "PD", "OTH", "NSA", "DS",
    )  # fmt: skip


def test_every_need_code_has_a_name():
    assert set(NEED_NAMES) == set(NEED_CODES)


@pytest.mark.parametrize(
    ("year_group", "name"),
    [("N1", "Nursery 1"), ("R", "Reception"), ("Y7", "Year 7"), ("Y14", "Year 14"),
     ("X", "Not in a National Curriculum year")],
    ids=["N1", "R", "Y7", "Y14", "X"],
)  # fmt: skip
def test_year_group_name(year_group, name):
    assert year_group_name(year_group) == name


def test_year_groups_in_school_order():
    assert YEAR_GROUPS[:4] == ("N1", "N2", "R", "Y1")
    assert YEAR_GROUPS[-2:] == ("Y14", "X")


# --- The model -------------------------------------------------------------------

INVALID_GRIDS = {
    "unknown-year-group": {"source": "typed", "rows": {"Y15": {"SLCN": {}}}},
    "unknown-need-code": {"source": "typed", "rows": {"Y1": {"SCLN": {}}}},
    "nsa-with-ehc-plan": {"source": "typed", "rows": {"Y1": {"NSA": {"ehc_plan": 1}}}},
    "negative-count": {"source": "typed", "rows": {"Y1": {"HI": {"sen_support": -1}}}},
    "count-as-true": {"source": "typed", "rows": {"Y1": {"HI": {"sen_support": True}}}},
    "count-as-text": {"source": "typed", "on_roll": {"Y1": "30"}},
    "unknown-field": {"source": "typed", "pupils": []},
    "unknown-source": {"source": "guessed"},
    "unknown-cell-field": {"source": "typed", "rows": {"Y1": {"HI": {"upn": 1}}}},
    "send-above-roll": {
        "source": "typed",
        "rows": {"R": {"SLCN": {"sen_support": 40}}},
        "on_roll": {"R": 30},
    },
}


@pytest.mark.parametrize("data", INVALID_GRIDS.values(), ids=INVALID_GRIDS.keys())
def test_census_grid_rejects(data):
    with pytest.raises(ValidationError):
        CensusGrid.model_validate(data)


def test_census_grid_error_names_nsa_rule():
    with pytest.raises(ValidationError, match="NSA is used only with SEN Support"):
        CensusGrid.model_validate(INVALID_GRIDS["nsa-with-ehc-plan"])


def test_census_grid_error_names_roll_exceeded():
    with pytest.raises(
        ValidationError, match=r"rows\.R: 40 pupils with SEND, but on_roll\.R is 30"
    ):
        CensusGrid.model_validate(INVALID_GRIDS["send-above-roll"])


def test_census_grid_accepts_send_equal_to_roll():
    grid = make_grid({"R": {"SLCN": (20, 10)}}, on_roll={"R": 30})

    assert grid_total(grid).total == 30


def test_census_grid_accepts_every_year_group_and_code():
    rows = {
        year: {code: {"sen_support": 1} for code in NEED_CODES} for year in YEAR_GROUPS
    }

    assert len(CensusGrid.model_validate({"source": "typed", "rows": rows}).rows) == 18


# --- Totals ----------------------------------------------------------------------


def test_need_totals_add_year_groups():
    totals = need_totals(make_grid(SMALL_GRID))

    assert totals["SLCN"] == Split(7, 1)
    assert totals["ASD"] == Split(0, 2)
    assert totals["HI"] == Split(0, 0)


def test_year_group_totals_add_needs():
    assert year_group_totals(make_grid(SMALL_GRID)) == {
        "R": Split(5, 1),
        "Y1": Split(5, 2),
    }


def test_area_totals_add_their_codes():
    totals = area_totals(make_grid(SMALL_GRID))

    assert totals["communication_interaction"] == Split(7, 3)
    assert totals["semh"] == Split(2, 0)
    assert totals["sensory_physical"] == Split(0, 0)


def test_grid_total_adds_everything():
    assert grid_total(make_grid(SMALL_GRID)) == Split(10, 3)


def test_grid_figures_without_roll():
    assert grid_figures(make_grid(SMALL_GRID)) == {
        "send_register": 13,
        "sen_support": 10,
        "ehc_plans": 3,
    }


def test_grid_figures_with_roll():
    grid = make_grid(SMALL_GRID, on_roll={"R": 30, "Y1": 31})

    assert grid_figures(grid)["number_on_roll"] == 61


def test_grid_figures_with_partial_roll_leave_roll_out():
    grid = make_grid(SMALL_GRID, on_roll={"R": 30})

    assert "number_on_roll" not in grid_figures(grid)


def test_grid_figures_year_without_roll_or_send():
    # Y1 was ticked with no roll and no pupil with SEND, so the roll is unknown.
    grid = make_grid({"R": {"SLCN": (3, 0)}, "Y1": {}}, on_roll={"R": 30})

    assert "number_on_roll" not in grid_figures(grid)


def test_grid_table_keeps_year_without_send():
    table = build_grid_table(make_grid({"R": {"SLCN": (3, 0)}, "Y1": {}}))
    total = next(line for line in table.lines if line.kind == "total")

    assert table.year_groups == ("R", "Y1")
    assert total.by_year_group == (3, 0)


def test_grid_mismatches_ignore_unanswered():
    grid = make_grid(SMALL_GRID)
    context = {"send_register": 12, "sen_support": 10, "ehc_plans": None}

    assert grid_mismatches(grid, context) == [("send_register", 12, 13)]


def test_build_grid_table_lines_in_order():
    table = build_grid_table(make_grid(SMALL_GRID, on_roll={"R": 30, "Y1": 31}))
    kinds = [line.kind for line in table.lines]

    assert kinds == [
        *("area", "need", "need"),
        *("area", "need", "need", "need", "need"),
        *("area", "need"),
        *("area", "need", "need", "need", "need"),
        *("need", "need", "need"),
        *("total", "sen_support", "ehc_plan", "on_roll"),
    ]
    assert table.year_groups == ("R", "Y1")


def test_build_grid_table_share_with_send():
    table = build_grid_table(make_grid(SMALL_GRID, on_roll={"R": 30, "Y1": 40}))

    assert table.share_with_send == (20.0, 17.5)
    assert table.share_with_send_total == pytest.approx(1300 / 70)


def test_build_grid_table_without_roll_has_no_on_roll_line():
    table = build_grid_table(make_grid(SMALL_GRID))

    assert "on_roll" not in [line.kind for line in table.lines]
    assert table.share_with_send == (None, None)


# Random grids of up to three year groups, for the properties below. A roll is
# at least 150, above the 6 cells of at most 24 pupils that a year group can have.
cells = st.tuples(st.integers(0, 12), st.integers(0, 12))
year_rows = st.dictionaries(st.sampled_from(NEED_CODES), cells, max_size=6)
grids = st.builds(
    lambda rows, roll: make_grid(
        {
            year: {
                code: (k, 0 if code == "NSA" else e) for code, (k, e) in needs.items()
            }
            for year, needs in rows.items()
        },
        on_roll=(
            {year: 150 + index for index, year in enumerate(rows)} if roll else None
        ),
    ),
    st.dictionaries(st.sampled_from(("R", "Y1", "Y2")), year_rows, min_size=1),
    st.booleans(),
)


def table_sums(table):
    """Every "total = sum of parts" the drawn table shows, worked out afresh."""
    years = len(table.year_groups)
    columns = range(years + 3)
    row_of = {(line.kind, line.code): row for row, line in enumerate(table.lines)}
    sums = []
    for row, line in enumerate(table.lines):
        if line.total is not None and None not in line.by_year_group:
            sums.append(((row, years), [(row, c) for c in range(years)]))
        if line.kind in ("area", "need", "total"):
            sums.append(((row, years), [(row, years + 1), (row, years + 2)]))
    areas = [row for row, line in enumerate(table.lines) if line.kind == "area"]
    for column in columns:
        for area, area_row in zip(AREAS_OF_NEED, areas, strict=True):
            parts = [(row_of[("need", code)], column) for code in area.codes]
            sums.append(((area_row, column), parts))
        parts = [(row, column) for row in areas]
        parts += [(row_of[("need", code)], column) for code in UNGROUPED_CODES]
        sums.append(((row_of[("total", None)], column), parts))
    for column in range(years + 1):
        parts = [
            (row_of[("sen_support", None)], column),
            (row_of[("ehc_plan", None)], column),
        ]
        sums.append(((row_of[("total", None)], column), parts))

    return sums


def published_elsewhere(table):
    years = len(table.year_groups)
    fixed = set()
    for row, line in enumerate(table.lines):
        if line.kind == "total":
            fixed |= {(row, years), (row, years + 1), (row, years + 2)}
        if line.kind in ("sen_support", "ehc_plan", "on_roll"):
            fixed.add((row, years))

    return fixed


@settings(max_examples=150, deadline=None)
@given(grid=grids)
def test_table_sums_add_up(grid):
    table = build_grid_table(grid)

    for total, parts in table_sums(table):
        values = [table_value(table, part) for part in parts]
        assert table_value(table, total) == sum(values)


@settings(max_examples=150, deadline=None)
@given(grid=grids, threshold=st.integers(2, 6))
def test_suppression_shows_no_small_count(grid, threshold):
    table = build_grid_table(grid)
    hidden = suppress_small_counts(table, threshold)

    for row in range(len(table.lines)):
        for column in range(len(table.year_groups) + 3):
            value = table_value(table, (row, column))
            if value is not None and (row, column) not in hidden:
                assert value == 0 or value >= threshold


@settings(max_examples=150, deadline=None)
@given(grid=grids, threshold=st.integers(2, 6))
def test_suppression_leaves_no_sum_with_one_hidden_number(grid, threshold):
    table = build_grid_table(grid)
    hidden = suppress_small_counts(table, threshold)
    fixed = published_elsewhere(table)

    for total, parts in table_sums(table):
        members = [total, *parts]
        hidden_members = [member for member in members if member in hidden]
        if len(hidden_members) == 1:
            # Only the totals printed elsewhere in the audit may give it away.
            shown = [member for member in members if member not in hidden]
            assert all(member in fixed for member in shown)


@settings(max_examples=100, deadline=None)
@given(grid=grids, threshold=st.integers(2, 6))
def test_suppression_never_hides_published_totals_as_complement(grid, threshold):
    table = build_grid_table(grid)
    hidden = suppress_small_counts(table, threshold)
    complementary = {p for p, reason in hidden.items() if reason == "complementary"}

    assert complementary.isdisjoint(published_elsewhere(table))


def test_suppression_off_for_threshold_one():
    table = build_grid_table(make_grid(SMALL_GRID))

    assert suppress_small_counts(table, 1) == {}


def test_suppression_hides_complement_in_row():
    # Year 1 has 2 pupils with SLCN and 10 with ASD: with the area's Year 1 total
    # of 12 shown, the 2 could be worked out unless the 10 is hidden as well.
    table = build_grid_table(make_grid({"Y1": {"SLCN": (2, 0), "ASD": (10, 0)}}))
    hidden = suppress_small_counts(table, 5)
    row_of = {line.code: row for row, line in enumerate(table.lines) if line.code}

    assert hidden[(row_of["SLCN"], 0)] == "small"
    assert hidden[(row_of["ASD"], 0)] == "complementary"


# --- Drawing and export ----------------------------------------------------------


def grid_audit(rows=SMALL_GRID, on_roll=None, **context) -> Audit:
    audit = new_audit("test", 1)
    audit.context = context
    audit.census = make_grid(rows, on_roll=on_roll)

    return audit


def render_text(audit, criteria, width=100) -> str:
    console = Console(
        file=StringIO(),
        width=width,
        theme=THEME,
        color_system=None,
        markup=False,
        emoji=False,
        highlight=False,
    )
    render_census(audit, criteria, console)

    return console.file.getvalue()


def test_render_census_whole_output(shipped_criteria):
    audit = grid_audit(
        on_roll={"R": 30, "Y1": 31},
        census_year="2025",
        number_on_roll=61,
        send_register=13,
        sen_support=10,
        ehc_plans=3,
    )

    assert render_text(audit, shipped_criteria, width=80).split("\n") == RENDERED


RENDERED = [
    'SEND contextual grid',
    'Typed by the SENCo for the January 2025 census.',
    '                                                                                ',
    '                                                                      SEN   EHC ',
    ' Primary need                                      R   Y1  Total  Support  plan ',
    ' ────────────────────────────────────────────────────────────────────────────── ',
    ' Communication and interaction                     4    6     10        7     3 ',
    '   SLCN: Speech, language and communication        4    4      8        7     1 ',
    ' needs                                                                          ',
    '   ASD: Autistic spectrum disorder                 0    2      2        0     2 ',
    ' Cognition and learning                            0    0      0        0     0 ',
    '   SPLD: Specific learning difficulty              0    0      0        0     0 ',
    '   MLD: Moderate learning difficulty               0    0      0        0     0 ',
    '   SLD: Severe learning difficulty                 0    0      0        0     0 ',
    '   PMLD: Profound and multiple learning            0    0      0        0     0 ',
    ' difficulty                                                                     ',
    ' Social, emotional and mental health               2    0      2        2     0 ',
    '   SEMH: Social, emotional and mental health       2    0      2        2     0 ',
    ' Sensory and/or physical                           0    0      0        0     0 ',
    '   HI: Hearing impairment                          0    0      0        0     0 ',
    '   VI: Visual impairment                           0    0      0        0     0 ',
    '   MSI: Multi-sensory impairment                   0    0      0        0     0 ',
    '   PD: Physical disability                         0    0      0        0     0 ',
    '   OTH: Other difficulty or disability             0    0      0        0     0 ',
    '   NSA: SEN support but no specialist              0    1      1        1     0 ',
    ' assessment of type of need                                                     ',
    '   DS: Down syndrome                               0    0      0        0     0 ',
    '                                                                                ',
    ' All pupils with SEND                              6    7     13       10     3 ',
    ' of whom at SEN Support                            5    5     10                ',
    ' of whom with an EHC plan                          1    2      3                ',
    ' Pupils on roll                                   30   31     61                ',
    ' % of the year group with SEND                   20%  23%    21%                ',
    '                                                                                ',
    '',
    'National comparison',
    '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓',
    '┃ Figure                        ┃  This school ┃        National, January 2025 ┃',
    '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩',
    '│ % with an EHC Plan (of all    │         4.9% │                          5.3% │',
    '│ pupils on roll)               │              │                               │',
    '│ % at SEN Support (of all      │        16.4% │                         14.2% │',
    '│ pupils on roll)               │              │                               │',
    '│ Most common primary need,     │  ASD (66.7%) │        ASD (Autistic spectrum │',
    '│ pupils with an EHC plan       │              │                     disorder) │',
    '│ Most common primary need,     │ SLCN (70.0%) │    SLCN (Speech, language and │',
    '│ pupils at SEN Support         │              │          communication needs) │',
    '└───────────────────────────────┴──────────────┴───────────────────────────────┘',
    'Source: DfE, "Special educational needs in England", January 2025 (release ',
    '2024/25), ',
    'https://explore-education-statistics.service.gov.uk/find-statistics/special-educ',
    'ational-needs-in-england. National figures count all pupils in state-funded and ',
    'independent schools in England, including special schools and alternative ',
    'provision.',
    '',
]  # fmt: skip


def test_render_census_prints_source_and_year(shipped_criteria):
    audit = grid_audit(
        census_year="2025", number_on_roll=61, ehc_plans=3, sen_support=10
    )
    output = render_text(audit, shipped_criteria, width=200)

    assert 'Source: DfE, "Special educational needs in England", January 2025' in output
    assert "National, January 2025" in output


def test_render_census_without_grid(shipped_criteria):
    output = render_text(new_audit("test", 1), shipped_criteria)

    assert "No grid yet: import a census extract" in output


def test_render_census_without_census_year(shipped_criteria):
    output = render_text(grid_audit(), shipped_criteria)

    assert "Give the year of the January census" in output


def test_render_census_year_without_figures(shipped_criteria):
    output = render_text(grid_audit(census_year="2027"), shipped_criteria, width=200)

    assert "No national figures are held for the January 2027 census" in output
    assert "2024, 2025, 2026" in output


# National figures of a local authority's own criteria folder, unlike the shipped.
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
"""


@pytest.fixture
def local_criteria(tmp_path):
    """A copy of the shipped criteria whose benchmarks.yaml has other figures."""
    folder = tmp_path / "local-criteria"
    shutil.copytree(default_criteria_dir(), folder)
    (folder / "benchmarks.yaml").write_text(LOCAL_BENCHMARKS, encoding="utf-8")

    return folder


def test_render_census_uses_folder_benchmarks(local_criteria):
    audit = grid_audit(census_year="2025", number_on_roll=61, ehc_plans=3)
    output = render_text(audit, load_criteria(local_criteria), width=200)

    assert 'Source: FCC, "SEND in Fictional County", January 2025' in output
    assert "7.7%" in output
    assert "DfE" not in output


def test_render_census_folder_without_benchmarks(local_criteria):
    (local_criteria / "benchmarks.yaml").unlink()
    audit = grid_audit(census_year="2025", number_on_roll=61, ehc_plans=3)
    output = render_text(audit, load_criteria(local_criteria), width=300)

    assert "No national comparison" in output
    assert str(local_criteria / "benchmarks.yaml") in output
    assert "DfE" not in output


def test_export_census_uses_folder_benchmarks(local_criteria):
    audit = grid_audit(census_year="2025", number_on_roll=61, ehc_plans=3)
    markdown = export_census_markdown(audit, load_criteria(local_criteria), None)
    comparison = table_cells(markdown)[1]

    assert comparison[1][2] == "7.7%"
    assert "DfE" not in markdown


def test_export_census_folder_without_benchmarks(local_criteria):
    (local_criteria / "benchmarks.yaml").unlink()
    audit = grid_audit(census_year="2025", number_on_roll=61, ehc_plans=3)
    markdown = export_census_markdown(audit, load_criteria(local_criteria), None)

    assert "No national comparison" in markdown
    assert len(table_cells(markdown)) == 1


def test_describe_mismatches_names_figure(shipped_criteria):
    audit = grid_audit(send_register=12)

    assert describe_mismatches(audit, shipped_criteria) == [
        "Number on SEND register is 12, but the grid adds up to 13; correct the "
        "figure or the grid, or import the census again."
    ]


def table_cells(markdown: str) -> list[list[list[str]]]:
    """Return each table of a Markdown document as rows of cell texts."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables, row = [], None
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content)
        elif token.type == "tr_close":
            tables[-1].append(row)
            row = None

    return tables


def test_export_grid_table_layout(shipped_criteria):
    markdown = export_census_markdown(grid_audit(), shipped_criteria, None)
    grid_table = table_cells(markdown)[0]

    assert grid_table[0] == [
        "Primary need",
        "R",
        "Y1",
        "Total",
        "SEN Support",
        "EHC plan",
    ]
    assert grid_table[1] == [
        "**Communication and interaction**",
        "4",
        "6",
        "10",
        "7",
        "3",
    ]
    assert grid_table[2] == [
        "SLCN: Speech, language and communication needs", "4", "4", "8", "7", "1",
    ]  # fmt: skip
    assert ["**All pupils with SEND**", "6", "7", "13", "10", "3"] in grid_table


def test_export_headings(shipped_criteria):
    markdown = export_census_markdown(
        grid_audit(), shipped_criteria, None, heading_level=3
    )

    assert "### SEND contextual grid\n" in markdown
    assert "### National comparison\n" in markdown


def test_export_national_comparison(shipped_criteria):
    audit = grid_audit(
        census_year="2026", number_on_roll=61, ehc_plans=3, sen_support=10
    )
    markdown = export_census_markdown(audit, shipped_criteria, None)
    comparison = table_cells(markdown)[1]

    assert comparison[0] == ["Figure", "This school", "National, January 2026"]
    assert ["% with an EHC Plan (of all pupils on roll)", "4.9%", "6.0%"] in comparison
    assert ["% at SEN Support (of all pupils on roll)", "16.4%", "14.8%"] in comparison
    assert (
        'Source: DfE, "Special educational needs in England", January 2026' in markdown
    )


def test_export_suppression_hides_small_counts(shipped_criteria):
    markdown = export_census_markdown(grid_audit(), shipped_criteria, 5)
    grid_table = table_cells(markdown)[0]
    numbers = [cell for row in grid_table[1:] for cell in row[1:] if cell.isdigit()]

    assert all(int(number) == 0 or int(number) >= 5 for number in numbers)
    assert "<5" in [cell for row in grid_table for cell in row]


def test_export_suppression_explained(shipped_criteria):
    markdown = export_census_markdown(grid_audit(), shipped_criteria, 5)

    assert "Counts from 1 to 4 are shown as <5, and c marks a figure hidden" in markdown


def test_export_suppression_hides_small_percentages(shipped_criteria):
    audit = grid_audit(
        census_year="2026", number_on_roll=61, ehc_plans=3, sen_support=10
    )
    comparison = table_cells(export_census_markdown(audit, shipped_criteria, 5))[1]

    assert ["% with an EHC Plan (of all pupils on roll)", "c", "6.0%"] in comparison
    assert ["% at SEN Support (of all pupils on roll)", "16.4%", "14.8%"] in comparison


def test_export_suppression_hides_mismatch_counts(shipped_criteria):
    markdown = export_census_markdown(grid_audit(send_register=12), shipped_criteria, 5)

    assert "is 12" not in markdown
    assert "The grid's totals differ from the figures typed in the audit." in markdown


def test_export_without_suppression_has_no_note(shipped_criteria):
    markdown = export_census_markdown(grid_audit(), shipped_criteria, None)

    assert "<5" not in markdown
    assert "Counts from 1" not in markdown


def test_comparison_rows_most_common_need(shipped_criteria):
    audit = grid_audit(census_year="2025")
    national = load_benchmarks().for_year(2025)
    rows = {
        row.label: row for row in comparison_rows(audit, shipped_criteria, national)
    }
    ehc = rows["Most common primary need, pupils with an EHC plan"]

    assert ehc.school == "ASD (66.7%)"
    assert ehc.national == "ASD (Autistic spectrum disorder)"


def test_suppressed_figures_small_and_complementary(shipped_criteria):
    audit = grid_audit(
        number_on_roll=61, send_register=13, sen_support=10, ehc_plans=3,
        cla_plac_on_roll=6, cla_plac_with_send=1,
    )  # fmt: skip

    assert suppressed_figures(audit, shipped_criteria, 5) == {
        "ehc_plans": "small",
        "cla_plac_with_send": "small",
        # SEN Support plus EHC plans equals the register, so one more is hidden.
        "sen_support": "complementary",
    }


def test_suppressed_figures_off_without_threshold(shipped_criteria):
    audit = grid_audit(ehc_plans=3)

    assert suppressed_figures(audit, shipped_criteria, None) == {}
    assert suppressed_figures(audit, shipped_criteria, 1) == {}


@pytest.mark.parametrize(
    ("percentage_id", "hidden"),
    [
        ("pct_ehc_plans", True),
        ("pct_girls_with_send", True),
        ("pct_cla_plac_with_send", False),
    ],
    ids=["numerator", "subtracted-term", "other-counts"],
)
def test_percentage_hidden(shipped_criteria, percentage_id, hidden):
    percentage = shipped_criteria.context.percentages[percentage_id]
    hidden_counts = {"ehc_plans": "small", "boys_on_send_register": "small"}

    assert percentage_hidden(percentage, hidden_counts) is hidden


def test_export_hides_grid_totals_with_figures(shipped_criteria):
    audit = grid_audit(number_on_roll=61, send_register=13, sen_support=10, ehc_plans=3)
    grid_table = table_cells(export_census_markdown(audit, shipped_criteria, 5))[0]
    total_row = next(row for row in grid_table if row[0] == "**All pupils with SEND**")

    assert total_row[-3:] == ["13", "c", "<5"]


def test_suppression_seeded_with_hidden_figures():
    table = build_grid_table(
        make_grid({"Y1": {"SLCN": (10, 0)}, "Y2": {"ASD": (9, 0)}})
    )
    hidden = suppress_small_counts(table, 5, {"sen_support": "complementary"})
    total_row = next(
        row for row, line in enumerate(table.lines) if line.kind == "total"
    )

    assert hidden[(total_row, 3)] == "complementary"


def test_suppression_hides_count_that_gives_small_difference(shipped_criteria):
    # 9 on the register and 6 boys on it would give away 3 girls by subtraction.
    audit = new_audit(shipped_criteria.manifest.id, shipped_criteria.manifest.version)
    audit.context.update(
        number_on_roll=20,
        boys_on_roll=11,
        send_register=9,
        sen_support=7,
        ehc_plans=2,
        boys_on_send_register=6,
    )

    hidden = suppressed_figures(audit, shipped_criteria, 5)

    assert hidden["ehc_plans"] == "small"
    assert hidden["boys_on_send_register"] == "complementary"
    girls = shipped_criteria.context.percentages["pct_girls_with_send"]
    assert percentage_hidden(girls, hidden)


@pytest.mark.parametrize("width", [80, 60], ids=["80-columns", "60-columns"])
def test_wide_grid_printed_in_parts(width):
    # An all-through school's sixteen year groups do not fit beside the labels.
    years = ("N1", "N2", "R", *(f"Y{n}" for n in range(1, 14)))
    cells = {"SLCN": GridCell(sen_support=12, ehc_plan=3)}
    grid = CensusGrid(
        source="typed",
        rows={year: dict(cells) for year in years},
        on_roll={year: 120 for year in years},
    )
    file = StringIO()
    console = Console(file=file, width=width, color_system=None, theme=THEME)

    render_grid(grid, console)

    text = file.getvalue()
    assert "…" not in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    headers = [line.split() for line in text.splitlines() if "Primary need" in line]
    assert len(headers) >= 2
    shown_years = [cell for header in headers for cell in header if cell in years]
    assert shown_years == list(years)
