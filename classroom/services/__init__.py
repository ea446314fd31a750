"""Writes that touch several rows or must be atomic, one module per area.

Import from the module (``from classroom.services.attendance import attendance_set``).
"""
