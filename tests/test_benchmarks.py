"""Tests of the national figures in criteria/benchmarks.yaml and their loader."""

import shutil
from pathlib import Path

import pytest

from send_audit.benchmarks import (
    default_benchmarks_path,
    describe_missing_benchmarks,
    load_benchmarks,
    load_criteria_benchmarks,
)
from send_audit.criteria import default_criteria_dir, load_criteria
from send_audit.errors import InvalidCriteriaError

# The figures the shipped file must hold: DfE, "Special educational needs in
# England", for each January census.
NATIONAL_PERCENTAGES = [
    (2024, "pct_ehc_plans", 4.8),
    (2025, "pct_ehc_plans", 5.3),
    (2026, "pct_ehc_plans", 6.0),
    (2024, "pct_sen_support", 13.6),
    (2025, "pct_sen_support", 14.2),
    (2026, "pct_sen_support", 14.8),
]


def test_default_benchmarks_path_beside_criteria():
    assert default_benchmarks_path() == default_criteria_dir() / "benchmarks.yaml"


def test_shipped_benchmarks_load():
    assert [entry.census_year for entry in load_benchmarks().years] == [
        2024,
        2025,
        2026,
    ]


@pytest.mark.parametrize(
    ("census_year", "percentage_id", "value"),
    NATIONAL_PERCENTAGES,
    ids=[f"{year}-{pid}" for year, pid, _ in NATIONAL_PERCENTAGES],
)
def test_shipped_national_percentage(census_year, percentage_id, value):
    assert load_benchmarks().for_year(census_year).percentages[percentage_id] == value


@pytest.mark.parametrize(
    "census_year", [2024, 2025, 2026], ids=["2024", "2025", "2026"]
)
def test_shipped_most_common_needs(census_year):
    needs = load_benchmarks().for_year(census_year).most_common_need

    assert needs.ehc_plan == "ASD"
    assert needs.sen_support == "SLCN"


def test_shipped_percentages_match_context_criteria(shipped_criteria):
    known = set(shipped_criteria.context.percentages)

    for entry in load_benchmarks().years:
        assert set(entry.percentages) <= known


def test_shipped_source_is_dfe():
    source = load_benchmarks().source

    assert source.short_name == "DfE"
    assert source.title == "Special educational needs in England"
    assert source.url.startswith("https://explore-education-statistics.service.gov.uk/")


def test_citation_names_source_and_year():
    assert load_benchmarks().citation(2025) == (
        'DfE, "Special educational needs in England", January 2025'
    )


@pytest.mark.parametrize(
    ("census_year", "found"),
    [(2025, 2025), ("2025", 2025), ("2023", None), (None, None), ("soon", None),
     (True, None)],
    ids=["int", "text", "not-held", "none", "not-a-year", "bool"],
)  # fmt: skip
def test_for_year(census_year, found):
    entry = load_benchmarks().for_year(census_year)

    assert (entry.census_year if entry else None) == found


VALID = """\
source:
  publisher: "Department for Education"
  short_name: "DfE"
  title: "Special educational needs in England"
  url: "https://example.invalid/sen"
years:
  - census_year: 2025
    release: "2024/25"
    percentages:
      pct_ehc_plans: 5.3
    most_common_need:
      ehc_plan: "ASD"
"""

INVALID = {
    "unknown-field": (VALID + "    estimated: true\n", "estimated: unknown field"),
    "unknown-need-code": (
        VALID.replace('ehc_plan: "ASD"', 'ehc_plan: "AUT"'),
        "expected a type-of-need code",
    ),
    "nsa-for-ehc-plans": (
        VALID.replace('ehc_plan: "ASD"', 'ehc_plan: "NSA"'),
        "NSA is used only with SEN Support",
    ),
    "percentage-over-100": (
        VALID.replace("5.3", "105"),
        "years.0.percentages.pct_ehc_plans",
    ),
    "percentage-as-text": (VALID.replace("5.3", '"5.3"'), "pct_ehc_plans"),
    "year-repeated": (
        VALID + VALID.split("years:\n")[1],
        "census years listed more than once: 2025",
    ),
    "source-missing": (VALID.split("years:")[0].replace("source:", "other:"), "source"),
    "invalid-yaml": ("source: [unclosed\n", ":2:"),
}


@pytest.mark.parametrize(("text", "message"), INVALID.values(), ids=INVALID.keys())
def test_load_benchmarks_rejects(tmp_path, text, message):
    path = tmp_path / "benchmarks.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InvalidCriteriaError) as raised:
        load_benchmarks(path)

    assert str(path) in str(raised.value)
    assert message in str(raised.value)


def test_load_benchmarks_valid_file(tmp_path):
    path = tmp_path / "benchmarks.yaml"
    path.write_text(VALID, encoding="utf-8")
    entry = load_benchmarks(path).for_year(2025)

    assert entry.percentages == {"pct_ehc_plans": 5.3}
    assert entry.most_common_need.sen_support is None


def test_load_benchmarks_missing_file(tmp_path):
    with pytest.raises(InvalidCriteriaError, match="file not found"):
        load_benchmarks(Path(tmp_path / "absent.yaml"))


# --- The national figures of a criteria folder -----------------------------------


@pytest.fixture
def criteria_copy(tmp_path):
    """A copy of the shipped criteria folder, whose benchmarks.yaml a test changes."""
    folder = tmp_path / "local-criteria"
    shutil.copytree(default_criteria_dir(), folder)

    return folder


def test_load_criteria_sets_folder(criteria_copy):
    assert load_criteria(criteria_copy).folder == criteria_copy


def test_criteria_benchmarks_from_folder(criteria_copy):
    (criteria_copy / "benchmarks.yaml").write_text(VALID, encoding="utf-8")
    benchmarks = load_criteria_benchmarks(load_criteria(criteria_copy))

    assert [entry.census_year for entry in benchmarks.years] == [2025]
    assert benchmarks.source.url == "https://example.invalid/sen"


def test_criteria_benchmarks_absent_is_none(criteria_copy):
    (criteria_copy / "benchmarks.yaml").unlink()

    assert load_criteria_benchmarks(load_criteria(criteria_copy)) is None


def test_criteria_benchmarks_in_memory_are_shipped(small_criteria):
    assert load_criteria_benchmarks(small_criteria) == load_benchmarks()


def test_missing_benchmarks_named(criteria_copy):
    (criteria_copy / "benchmarks.yaml").unlink()
    reason = describe_missing_benchmarks(load_criteria(criteria_copy))

    assert str(criteria_copy / "benchmarks.yaml") in reason
    assert "No national comparison" in reason


BROKEN_FOLDER_FILES = {
    "python-object-tag": (
        VALID + 'extra: !!python/object/apply:os.system ["true"]\n',
        "tags that create Python objects are not allowed",
    ),
    "invalid-figure": (VALID.replace("5.3", "105"), "pct_ehc_plans"),
}


@pytest.mark.parametrize(
    ("text", "message"), BROKEN_FOLDER_FILES.values(), ids=BROKEN_FOLDER_FILES.keys()
)
def test_load_criteria_rejects_broken_benchmarks(criteria_copy, text, message):
    path = criteria_copy / "benchmarks.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(InvalidCriteriaError) as raised:
        load_criteria(criteria_copy)

    assert str(path) in str(raised.value)
    assert message in str(raised.value)
