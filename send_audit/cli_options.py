"""Arguments and options that several send-audit commands share."""

from pathlib import Path
from typing import Annotated

import typer

CriteriaOption = Annotated[
    Path | None,
    typer.Option(
        "--criteria",
        help="Folder of a local authority's own criteria (with criteria.yaml).",
        file_okay=False,
    ),
]
AuditsDirOption = Annotated[
    Path | None,
    typer.Option(
        "--audits-dir",
        help="Folder of saved audits [default: $SEND_AUDIT_DIR, else ./audits].",
        file_okay=False,
    ),
]
AuditArgument = Annotated[
    Path,
    typer.Argument(help="The audit file (.yaml).", dir_okay=False, metavar="AUDIT"),
]
AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="YAML file of answers, keyed like an audit file.",
        dir_okay=False,
    ),
]
