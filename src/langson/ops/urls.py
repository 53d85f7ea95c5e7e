"""Pages of operations under /van-hanh/."""

from __future__ import annotations

from django.urls import URLPattern, path  # noqa: F401

app_name = "ops"

urlpatterns: list[URLPattern] = []

# Backups and restore drills (views_backup).
urlpatterns += []

# Uptime of provincial systems and the public status page (views_uptime).
urlpatterns += []
