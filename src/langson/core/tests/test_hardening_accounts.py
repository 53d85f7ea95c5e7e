"""Password policy (and the "Đổi mật khẩu" page that applies it) and session expiry (absolute age, idle
timeout, logout)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from langson.core.models import AuditEntry, User
from langson.core.session_expiry import LAST_SEEN, LOGIN_AT

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the hasher is not tested


def codes_of(password: str, user: User | None = None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return {error.code for error in exc.error_list if error.code}
    return set()


def test_the_password_policy(make_user):
    user = make_user("canbo.dongdang", "commune_officer", "6184")
    assert codes_of("Lang-Son-ngay-moi-2025", user) == set()
    assert "password_letters_and_digits" in codes_of("chi-co-chu-cai-thoi", user)
    assert "password_letters_and_digits" in codes_of("!!!----!!!!", user)
    assert "password_too_short" in codes_of("ngan1", user)
    assert "password_too_common" in codes_of("password123", user)
    # The user name inside, in any case, with or without diacritics or dots around it.
    assert "password_has_username" in codes_of("XY-CANBO.DONGDANG-2025", user)
    accented = User(username="đồngđăng")
    assert "password_has_username" in codes_of("Moi-dongdang-2025", accented)
    assert "password_too_long" in codes_of("a1" * 70, user)


def test_policy_messages_are_vietnamese(make_user):
    with pytest.raises(ValidationError) as caught:
        validate_password("chi-co-chu-cai-thoi", make_user("canbo.x", "commune_officer", "6184"))
    assert "Mật khẩu phải có cả chữ cái và chữ số." in caught.value.messages


def sign_in(client: Client, username: str, password: str = PASSWORD) -> None:
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


def test_changing_the_password_applies_the_policy_and_is_audited(make_user):
    user = make_user("canbo.doimk", "commune_officer", "6184")
    client = Client()
    sign_in(client, "canbo.doimk")
    assert "Đổi mật khẩu" in client.get("/core/tai-khoan/").content.decode()
    page = client.post(
        "/core/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": "chi-co-chu-cai", "new_password2": "chi-co-chu-cai"},
    )
    assert page.status_code == 200 and "Mật khẩu phải có cả chữ cái và chữ số." in page.content.decode()
    wrong = client.post(
        "/core/tai-khoan/doi-mat-khau/",
        {
            "old_password": "sai-mat-khau-1",
            "new_password1": "Moi-mat-khau-2025",
            "new_password2": "Moi-mat-khau-2025",
        },
    )
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    done = client.post(
        "/core/tai-khoan/doi-mat-khau/",
        {
            "old_password": PASSWORD,
            "new_password1": "Moi-mat-khau-2025",
            "new_password2": "Moi-mat-khau-2025",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/core/tai-khoan/" and "Đã đổi mật khẩu." in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("Moi-mat-khau-2025")
    assert client.get("/").status_code == 200  # this session stays signed in
    entry = AuditEntry.objects.filter(model="core.user", object_pk=str(user.pk), action="update").first()
    assert entry is not None and entry.actor == "canbo.doimk" and "password" in entry.changes
    assert "Moi-mat-khau" not in entry.changes and "md5$" not in entry.changes


def test_the_password_page_needs_a_login():
    response = Client().get("/core/tai-khoan/doi-mat-khau/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def age_session(client: Client, **seconds_ago: float) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[{"login": LOGIN_AT, "seen": LAST_SEEN}[key]] = time.time() - ago
    session.save()


def test_an_idle_official_is_signed_out(settings, make_user):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    user = make_user("canbo.ngoi", "commune_officer", "6184")
    client = Client()
    sign_in(client, "canbo.ngoi")
    age_session(client, seen=29 * 60)
    assert client.get("/").status_code == 200  # still within the limit, and this counts as activity
    assert time.time() - client.session[LAST_SEEN] < 5
    age_session(client, seen=31 * 60)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "hết hạn do không hoạt động 30 phút" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="logout", object_pk=str(user.pk)).exists()


def test_citizens_have_a_longer_idle_limit(settings, make_user):
    settings.SESSION_IDLE_SECONDS, settings.SESSION_IDLE_SECONDS_PUBLIC = 30 * 60, 120 * 60
    make_user("congdan.a", "citizen")
    client = Client()
    sign_in(client, "congdan.a")
    age_session(client, seen=60 * 60)
    assert client.get("/").status_code == 200
    age_session(client, seen=121 * 60)
    assert client.get("/").status_code == 302


def test_the_working_day_ends_even_for_a_busy_session(settings, make_user):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    make_user("canbo.banron", "commune_officer", "6184")
    client = Client()
    sign_in(client, "canbo.banron")
    age_session(client, login=8 * 3600 - 60, seen=10)
    assert client.get("/").status_code == 200
    age_session(client, login=8 * 3600 + 60, seen=10)
    response = client.get("/", follow=True)
    assert "Phiên làm việc đã quá 8 giờ" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_background_requests_do_not_keep_a_session_alive(settings, make_user):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    make_user("canbo.tudong", "commune_officer", "6184")
    client = Client()
    sign_in(client, "canbo.tudong")
    age_session(client, seen=10 * 60)
    before = client.session[LAST_SEEN]
    client.get("/healthz", headers={"X-Requested-With": "fetch"})  # a page polling by itself
    client.get("/healthz", headers={"Accept": "text/event-stream"})
    assert client.session[LAST_SEEN] == before
    client.get("/healthz")
    assert client.session[LAST_SEEN] > before


def test_an_expired_api_session_gets_401(settings, make_user):
    settings.SESSION_IDLE_SECONDS = 60
    make_user("canbo.api", "commune_officer", "6184")
    client = Client()
    sign_in(client, "canbo.api")
    assert client.get("/api/core/units").status_code == 200
    age_session(client, seen=120)
    assert client.get("/api/core/units").status_code == 401


def test_logout_ends_the_session_on_the_server(make_user):
    make_user("canbo.ve", "commune_officer", "6184")
    client = Client()
    sign_in(client, "canbo.ve")
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    assert client.post("/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302
