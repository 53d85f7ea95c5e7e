from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from langson.api import api
from langson.core import views as core_views

admin.site.site_header = _("Quản trị nền tảng tỉnh số Lạng Sơn")
admin.site.site_title = _("Lạng Sơn số")
admin.site.index_title = _("Quản trị")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("langson.core.urls")),
    path("ioc/", include("langson.ioc.urls")),
    path("", include("langson.services.urls")),
    path("cua-khau/", include("langson.border.urls")),
    path("do-thi/", include("langson.city.urls")),
    path("van-hanh/", include("langson.ops.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
