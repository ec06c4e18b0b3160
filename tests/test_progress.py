from pathlib import Path

import pytest

from send_audit.audit import ActionPlan, AspectAnswer, ComplianceAnswer, new_audit
from send_audit.figures import broken_rules
from send_audit.grid import grid_mismatches
from send_audit.progress import (
    PartProgress,
    audit_progress,
    count_ratings,
    part_progress,
)
from send_audit.yamlfile import dump_yaml

EXAMPLE_AUDIT_PATH = (
    Path(__file__).resolve().parent.parent
    / "audits"
    / "example-oakfield-primary-2026-11-20.yaml"
)


def test_progress_small_audit(small_audit, small_criteria):
    assert part_progress(small_audit, small_criteria) == [
        PartProgress("context", "School context and SEND profile", 8, 9),
        PartProgress("compliance", "Information about SEND documentation", 1, 2),
        PartProgress("leadership", "Culture, Leadership and Management", 2, 2),
        PartProgress("teaching", "High Quality Teaching", 0, 1),
        PartProgress("action_plan", "Action plan", 1, 2),
        PartProgress("priorities", "Summary of recommended priorities", 1, 1),
    ]


def test_progress_new_audit(small_criteria):
    audit = new_audit("small_criteria", 2)

    parts = part_progress(audit, small_criteria)

    assert [part.answered for part in parts] == [0, 0, 0, 0, 0, 0]
    assert [part.total for part in parts] == [9, 2, 2, 1, 2, 1]
    assert audit_progress(audit, small_criteria) == (0, 17)


def test_progress_audit_total(small_audit, small_criteria):
    assert audit_progress(small_audit, small_criteria) == (13, 17)


@pytest.mark.parametrize(
    ("value", "answered"),
    [("", 1), ("Ms Hollins", 1), (None, 0)],
    ids=["left-empty", "text", "none"],
)
def test_progress_context_answer(small_criteria, value, answered):
    audit = new_audit("small_criteria", 2)
    audit.context["senco"] = value

    assert part_progress(audit, small_criteria)[0].answered == answered


@pytest.mark.parametrize(
    ("answer", "answered"),
    [
        (ComplianceAnswer(compliant="N"), 1),
        (ComplianceAnswer(note="Checking with the governors."), 0),
    ],
    ids=["compliant-n", "note-only"],
)
def test_progress_compliance_answer(small_criteria, answer, answered):
    audit = new_audit("small_criteria", 2)
    audit.compliance["local_offer"] = answer

    assert part_progress(audit, small_criteria)[1].answered == answered


@pytest.mark.parametrize(
    ("answer", "answered"),
    [
        (AspectAnswer(rating="red"), 1),
        (AspectAnswer(comment="Draft comment", next_steps="Draft"), 0),
    ],
    ids=["rated", "comment-only"],
)
def test_progress_aspect_answer(small_criteria, answer, answered):
    audit = new_audit("small_criteria", 2)
    audit.aspects["quality_first_teaching"] = answer

    assert part_progress(audit, small_criteria)[3].answered == answered


@pytest.mark.parametrize(
    ("plan", "answered"),
    [
        (ActionPlan(strengths="a", development="b", actions="c"), 1),
        (ActionPlan(strengths="", development="", actions=""), 1),
        (ActionPlan(strengths="a", development="b"), 0),
    ],
    ids=["complete", "left-empty", "no-actions"],
)
def test_progress_action_plan(small_criteria, plan, answered):
    audit = new_audit("small_criteria", 2)
    audit.action_plans["teaching"] = plan

    assert part_progress(audit, small_criteria)[4].answered == answered


def test_progress_ignores_unknown_ids(small_audit, small_criteria):
    small_audit.aspects["another_old_aspect"] = AspectAnswer(rating="green")
    small_audit.context["another_old_question"] = 3
    small_audit.action_plans["old_section"] = ActionPlan(
        strengths="a", development="b", actions="c"
    )

    assert audit_progress(small_audit, small_criteria) == (13, 17)


def test_progress_priorities_empty(small_audit, small_criteria):
    small_audit.priorities = ""

    assert part_progress(small_audit, small_criteria)[-1].answered == 1


def test_count_ratings_section(small_audit, small_criteria):
    leadership, teaching = small_criteria.sections

    assert count_ratings(small_audit, leadership) == {
        "red": 0,
        "amber": 1,
        "green": 1,
        None: 0,
    }
    assert count_ratings(small_audit, teaching) == {
        "red": 0,
        "amber": 0,
        "green": 0,
        None: 1,
    }


def test_progress_shipped_parts(shipped_criteria):
    audit = new_audit("la_send_self_evaluation", 1)

    parts = part_progress(audit, shipped_criteria)

    assert [part.id for part in parts] == [
        "context",
        "compliance",
        *(section.id for section in shipped_criteria.sections),
        "action_plan",
        "priorities",
    ]
    assert [part.total for part in parts[2:9]] == [14, 3, 5, 5, 3, 8, 8]


def test_example_audit_complete(example_audit, shipped_criteria):
    answered, total = audit_progress(example_audit, shipped_criteria)

    assert answered == total
    assert set(example_audit.aspects) == set(shipped_criteria.aspects)
    assert example_audit.census is not None
    assert grid_mismatches(example_audit.census, example_audit.context) == []


def test_example_audit_rules(example_audit, shipped_criteria):
    assert broken_rules(shipped_criteria.context, example_audit.context) == []


def test_example_audit_ratings(example_audit, shipped_criteria):
    totals = {"red": 0, "amber": 0, "green": 0, None: 0}
    for section in shipped_criteria.sections:
        for rating, count in count_ratings(example_audit, section).items():
            totals[rating] += count

    assert totals == {"red": 4, "amber": 18, "green": 24, None: 0}


def test_example_audit_saved_format(example_audit):
    saved = EXAMPLE_AUDIT_PATH.read_text(encoding="utf-8")

    assert saved == dump_yaml(example_audit.model_dump(mode="json"))
