"""Database addresses and passwords."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

import models.connection as connection
from desktop.commands.db import run_upgrade
from desktop.commands.history import run_verify
from models.connection import credential_key, display_url, resolve_url, with_password
from models.database import Database
from models.errors import DatabaseError
from models.paths import HOME_ENV


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def no_keyring(monkeypatch):
    monkeypatch.setattr(connection, "stored_password", lambda url: None)
    monkeypatch.delenv(connection.PASSWORD_ENV, raising=False)


@pytest.mark.parametrize("address", [None, "", "   "])
def test_no_address_is_the_default_file_under_the_home_folder(home, address):
    url = resolve_url(address)
    assert url.drivername == "sqlite+pysqlite"
    assert Path(url.database) == (home / "data" / "commonground.sqlite3").resolve()
    assert Path(url.database).parent.is_dir()


def test_a_bare_path_is_a_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = resolve_url("district/register.sqlite3")
    assert url.get_backend_name() == "sqlite"
    assert Path(url.database) == tmp_path.resolve() / "district" / "register.sqlite3"
    assert Path(url.database).is_absolute()
    assert (tmp_path / "district").is_dir()
    assert resolve_url(tmp_path / "a.sqlite3").database == str((tmp_path / "a.sqlite3").resolve())


def test_a_sqlite_url_is_kept(tmp_path):
    path = tmp_path / "nested" / "x.sqlite3"
    url = resolve_url(f"sqlite:///{path}")
    assert url.get_backend_name() == "sqlite"
    assert url.database == str(path)
    assert path.parent.is_dir()


@pytest.mark.parametrize(
    "address",
    [
        "postgresql://clerk@db.riverside.k12.ca.us/assets",
        "postgresql+psycopg2://clerk@db.riverside.k12.ca.us/assets",
        "postgresql+psycopg://clerk@db.riverside.k12.ca.us/assets",
        "  postgresql://clerk@db.riverside.k12.ca.us/assets  ",
    ],
)
def test_a_postgres_url_gets_the_psycopg_driver(address):
    url = resolve_url(address)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.host, url.database) == ("clerk", "db.riverside.k12.ca.us", "assets")


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("mysql://clerk@db/assets", "not 'mysql'"),
        ("oracle://clerk@db/assets", "not 'oracle'"),
        ("postgresql://clerk@db.riverside.k12.ca.us", "does not name a database"),
        ("not a url://", "is not a database address"),
    ],
)
def test_unsupported_addresses_are_plain_errors(address, message):
    with pytest.raises(DatabaseError) as raised:
        resolve_url(address)
    assert message in raised.value.message


# -- passwords ----------------------------------------------------------------------------------

SERVER = make_url("postgresql+psycopg://clerk@db.riverside.k12.ca.us/assets")


def test_the_env_password_is_used_when_the_keyring_has_none(no_keyring, monkeypatch):
    assert with_password(SERVER).password is None
    monkeypatch.setenv(connection.PASSWORD_ENV, "from-the-environment")
    assert with_password(SERVER).password == "from-the-environment"


def test_the_keyring_comes_before_the_environment(monkeypatch):
    asked = []
    monkeypatch.setattr(connection, "stored_password", lambda url: asked.append(url) or "from-keyring")
    monkeypatch.setenv(connection.PASSWORD_ENV, "from-the-environment")
    assert with_password(SERVER).password == "from-keyring"
    assert asked == [SERVER]


def test_a_password_in_the_address_wins(monkeypatch):
    monkeypatch.setattr(connection, "stored_password", lambda url: "from-keyring")
    assert with_password(SERVER.set(password="typed")).password == "typed"


def test_the_prompt_is_asked_only_after_a_refusal(no_keyring):
    prompts = []

    def prompt(url):
        prompts.append(url)
        return "typed-now"

    assert with_password(SERVER, prompt).password is None
    assert prompts == []
    assert with_password(SERVER.set(password="old"), prompt, ask=True).password == "typed-now"
    assert with_password(SERVER, lambda url: None, ask=True).password is None


def test_sqlite_needs_no_password(monkeypatch):
    monkeypatch.setattr(connection, "stored_password", lambda url: pytest.fail("keyring asked for SQLite"))
    url = make_url("sqlite:////tmp/x.sqlite3")
    assert with_password(url) is url


def test_passwords_are_hidden_in_what_is_shown():
    url = SERVER.set(password="hunter2")
    assert "hunter2" not in display_url(url)
    assert "hunter2" not in credential_key(url)
    assert credential_key(url) == "clerk@db.riverside.k12.ca.us:5432/assets"


def _files_containing(folder: Path, secret: str) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()]


@pytest.mark.postgres
def test_a_password_is_never_written_under_the_home_folder(home, pg_empty_url, monkeypatch, capsys):
    secret = "Pa55-never-on-disk"
    monkeypatch.setattr(connection, "stored_password", lambda url: None)
    monkeypatch.setenv(connection.PASSWORD_ENV, secret)
    # The server trusts the login, so every password works; it must still go nowhere on disk.
    address = pg_empty_url.set(password=secret).render_as_string(hide_password=False)

    assert run_upgrade(argparse.Namespace(sub_db=address)) == 0
    db = Database.open(pg_empty_url)  # password from the environment
    assert db.url.password == secret
    db.close()
    assert run_verify(argparse.Namespace(sub_db=address)) == 0
    local = Database.open(None)  # the default file under the home folder
    local.close()

    out = capsys.readouterr()
    assert secret not in out.out + out.err
    assert (home / "data" / "commonground.sqlite3").is_file()
    assert _files_containing(home, secret) == []
