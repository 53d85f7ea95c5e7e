"""Forms of the shipment pages: a new shipment, the documents' upload, one field's correction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from langson.border.models import Shipment
from langson.border.storage_documents import border_gates

MAX_FILES = 10  # a shipment's papers: invoice, packing list, Form E, CMR, and a few more pages


class ShipmentForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Chiều hàng"), choices=Shipment.Direction.choices, widget=forms.RadioSelect
    )
    border_gate = forms.ModelChoiceField(label=_("Cửa khẩu"), queryset=Shipment.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["border_gate"].queryset = border_gates()  # type: ignore[attr-defined]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadForm(forms.Form):
    """Only renders the input: the files are read by the view, each one refused or kept on its own."""

    upload = forms.FileField(
        label=_("Chứng từ (PDF, PNG hoặc JPEG)"),
        help_text=_("Chọn một hoặc nhiều tệp: hóa đơn, phiếu đóng gói, C/O mẫu E, CMR."),
        widget=MultipleFileInput(
            attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}
        ),
    )


class CorrectionForm(forms.Form):
    field = forms.ChoiceField(label=_("Trường cần sửa"))
    value = forms.CharField(label=_("Giá trị đúng"), max_length=500)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices  # type: ignore[attr-defined]
