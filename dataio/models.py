"""The records of data in and out: imports (who, when, which file, what it changed)."""
