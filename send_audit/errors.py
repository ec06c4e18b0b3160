"""The exception tree of send-audit: every error a user can cause is one of these."""

# Exit status of an interview stopped with Ctrl-C or Ctrl-D, as a shell reports SIGINT.
EXIT_INTERRUPTED = 130
# Exit status of `--answers` without a terminal when questions remain unanswered.
EXIT_INCOMPLETE = 3


class SendAuditError(Exception):
    """A problem the user can fix; the CLI prints it on stderr and exits 1."""

    exit_code = 1


class InvalidFileError(SendAuditError):
    """A YAML file that cannot be read, is not valid YAML or has invalid fields.

    Args:
        path: The file that was read.
        problems: One line per problem, each already prefixed with its location.
    """

    def __init__(self, path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(problems))


class InvalidCriteriaError(InvalidFileError):
    """A criteria file that is not valid YAML or does not match the criteria schema."""


class InvalidAuditError(InvalidFileError):
    """An audit file that is not valid YAML or does not match the audit format."""


class NewerFormatError(SendAuditError):
    """An audit file written by a newer send-audit than this one."""


class AuditLockedError(SendAuditError):
    """An audit that another running send-audit process is writing."""


class AuditExistsError(SendAuditError):
    """A new audit whose file name is already taken by a saved audit."""


class NotATerminalError(SendAuditError):
    """A command that asks questions, started without a terminal on standard input."""


class InvalidAnswersError(SendAuditError):
    """An answers file with values that the prompts would not accept."""


class CensusError(SendAuditError):
    """A census extract that cannot be read or matched to the expected columns."""
