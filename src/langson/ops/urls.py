"""Pages of operations under /van-hanh/."""

from __future__ import annotations

from django.urls import URLPattern, path

app_name = "ops"

urlpatterns: list[URLPattern] = []

# Backups and restore drills (views_backup).
from langson.ops import views_backup  # noqa: E402

urlpatterns += [path("sao-luu/", views_backup.backups_page, name="backups")]

# Uptime of provincial systems and the public status page (views_uptime).
from langson.ops import views_uptime  # noqa: E402 - each part imports its views in its own block

urlpatterns += [
    path("he-thong/", views_uptime.system_list, name="systems"),
    path("he-thong/them/", views_uptime.system_create, name="system-add"),
    path("he-thong/<slug:code>/", views_uptime.system_detail, name="system"),
    path("he-thong/<slug:code>/sua/", views_uptime.system_edit, name="system-edit"),
    path("trang-thai/", views_uptime.status_page, name="status"),
]
