from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from langson.api import api
from langson.core import views as core_views
from langson.core import views_two_factor

admin.site.site_header = _("Quản trị nền tảng tỉnh số Lạng Sơn")
admin.site.site_title = _("Lạng Sơn số")
admin.site.index_title = _("Quản trị")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", views_two_factor.LoginView.as_view(), name="login"),
    path("login/ma-xac-thuc/", views_two_factor.two_factor_login, name="login-two-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("core/", include("langson.core.urls")),
    path("ioc/", include("langson.ioc.urls")),
    path("", include("langson.services.urls")),
    path("cua-khau/", include("langson.border.urls")),
    path("do-thi/", include("langson.city.urls")),
    path("van-hanh/", include("langson.ops.urls")),
    path("trang-thai/", RedirectView.as_view(url="/van-hanh/trang-thai/"), name="status-short"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("api/", api.urls),
    # The admin signs in through the same page (address limit, second factor), not its own form.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", admin.site.urls),
]
