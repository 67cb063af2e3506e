"""Start-up stops with a message naming the variable when the environment is wrong.

Each case runs `python -m xiaoan check` in a fresh process with its own environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 64


def run(tmp_path, *args: str, **variables: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("XIAOAN_") and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env["DJANGO_SETTINGS_MODULE"] = "xiaoan.settings"
    env["XIAOAN_DATA_DIR"] = str(tmp_path / "var")
    env.update(variables)
    return subprocess.run(
        [sys.executable, "-m", "xiaoan", *(args or ("check",))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "XIAOAN_ENV": "production",
    "XIAOAN_SECRET_KEY": GOOD_KEY,
    "XIAOAN_ALLOWED_HOSTS": "xiaoan.example.edu.cn",
    "XIAOAN_FIELD_KEYS": "k1:QUFBQUFBQUFBQUFBQUFBQQ==",
    "XIAOAN_LOOKUP_KEY": "TExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTEw=",
    "XIAOAN_AUDIT_KEY": "a" * 40,
}

BAD = [
    ({"XIAOAN_ENV": "production", "XIAOAN_ALLOWED_HOSTS": "x.cn"}, "XIAOAN_SECRET_KEY"),
    ({**PRODUCTION, "XIAOAN_SECRET_KEY": "short"}, "XIAOAN_SECRET_KEY"),
    ({"XIAOAN_ENV": "production", "XIAOAN_SECRET_KEY": GOOD_KEY}, "XIAOAN_ALLOWED_HOSTS"),
    ({**PRODUCTION, "XIAOAN_DEBUG": "true"}, "XIAOAN_DEBUG"),
    ({**PRODUCTION, "XIAOAN_AUDIT_KEY": ""}, "XIAOAN_AUDIT_KEY"),
    ({**PRODUCTION, "XIAOAN_AUDIT_KEY": "short"}, "XIAOAN_AUDIT_KEY"),
    ({"XIAOAN_ENV": "staging"}, "XIAOAN_ENV"),
    ({"XIAOAN_LOG_FORMAT": "xml"}, "XIAOAN_LOG_FORMAT"),
    ({"XIAOAN_METRICS_TOKEN": "short"}, "XIAOAN_METRICS_TOKEN"),
    ({"XIAOAN_METRICS_NETWORKS": "10.0.0.0/33"}, "XIAOAN_METRICS_NETWORKS"),
    ({"XIAOAN_DEBUG": "maybe"}, "XIAOAN_DEBUG"),
    ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ({"REDIS_URL": "memcached://localhost"}, "REDIS_URL"),
    ({"XIAOAN_HUEY_WORKERS": "0"}, "XIAOAN_HUEY_WORKERS"),
    ({"XIAOAN_HUEY_WORKERS": "two"}, "XIAOAN_HUEY_WORKERS"),
    ({"XIAOAN_SESSION_HOURS": "-1"}, "XIAOAN_SESSION_HOURS"),
    ({"XIAOAN_LOGIN_FAILURE_LIMIT": "0"}, "XIAOAN_LOGIN_FAILURE_LIMIT"),
    ({"XIAOAN_LOG_LEVEL": "LOUD"}, "XIAOAN_LOG_LEVEL"),
    ({"XIAOAN_SECURE_COOKIES": "sometimes"}, "XIAOAN_SECURE_COOKIES"),
    ({"XIAOAN_RATE_WRITE": "lots"}, "XIAOAN_RATE_WRITE"),
    ({"XIAOAN_HSTS_SECONDS": "-5"}, "XIAOAN_HSTS_SECONDS"),
    ({"XIAOAN_PASSWORD_MIN_LENGTH": "6"}, "XIAOAN_PASSWORD_MIN_LENGTH"),
    ({"XIAOAN_PASSWORD_CLASSES": "5"}, "XIAOAN_PASSWORD_CLASSES"),
    # Single sign-on: the client id turns it on, and then every endpoint is required.
    ({"XIAOAN_OIDC_CLIENT_ID": "xiaoan"}, "XIAOAN_OIDC_ISSUER"),
    (
        {**PRODUCTION, "XIAOAN_OIDC_CLIENT_ID": "x", "XIAOAN_OIDC_ISSUER": "http://idp.cn"},
        "XIAOAN_OIDC_ISSUER",
    ),
]


@pytest.mark.parametrize(
    ("variables", "named"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)]
)
def test_it_stops_with_a_message_naming_the_variable(variables, named, tmp_path):
    result = run(tmp_path, **variables)
    assert result.returncode != 0, result.stdout
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line, result.stderr
    assert named in last_line


def test_it_passes_the_check_with_a_complete_production_environment(tmp_path):
    result = run(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_passes_the_check_with_the_development_defaults(tmp_path):
    result = run(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var").is_dir()  # the data directory is created on start-up


def test_it_reads_the_login_failure_limit_and_cool_off_from_the_environment(tmp_path):
    code = (
        "from django.conf import settings; "
        "print(settings.AXES_FAILURE_LIMIT, settings.AXES_COOLOFF_TIME, settings.AXES_ENABLED)"
    )
    result = run(
        tmp_path,
        "shell",
        "--no-imports",
        "-c",
        code,
        XIAOAN_LOGIN_FAILURE_LIMIT="3",
        XIAOAN_LOGIN_COOLOFF_MINUTES="15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["3", "0.25", "True"]


def test_it_passes_the_deployment_check_in_production(tmp_path):
    key = "Zq8-w3LpX_t9Rv2mKc7Hn4Jd6Fb1Gs5Ye0Ua8Ti3Oo2Pe7Wr4Qx6Mz9Nv1Bc5Lk"
    variables = {**PRODUCTION, "XIAOAN_SECRET_KEY": key}
    result = run(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **variables)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_sends_hsts_and_redirects_to_https_in_production(tmp_path):
    code = (
        "from django.test import Client; c = Client(HTTP_HOST='xiaoan.example.edu.cn'); "
        "plain = c.get('/accounts/login/'); "
        "schema = c.get('/api/schema/', secure=True); "
        "docs = c.get('/api/docs/', secure=True); "
        "login = c.get('/accounts/login/', secure=True); "
        "print(plain.status_code, plain['Location'], schema.status_code, docs.status_code, "
        "login['Strict-Transport-Security'])"
    )
    result = run(tmp_path, "shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    plain, location, schema, docs, hsts = result.stdout.strip().splitlines()[-1].split(" ", 4)
    assert plain == "301" and location.startswith("https://xiaoan.example.edu.cn/")
    assert schema in ("401", "403") and docs in ("401", "403")  # the API map needs a login
    assert hsts == "max-age=31536000; includeSubDomains"
