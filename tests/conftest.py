"""Shared fixtures: audits folder, terminal environment, small criteria, example."""

import os
from pathlib import Path

import pytest

from send_audit.audit import Audit
from send_audit.criteria import Criteria, load_criteria
from send_audit.storage import load_audit


@pytest.fixture
def audits(tmp_path) -> Path:
    """The audits folder of one test, not yet created."""
    return tmp_path / "audits"


@pytest.fixture
def environment(audits) -> dict[str, str]:
    """The user's environment with the audits folder set and nothing that resizes."""
    variables = {
        name: value
        for name, value in os.environ.items()
        if name not in ("COLUMNS", "LINES", "NO_COLOR", "SEND_AUDIT_DEBUG")
    }
    variables.update(
        TERM="xterm",
        SEND_AUDIT_DIR=str(audits),
        LC_ALL="C.UTF-8",
        # A pseudo-terminal under pexpect never replies to prompt_toolkit's cursor
        # position request, so prompt_toolkit would print a warning after a delay.
        PROMPT_TOOLKIT_NO_CPR="1",
    )

    return variables


EXAMPLE_AUDIT_PATH = (
    Path(__file__).resolve().parent.parent
    / "audits"
    / "example-oakfield-primary-2026-11-20.yaml"
)


@pytest.fixture(scope="session")
def small_criteria() -> Criteria:
    """A criteria set of two sections and three aspects, built in memory."""
    return Criteria.model_validate(SMALL_CRITERIA)


@pytest.fixture
def small_audit() -> Audit:
    """A partly answered audit against `small_criteria`, breaking its one rule."""
    return Audit.model_validate(SMALL_AUDIT)


@pytest.fixture(scope="session")
def shipped_criteria() -> Criteria:
    """The criteria set shipped in criteria/."""
    return load_criteria()


@pytest.fixture
def example_audit() -> Audit:
    """The complete example audit of the fictional Oakfield Primary School."""
    return load_audit(EXAMPLE_AUDIT_PATH)


# The data behind the fixtures above, as it would be read from YAML files.
SMALL_CRITERIA = {
    "manifest": {
        "id": "small_criteria",
        "version": 2,
        "title": "SEND self-evaluation audit",
        "parts": ["context.yaml", "compliance.yaml", "one.yaml", "two.yaml"],
    },
    "parts": [
        {
            "kind": "context",
            "id": "context",
            "title": "School context and SEND profile",
            "groups": [
                {
                    "id": "header",
                    "title": "Audit details",
                    "questions": [
                        {"id": "school", "kind": "text", "label": "School"},
                        {"id": "senco", "kind": "text", "label": "SENDCo"},
                        {
                            "id": "date_of_audit",
                            "kind": "date",
                            "label": "Date of audit",
                        },
                    ],
                },
                {
                    "id": "profile",
                    "title": "SEND profile",
                    "questions": [
                        {
                            "id": "number_on_roll",
                            "kind": "count",
                            "label": "Number on roll",
                        },
                        {
                            "id": "send_register",
                            "kind": "count",
                            "label": "SEND register",
                        },
                        {"id": "sen_support", "kind": "count", "label": "SEN Support"},
                        {"id": "ehc_plans", "kind": "count", "label": "EHC plans"},
                        {
                            "id": "attendance",
                            "kind": "percentage",
                            "label": "Attendance",
                        },
                    ],
                    "percentages": [
                        {
                            "id": "pct_send_register",
                            "label": "% on SEND register",
                            "share_of": "of all pupils on roll",
                            "numerator": ["send_register"],
                            "denominator": ["number_on_roll"],
                        }
                    ],
                },
                {
                    "id": "narrative",
                    "title": "Narratives",
                    "questions": [
                        {
                            "id": "trends",
                            "kind": "narrative",
                            "label": "Trends over time",
                        }
                    ],
                },
            ],
            "rules": [
                {
                    "kind": "equal",
                    "left": ["sen_support", "ehc_plans"],
                    "right": ["send_register"],
                    "message": "SEN Support plus EHC plans must equal the register",
                }
            ],
        },
        {
            "kind": "compliance",
            "id": "compliance",
            "title": "Information about SEND documentation",
            "items": [
                {
                    "id": item_id,
                    "title": title,
                    "requirement": f"{title} is published.",
                    "sources": [{"document": "SEND code of practice"}],
                    "question": f"Is the {title} published?",
                }
                for item_id, title in (
                    ("sen_information_report", "SEN information report"),
                    ("local_offer", "Local Offer"),
                )
            ],
        },
        {
            "kind": "section",
            "id": "leadership",
            "number": 1,
            "title": "Culture, Leadership and Management",
            "aspects": [
                {
                    "id": "governors_aware",
                    "text": "All governors are aware of their statutory duties.",
                    "evidence": ["Governors have had training."],
                },
                {
                    "id": "senco_time",
                    "text": "The SENCO is given time and resources for the role.",
                    "evidence": ["The SENCO has dedicated time."],
                },
            ],
        },
        {
            "kind": "section",
            "id": "teaching",
            "number": 2,
            "title": "High Quality Teaching",
            "aspects": [
                {
                    "id": "quality_first_teaching",
                    "text": "Quality first teaching is the first response.",
                    "evidence": ["Reasonable adjustments are evident."],
                }
            ],
        },
    ],
}

SMALL_AUDIT = {
    "format_version": 2,
    "criteria": {"id": "small_criteria", "version": 2},
    "created": "2026-11-03T16:10:12+00:00",
    "updated": "2026-11-20T17:25:40+00:00",
    "context": {
        "school": "Oakfield Primary School",
        "senco": "Ms Claire Hollins",
        "date_of_audit": None,
        "number_on_roll": 412,
        "send_register": 58,
        "sen_support": 51,
        "ehc_plans": 6,
        "attendance": 95.3,
        "trends": "The register grew from 47 to 58.\nMost new needs are in Reception.",
        "old_question": "Kept",
    },
    "compliance": {
        "sen_information_report": {"compliant": "Y", "note": "Updated September 2026."},
        "local_offer": {"compliant": None, "note": None},
    },
    "aspects": {
        "governors_aware": {
            "rating": "green",
            "comment": "Seven of the eleven governors have had SEND training.",
            "next_steps": "Train the four new governors in the spring term.",
        },
        "senco_time": {
            "rating": "amber",
            "comment": "Two days a week out of class.",
            "next_steps": None,
        },
        "old_aspect": {
            "rating": "red",
            "comment": "Kept from version 1.",
            "next_steps": "",
        },
    },
    "action_plans": {
        "leadership": {
            "strengths": "SEND has a high profile.",
            "development": "SENCO release time.",
            "actions": "1. Review release time.\n2. Report to governors.",
        }
    },
    "priorities": "1. Maths for pupils with SEND.\n2. Link the Local Offer.",
}
