"""Thin table models: rows in through `set_rows()`, column constants, translated headers."""
