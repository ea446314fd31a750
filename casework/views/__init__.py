"""The case-work screens, one module per area."""
