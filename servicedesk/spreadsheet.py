"""Cells of the CSV files people open in a spreadsheet (exports, reports)."""

from __future__ import annotations

from decimal import Decimal

# What makes a spreadsheet read a cell as a formula (tab and carriage return too: some
# strip them and then see the "=" behind).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """``value`` as a cell: empty for None, dates in ISO, text that would start a formula
    behind a leading apostrophe (spreadsheets then show it as text). A number is never a
    formula: -5 stays -5."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
