"""The device form, used by the pages and by the API (one set of rules, one set of messages)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from langson.city import registry
from langson.city.ingest.broker import RESERVED_PREFIX
from langson.city.models import Device
from langson.core.models import OrgUnit
from langson.core.services import geo

RESERVED_IDS = frozenset({"them"})  # page paths under /do-thi/thiet-bi/
MAX_ATTRIBUTES_CHARS = 4000
EDITABLE = (
    "name",
    "type",
    "parent",
    "commune",
    "owner",
    "latitude",
    "longitude",
    "offline_after_s",
    "attributes",
)


class DeviceForm(forms.ModelForm):
    """Create (with ``device_id``) or edit a device. The id is fixed once created: it is the device's MQTT
    user name and topic segment, and its secret is bound to it."""

    class Meta:
        model = Device
        fields = ("device_id", *EDITABLE)
        widgets = {
            "attributes": forms.Textarea(attrs={"rows": 3}),
            "latitude": forms.NumberInput(attrs={"step": "0.000001"}),
            "longitude": forms.NumberInput(attrs={"step": "0.000001"}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        owner = self.fields["owner"]
        commune = self.fields["commune"]
        parent = self.fields["parent"]
        assert isinstance(owner, forms.ModelChoiceField)  # noqa: S101 - ModelForm of ForeignKeys
        assert isinstance(commune, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(parent, forms.ModelChoiceField)  # noqa: S101
        # Units by code and parents by device id: the same values in the page's options and in the API.
        owner.queryset = registry.owner_choices(user)
        owner.to_field_name = "code"
        commune.queryset = registry.commune_choices()
        commune.to_field_name = "code"
        parent.to_field_name = "device_id"
        parents = registry.managed_devices(user).filter(active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
            # model_to_dict gives primary keys; these fields are keyed by code and device id.
            self.initial.update(
                commune=self.instance.commune, owner=self.instance.owner, parent=self.instance.parent
            )
            self.fields["device_id"].disabled = True
        parent.queryset = parents
        self.fields["device_id"].help_text = _(
            "Chữ cái không dấu, chữ số, dấu gạch ngang hoặc gạch dưới; không đổi được sau khi tạo."
        )
        self.fields["attributes"].help_text = _(
            'Dạng JSON, tên thuộc tính theo FIWARE, ví dụ {"powerConsumption": 120}.'
        )

    def full_clean(self) -> None:
        # U+0000 never reaches a query (PostgreSQL refuses it, even in a lookup by code).
        if self.is_bound:
            nul = [name for name in self.fields if any("\x00" in str(v) for v in self._values(name))]
            if nul:
                self._errors = ErrorDict()
                self.cleaned_data = {}
                for name in nul:
                    self.add_error(
                        name, forms.ValidationError(_("Có ký tự không hợp lệ (NUL)."), code="null_characters")
                    )
                return
        super().full_clean()

    def _values(self, name: str) -> list[Any]:
        getter = getattr(self.data, "getlist", None)
        key = self.add_prefix(name)
        if getter is not None:
            return list(getter(key))
        value = self.data.get(key)
        return [] if value is None else [value]

    def clean_device_id(self) -> str:
        value = str(self.cleaned_data["device_id"])
        if self.instance.pk:
            return str(self.instance.device_id)
        if value.lower() in RESERVED_IDS:
            raise forms.ValidationError(
                _("“%(id)s” là tên dành riêng của trang, hãy chọn mã khác."),
                params={"id": value},
                code="reserved",
            )
        if value.lower().startswith(RESERVED_PREFIX):
            raise forms.ValidationError(
                _("Mã thiết bị không được bắt đầu bằng “%(prefix)s” (dành cho tài khoản dịch vụ)."),
                params={"prefix": RESERVED_PREFIX},
                code="reserved",
            )
        return value

    def clean_attributes(self) -> Any:
        value = self.cleaned_data.get("attributes")
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError(
                _("Thuộc tính tĩnh phải là một đối tượng JSON {…}."), code="attributes_not_object"
            )
        text = json.dumps(value)
        if "\\u0000" in text:
            raise forms.ValidationError(_("Có ký tự không hợp lệ (NUL)."), code="null_characters")
        if len(text) > MAX_ATTRIBUTES_CHARS:
            raise forms.ValidationError(
                _("Thuộc tính tĩnh quá dài (tối đa %(max)s ký tự JSON)."),
                params={"max": MAX_ATTRIBUTES_CHARS},
                code="attributes_too_long",
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lon, commune = data.get("latitude"), data.get("longitude"), data.get("commune")
        if lat is None or lon is None:
            return data
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.add_error("latitude", forms.ValidationError(_("Tọa độ không hợp lệ."), code="coordinates"))
            return data
        # Only where the place is entered or changed: devices placed by other means are not re-judged.
        if self.instance.pk and not {"latitude", "longitude", "commune"} & set(self.changed_data):
            return data
        found = geo.commune_at(lon, lat)
        if found is None:
            self.add_error(
                "latitude",
                forms.ValidationError(
                    _("Tọa độ (%(lat)s, %(lon)s) nằm ngoài tỉnh Lạng Sơn; hãy kiểm tra vĩ độ, kinh độ."),
                    params={"lat": lat, "lon": lon},
                    code="outside_province",
                ),
            )
        elif isinstance(commune, OrgUnit) and str(found) != commune.code:
            there = OrgUnit.objects.filter(code=str(found)).first()
            self.add_error(
                "commune",
                forms.ValidationError(
                    _("Tọa độ nằm ở %(there)s, không phải %(chosen)s."),
                    params={"there": there.name if there else found, "chosen": commune.name},
                    code="other_commune",
                ),
            )
        return data

    def validate_unique(self) -> None:
        # Check the id whatever the case (Mosquitto user names and topics are case-sensitive, people are not).
        super().validate_unique()
        device_id = self.cleaned_data.get("device_id")
        fresh = not self.instance.pk and device_id and "device_id" not in self.errors
        if fresh and Device.objects.filter(device_id__iexact=device_id).exists():
            self.add_error(
                "device_id",
                forms.ValidationError(
                    _("Mã thiết bị “%(id)s” đã có."), params={"id": device_id}, code="duplicate"
                ),
            )


class CommandForm(forms.Form):
    """A street light's command from its page: switch on, switch off, or dim to a level."""

    ACTIONS = (("on", _("Bật")), ("off", _("Tắt")), ("dim", _("Giảm độ sáng")))

    action = forms.ChoiceField(label=_("Lệnh"), choices=ACTIONS)
    level = forms.IntegerField(
        label=_("Mức sáng"),
        min_value=1,
        max_value=100,
        required=False,
        initial=50,
        error_messages={
            "min_value": _("Mức sáng từ 1 đến 100 %%."),
            "max_value": _("Mức sáng từ 1 đến 100 %%."),
            "invalid": _("Mức sáng phải là một số nguyên."),
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "dim" and data.get("level") is None and "level" not in self.errors:
            self.add_error("level", forms.ValidationError(_("Hãy nhập mức sáng."), code="level_required"))
        return data
