"""Writes that touch several rows or must be atomic, one module per area.

Import from the module (``from activities.services.participants import ...``).
"""
