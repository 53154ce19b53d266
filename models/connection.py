"""Database addresses and the passwords that go with them.

A PostgreSQL password is never written to a file: it comes from the address
itself, the OS credential store (keyring), the ``COMMONGROUND_DB_PASSWORD``
environment variable (for headless machines without a credential store), or a
prompt, in that order.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from models import paths
from models.errors import DatabaseError

KEYRING_SERVICE = "CommonGround"
PASSWORD_ENV = "COMMONGROUND_DB_PASSWORD"

PasswordPrompt = Callable[[URL], str | None]


def resolve_url(address: str | Path | None) -> URL:
    """The SQLAlchemy URL for what a user typed: nothing, a file path or a URL."""
    if address is None or str(address).strip() == "":
        return _sqlite_url(paths.default_database_path())
    text = str(address).strip()
    if "://" not in text:
        return _sqlite_url(Path(text))
    try:
        url = make_url(text)
    except Exception as exc:  # sqlalchemy raises ArgumentError with a terse text
        raise DatabaseError(f"'{text}' is not a database address ({exc}).") from None
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return url
    if url.get_backend_name() == "postgresql":
        # Name the driver: get_driver_name() reports the dialect's default for a bare
        # "postgresql://", so comparing it would leave that URL driver-less.
        if url.drivername != "postgresql+psycopg":
            url = url.set(drivername="postgresql+psycopg")
        if not url.database:
            raise DatabaseError(f"The address '{display_url(url)}' does not name a database.")
        return url
    raise DatabaseError(
        f"Common Ground works with SQLite files and PostgreSQL servers, not '{url.get_backend_name()}'."
    )


def _sqlite_url(path: Path) -> URL:
    path = path.expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return URL.create("sqlite+pysqlite", database=str(path))


def display_url(url: URL) -> str:
    """The address as a person reads it: a file path, or the server and database."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.set(drivername="postgresql").render_as_string(hide_password=True)


def credential_key(url: URL) -> str:
    """How a server login is named in the credential store."""
    return f"{url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def stored_password(url: URL) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            return keyring.get_password(KEYRING_SERVICE, credential_key(url))
        except KeyringError:
            return None
    except Exception:  # no usable backend on this machine (headless Linux)
        return None


def store_password(url: URL, password: str) -> bool:
    """Keep the password in the OS credential store; False where there is none."""
    try:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(KEYRING_SERVICE, credential_key(url), password)
            return True
        except KeyringError:
            return False
    except Exception:
        return False


def with_password(url: URL, prompt: PasswordPrompt | None = None, *, ask: bool = False) -> URL:
    """``url`` with the password filled in from the first place that has one.

    With ``ask`` (after the server refused the login) the prompt is tried even
    when a stored password exists.
    """
    if url.get_backend_name() != "postgresql":
        return url
    if url.password and not ask:
        return url
    if not ask:
        password = stored_password(url) or os.environ.get(PASSWORD_ENV)
        if password:
            return url.set(password=password)
        return url
    if prompt is None:
        return url
    password = prompt(url)
    return url.set(password=password) if password else url
