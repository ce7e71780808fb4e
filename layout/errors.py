"""Errors: the one exception base and its families, each carrying where and how to fix.

Owns: ``PaibanError`` (message + hint + exit code), ``InputError`` for issue files (file, line,
field path), ``FontError``, ``ImageError``, ``PdfError``, ``OutputError``, ``OversetError``,
and the ``logger`` through which every warning (overset, glyph fallback, loose lines) passes.
The CLI maps these to exit codes and never shows a traceback for them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

logger = logging.getLogger("paiban")
"""The one logger for warnings; the CLI prints its records."""


_LONG_RUN = re.compile(r"(\d{20,})|([^\s'\"]{200,})")


def echoed(text: str) -> str:
    """A message with what it echoes of the user's input kept short: a run of 20 digits or more,
    or of 200 characters without a space or a quote (a 5,000-character name), cut in the middle."""
    def cut(m: re.Match) -> str:
        run = m.group(0)
        keep = 8 if m.group(1) else 60
        return f"{run[:keep]}…{run[-keep // 2:]}"

    return _LONG_RUN.sub(cut, text)


class PaibanError(Exception):
    """Base of every error a user can cause; ``str()`` is a one-line message."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        message = echoed(message)
        super().__init__(message)
        self.message = message
        self.hint = echoed(hint) if hint else hint

    def __str__(self) -> str:
        return self.message

    def render(self) -> str:
        """Return ``error: …`` plus an optional ``hint: …`` line, as the CLI prints it."""
        text = f"error: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class InputError(PaibanError):
    """A problem in an issue description or a file it names: carries file, line and field path."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        where = ""
        if self.file:
            where = self.file + (f":{line}" if line else "")
        if field:
            where = f"{where}: {field}" if where else field
        super().__init__(f"{where}: {message}" if where else message, hint=hint)
        self.bare_message = message


class FontError(PaibanError):
    """A font file is missing or unusable, or a character has no glyph in any face."""


class ImageError(PaibanError):
    """An image is missing, corrupt, too large or of too low a resolution."""


class PdfError(PaibanError):
    """A PDF could not be read or written (preflight input, print finishing)."""


class OutputError(PaibanError):
    """The output path cannot be written."""


class OversetError(PaibanError):
    """Text did not fit and ``--strict`` was asked for (exit code 1: problems found)."""

    exit_code = 1
