from django.urls import path

from langson.core import views

app_name = "core"

urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("audit/", views.audit_view, name="audit"),
]
