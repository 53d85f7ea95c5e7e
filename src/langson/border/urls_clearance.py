"""Clearance pages under /cua-khau/thong-quan/ (namespace "border")."""

from __future__ import annotations

from django.urls import URLPattern, path

from langson.border import views_clearance as views

urlpatterns: list[URLPattern] = [
    path("thong-quan/", views.home, name="clearance"),
    path("thong-quan/mau-su-kien-xe.csv", views.csv_template, name="clearance-template"),
    path("thong-quan/tai-len/", views.upload, name="clearance-upload"),
    path("thong-quan/lo/<int:pk>/", views.batch_page, name="clearance-batch"),
    path("thong-quan/<str:code>/", views.gate_page, name="clearance-gate"),
    path("thong-quan/<str:code>/ghi/", views.record, name="clearance-record"),
    path("thong-quan/<str:code>/xe/<path:reference>/", views.visit_page, name="clearance-visit"),
]
