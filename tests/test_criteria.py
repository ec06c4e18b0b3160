"""The shipped criteria: every file validates and matches the local authority's form."""

import shutil

import pytest

from send_audit.criteria import default_criteria_dir, load_criteria
from send_audit.errors import InvalidCriteriaError

CRITERIA = load_criteria()

# Each section of the form in order, with the opening words of each of its aspects
# and the number of evidence examples the form gives for it. An aspect that the form
# spreads over two lines is one aspect; a nested list counts as one example.
FORM_SECTIONS = [
    (
        "Culture, Leadership and Management",
        [
            ("The senior leadership team (SLT) understand their", 3),
            ("All governors are aware of their statutory", 1),
            ("There is a governor with specific responsibility", 4),
            ("Leadership demonstrates a tangible inclusive ethos that", 5),
            ("The SENCO is supported and given time", 1),
            ("The SENCO is a qualified teacher and", 2),
            ("The SENCO works closely alongside the headteacher", 3),
            ("All support staff are deployed effectively to", 2),
            ("The school’s teaching and learning policy reflects", 1),
            ("Funding for SEND is transparent. The SENCO", 1),
            ("Performance management supports teachers and ensures that", 2),
            ("The school scrutinises behaviour, exclusion, and attendance", 5),
            ("All pupils are enabled to access fulltime", 4),
            ("Leaders have made appropriate and effective safeguarding", 3),
        ],
    ),
    (
        "High Quality Teaching",
        [
            ("Leaders with responsibility for SEND are involved", 1),
            ("Quality first teaching is the first response", 2),
            ("Teachers use assessment information to plan scaffold", 3),
        ],
    ),
    (
        "Use of Expertise",
        [
            ("The school has carried out a skills", 2),
            ("Staff have the knowledge and skills to", 2),
            ("The school has developed a high degree", 2),
            ("Outside agencies are used to support the", 1),
            ("The school has made visits to other", 2),
        ],
    ),
    (
        "Personalisation",
        [
            ("There is a graduated approach to interventions.", 2),
            ("All staff have a clear understanding of", 3),
            ("All staff understand that both challenging and", 3),
            ("The individual needs of pupils are communicated", 4),
            ("The rationale for developing and adapting (or", 2),
        ],
    ),
    (
        "Flexible use of Evidence-Based Strategies",
        [
            ("The school uses evidence-based interventions. The school", 4),
            ("Interventions are monitored regularly to ensure that", 3),
            ("Appropriate and effective safeguarding arrangements are in", 3),
        ],
    ),
    (
        "Progress Tracking",
        [
            ("Identification of pupils with SEND is highly", 6),
            ("Interventions follow a cycle of Assess, Plan,", 1),
            ("The school regularly monitors those pupils on", 2),
            ("The school has robust target setting, tracking", 1),
            ("The school uses effective ways of measuring", 2),
            ("Teaching Assistants monitor the progress of pupils", 2),
            ("Interventions are rigorously evaluated. Adjustments to the", 1),
            ("From their different starting points, the proportions", 3),
        ],
    ),
    (
        "Communication and Collaboration",
        [
            ("Parents are aware of the SEN Information", 2),
            ("The local authority’s ‘local offer’ for children", 1),
            ("The school’s SEND policy is regularly reviewed", 1),
            ("Teaching and support staff work effectively together.", 4),
            ("Staff routinely involve pupils in the planning", 3),
            ("Pupils’ parents/carers are regularly consulted on planning", 3),
            ("Pupils with SEND speak highly of the", 4),
            (
                "The SENCo successfully involve other "
                "professionals/specialist services",
                2,
            ),
        ],
    ),
]

COMPLIANCE_ITEMS = [
    "equality_objectives",
    "sen_information_report",
    "senco_qualification",
    "local_offer_published",
    "code_of_practice",
]


def test_criteria_has_46_aspects():
    assert len(CRITERIA.aspects) == 46


def test_section_titles_match_form():
    titles = [section.title for section in CRITERIA.sections]

    assert titles == [title for title, _ in FORM_SECTIONS]


@pytest.mark.parametrize(
    ("index", "expected"),
    list(enumerate(FORM_SECTIONS)),
    ids=[title for title, _ in FORM_SECTIONS],
)
def test_section_aspects_match_form(index, expected):
    section = CRITERIA.sections[index]
    _, aspects = expected
    found = [(" ".join(a.text.split()[:7]), len(a.evidence)) for a in section.aspects]

    assert section.number == index + 1
    assert found == aspects


def test_outcomes_keep_four_areas():
    _, aspect = CRITERIA.aspects["evidence_based_interventions"]
    nested = [e for e in aspect.evidence if not isinstance(e, str)]

    assert len(nested) == 1
    assert nested[0].items == (
        "communication and interaction",
        "cognition and learning",
        "physical health and sensory development",
        "social, emotional and mental health.",
    )


def test_compliance_items_in_order_with_sources():
    items = CRITERIA.compliance.items

    assert [item.id for item in items] == COMPLIANCE_ITEMS
    for item in items:
        assert item.sources, item.id


def test_senco_item_names_npq():
    item = next(i for i in CRITERIA.compliance.items if i.id == "senco_qualification")
    text = item.requirement

    assert "NPQ for SENCOs" in text or "National Professional Qualification" in text
    assert "1 September 2024" in text
    assert "NASENCo" in text
    assert "three years" in text


def test_every_percentage_names_its_share():
    for percentage in CRITERIA.context.percentages.values():
        assert percentage.share_of.startswith("of "), percentage.id


def _copy_criteria(tmp_path):
    folder = tmp_path / "criteria"
    shutil.copytree(default_criteria_dir(), folder)

    return folder


def test_bad_field_names_file_and_field(tmp_path):
    folder = _copy_criteria(tmp_path)
    path = folder / "05_use_of_expertise.yaml"
    path.write_text(path.read_text().replace("number: 3", "number: three"))

    with pytest.raises(InvalidCriteriaError) as raised:
        load_criteria(folder)

    assert str(raised.value).startswith(f"{path}: number: found 'three'")


def test_bad_yaml_names_line(tmp_path):
    folder = _copy_criteria(tmp_path)
    path = folder / "02_compliance.yaml"
    path.write_text(path.read_text() + "\n  - id: [unclosed\n")

    with pytest.raises(InvalidCriteriaError) as raised:
        load_criteria(folder)

    location = str(raised.value).split(": ")[0]
    assert location.startswith(f"{path}:")
    assert location.count(":") == 2


def test_repeated_aspect_id_rejected(tmp_path):
    folder = _copy_criteria(tmp_path)
    path = folder / "04_high_quality_teaching.yaml"
    text = path.read_text()
    path.write_text(text.replace("id: quality_first_teaching", "id: inclusive_ethos"))

    with pytest.raises(InvalidCriteriaError, match="inclusive_ethos"):
        load_criteria(folder)


def test_missing_part_file_named(tmp_path):
    folder = _copy_criteria(tmp_path)
    (folder / "06_personalisation.yaml").unlink()

    with pytest.raises(
        InvalidCriteriaError, match=r"06_personalisation\.yaml: file not found"
    ):
        load_criteria(folder)
