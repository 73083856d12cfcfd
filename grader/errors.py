"""The grader's own errors: each says what is wrong and what to do about it."""


class GraderError(Exception):
    """A problem the user can fix; the CLI prints it as one sentence and exits 2."""


class UsageError(GraderError):
    """A wrong command line: unknown homework, exercise or flag."""


class SubmissionError(GraderError):
    """The submission is missing or is not a readable .py or .ipynb file.

    `cause` names why in a word or two where a program acts on it (the class summary advises
    the instructor on hard links); the message, which may quote a file's name, is for people.
    """

    def __init__(self, message: str, cause: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause
