"""Pages of operations under /van-hanh/."""

from __future__ import annotations

from django.urls import URLPattern, path

app_name = "ops"

urlpatterns: list[URLPattern] = []

# Backups and restore drills (views_backup).
from langson.ops import views_backup  # noqa: E402

urlpatterns += [path("sao-luu/", views_backup.backups_page, name="backups")]

# Uptime of provincial systems and the public status page (views_uptime).
urlpatterns += []
