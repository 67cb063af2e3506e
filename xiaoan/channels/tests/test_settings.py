"""The channel settings stop start-up with a message naming the variable when wrong."""

from __future__ import annotations

import pytest

from xiaoan.core.tests.test_settings_validation import run


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("XIAOAN_SMS_BACKEND", "smtp please"),
        ("XIAOAN_CHANNEL_TIMEOUT", "0"),
        ("XIAOAN_CHANNEL_MAX_ATTEMPTS", "many"),
        ("XIAOAN_SITE_URL", "xiaoan.example.edu.cn"),
    ],
)
def test_it_refuses_a_bad_channel_setting(tmp_path, name, value):
    result = run(tmp_path, **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_it_accepts_a_gateway_class_path(tmp_path):
    result = run(tmp_path, XIAOAN_SMS_BACKEND="myschool.sms.AliyunBackend")
    assert result.returncode == 0, result.stderr
