"""Pages of the smart city under /do-thi/."""

from __future__ import annotations

from django.urls import URLPattern, path

from langson.city import views_air, views_devices, views_parking

app_name = "city"

urlpatterns: list[URLPattern] = []

# The device registry and the device map (views_devices).
urlpatterns += [
    path("thiet-bi/", views_devices.device_list, name="devices"),
    path("thiet-bi/them/", views_devices.device_create, name="device-add"),
    path("thiet-bi/<slug:device_id>/", views_devices.device_detail, name="device"),
    path("thiet-bi/<slug:device_id>/trang-thai/", views_devices.device_live, name="device-live"),
    path("thiet-bi/<slug:device_id>/sua/", views_devices.device_edit, name="device-edit"),
    path("thiet-bi/<slug:device_id>/hoat-dong/", views_devices.device_active, name="device-active"),
    path("thiet-bi/<slug:device_id>/mat-khau/", views_devices.device_secret, name="device-secret"),
    path("thiet-bi/<slug:device_id>/lenh/", views_devices.device_command, name="device-command"),
    path("ban-do/", views_devices.device_map, name="map"),
]

# Public parking (no login) and the air-quality station map (views_parking, views_air).
urlpatterns += [
    path("bai-do-xe/", views_parking.parking_page, name="parking"),
    path("khong-khi/", views_air.air_page, name="air"),
]
