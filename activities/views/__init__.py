"""Views of the activities app, one module per area."""
