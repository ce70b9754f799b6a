"""The one family of errors a user can cause.

Each carries a cause and a remedy; the CLI prints them as a single line and exits 2.
Anything that is not an InspectorError is a bug in inspector and keeps its traceback
under --debug.
"""
from __future__ import annotations


class InspectorError(Exception):
    """An error the user can act on: `cause` says what went wrong, `hint` what to do."""

    def __init__(self, cause: str, hint: str = "") -> None:
        super().__init__(cause)
        self.cause = cause
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.cause} ({self.hint})" if self.hint else self.cause


class TargetError(InspectorError):
    """A target that does not exist or is not Solidity."""


class SourceError(InspectorError):
    """Sources that cannot be assembled: missing import, unreadable file, bad remapping."""


class CompilerError(InspectorError):
    """No compiler could be found or provisioned, or the compiler rejected the sources."""


class ConfigError(InspectorError):
    """Bad options: an unknown version, an unwritable output path, a bad rule folder."""


class ChainError(InspectorError):
    """The RPC cannot be used: unreachable, wrong chain, or no code where code is expected."""
