"""Keeps the record of where a user is signed in (``SignedInSession``) as fresh as the session itself."""

from lib.middleware import SEEN_AT

TOUCHED_AT = "yorisoi_session_touched_at"


class SignedInSessionMiddleware:
    """After ``lib.middleware.SessionTimeoutMiddleware``: when it has moved the session's "seen at" (at
    most once a minute), the profile's list of sessions learns it too: one UPDATE a minute, not a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            seen = request.session.get(SEEN_AT)
            if seen is not None and request.session.get(TOUCHED_AT) != seen:
                from classroom.services.sessions import session_touch

                request.session[TOUCHED_AT] = seen
                session_touch(session_key=request.session.session_key)
        return None
