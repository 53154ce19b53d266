"""The preview as plain text: what the command prints and what the wizard copies."""

from __future__ import annotations

from collections.abc import Iterator

from models.importing.mapping import FIELD_BY_KEY
from models.importing.plan import FIELD_LABELS, ImportPlan


def preview_lines(plan: ImportPlan, limit: int = 50) -> Iterator[str]:
    counts = plan.counts
    yield "Files:"
    for source in plan.files:
        table, mapping = source.table, source.mapping
        how = []
        if table.encoding:
            how.append(f"encoding {table.encoding}")
        if table.delimiter:
            how.append("delimiter " + {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}[table.delimiter])
        how.append(f"header on row {table.header_row}")
        yield f"  {table.name} ({mapping.department.label}; {', '.join(how)})"
        mapped = ", ".join(f"{h} → {FIELD_BY_KEY[k].label}" for h, k in zip(mapping.headers, mapping.fields,
                                                                                     strict=True) if k)
        yield f"    columns: {mapped or 'none mapped'}"
        ignored = [h for h, k in zip(mapping.headers, mapping.fields, strict=True) if not k]
        if ignored:
            yield f"    not imported: {', '.join(ignored)}"
        for note in table.notes:
            yield f"    note: {note}"
    yield ""
    yield (f"{plan.rows_read:,} rows read: {counts['new']:,} new assets, {counts['updated']:,} updated, "
           f"{counts['unchanged']:,} unchanged, {counts['rejected']:,} rows rejected.")
    if plan.rejected:
        yield from _row_problems(f"Rejected rows ({len(plan.rejected):,} problems):", plan.rejected, limit)
    if plan.flagged:
        yield from _row_problems(f"Values left out ({len(plan.flagged):,}):", plan.flagged, limit)
    if plan.conflicts:
        yield ""
        yield f"Conflicts ({len(plan.conflicts):,}), decided by the rules unless you choose:"
        for conflict in plan.conflicts[:limit]:
            options = "; ".join(
                f"{'*' if i == conflict.chosen else ' '}{plan.display(conflict.field, c.value)} "
                f"({c.department.label}, {plan.file_name(c.file)} row {c.row})"
                for i, c in enumerate(conflict.candidates)
            )
            yield f"  {conflict.key} {FIELD_LABELS.get(conflict.field, conflict.field)}: {options} — {conflict.why}"
        if len(plan.conflicts) > limit:
            yield f"  … and {len(plan.conflicts) - limit:,} more"
    unknowns = plan.unknowns
    if unknowns.locations:
        yield ""
        verb = "will be created" if plan.options.create_locations else "missing (--create-locations adds them)"
        yield f"Locations not in the register, {verb}:"
        for key, count in sorted(unknowns.locations.items())[:limit]:
            yield f"  {' / '.join(p for p in key[1:] if p)} ({count} rows)"
    if unknowns.models:
        yield ""
        verb = "will be created" if plan.options.create_models else "left out (--create-models adds them)"
        yield f"Models not in the catalog, {verb}:"
        for key, count in sorted(unknowns.models.items())[:limit]:
            yield f"  {key[1]} {key[2]} ({count} rows)"
    if unknowns.classes:
        yield ""
        yield "Classes not in the register (choose the class each stands for):"
        for name, count in sorted(unknowns.classes.items())[:limit]:
            yield f"  {name} ({count} rows)"
    if plan.updated:
        yield ""
        yield "Changes to assets in the register:"
        for planned in plan.updated[:limit]:
            before = planned.before or {}
            parts = []
            for name, value in planned.values.items():
                old = before.get(name)
                if name == "funding":
                    old = plan.display("funding", tuple(old)) if old else ""
                else:
                    old = plan.display(name, old)
                parts.append(f"{FIELD_LABELS.get(name, name)} {old or '(blank)'} → {plan.display(name, value)}")
            yield f"  {planned.key}: " + "; ".join(parts)
        if len(plan.updated) > limit:
            yield f"  … and {len(plan.updated) - limit:,} more"



def _row_problems(heading: str, items, limit: int) -> Iterator[str]:
    """A heading, then one line per problem (file, row, column, why), at most ``limit``."""
    yield ""
    yield heading
    for item in items[:limit]:
        column = f", column '{item.column}'" if item.column else ""
        yield f"  {item.file} row {item.row}{column}: {item.reason}"
    if len(items) > limit:
        yield f"  … and {len(items) - limit:,} more"
