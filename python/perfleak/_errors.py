"""Exceptions raised by perfleak, built from the C++ library's Status (code and message)."""

import re

__all__ = ["PerfleakError", "LogError", "error_for"]


class PerfleakError(Exception):
    """Base of perfleak's own exceptions."""


class LogError(PerfleakError):
    """A log could not be read: missing, not a counter log, unsupported or damaged.

    Attributes:
        path: the file the error is about (as given by the caller).
        place: where in the file it failed (``line 12``, ``record 3``, ``byte 4096``, joined
            with ``, ``), or None when the message names no place.
        hint: what to try next, or None.
        code: the library's status code (``parse_error``, ``io_error``, ``unknown_format``,
            ``unsupported_format``, ``limit_exceeded``).
        message: the library's one-line message (also ``str(error)``).
    """

    def __init__(self, message, path=None, place=None, hint=None, code=None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.place = place
        self.hint = hint
        self.code = code


_HINT = re.compile(r"[;.,]?\s*hint:\s*(.*)$", re.IGNORECASE | re.DOTALL)
_PLACES = (
    re.compile(r"^:(\d+)(?::|\b)"),  # `log.csv:1482: ...` right after the path
    re.compile(r"\b((?:line|row|record|buffer|sample) \d+)"),
    re.compile(r"\b(byte (?:offset )?\d+)"),
)


def _place(message, path):
    rest = message[len(path):] if path and message.startswith(path) else message
    found = []
    first = _PLACES[0].match(rest)
    if first:
        found.append("line " + first.group(1))
    for pattern in _PLACES[1:]:
        for match in pattern.finditer(rest.split("hint:")[0]):
            if match.group(1) not in found:
                found.append(match.group(1))
    return ", ".join(found) if found else None


def error_for(code, message, path=""):
    """The exception for a failed Status: ValueError for a bad argument (a time outside the log
    included, as the CLI's exit 2), else LogError."""
    if code in ("invalid_argument", "out_of_range"):
        return ValueError(message)
    hint_match = _HINT.search(message)
    hint = hint_match.group(1).strip() if hint_match else None
    return LogError(message, path=path or None, place=_place(message, path), hint=hint, code=code)
