"""Xác thực hai lớp (TOTP, RFC 6238) for officials who turn it on: secrets, codes and recovery codes.

The TOTP secret is stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256) under a key derived from
SECRET_KEY, which lives only in the environment. A copy of the database (a backup at the remote site, a
dump) therefore holds no usable second factor. Keys listed in SECRET_KEY_FALLBACKS still decrypt, so
SECRET_KEY can be rotated; a secret read with an old key is re-encrypted with the current one at its
next successful use. Losing every key that encrypted a secret means that person re-enrols (an
administrator resets their two-factor).

Codes are accepted one time-step either side of now (clock drift of a phone), and never twice: the step
of the last accepted code is kept and only later steps pass. Recovery codes are 80-bit random strings,
stored as SHA-256 digests (enough for that much entropy; no salt or slow hash needed) and struck out
when used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from langson.core.models import TwoFactorDevice, User

ISSUER = "Lạng Sơn số"
RECOVERY_CODE_COUNT = 10
_KEY_SALT = "langson.core.two_factor.secret"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


class TwoFactorError(Exception):
    """A secret that no configured key can decrypt (SECRET_KEY changed without a fallback)."""


def _fernet(secret_key: str) -> Fernet:
    digest = salted_hmac(_KEY_SALT, "fernet", secret=secret_key, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    return MultiFernet(
        [
            _fernet(settings.SECRET_KEY),
            *(_fernet(key) for key in getattr(settings, "SECRET_KEY_FALLBACKS", [])),
        ]
    )


def encrypt_secret(secret: str) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(secret.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken:
        raise TwoFactorError(
            "Không giải mã được khóa xác thực hai lớp (LANGSON_SECRET_KEY đã đổi mà không giữ khóa cũ trong "
            "LANGSON_SECRET_KEY_FALLBACKS). / Cannot decrypt the two-factor secret "
            "(LANGSON_SECRET_KEY changed without the old key in LANGSON_SECRET_KEY_FALLBACKS)."
        ) from None


def _current_key_encrypts(token: str) -> bool:
    try:
        _fernet(settings.SECRET_KEY).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def active_device(user: User) -> TwoFactorDevice | None:
    """The person's confirmed device, or None when two-factor is off (or only being enrolled)."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def start_enrolment(user: User) -> TwoFactorDevice:
    """A fresh unconfirmed secret; replaces an earlier unfinished enrolment. Refused when one is active."""
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.is_active:
            raise ValueError("two-factor is already on")
        if device is None:
            device = TwoFactorDevice(user=user)
        device.secret = encrypt_secret(pyotp.random_base32())
        device.last_step = 0
        device.recovery_hashes = []
        device.save()
    return device


def secret_of(device: TwoFactorDevice) -> str:
    return decrypt_secret(device.secret)


def provisioning_uri(device: TwoFactorDevice) -> str:
    return pyotp.TOTP(secret_of(device)).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_data_uri(device: TwoFactorDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (allowed by the page's img-src)."""
    return str(segno.make(provisioning_uri(device), error="m").svg_data_uri(scale=5, border=2))


def grouped(secret: str) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_step(device: TwoFactorDevice, code: str) -> int | None:
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret_of(device))
    now_step = totp.timecode(timezone.now())
    for step in (now_step - 1, now_step, now_step + 1):
        if step > device.last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _recovery_digest(code: str) -> str:
    normalised = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_recovery_codes() -> list[str]:
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(raw[i : i + 4] for i in range(0, 16, 4)))
    return codes


@dataclass(frozen=True)
class Confirmed:
    device: TwoFactorDevice
    recovery_codes: list[str]  # shown once


def confirm_enrolment(device: TwoFactorDevice, code: str) -> Confirmed | None:
    """The first code from the person's app turns two-factor on and issues the recovery codes."""
    with transaction.atomic():
        device = TwoFactorDevice.objects.select_for_update().select_related("user").get(pk=device.pk)
        step = _matching_step(device, code)
        if step is None or device.is_active:
            return None
        codes = new_recovery_codes()
        device.last_step = step
        device.confirmed_at = timezone.now()
        device.recovery_hashes = [_recovery_digest(c) for c in codes]
        device.save()
    return Confirmed(device, codes)


def replace_recovery_codes(device: TwoFactorDevice) -> list[str]:
    codes = new_recovery_codes()
    device.recovery_hashes = [_recovery_digest(c) for c in codes]
    device.save(update_fields=["recovery_hashes"])
    return codes


def verify(user: User, code: str) -> bool:
    """A current TOTP code or an unused recovery code of the person's active device; used up on success.

    Locked row, so two requests with the same code cannot both pass.
    """
    with transaction.atomic():
        device = (
            TwoFactorDevice.objects.select_for_update()
            .select_related("user")
            .filter(user=user, confirmed_at__isnull=False)
            .first()
        )
        if device is None:
            return False
        step = _matching_step(device, code)
        if step is not None:
            device.last_step = step
            fields = ["last_step"]
            if not _current_key_encrypts(device.secret):  # read with a fallback key: re-encrypt now
                device.secret = encrypt_secret(secret_of(device))
                fields.append("secret")
            device.save(update_fields=fields)
            return True
        digest = _recovery_digest(code)
        remaining = [h for h in device.recovery_hashes if not hmac.compare_digest(h, digest)]
        if len(remaining) == len(device.recovery_hashes):
            return False
        device.recovery_hashes = remaining
        device.save(update_fields=["recovery_hashes"])
        return True


def remaining_recovery_codes(device: TwoFactorDevice) -> int:
    return len(device.recovery_hashes)


def disable(user: User) -> bool:
    """Turn two-factor off (the person, after their password; or an administrator's reset). Audited."""
    device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None:
        return False
    device.delete()
    return True
