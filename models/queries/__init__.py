"""Read-only questions the views ask, answered as plain data (no ORM objects leave here)."""
