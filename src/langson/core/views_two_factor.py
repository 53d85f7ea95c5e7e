"""Sign-in with the optional second factor, and the pages to turn it on, off, or reset it.

Sign-in: the password first (axes counts failures per user name and address; core/ratelimit.py per
address). A person with two-factor on is not signed in yet: the session (given a new key) remembers who
passed the password for five minutes, and the code page finishes the sign-in. Wrong codes count like
wrong passwords (axes and the address limit), and five of them send the person back to the password.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.signals import user_login_failed
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from langson.core import ratelimit, two_factor
from langson.core.models import TwoFactorDevice, User, scoped
from langson.core.session_expiry import mark_login

PENDING = "langson_two_factor_pending"
PENDING_SECONDS = 300
MAX_CODE_FAILURES = 5


def rate_limited(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = render(request, "core/rate_limited.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _safe_next(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's sign-in with an address limit in front and the second factor behind."""

    template_name = "core/login.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        blocked = ratelimit.login_blocked(request)
        if not blocked.allowed:
            return rate_limited(request, blocked.retry_after)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        ratelimit.login_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.active_device(user) is None:
            response = super().form_valid(form)
            mark_login(self.request)
            return response
        request = self.request
        request.session.flush()  # a new key and nothing from before: no fixation
        request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "failures": 0,
        }
        target = reverse("login-two-factor")
        after = self.get_redirect_url()
        return HttpResponseRedirect(target + (f"?{urlencode({'next': after})}" if after else ""))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=40,
        help_text=gettext_lazy("6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "required": True,
            }
        ),
    )


def _drop_pending(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    messages.error(request, message)
    return redirect("login")


@sensitive_post_parameters("code")
@never_cache
def two_factor_login(request: HttpRequest) -> HttpResponseBase:
    """Second step of sign-in: the code from the person's app (or a recovery code)."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        return _drop_pending(request, _("Đã quá thời gian nhập mã, vui lòng đăng nhập lại."))
    user = User.objects.filter(pk=int(pending.get("user") or 0), is_active=True).first()
    if user is None or two_factor.active_device(user) is None:
        return _drop_pending(request, _("Vui lòng đăng nhập lại."))
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, credentials=credentials)
    after = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        blocked = ratelimit.login_blocked(request)
        if not blocked.allowed:
            return rate_limited(request, blocked.retry_after)
        if form.is_valid():
            try:
                accepted = two_factor.verify(user, form.cleaned_data["code"])
            except two_factor.TwoFactorError as exc:
                return _drop_pending(request, str(exc))
            if accepted:
                request.session.pop(PENDING, None)
                auth.login(request, user, backend=pending["backend"])
                mark_login(request)
                return HttpResponseRedirect(after)
        pending["failures"] = int(pending.get("failures", 0)) + 1
        request.session[PENDING] = pending
        ratelimit.login_failed(request)
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if pending["failures"] >= MAX_CODE_FAILURES:
            return _drop_pending(request, _("Nhập sai mã quá nhiều lần, vui lòng đăng nhập lại."))
        form.add_error(None, _("Mã xác thực không đúng hoặc đã được dùng."))
    return render(request, "core/two_factor_login.html", {"form": form, "next": after})


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "required": True}),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password


def _password_confirmed(request: HttpRequest, form: PasswordConfirmForm) -> bool:
    """A wrong password here counts like a failed sign-in: a borrowed session must not guess it freely."""
    if form.is_valid():
        return True
    ratelimit.login_failed(request)
    return False


@sensitive_post_parameters("password", "code")
@never_cache
@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    """Turn two-factor on (secret and QR, confirmed by a first code), renew recovery codes, turn it off."""
    user: User = request.user  # type: ignore[assignment]
    device = TwoFactorDevice.objects.filter(user=user).first()
    code_form = CodeForm()
    password_form = PasswordConfirmForm(user)
    fresh_codes: list[str] | None = None
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action in ("disable", "recovery", "confirm", "start"):
        blocked = ratelimit.login_blocked(request)
        if not blocked.allowed:
            return rate_limited(request, blocked.retry_after)
    if action == "start" and (device is None or not device.is_active):
        two_factor.start_enrolment(user)
        return redirect("core:two-factor")
    if action == "cancel" and device is not None and not device.is_active:
        device.delete()
        return redirect("core:two-factor")
    if action == "confirm" and device is not None and not device.is_active:
        code_form = CodeForm(request.POST)
        confirmed = None
        if code_form.is_valid():
            confirmed = two_factor.confirm_enrolment(device, code_form.cleaned_data["code"])
        if confirmed is None:
            ratelimit.login_failed(request)
            code_form.add_error(None, _("Mã xác thực không đúng. Kiểm tra giờ trên điện thoại và thử lại."))
        else:
            device, fresh_codes = confirmed.device, confirmed.recovery_codes
            messages.success(request, _("Đã bật xác thực hai lớp."))
    if action in ("disable", "recovery") and device is not None and device.is_active:
        password_form = PasswordConfirmForm(user, request.POST)
        if _password_confirmed(request, password_form):
            if action == "disable":
                two_factor.disable(user)
                messages.success(request, _("Đã tắt xác thực hai lớp."))
                return redirect("core:two-factor")
            fresh_codes = two_factor.replace_recovery_codes(device)
            messages.success(request, _("Đã tạo bộ mã khôi phục mới; các mã cũ không còn dùng được."))
            password_form = PasswordConfirmForm(user)
    context: dict[str, Any] = {
        "device": device,
        "code_form": code_form,
        "password_form": password_form,
        "fresh_codes": fresh_codes,
    }
    if device is not None and not device.is_active:
        context["qr"] = two_factor.qr_data_uri(device)
        context["secret"] = two_factor.grouped(two_factor.secret_of(device))
    return render(request, "core/two_factor.html", context)


@never_cache
@login_required
@permission_required("core.delete_twofactordevice", raise_exception=True)
def two_factor_admin(request: HttpRequest) -> HttpResponse:
    """Administrators reset the two-factor of a person who lost their phone (audited as a delete)."""
    # Administrators' scope is the whole province (scoped() returns everyone, unit or not).
    people = scoped(User.objects.filter(two_factor__isnull=False), request.user, "org_unit__path")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    people = people.select_related("org_unit", "two_factor").order_by("username")
    return render(request, "core/two_factor_admin.html", {"people": people[:200], "q": query})


@require_POST
@login_required
@permission_required("core.delete_twofactordevice", raise_exception=True)
def two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    person = scoped(User.objects.all(), request.user, "org_unit__path").filter(pk=user_id).first()
    if person is None:
        raise Http404(_("Không tìm thấy người dùng."))
    if two_factor.disable(person):
        messages.success(
            request,
            _("Đã đặt lại xác thực hai lớp của %(name)s; lần đăng nhập sau chỉ cần mật khẩu.")
            % {"name": person},
        )
    return redirect("core:two-factor-admin")
