"""The volunteers' demo data, built on what the classroom demo made."""

from __future__ import annotations


class VolunteersDemo:
    def __init__(self, classroom):
        self.classroom = classroom

    def seed(self) -> dict[str, int]:
        return {}
