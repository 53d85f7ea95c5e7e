"""Rows behind the hardening (docs/decisions/0014-hardening.md): rate-limit counters shared by every web
process, and each person's optional TOTP two-factor device. Re-exported by ``langson.core.models``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from langson.core.models import AuditedModel, User


class RateLimitCounter(models.Model):
    """Hits of one bucket (``login:addr:…``, ``api:key:…``) in one fixed window; incremented atomically
    by an upsert so several web processes count together (core/ratelimit.py)."""

    bucket = models.CharField(max_length=200)
    window_start = models.BigIntegerField(db_index=True)  # Unix seconds, a multiple of the window length
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "window_start"], name="one_counter_per_bucket_window")
        ]

    def __str__(self) -> str:
        return f"{self.bucket}@{self.window_start}: {self.hits}"


class TwoFactorDevice(AuditedModel):
    """Xác thực hai lớp: a person's TOTP secret (encrypted, core/two_factor.py) and recovery codes.

    Enrolment, confirmation, recovery-code use, disabling and an administrator's reset are all saves or
    deletes of this row, hence audited; the secret and the codes' digests are masked in the log.
    """

    user = models.OneToOneField(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="two_factor"
    )
    secret = models.TextField(_("khóa bí mật (đã mã hóa)"))
    confirmed_at = models.DateTimeField(_("kích hoạt lúc"), null=True, blank=True)
    last_step = models.BigIntegerField(_("bước thời gian dùng lần cuối"), default=0)  # no code used twice
    recovery_hashes = models.JSONField(_("mã khôi phục (mã băm)"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    audit_exclude = ("last_step", "created_at")  # each sign-in moves last_step: bookkeeping
    audit_mask = ("secret", "recovery_hashes")

    class Meta:
        verbose_name = _("xác thực hai lớp")
        verbose_name_plural = _("xác thực hai lớp")

    def __str__(self) -> str:
        return str(self.user)

    def audit_scope_path(self) -> str:
        return self.user.audit_scope_path()

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None
