"""Turn pydantic validation errors into one readable line per field."""

from pydantic import ValidationError

# Location parts that pydantic adds for each member of a union such as
# `StrictInt | StrictFloat | StrictStr`, and what each member allows, in words.
_UNION_MEMBERS = {
    "int": "a whole number",
    "float": "a number",
    "str": "text in quotes",
    "bool": "true or false",
}

# What YAML tools turn unquoted words into, and how to keep the text instead.
_TYPE_HINTS = {
    bool: "YAML read it as true/false; put the value in quotes to keep it as text",
}


def describe_validation_error(
    error: ValidationError,
    strip_prefix: tuple[str, ...] = (),
    union_tags: frozenset[str] = frozenset(),
) -> list[str]:
    """Describe each problem as `field.path: found VALUE; what is allowed`.

    Args:
        error: The error pydantic raised.
        strip_prefix: Leading location parts to leave out, such as a wrapper field.
        union_tags: Tags of discriminated unions, which pydantic puts into the
            location although nobody wrote them in the file.
    """
    grouped: dict[str, list[dict]] = {}
    for problem in error.errors(include_url=False):
        location = list(problem["loc"])
        if tuple(location[: len(strip_prefix)]) == strip_prefix:
            location = location[len(strip_prefix) :]
        member = None
        if location and location[-1] in _UNION_MEMBERS:
            member = location.pop()
        parts = [str(part) for part in location if part not in union_tags]
        field = ".".join(parts) or "(top level)"
        grouped.setdefault(field, []).append({**problem, "member": member})

    return [f"{field}: {_describe_group(group)}" for field, group in grouped.items()]


def _describe_group(group: list[dict]) -> str:
    members = [_UNION_MEMBERS[p["member"]] for p in group if p["member"]]
    if len(members) > 1:
        found = _describe_found(group[0]["input"])
        return f"{found}; expected {' or '.join(members)}"

    return "; ".join(_describe_problem(problem) for problem in group)


def _describe_problem(problem: dict) -> str:
    message = problem["msg"].removeprefix("Value error, ")
    if problem["type"] == "missing":
        return "missing; this field is required"
    if problem["type"] == "extra_forbidden":
        return f"unknown field (found {problem['input']!r}); check its spelling"
    if "input" not in problem or isinstance(problem["input"], dict | list):
        return message

    return f"{_describe_found(problem['input'])}; {message[0].lower()}{message[1:]}"


def _describe_found(value: object) -> str:
    hint = _TYPE_HINTS.get(type(value))

    return f"found {value!r}" + (f" ({hint})" if hint else "")
