"""Errors a user can fix. Each carries a plain message that the UI shows as is.

Anything else that goes wrong is a bug and goes to the crash handler instead.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Base for every error the user can act on; ``str(err)`` is the message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(UserError):
    """A value the user gave is not acceptable; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class NotFoundError(UserError):
    """A record the user referred to does not exist (any more)."""


class DuplicateError(ValidationError):
    """A value that must be unique (an asset tag, a room number) is taken."""


class ConflictError(UserError):
    """Someone else saved the record since it was opened; nothing was written.

    ``mine`` holds the values this save tried to write, ``theirs`` the values
    now in the database for the same fields, so both can be shown side by side.
    """

    def __init__(
        self,
        entity: str,
        entity_id: int,
        *,
        expected_version: int,
        current_version: int,
        mine: dict[str, Any],
        theirs: dict[str, Any],
        changed_by: str | None = None,
    ) -> None:
        who = f" by {changed_by}" if changed_by else ""
        super().__init__(
            f"This {entity} was changed{who} after you opened it "
            f"(your copy is version {expected_version}, the saved one is version "
            f"{current_version}). Nothing was saved; compare the two and choose."
        )
        self.entity = entity
        self.entity_id = entity_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.mine = mine
        self.theirs = theirs
        self.changed_by = changed_by


class DatabaseError(UserError):
    """The database cannot be used as asked (unreachable, wrong schema, read-only)."""


class ConnectionFailedError(DatabaseError):
    """The database server could not be reached or refused the login."""


class SchemaMissingError(DatabaseError):
    """The database has no Common Ground tables yet."""


class SchemaOutdatedError(DatabaseError):
    """The database was made by an older Common Ground and must be upgraded."""


class ReadOnlyDatabaseError(DatabaseError):
    """A change was attempted on a database opened read-only."""
