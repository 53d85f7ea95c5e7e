"""Pages of the border gate under /cua-khau/."""

from __future__ import annotations

from django.urls import include, path

app_name = "border"

urlpatterns = [
    path("", include("langson.border.urls_documents")),
    path("", include("langson.border.urls_clearance")),
]
