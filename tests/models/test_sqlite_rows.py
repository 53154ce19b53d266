"""Packed SQLite inserts (models/demo/sqlite_rows.py) give the rows executemany would."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine

from models.demo.bulk import BulkLoader, Constant, Nullable, sqlite_rows


def _rows(columns: dict, ddl: str = "n INTEGER, s TEXT") -> list[tuple]:
    connection = sqlite3.connect(":memory:")
    connection.execute(f"CREATE TABLE t ({ddl})")
    table = Table("t", MetaData(), *(Column(c.split()[0], Integer if "INT" in c else Text) for c in ddl.split(", ")))
    insert = sqlite_rows(table, columns)
    cursor = connection.cursor()
    cursor.execute(insert.statement, insert.parameters)
    names = ", ".join(c.split()[0] for c in ddl.split(", "))
    return connection.execute(f"SELECT {names}, {', '.join(f'typeof({c.split()[0]})' for c in ddl.split(', '))} "
                              "FROM t ORDER BY rowid").fetchall()


def test_integers_of_any_sign_and_nulls_come_back_as_integers():
    numbers = np.array([5, -12, 0, 2**62, -(2**63), 7])
    rows = _rows({"n": Nullable(numbers, np.array([False, False, False, False, False, True])),
                  "s": Constant("x")})
    assert [r[0] for r in rows] == [5, -12, 0, 2**62, -(2**63), None]
    assert [r[2] for r in rows] == ["integer"] * 5 + ["null"]


def test_counting_and_constant_columns_need_no_items():
    insert = sqlite_rows(Table("t", MetaData(), Column("n", Integer), Column("s", Text)),
                         {"n": np.arange(10, 15), "s": np.full(5, b"same")})
    assert insert.statement.count("substr") == 0
    assert _rows({"n": np.arange(10, 15), "s": np.full(5, b"same")})[-1][:2] == (14, "same")


def test_text_keeps_its_length_its_characters_and_the_difference_between_empty_and_null():
    texts = [t.encode() for t in ["", "a", "ab ", "caf\u00e9 \u00fcber", "x" * 30, "", "zz"]]
    null = np.array([False, False, False, False, False, True, False])
    many = np.array(texts + [f"v{i}".encode() for i in range(12)], dtype="S")
    rows = _rows({"n": np.arange(len(many)), "s": Nullable(many, np.concatenate([null, np.zeros(12, bool)]))})
    assert [r[1] for r in rows[:7]] == ["", "a", "ab ", "caf\u00e9 \u00fcber", "x" * 30, None, "zz"]
    assert [r[3] for r in rows[:7]] == ["text"] * 5 + ["null", "text"]


def test_a_few_different_texts_go_by_code_with_null_apart():
    labels = np.array([b"in_service", b"lost", b"disposed", b"lost"] * 5, dtype="S")
    null = np.arange(20) % 7 == 3
    table = Table("t", MetaData(), Column("n", Integer), Column("s", Text))
    insert = sqlite_rows(table, {"n": np.zeros(20, dtype=np.int64), "s": Nullable(labels, null)})
    assert "CASE" in insert.statement
    rows = _rows({"n": np.zeros(20, dtype=np.int64), "s": Nullable(labels, null)})
    assert [r[1] for r in rows] == [None if n else v.decode() for v, n in zip(labels.tolist(), null.tolist())]


def test_dates_booleans_and_python_lists_are_stored_as_sqlalchemy_stores_them():
    days = np.array(["2024-01-31", "NaT", "1999-12-01"], dtype="datetime64[D]")
    rows = _rows({"n": np.array([True, False, True]), "s": days})
    assert [r[:2] for r in rows] == [(1, "2024-01-31"), (0, None), (1, "1999-12-01")]
    rows = _rows({"n": [3, None, 4], "s": ["a", "bcd", None]})
    assert [r[:2] for r in rows] == [(3, "a"), (None, "bcd"), (4, None)]


def test_floats_go_in_row_by_row():
    engine = create_engine("sqlite://")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (n INTEGER, s TEXT)")
        table = Table("t", MetaData(), Column("n", Integer), Column("s", Text))
        with pytest.raises(TypeError):
            sqlite_rows(table, {"n": [1.5, 2.5], "s": ["a", "b"]})
        BulkLoader(connection, []).load(table, {"n": [1.5, 2.5], "s": ["a", "b"]})
        assert connection.exec_driver_sql("SELECT n, s FROM t ORDER BY rowid").all() == [(1.5, "a"), (2.5, "b")]
    engine.dispose()
