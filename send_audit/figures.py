"""Figures worked out from the counts: percentages and the rules between counts."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from send_audit.criteria import ContextPart, Percentage, Rule


@dataclass(frozen=True)
class BrokenRule:
    """A rule the counts do not satisfy, with both sides worked out."""

    rule: Rule
    left: int
    right: int

    def describe(self, labels: dict[str, str]) -> str:
        """Describe the rule and the figures that break it, for the SENCo."""
        relation = "does not equal" if self.rule.kind == "equal" else "is more than"
        left = _describe_terms(self.rule.left, labels)
        right = _describe_terms(self.rule.right, labels)

        return (
            f"{self.rule.message}: {left} = {self.left}, which {relation} "
            f"{right} = {self.right}."
        )


def sum_terms(terms: tuple[str, ...], values: dict) -> int | None:
    """Add up the terms, or return None while any of their counts is unanswered."""
    total = 0
    for term in terms:
        value = values.get(term.lstrip("-"))
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        total += -value if term.startswith("-") else value

    return total


def compute_percentage(percentage: Percentage, values: dict) -> float | None:
    """Return the percentage, or None when it cannot be worked out.

    That is while a count is missing, when the base is 0, and when the counts break
    a rule so that the share would fall outside 0 to 100. A report then shows the
    broken rule instead of a negative share or one above 100%.
    """
    numerator = sum_terms(percentage.numerator, values)
    denominator = sum_terms(percentage.denominator, values)
    if numerator is None or not denominator or denominator < 0:
        return None
    if not 0 <= numerator <= denominator:
        return None

    return 100 * numerator / denominator


def format_percentage(value: float | None) -> str:
    """Format a percentage to one decimal place, or a dash when it is not known.

    Halves round up, as people round by hand: 11.25 is 11.3%, where Python's
    round-half-to-even of the nearest binary number would print 11.2%.
    """
    if value is None:
        return "-"
    rounded = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    return f"{rounded}%"


def broken_rules(part: ContextPart, values: dict) -> list[BrokenRule]:
    """Return the rules broken by the counts answered so far."""
    broken = []
    for rule in part.rules:
        left = sum_terms(rule.left, values)
        right = sum_terms(rule.right, values)
        if left is None or right is None:
            continue
        holds = left == right if rule.kind == "equal" else left <= right
        if not holds:
            broken.append(BrokenRule(rule, left, right))

    return broken


def rule_question_ids(rule: Rule) -> list[str]:
    """Return the ids of the counts a rule relates, each once, in its order."""
    ids = [term.lstrip("-") for term in rule.left + rule.right]

    return list(dict.fromkeys(ids))


def _describe_terms(terms: tuple[str, ...], labels: dict[str, str]) -> str:
    text = ""
    for index, term in enumerate(terms):
        label = labels.get(term.lstrip("-"), term.lstrip("-"))
        if index == 0:
            text = f"-{label}" if term.startswith("-") else label
        else:
            text += f" - {label}" if term.startswith("-") else f" + {label}"

    return text
