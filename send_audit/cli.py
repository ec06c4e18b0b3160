"""The send-audit command line.

Every SendAuditError is turned into one `Error: ...` message on stderr and exit
status 1 here, in `main`; Ctrl-C in an interview exits 130 after saving. Commands
that ask nothing never import questionary, so they start quickly.
"""

import os
import shlex
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from send_audit.cli_options import (
    AnswersOption,
    AuditArgument,
    AuditsDirOption,
    CriteriaOption,
)
from send_audit.errors import EXIT_INTERRUPTED, SendAuditError
from send_audit.theme import make_console

# The criteria and audit models are imported inside each command that reads them:
# building the pydantic models is most of the start-up time, and --help or a usage
# error needs none of it.


app = typer.Typer(
    name="send-audit",
    help="Carry out a school's SEND self-evaluation audit at the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(requested: bool) -> None:
    if requested:
        from send_audit import __version__

        typer.echo(f"send-audit {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version of send-audit and exit.",
        ),
    ] = False,
) -> None:
    """Carry out a school's SEND self-evaluation audit at the terminal."""


@app.command()
def new(
    criteria_dir: CriteriaOption = None,
    audits_dir: AuditsDirOption = None,
    answers: AnswersOption = None,
) -> None:
    """Start a new audit and answer it question by question."""
    from send_audit.criteria import load_criteria
    from send_audit.session import start_new
    from send_audit.storage import resolve_audits_dir

    criteria = load_criteria(criteria_dir)
    folder = resolve_audits_dir(audits_dir)
    status = start_new(criteria, folder, answers, _resume_hint(criteria_dir))
    raise typer.Exit(status)


@app.command()
def resume(
    audit_file: AuditArgument,
    criteria_dir: CriteriaOption = None,
    answers: AnswersOption = None,
) -> None:
    """Show an audit's progress, continue it, or change earlier answers."""
    from send_audit.criteria import load_criteria
    from send_audit.session import resume_existing

    criteria = load_criteria(criteria_dir)
    status = resume_existing(criteria, audit_file, answers, _resume_hint(criteria_dir))
    raise typer.Exit(status)


@app.command()
def summary(audit_file: AuditArgument, criteria_dir: CriteriaOption = None) -> None:
    """Print a Red/Amber/Green summary of an audit."""
    from send_audit.criteria import load_criteria
    from send_audit.storage import load_audit
    from send_audit.summary import render_summary

    criteria = load_criteria(criteria_dir)
    audit = load_audit(audit_file, criteria)
    console = make_console()
    _warn_other_criteria(audit, criteria, audit_file)
    render_summary(audit, criteria, console)


@app.command()
def export(
    audit_file: AuditArgument,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Markdown file to write; - or none for standard output.",
            dir_okay=False,
        ),
    ] = None,
    suppress_below: Annotated[
        int | None,
        typer.Option(
            "--suppress-below",
            min=2,
            help="Hide census counts from 1 up to this number minus 1, for publishing.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the output file if it exists.")
    ] = False,
    criteria_dir: CriteriaOption = None,
) -> None:
    """Export an audit as a Markdown report for the headteacher and governors."""
    from send_audit.criteria import load_criteria
    from send_audit.export import export_markdown
    from send_audit.storage import load_audit, write_private_file

    if output == Path("-"):
        output = None
    if output is not None:
        _check_report_path(output, audit_file, force)
    criteria = load_criteria(criteria_dir)
    audit = load_audit(audit_file, criteria)
    _warn_other_criteria(audit, criteria, audit_file)
    document = export_markdown(audit, criteria, suppress_below=suppress_below)
    if output is None:
        sys.stdout.write(document)
        return
    write_private_file(output, document)
    make_console(stderr=True).print(Text(f"Wrote {output}"))


@app.command("list")
def list_audits(
    audits_dir: AuditsDirOption = None, criteria_dir: CriteriaOption = None
) -> None:
    """List the saved audits with school, date and progress."""
    from rich.table import Table

    from send_audit.criteria import load_criteria
    from send_audit.progress import audit_progress
    from send_audit.storage import list_audit_files, load_audit, resolve_audits_dir

    folder = resolve_audits_dir(audits_dir)
    console = make_console()
    paths = list_audit_files(folder)
    if not paths:
        console.print(Text(f"No audits in {folder}. Start one with: send-audit new"))
        return

    criteria = load_criteria(criteria_dir)
    table = Table(title=Text(f"Audits in {folder}"), title_justify="left")
    table.add_column("File", overflow="fold")
    table.add_column("School", min_width=24)
    table.add_column("Date", no_wrap=True)
    table.add_column("Answered", no_wrap=True, justify="right")
    for path in paths:
        try:
            audit = load_audit(path, criteria)
        except SendAuditError as error:
            table.add_row(
                Text(path.name), Text(f"cannot be read: {error}", style="error"), "", ""
            )
            continue
        answered, total = audit_progress(audit, criteria)
        table.add_row(
            Text(path.name),
            Text(audit.school),
            Text(audit.date_of_audit),
            f"{answered}/{total}",
        )
    console.print(table)


def _check_report_path(output: Path, audit_file: Path, force: bool) -> None:
    # A report written over an audit file would destroy every answer in it.
    if output.suffix.lower() in (".yaml", ".yml"):
        raise SendAuditError(
            f"{output}: a report is Markdown and cannot be written to a .yaml file; "
            "give a name ending in .md"
        )
    if not output.parent.is_dir():
        raise SendAuditError(
            f"{output}: folder {output.parent} not found; create it first or give "
            "another path"
        )
    if output.exists() and output.resolve() == audit_file.resolve():
        raise SendAuditError(f"{output}: this is the audit itself; give another name")
    if output.exists() and not force:
        raise SendAuditError(
            f"{output} already exists; add --force to replace it, or give another name"
        )


def _warn_other_criteria(audit, criteria, path: Path) -> None:
    if audit.criteria.id != criteria.manifest.id:
        make_console(stderr=True).print(
            Text(
                f"Note: {path} was answered against criteria {audit.criteria.id!r}, "
                f"but these are {criteria.manifest.id!r}. Give the right set with "
                "--criteria DIR.",
                style="notice",
            )
        )


def _resume_hint(criteria_dir: Path | None) -> str:
    if criteria_dir is None:
        return ""

    return f" --criteria {shlex.quote(str(criteria_dir))}"


def _register_census_commands() -> None:
    from send_audit import census_command

    census_command.register(app)


_register_census_commands()


def main() -> None:
    """Run the CLI, printing errors for people instead of tracebacks."""
    errors = make_console(stderr=True)
    try:
        status = app(standalone_mode=False)
    except SendAuditError as error:
        errors.print(Text(f"Error: {error}", style="error"), soft_wrap=True)
        sys.exit(error.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        errors.print(Text("Aborted."))
        sys.exit(EXIT_INTERRUPTED)
    except typer.TyperException as error:
        # Usage errors such as an unknown command or a missing argument: typer
        # prints them as click does, with the usage line, and exits 2.
        if not hasattr(error, "show"):
            raise
        error.show()
        sys.exit(getattr(error, "exit_code", 2))
    except OSError as error:
        # A full disk or a folder without write permission; saved files are intact.
        errors.print(
            Text(
                f"Error: {error.filename or ''}: {error.strerror or error}",
                style="error",
            )
        )
        sys.exit(1)
    except Exception as error:
        if os.environ.get("SEND_AUDIT_DEBUG"):
            raise
        failure = f"{type(error).__name__}: {error}"
        errors.print(
            Text(
                f"Error: send-audit failed unexpectedly ({failure}). Answers already "
                "saved are safe; set SEND_AUDIT_DEBUG=1 to see the details.",
                style="error",
            ),
            soft_wrap=True,
        )
        sys.exit(1)
    sys.exit(status if isinstance(status, int) else 0)
