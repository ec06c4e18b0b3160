"""Strict YAML reading and unambiguous YAML writing for criteria and audit files.

PyYAML follows YAML 1.1, where unquoted `yes`, `on`, `2024-01-05`, `1:30` and `0755`
turn into booleans, dates and numbers. Audit files hold free text typed by people,
so reading resolves only the plain scalars that YAML 1.2's core schema and a person
agree on: null, true/false, decimal integers, and decimal fractions with an optional
exponent. Everything else stays a string. Writing quotes every string, so any YAML
1.1 or 1.2 parser reads the file back exactly as it was written.
"""

import re
from pathlib import Path
from typing import Any

import yaml

from send_audit.errors import InvalidFileError

# The C loader and dumper are several times faster; PyYAML built without libyaml
# has only the pure-Python ones.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class StrictLoader(_BaseLoader):
    """A safe loader whose implicit types are only null, true/false, int and float."""


StrictLoader.yaml_implicit_resolvers = {}

_IMPLICIT_TYPES = [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    # A leading zero makes an identifier such as a URN, never an octal number.
    ("tag:yaml.org,2002:int", r"^[-+]?(?:0|[1-9][0-9]*)$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        # The forms PyYAML writes: 95.5, 6.5e-15, 1.0e+20.
        r"^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)$",
        list("-+0123456789"),
    ),
]
for _tag, _pattern, _first in _IMPLICIT_TYPES:
    StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


class QuotingDumper(_BaseDumper):
    """A safe dumper that writes every string quoted or as a literal block."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


# Keys that are ids stay plain for people editing the file; YAML 1.1 reads these
# plain words as booleans or null, so they are quoted even as keys.
_PLAIN_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.MappingNode:
    pairs = []
    for key, item in value.items():
        if isinstance(key, str) and _PLAIN_KEY.match(key) and key not in _YAML11_WORDS:
            key_node = yaml.ScalarNode("tag:yaml.org,2002:str", key)
        else:
            key_node = dumper.represent_data(key)
        pairs.append((key_node, dumper.represent_data(item)))

    return yaml.MappingNode("tag:yaml.org,2002:map", pairs, flow_style=False)


QuotingDumper.add_representer(str, _represent_str)
QuotingDumper.add_representer(dict, _represent_dict)


def load_yaml(path: Path, error_type: type[InvalidFileError]) -> Any:
    """Read one YAML document with the strict loader.

    Args:
        path: The file to read.
        error_type: The error raised for a missing, unreadable or invalid file.

    Returns:
        The document as plain Python data.

    Raises:
        InvalidFileError: As `error_type`, one `PATH:LINE:COLUMN: reason` line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error_type(path, [f"{path}: file not found"]) from None
    except UnicodeDecodeError as error:
        raise error_type(path, [f"{path}: not UTF-8 text ({error.reason})"]) from None
    except OSError as error:
        raise error_type(path, [f"{path}: cannot be read ({error.strerror})"]) from None

    try:
        return yaml.load(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as error:
        raise error_type(path, [_describe_yaml_error(path, error)]) from None
    except yaml.YAMLError as error:
        raise error_type(path, [f"{path}: invalid YAML ({error})"]) from None


def _describe_yaml_error(path: Path, error: yaml.MarkedYAMLError) -> str:
    mark = error.problem_mark or error.context_mark
    reason = error.problem or error.context or "invalid YAML"
    if "could not determine a constructor" in reason:
        # A tag such as !!python/object/apply: safe loading never runs or builds it.
        reason = f"{reason}; tags that create Python objects are not allowed"
    if mark is None:
        return f"{path}: {reason}"

    return f"{path}:{mark.line + 1}:{mark.column + 1}: {reason}"


def dump_yaml(data: Any) -> str:
    """Write plain Python data as block-style YAML with every string quoted."""
    return yaml.dump(
        data,
        Dumper=QuotingDumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=88,
    )
