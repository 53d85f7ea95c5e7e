from django.urls import path

from langson.core import views, views_account, views_two_factor

app_name = "core"

urlpatterns = [
    path("units/", views.unit_list, name="units"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("audit/", views.audit_view, name="audit"),
    path("tai-khoan/", views_account.account, name="account"),
    path("tai-khoan/doi-mat-khau/", views_account.PasswordChangeView.as_view(), name="password-change"),
    path("tai-khoan/xac-thuc-hai-lop/", views_two_factor.two_factor_settings, name="two-factor"),
    path("tai-khoan/xac-thuc-hai-lop/dat-lai/", views_two_factor.two_factor_admin, name="two-factor-admin"),
    path(
        "tai-khoan/xac-thuc-hai-lop/dat-lai/<int:user_id>/",
        views_two_factor.two_factor_reset,
        name="two-factor-reset",
    ),
]
