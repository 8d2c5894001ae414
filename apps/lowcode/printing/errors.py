"""The one exception printing raises: callers (desk, portal, jobs) turn its message into a notice."""

from __future__ import annotations


class PrintError(Exception):
    """A document cannot be printed: no format, no context provider, or a template that fails."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
