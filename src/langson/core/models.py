"""Core data every module meets on: the organisation tree, people and roles, the audit log, the calendar
overrides, API tokens, and the worker's heartbeat and schedules."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from langson.core.services import audit


class AuditedModel(models.Model):
    """Saves of a person's change and its audit entry commit together or not at all.

    Deletes are audited by signals (Django's collector already runs them in one transaction); bulk
    ``QuerySet.update`` bypasses this on purpose and must not be used on audited models.
    """

    audit_exclude: tuple[str, ...] = ()
    audit_mask: tuple[str, ...] = ()  # recorded as changed, value never stored (password hashes, keys)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= set(self.audit_exclude):
            # e.g. last_login at every login: bookkeeping, not a person's change.
            super().save(*args, **kwargs)
            return
        # Inside audit.atomic_audit_last the block is the unit of rollback: no savepoint of our own (one
        # would make the entry be appended at once, taking the chain's lock early).
        with transaction.atomic(using=kwargs.get("using"), savepoint=not audit.deferring()):
            before = audit.snapshot_from_db(self)
            super().save(*args, **kwargs)
            audit.record_save(self, before)


Q = TypeVar("Q", bound=models.QuerySet[Any])


def scoped(queryset: Q, user: Any, path_lookup: str) -> Q:
    """The one scoping rule: a person sees their own unit's records and those of every unit below it.

    ``path_lookup`` leads from the queryset's model to an organisation path (``"path"``,
    ``"owner__path"``, ``"unit__path"``...). Pages, API and admin all filter through here.
    """
    scope = scope_path_of(user)
    if scope is None:
        return queryset.none()
    if scope == "":
        return queryset
    return queryset.filter(**{f"{path_lookup}__startswith": scope})


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def visible_to(self, user: Any) -> OrgUnitQuerySet:
        return scoped(self, user, "path")


def scope_path_of(user: Any) -> str | None:
    """Materialised path prefix the user may see: '' for everything, None for nothing."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser or user.role == User.Role.ADMINISTRATOR:
        return ""
    if user.role in User.PUBLIC_ROLES or user.org_unit_id is None:
        return None
    return str(user.org_unit.path)


class OrgUnit(AuditedModel):
    """A node of the organisation tree: province → departments (Sở, ban, ngành) / communes → units."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        COMMUNE = "commune", _("Xã")
        WARD = "ward", _("Phường")
        ONE_STOP = "one_stop", _("Trung tâm Phục vụ hành chính công")
        BORDER_GATE = "border_gate", _("Cửa khẩu")
        UNIT = "unit", _("Đơn vị trực thuộc")

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("đường dẫn cây"), max_length=400, db_index=True, editable=False)
    gso_code = models.PositiveIntegerField(
        _("mã đơn vị hành chính (GSO)"), null=True, blank=True, unique=True
    )
    commune = models.ForeignKey(
        "self",
        verbose_name=_("địa bàn xã, phường"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="located_units",
        limit_choices_to={"kind__in": ["commune", "ward"]},
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    saturday_reception = models.BooleanField(
        _("tiếp nhận hồ sơ sáng thứ Bảy"),
        default=False,
        help_text=_("Đơn vị tiếp nhận hồ sơ vào sáng thứ Bảy (không tính là ngày làm việc khi tính hạn)."),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = OrgUnitQuerySet.as_manager()
    audit_exclude = ("updated_at", "created_at")

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            node = self.parent
            while node is not None:
                if node.pk == self.pk:
                    raise ValidationError(
                        {"parent": _("Đơn vị không thể trực thuộc chính nó hoặc cấp dưới của nó.")}
                    )
                node = node.parent
        if self.kind == self.Kind.PROVINCE and self.parent_id is not None:
            raise ValidationError({"parent": _("Tỉnh là gốc của cây tổ chức.")})

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self.path = (self.parent.path if self.parent else "/") + f"{self.code}/"
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moving a unit moves its subtree; each child saves itself so the move is audited.
                for child in self.children.all():
                    child.save()

    def audit_scope_path(self) -> str:
        return self.path

    @property
    def is_commune(self) -> bool:
        return self.kind in (self.Kind.COMMUNE, self.Kind.WARD)


class User(AuditedModel, AbstractUser):
    """A person. Officials belong to an organisation unit; citizens and businesses are public accounts."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Lãnh đạo")
        DEPARTMENT_OFFICER = "department_officer", _("Cán bộ sở, ban, ngành")
        COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã, phường")
        OPERATOR = "operator", _("Cán bộ vận hành")
        ADMINISTRATOR = "administrator", _("Quản trị hệ thống")
        CITIZEN = "citizen", _("Người dân")
        BUSINESS = "business", _("Doanh nghiệp")

    PUBLIC_ROLES = frozenset({Role.CITIZEN, Role.BUSINESS})

    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices, default=Role.CITIZEN)
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)

    objects = UserManager()  # type: ignore[misc]
    audit_exclude = ("last_login",)
    audit_mask = ("password",)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        internal = self.role not in self.PUBLIC_ROLES and self.role != self.Role.ADMINISTRATOR
        if internal and self.org_unit_id is None:
            raise ValidationError({"org_unit": _("Cán bộ phải thuộc một đơn vị.")})
        if self.role in self.PUBLIC_ROLES and self.org_unit_id is not None:
            raise ValidationError(
                {"org_unit": _("Tài khoản công dân, doanh nghiệp không thuộc đơn vị nhà nước.")}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Only administrators and operators use the Django admin; the rest work in the pages and API.
        if not self.is_superuser:
            self.is_staff = self.role in (self.Role.ADMINISTRATOR, self.Role.OPERATOR)
        super().save(*args, **kwargs)

    def audit_scope_path(self) -> str:
        return self.org_unit.path if self.org_unit_id and self.org_unit else ""

    @property
    def is_public(self) -> bool:
        return self.role in self.PUBLIC_ROLES


class AuditEntry(models.Model):
    """Nhật ký thay đổi: append-only, each entry hashes its content and the previous entry's hash."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo mới")
        UPDATE = "update", _("Cập nhật")
        DELETE = "delete", _("Xóa")
        LOGIN = "login", _("Đăng nhập")
        LOGOUT = "logout", _("Đăng xuất")
        LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")

    class Channel(models.TextChoices):
        WEB = "web", _("Trang web")
        API = "api", _("API")
        ADMIN = "admin", _("Trang quản trị")
        CLI = "cli", _("Dòng lệnh")
        SYSTEM = "system", _("Hệ thống")

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor_id = models.BigIntegerField(_("mã người thực hiện"), null=True, blank=True)
    actor = models.CharField(_("người thực hiện"), max_length=150)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices)
    model = models.CharField(_("loại dữ liệu"), max_length=100, blank=True)
    object_pk = models.CharField(_("mã bản ghi"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("bản ghi"), max_length=200, blank=True)
    scope_path = models.CharField(_("phạm vi"), max_length=400, blank=True, db_index=True)
    changes = models.TextField(_("trước/sau"), blank=True)  # canonical JSON, hashed byte for byte
    remote_addr = models.CharField(_("địa chỉ IP"), max_length=45, blank=True)
    prev_hash = models.CharField(_("mã băm trước"), max_length=64)
    hash = models.CharField(_("mã băm"), max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.model} {self.object_pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm / the audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Nhật ký thay đổi chỉ được ghi thêm / the audit log is append-only")


class CalendarOverride(AuditedModel):
    """Provincial exceptions to the national calendar: a make-up working day or an extra day off.

    A row without a unit applies to the whole province; with a unit, to that unit and its subtree.
    """

    class Kind(models.TextChoices):
        MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù")
        EXTRA_DAY_OFF = "extra_day_off", _("Ngày nghỉ thêm")

    date = models.DateField(_("ngày"))
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("lý do, căn cứ"), max_length=300)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.CASCADE
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")
        constraints = [
            models.UniqueConstraint(fields=["date", "unit"], name="one_override_per_day_and_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}"

    def audit_scope_path(self) -> str:
        return self.unit.path if self.unit_id and self.unit else ""

    def clean(self) -> None:
        from langson.core.services.workdays import vietnam_calendar

        national = vietnam_calendar([self.date.year])
        if self.kind == self.Kind.MAKEUP_WORKDAY:
            if self.date.weekday() < 5:
                raise ValidationError({"date": _("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.")})
            if self.date in national.holidays:
                raise ValidationError({"date": _("Ngày làm bù không được trùng ngày lễ.")})
        elif self.date in national.makeup_workdays:
            raise ValidationError({"date": _("Ngày này đã là ngày làm bù theo lịch quốc gia.")})


class ApiToken(AuditedModel):
    """A machine client's bearer token; only its SHA-256 is stored, the key is shown once."""

    user = models.ForeignKey(
        User, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=12, db_index=True)
    key_hash = models.CharField(_("mã băm khóa"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked = models.BooleanField(_("đã thu hồi"), default=False)

    audit_exclude = ("last_used_at", "created_at")
    audit_mask = ("key_hash",)

    class Meta:
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_valid(self) -> bool:
        return not self.revoked and (self.expires_at is None or self.expires_at > timezone.now())


class WorkerHeartbeat(models.Model):
    """Each `langson worker` process writes here every few seconds; /healthz reads it."""

    worker_id = models.CharField(max_length=200, unique=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.worker_id


class Schedule(models.Model):
    """A periodic job: the worker enqueues `task_path` every `interval_seconds` (claimed atomically)."""

    name = models.CharField(max_length=100, unique=True)
    task_path = models.CharField(max_length=200)
    interval_seconds = models.PositiveIntegerField()
    next_run_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.name


# Hardening rows (rate limits, two-factor devices) live in their own module; re-exported here for Django.
from langson.core.models_security import RateLimitCounter, TwoFactorDevice  # noqa: E402, F401
