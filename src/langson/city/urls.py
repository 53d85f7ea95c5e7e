"""Pages of the smart city under /do-thi/."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "city"

urlpatterns: list[URLPattern] = []
