"""Errors that retrying cannot fix. The DAGs' retry policy fails these at once instead of retrying."""


class PermanentError(Exception):
    """Bad run parameters or a failed data-quality check: the same inputs would fail again."""
