"""Session expiry: an absolute age from sign-in and an idle timeout, checked on every request.

Django's SESSION_COOKIE_AGE alone slides: each save of the session pushes its expiry on. Here the
sign-in time is kept in the session and a session older than SESSION_COOKIE_AGE ends whatever happened
since; a session left alone longer than the idle limit ends too (30 minutes for officials, who see other
people's data; 2 hours for citizens and businesses, who may spend long on one application form).

Requests the page makes by itself (the device page's polling, the IOC's alert feed and stream: marked
with ``X-Requested-With`` or asking for an event stream) do not count as activity, or an open tab would
keep a session alive forever. Ending a session is a logout (audited as such).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

LOGIN_AT = "langson_login_at"
LAST_SEEN = "langson_last_seen"
TOUCH_EVERY_SECONDS = 60  # write the activity time at most once a minute: one session save, not one per hit


def mark_login(request: HttpRequest, now: float | None = None) -> None:
    """Called right after a successful sign-in: the absolute and idle clocks start here."""
    now = time.time() if now is None else now
    request.session[LOGIN_AT] = now
    request.session[LAST_SEEN] = now


def idle_limit_seconds(user: object) -> int:
    from langson.core.models import User

    if getattr(user, "role", None) in User.PUBLIC_ROLES:
        return int(settings.SESSION_IDLE_SECONDS_PUBLIC)
    return int(settings.SESSION_IDLE_SECONDS)


def _is_background(request: HttpRequest) -> bool:
    return "HTTP_X_REQUESTED_WITH" in request.META or "text/event-stream" in request.META.get(
        "HTTP_ACCEPT", ""
    )


def expired_reason(request: HttpRequest, now: float) -> str | None:
    session = request.session
    login_at = session.get(LOGIN_AT)
    last_seen = session.get(LAST_SEEN)
    if not isinstance(login_at, int | float) or not isinstance(last_seen, int | float):
        return None  # signed in before this check existed, or by a test helper: the clocks start now
    if now - login_at > settings.SESSION_COOKIE_AGE:
        return _("Phiên làm việc đã quá %(hours)d giờ, vui lòng đăng nhập lại.") % {
            "hours": round(settings.SESSION_COOKIE_AGE / 3600)
        }
    if now - last_seen > idle_limit_seconds(request.user):
        return _("Phiên làm việc đã hết hạn do không hoạt động %(minutes)d phút, vui lòng đăng nhập lại.") % {
            "minutes": round(idle_limit_seconds(request.user) / 60)
        }
    return None


def session_expiry_middleware(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    def middleware(request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = time.time()
            reason = expired_reason(request, now)
            if reason is not None:
                auth.logout(request)  # flushes the session; the logout is audited
                if not request.path.startswith("/api/"):
                    messages.warning(request, reason)
            elif LOGIN_AT not in session or LAST_SEEN not in session:
                mark_login(request, now)
            elif not _is_background(request) and now - session[LAST_SEEN] >= TOUCH_EVERY_SECONDS:
                session[LAST_SEEN] = now
        return get_response(request)

    return middleware
