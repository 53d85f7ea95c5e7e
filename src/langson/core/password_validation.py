"""The province's password rules on top of Django's (length ≥ 10, not common, not all digits, not like
the person's details): letters and digits together, never the user name inside, and a ceiling on length.

Listed in settings.AUTH_PASSWORD_VALIDATORS, so every path that sets a password applies them: the
"Đổi mật khẩu" page, the admin's forms, and `langson createsuperuser`.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _fold(text: str) -> str:
    """Lower case without Vietnamese diacritics ("Đồng Đăng" → "dong dang"), for containment checks."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class LettersAndDigitsValidator:
    """At least one letter and one digit."""

    def validate(self, password: str, user: Any = None) -> None:
        if not any(ch.isalpha() for ch in password) or not any(ch.isdigit() for ch in password):
            raise ValidationError(
                _("Mật khẩu phải có cả chữ cái và chữ số."), code="password_letters_and_digits"
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu phải có cả chữ cái và chữ số.")


class NotContainingUsernameValidator:
    """The user name, with or without diacritics and in any case, must not appear in the password.

    Django's similarity check misses a long password that merely contains the name ("canbo.dongdang2025").
    """

    min_username_length = 3

    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "")
        if len(username) < self.min_username_length:
            return
        if _fold(username) in _fold(password):
            raise ValidationError(_("Mật khẩu không được chứa tên đăng nhập."), code="password_has_username")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được chứa tên đăng nhập.")


class MaximumLengthValidator:
    """A ceiling, so a megabyte "password" cannot keep a worker hashing (PBKDF2 runs over all of it)."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                _("Mật khẩu dài quá %(max)d ký tự.") % {"max": self.max_length}, code="password_too_long"
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu dài tối đa %(max)d ký tự.") % {"max": self.max_length}
