"""How people's names are shown."""


def person_name(user) -> str:
    """Family name first, as Japanese names are written; the username when no name is set."""
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()
