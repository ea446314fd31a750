"""Domain errors raised by services; views turn them into form errors, the API into HTTP errors."""


class DomainError(Exception):
    """A rule of the classroom refused a write. ``str(error)`` is a translated message for the user."""
