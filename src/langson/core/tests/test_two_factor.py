"""Optional TOTP two-factor sign-in, with real codes from pyotp: enrolment, sign-in, replay, recovery codes,
disabling, an administrator's reset (audited), key rotation, and the admin's sign-in going through it."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.test import Client

from langson.core import two_factor
from langson.core.models import AuditEntry, TwoFactorDevice, User

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the hasher is not tested


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    return client


def enrol(client: Client) -> tuple[str, list[str]]:
    """Through the page, as a person would: start, read the secret, confirm with the app's code."""
    client.post("/core/tai-khoan/xac-thuc-hai-lop/", {"action": "start"})
    page = client.get("/core/tai-khoan/xac-thuc-hai-lop/").content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR code
    secret = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")  # type: ignore[union-attr]
    done = client.post(
        "/core/tai-khoan/xac-thuc-hai-lop/", {"action": "confirm", "code": pyotp.TOTP(secret).now()}
    ).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done)
    assert "Đã bật xác thực hai lớp." in done and len(codes) == 10
    return secret, codes


def password_step(client: Client, username: str, next_url: str = "") -> str:
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post("/login/", data)
    assert response.status_code == 302
    return str(response["Location"])


def code_step(client: Client, code: str, next_url: str = ""):
    return client.post("/login/ma-xac-thuc/", {"code": code, "next": next_url})


def use_up_current_step(user: User) -> None:
    """The code just used for enrolment has been spent; wait for the app's next one (at most 30 s would be
    slow: instead move the device's last step back, as if enrolment had happened a minute ago)."""
    device = TwoFactorDevice.objects.get(user=user)
    device.last_step -= 2
    device.save(update_fields=["last_step"])


def test_enrolment_stores_the_secret_encrypted_and_sign_in_asks_for_the_code(make_user):
    user = make_user("canbo.haylop", "commune_officer", "6184")
    client = signed_in("canbo.haylop")
    assert "Xác thực hai lớp đang tắt." in client.get("/core/tai-khoan/xac-thuc-hai-lop/").content.decode()
    secret, _codes = enrol(client)
    device = TwoFactorDevice.objects.get(user=user)
    assert device.is_active and secret not in device.secret and two_factor.secret_of(device) == secret
    created = AuditEntry.objects.filter(model="core.twofactordevice", object_pk=str(device.pk)).first()
    assert created is not None and secret not in created.changes  # masked in the log
    use_up_current_step(user)

    fresh = Client()
    assert (
        password_step(fresh, "canbo.haylop", "/core/units/") == "/login/ma-xac-thuc/?next=%2Fcore%2Funits%2F"
    )
    assert fresh.get("/").status_code == 302  # the password alone does not sign in
    wrong = code_step(fresh, "000000" if pyotp.TOTP(secret).now() != "000000" else "111111", "/core/units/")
    assert wrong.status_code == 200 and "Mã xác thực không đúng hoặc đã được dùng." in wrong.content.decode()
    right = code_step(fresh, pyotp.TOTP(secret).now(), "/core/units/")
    assert right.status_code == 302 and right["Location"] == "/core/units/"
    assert fresh.get("/").status_code == 200
    assert AuditEntry.objects.filter(action="login", object_pk=str(user.pk)).exists()


def test_a_code_is_never_accepted_twice(make_user):
    user = make_user("canbo.phatlai", "commune_officer", "6184")
    secret, _codes = enrol(signed_in("canbo.phatlai"))
    use_up_current_step(user)
    code = pyotp.TOTP(secret).now()
    first = Client()
    password_step(first, "canbo.phatlai")
    assert code_step(first, code).status_code == 302
    thief = Client()  # someone who watched the code being typed
    password_step(thief, "canbo.phatlai")
    assert code_step(thief, code).status_code == 200
    assert thief.get("/").status_code == 302


def test_codes_from_the_neighbouring_steps_pass_and_older_ones_do_not(make_user):
    user = make_user("canbo.dongho", "commune_officer", "6184")
    secret, _codes = enrol(signed_in("canbo.dongho"))
    device = TwoFactorDevice.objects.get(user=user)
    device.last_step = 0
    device.save(update_fields=["last_step"])
    totp, now = pyotp.TOTP(secret), time.time()
    assert not two_factor.verify(user, totp.at(now - 90))  # three steps old
    assert two_factor.verify(user, totp.at(now - 30))  # a phone a little behind
    assert two_factor.verify(user, totp.at(now + 30))  # a little ahead
    assert not two_factor.verify(user, totp.at(now))  # now is before the step just used


def test_recovery_codes_work_once(make_user):
    user = make_user("canbo.matdt", "commune_officer", "6184")
    _secret, codes = enrol(signed_in("canbo.matdt"))
    client = Client()
    password_step(client, "canbo.matdt")
    assert code_step(client, codes[3].upper().replace("-", " ")).status_code == 302  # as read off paper
    assert len(TwoFactorDevice.objects.get(user=user).recovery_hashes) == 9
    again = Client()
    password_step(again, "canbo.matdt")
    assert code_step(again, codes[3]).status_code == 200
    assert "số mã khôi phục còn lại: 9" in client.get("/core/tai-khoan/").content.decode()


def test_wrong_codes_count_like_wrong_passwords(settings, make_user):
    settings.RATE_LIMITS = {"login": "off", "api": "off", "api_anonymous": "off"}
    user = make_user("canbo.doan", "commune_officer", "6184")
    enrol(signed_in("canbo.doan"))
    use_up_current_step(user)
    client = Client(REMOTE_ADDR="10.0.0.90")
    password_step(client, "canbo.doan")
    for attempt in range(4):
        response = code_step(client, f"99999{attempt}")
        assert response.status_code == 200
    # The fifth wrong code: axes' limit for this name and address (5) is reached, sign-in is locked.
    locked = code_step(client, "999995")
    assert locked.status_code == 429
    retry = Client(REMOTE_ADDR="10.0.0.90")
    assert retry.post("/login/", {"username": "canbo.doan", "password": PASSWORD}).status_code == 429
    assert AuditEntry.objects.filter(action="login_failed", object_repr="canbo.doan").count() >= 5
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_send_the_person_back_to_the_password(settings, make_user):
    settings.AXES_FAILURE_LIMIT = 50
    settings.RATE_LIMITS = {"login": "off", "api": "off", "api_anonymous": "off"}
    make_user("canbo.nammasai", "commune_officer", "6184")
    secret, _codes = enrol(signed_in("canbo.nammasai"))
    client = Client()
    password_step(client, "canbo.nammasai")
    for attempt in range(5):
        response = code_step(client, f"88888{attempt}")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert code_step(client, pyotp.TOTP(secret).now()).status_code == 302  # …to the password page
    assert client.get("/").status_code == 302


def test_wrong_codes_also_count_against_the_address(settings, make_user):
    settings.RATE_LIMITS = {"login": "2/900", "api": "off", "api_anonymous": "off"}
    make_user("canbo.diachi", "commune_officer", "6184")
    enrol(signed_in("canbo.diachi"))
    client = Client(REMOTE_ADDR="10.0.0.91")
    password_step(client, "canbo.diachi")
    code_step(client, "777770")
    code_step(client, "777771")
    blocked = code_step(client, "777772")
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0


def test_the_password_step_expires(make_user, monkeypatch):
    make_user("canbo.cham", "commune_officer", "6184")
    secret, _codes = enrol(signed_in("canbo.cham"))
    client = Client()
    password_step(client, "canbo.cham")
    session = client.session
    session["langson_two_factor_pending"]["at"] -= 301
    session.save()
    response = code_step(client, pyotp.TOTP(secret).now())
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/").status_code == 302
    assert Client().get("/login/ma-xac-thuc/").status_code == 302  # nothing pending at all


def test_the_next_address_must_stay_on_this_site(make_user):
    user = make_user("canbo.chuyenhuong", "commune_officer", "6184")
    secret, _codes = enrol(signed_in("canbo.chuyenhuong"))
    use_up_current_step(user)
    client = Client()
    password_step(client, "canbo.chuyenhuong")
    response = code_step(client, pyotp.TOTP(secret).now(), "https://evil.example/steal")
    assert response.status_code == 302 and response["Location"] == "/"


def test_disabling_needs_the_password(make_user):
    user = make_user("canbo.tat", "commune_officer", "6184")
    client = signed_in("canbo.tat")
    enrol(client)
    page = client.post(
        "/core/tai-khoan/xac-thuc-hai-lop/", {"action": "disable", "password": "sai-mat-khau-1"}
    )
    assert "Mật khẩu không đúng." in page.content.decode()
    assert TwoFactorDevice.objects.filter(user=user).exists()
    client.post("/core/tai-khoan/xac-thuc-hai-lop/", {"action": "disable", "password": PASSWORD})
    assert not TwoFactorDevice.objects.filter(user=user).exists()
    assert signed_in("canbo.tat").get("/").status_code == 200  # the password alone again


def test_new_recovery_codes_replace_the_old(make_user):
    make_user("canbo.mamoi", "commune_officer", "6184")
    client = signed_in("canbo.mamoi")
    _secret, old = enrol(client)
    page = client.post("/core/tai-khoan/xac-thuc-hai-lop/", {"action": "recovery", "password": PASSWORD})
    new = re.findall(r"<code>([a-z2-9-]{19})</code>", page.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    trial = Client()
    password_step(trial, "canbo.mamoi")
    assert code_step(trial, old[0]).status_code == 200
    assert code_step(trial, new[0]).status_code == 302


def test_an_unfinished_enrolment_changes_nothing_and_a_bad_code_does_not_confirm(make_user):
    user = make_user("canbo.dodang", "commune_officer", "6184")
    client = signed_in("canbo.dodang")
    client.post("/core/tai-khoan/xac-thuc-hai-lop/", {"action": "start"})
    page = client.post("/core/tai-khoan/xac-thuc-hai-lop/", {"action": "confirm", "code": "12345"})
    assert "Mã xác thực không đúng" in page.content.decode()
    assert not TwoFactorDevice.objects.get(user=user).is_active
    assert signed_in("canbo.dodang").get("/").status_code == 200  # sign-in still needs no code
    client.post("/core/tai-khoan/xac-thuc-hai-lop/", {"action": "cancel"})
    assert not TwoFactorDevice.objects.filter(user=user).exists()


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(make_user):
    official = make_user("canbo.matmay", "commune_officer", "6184")
    enrol(signed_in("canbo.matmay"))
    other = make_user("canbo.khac", "commune_officer", "6184")
    assert signed_in("canbo.khac").get("/core/tai-khoan/xac-thuc-hai-lop/dat-lai/").status_code == 403
    assert (
        signed_in("canbo.khac").post(f"/core/tai-khoan/xac-thuc-hai-lop/dat-lai/{official.pk}/").status_code
        == 403
    )
    admin = make_user("quantri.2fa", "administrator")
    client = signed_in("quantri.2fa")
    listing = client.get("/core/tai-khoan/xac-thuc-hai-lop/dat-lai/").content.decode()
    assert "canbo.matmay" in listing and "canbo.khac" not in listing
    device_pk = TwoFactorDevice.objects.get(user=official).pk
    done = client.post(f"/core/tai-khoan/xac-thuc-hai-lop/dat-lai/{official.pk}/", follow=True)
    assert "Đã đặt lại xác thực hai lớp" in done.content.decode()
    assert not TwoFactorDevice.objects.filter(user=official).exists()
    entry = AuditEntry.objects.get(model="core.twofactordevice", object_pk=str(device_pk), action="delete")
    assert entry.actor == "quantri.2fa" and entry.actor_id == admin.pk
    assert signed_in("canbo.matmay").get("/").status_code == 200
    assert client.post(f"/core/tai-khoan/xac-thuc-hai-lop/dat-lai/{other.pk + 1000}/").status_code == 404


def test_rotating_the_secret_key_keeps_second_factors(settings, make_user):
    user = make_user("canbo.doikhoa", "commune_officer", "6184")
    secret, _codes = enrol(signed_in("canbo.doikhoa"))
    use_up_current_step(user)
    old_key = settings.SECRET_KEY
    stored = TwoFactorDevice.objects.get(user=user).secret
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = (
        "k" * 20 + "-khoa-moi-sau-khi-xoay-vong-2025-abcdef",
        [old_key],
    )
    assert two_factor.verify(user, pyotp.TOTP(secret).now())
    rotated = TwoFactorDevice.objects.get(user=user).secret
    assert rotated != stored  # re-encrypted with the new key at this use
    settings.SECRET_KEY_FALLBACKS = []
    assert two_factor.secret_of(TwoFactorDevice.objects.get(user=user)) == secret
    settings.SECRET_KEY = "another-key-nobody-kept-" + "x" * 30
    with pytest.raises(two_factor.TwoFactorError, match="LANGSON_SECRET_KEY_FALLBACKS"):
        two_factor.verify(user, "123456")


def test_the_admin_signs_in_through_the_same_page(make_user):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/admin/"
    assert Client().get("/admin/").status_code == 302


def test_an_enrolled_device_is_inactive_until_confirmed(make_user):
    user = make_user("canbo.chua", "commune_officer", "6184")
    device = two_factor.start_enrolment(user)
    assert not device.is_active and two_factor.active_device(user) is None
    assert device.confirmed_at is None
    assert two_factor.confirm_enrolment(device, pyotp.TOTP(two_factor.secret_of(device)).now()) is not None
    with pytest.raises(ValueError):  # a new secret never silently replaces an active one
        two_factor.start_enrolment(user)
