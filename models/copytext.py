"""PostgreSQL COPY's text format: the characters a value must have escaped, and the escaping.

Shared by the demo's loader and the import's writer, which both send rows through COPY.
"""

from __future__ import annotations

import re

COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def escape_copy(value: str) -> str:
    """``value`` as a field of COPY text: backslash, tab, newline and carriage return escaped."""
    return value.translate(COPY_ESCAPES)
