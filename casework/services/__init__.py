"""Case work: home visits, contacts, follow-ups, information sharing and early warnings."""
