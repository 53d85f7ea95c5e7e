"""The registry's form: register or edit an information system (pages under /van-hanh/he-thong/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from langson.ops.models import MonitoredSystem
from langson.ops.uptime import access

RESERVED_CODES = frozenset({"them"})  # page paths under /van-hanh/he-thong/
EDITABLE = (
    "name",
    "owner",
    "kind",
    "url",
    "host",
    "port",
    "query_name",
    "record_type",
    "expected_status",
    "interval_seconds",
    "timeout_seconds",
    "public",
    "active",
    "description",
)


class SystemForm(forms.ModelForm):
    """The code is fixed once created: it names the system in the API, the alerts and the status page."""

    class Meta:
        model = MonitoredSystem
        fields = ("code", *EDITABLE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101 - a ForeignKey's field
        owner.queryset = access.owner_choices(user)
        owner.to_field_name = "code"
        if self.instance.pk:
            self.initial["owner"] = self.instance.owner  # keyed by code, not by primary key
            self.fields["code"].disabled = True
        self.fields["code"].help_text = _("Ví dụ: cong-dich-vu-cong. Không đổi được sau khi tạo.")

    def full_clean(self) -> None:
        # U+0000 never reaches a query (PostgreSQL refuses it).
        if self.is_bound:
            bad = [name for name in self.fields if "\x00" in str(self.data.get(self.add_prefix(name), ""))]
            if bad:
                self._errors = ErrorDict()
                self.cleaned_data = {}
                for name in bad:
                    self.add_error(
                        name, forms.ValidationError(_("Có ký tự không hợp lệ (NUL)."), code="null_characters")
                    )
                return
        super().full_clean()

    def clean_code(self) -> str:
        if self.instance.pk:
            return str(self.instance.code)
        code = str(self.cleaned_data["code"])
        if code in RESERVED_CODES:
            raise forms.ValidationError(
                _("“%(code)s” là tên dành riêng của trang, hãy chọn mã khác."),
                params={"code": code},
                code="reserved",
            )
        return code
