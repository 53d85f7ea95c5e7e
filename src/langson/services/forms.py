"""Forms of the one-stop pages: the applicant's details and the officers' reasons."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from langson.core.models import OrgUnit

IDENTITY = re.compile(r"\d{12}|\d{10}(-\d{3})?")  # citizen ID (CCCD, 12 digits) or tax code (10 or 10-3)
PHONE = re.compile(r"(0|\+84)\d{9,10}")


def one_stop_units() -> Any:
    """Where a hồ sơ can be received and its result returned: the communes and wards, and the province."""
    return OrgUnit.objects.filter(
        kind__in=[OrgUnit.Kind.COMMUNE, OrgUnit.Kind.WARD, OrgUnit.Kind.PROVINCE], is_active=True
    ).order_by("kind", "name")


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200)
    applicant_id = forms.CharField(
        label=_("Số định danh cá nhân (CCCD) hoặc mã số thuế"),
        max_length=20,
        help_text=_("12 chữ số của căn cước công dân, hoặc mã số thuế của tổ chức."),
    )
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    applicant_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    received_unit = forms.ModelChoiceField(label=_("Nơi nộp hồ sơ"), queryset=OrgUnit.objects.none())
    return_unit = forms.ModelChoiceField(label=_("Nơi nhận kết quả"), queryset=OrgUnit.objects.none())
    request = forms.CharField(
        label=_("Nội dung yêu cầu"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = one_stop_units()
        self.fields["received_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["return_unit"].queryset = units  # type: ignore[attr-defined]

    def clean_applicant_id(self) -> str:
        value = re.sub(r"\s+", "", self.cleaned_data["applicant_id"])
        if not IDENTITY.fullmatch(value):
            raise forms.ValidationError(_("Số định danh gồm 12 chữ số (CCCD) hoặc mã số thuế 10 chữ số."))
        return value

    def clean_applicant_phone(self) -> str:
        value = re.sub(r"[\s.]+", "", self.cleaned_data["applicant_phone"])
        if value and not PHONE.fullmatch(value):
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return value

    def applicant(self) -> dict[str, str]:
        return {k: self.cleaned_data[k] for k in self.cleaned_data if k.startswith("applicant_")}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ApologyForm(ReasonForm):
    extra_days = forms.IntegerField(label=_("Số ngày làm việc hẹn thêm"), min_value=1, max_value=30)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Mức hài lòng"),
        coerce=int,
        choices=[
            (5, _("Rất hài lòng")),
            (4, _("Hài lòng")),
            (3, _("Bình thường")),
            (2, _("Chưa hài lòng")),
            (1, _("Không hài lòng")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Góp ý"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
