"""The register's text search indexes, rebuilt after a bulk load.

Migration 0007 lays them out: on SQLite an FTS5 trigram index of tags and serials
(``asset_search``) and, for descriptions, a table of each distinct description
(``asset_descriptions``) with its own trigram index; on PostgreSQL pg_trgm indexes
on serials and on the distinct descriptions. A district's descriptions repeat (a
million demo assets have 206), so searching them once each, then finding their
assets through a B-tree on ``assets.description``, costs a fraction of indexing
every asset's description.
"""

from __future__ import annotations

# Each description of the assets that ``asset_descriptions`` lacks, in one statement: what a
# bulk load, whose per-row triggers are set aside, runs once its rows are in.
ADD_NEW_DESCRIPTIONS = {
    "sqlite": "INSERT OR IGNORE INTO asset_descriptions(text) SELECT DISTINCT description FROM assets ORDER BY 1",
    "postgresql": ("INSERT INTO asset_descriptions(text) SELECT DISTINCT description FROM assets ORDER BY 1 "
                   "ON CONFLICT (text) DO NOTHING"),
}


def sqlite_rebuild_statements() -> list[str]:
    """SQLite, after a bulk load with the search triggers dropped: fill both text indexes.

    FTS5 merges its segments as it writes (automerge); over a rebuild of a million
    rows that merges the same entries again and again. Merging waits for the end
    instead, where one 'optimize' leaves a single segment (the fastest to search);
    then the merge settings go back to FTS5's defaults for everyday edits.
    """
    return [
        # A 4 MiB buffer of new entries (1 MiB by default) writes a quarter as many segments
        # for 'optimize' to merge: measured on a million demo assets, rebuild and optimize
        # took 4.4-5.1 s + 0.4 s against 4.6 s + 1.6 s (16 MiB and more: slower rebuilds).
        *_fts_merging("automerge", 0, "crisismerge", 100_000, "hashsize", 4 << 20),
        "INSERT INTO asset_search(asset_search) VALUES ('rebuild')",
        "INSERT INTO asset_search(asset_search) VALUES ('optimize')",
        *_fts_merging("automerge", 4, "crisismerge", 16, "hashsize", 1 << 20),
        ADD_NEW_DESCRIPTIONS["sqlite"],
    ]


def _fts_merging(*settings: str | int) -> list[str]:
    pairs = zip(settings[::2], settings[1::2])
    return [f"INSERT INTO asset_search(asset_search, rank) VALUES ('{k}', {v})" for k, v in pairs]
