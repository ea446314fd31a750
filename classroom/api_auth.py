"""Token authentication for the API: ``Authorization: Bearer <key>``, in front of the session.

A request with a bearer key is that key's user or nobody: a wrong, expired or revoked key answers
401 even beside a session cookie. Token requests need no CSRF token (no browser sends the key by
itself); a session's writes keep Django's CSRF check (ninja's ``django_auth``).
"""

from __future__ import annotations

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from classroom.services.tokens import token_user


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        user = token_user(token.strip())
        if user is None:
            raise AuthenticationError()
        request.user = user
        return user
