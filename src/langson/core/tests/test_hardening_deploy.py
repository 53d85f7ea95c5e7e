"""Production settings: `langson check --deploy` passes with the production switch, and the platform
refuses to start without its secret key from the environment (or with DEBUG on)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

LANGSON = str(Path(sys.executable).with_name("langson"))


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LANGSON_", "PYTEST", "DJANGO_SETTINGS"))}
    env.pop("DATABASE_URL", None)
    env.update(
        LANGSON_PRODUCTION="1",
        LANGSON_SECRET_KEY=secrets.token_urlsafe(50),
        LANGSON_ALLOWED_HOSTS="ioc.langson.gov.vn",
        LANGSON_CSRF_TRUSTED_ORIGINS="https://ioc.langson.gov.vn",
        LANGSON_DATA_DIR=str(tmp_path),
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v != ""}


def langson(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [LANGSON, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)  # noqa: S603


SHOW_SETTINGS = """
import json
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in (
    "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT",
    "RATE_LIMITS")}))
"""


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = production_env(tmp_path)
    result = langson(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    shown = langson(env, "shell", "--no-imports", "-c", SHOW_SETTINGS)
    assert shown.returncode == 0, shown.stderr
    values = json.loads(shown.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_HSTS_PRELOAD"] is False  # the province's DNS owners decide
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["RATE_LIMITS"] == {"login": "30/900", "api": "1200/60", "api_anonymous": "300/60"}
    # No key file was written: the key came from the environment.
    assert not (tmp_path / "secret_key").exists()


def test_the_embedded_settings_would_fail_the_deploy_check(tmp_path):
    """The check is not vacuous: without the production switch it names what is missing."""
    env = production_env(tmp_path, LANGSON_PRODUCTION="")
    result = langson(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_production_refuses_to_start_without_the_secret_key(tmp_path):
    (tmp_path / "secret_key").write_text(secrets.token_urlsafe(50))  # a key file must not be enough
    result = langson(production_env(tmp_path, LANGSON_SECRET_KEY=""), "check")
    assert result.returncode != 0
    assert "Thiếu LANGSON_SECRET_KEY" in result.stderr
    assert "LANGSON_SECRET_KEY is missing" in result.stderr


def test_production_refuses_debug(tmp_path):
    result = langson(production_env(tmp_path, LANGSON_DEBUG="1"), "check")
    assert result.returncode != 0
    assert "LANGSON_DEBUG không được bật" in result.stderr and "must be off in production" in result.stderr


@pytest.mark.django_db
def test_https_redirect_spares_the_probes_and_hsts_is_sent(settings):
    """What the production values do (Django's SecurityMiddleware reads them when the client starts)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()
    response = client.get("/login/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/login/"
    assert client.get("/healthz").status_code in (200, 503)  # the load balancer's probe over plain HTTP
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200
    secure = client.get("/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
