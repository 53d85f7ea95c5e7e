"""The person's own account: an overview, "Đổi mật khẩu" (through the province's password rules)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from langson.core import ratelimit, two_factor
from langson.core.views_two_factor import rate_limited


@login_required
def account(request: HttpRequest) -> HttpResponse:
    device = two_factor.active_device(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "core/account.html",
        {
            "two_factor_on": device is not None,
            "recovery_left": two_factor.remaining_recovery_codes(device) if device else 0,
            "can_reset_others": request.user.has_perm("core.delete_twofactordevice"),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change form (old password, new one twice, every AUTH_PASSWORD_VALIDATORS rule) with the
    sign-in address limit on wrong old passwords. The change itself is audited (the hash masked)."""

    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:account")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        blocked = ratelimit.login_blocked(request)
        if not blocked.allowed:
            return rate_limited(request, blocked.retry_after)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if "old_password" in form.errors:
            ratelimit.login_failed(self.request)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response
