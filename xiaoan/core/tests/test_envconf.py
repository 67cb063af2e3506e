"""xiaoan.envconf.Env: typed readers over an environment mapping, each refusing a bad value with
a message that names the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from xiaoan.envconf import Env


def test_it_reads_strings_with_defaults_and_trims_them():
    env = Env({"NAME": "  value  ", "EMPTY": "", "BLANK": "   "})
    assert env.str("NAME") == "value"
    assert env.str("EMPTY", "default") == "default"
    assert env.str("BLANK", "default") == "default"
    assert env.str("MISSING", "default") == "default"
    assert env.str("MISSING") == ""


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "Yes", "on", " true "])
def test_it_reads_true_booleans(raw):
    assert Env({"FLAG": raw}).bool("FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "False", "NO", "off"])
def test_it_reads_false_booleans(raw):
    assert Env({"FLAG": raw}).bool("FLAG", True) is False


def test_it_uses_the_boolean_default_when_missing():
    assert Env({}).bool("FLAG", True) is True
    assert Env({}).bool("FLAG", False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "y", "enabled"])
def test_it_refuses_a_bad_boolean_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match=r"^XIAOAN_DEBUG=.*not a boolean"):
        Env({"XIAOAN_DEBUG": raw}).bool("XIAOAN_DEBUG", False)


def test_it_reads_whole_numbers():
    env = Env({"N": " 42 ", "EMPTY": "", "NEG": "-3"})
    assert env.int("N", 1) == 42
    assert env.int("EMPTY", 7) == 7
    assert env.int("MISSING", 7) == 7
    assert env.int("NEG", 0) == -3
    assert env.int("N", 1, minimum=42) == 42


@pytest.mark.parametrize("raw", ["two", "1.5", "1e3", "0x10"])
def test_it_refuses_a_bad_number_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match=r"^XIAOAN_HUEY_WORKERS=.*whole number"):
        Env({"XIAOAN_HUEY_WORKERS": raw}).int("XIAOAN_HUEY_WORKERS", 2)


def test_it_refuses_a_number_below_the_minimum_naming_the_variable():
    with pytest.raises(ImproperlyConfigured, match=r"^XIAOAN_HUEY_WORKERS=0 must be at least 1"):
        Env({"XIAOAN_HUEY_WORKERS": "0"}).int("XIAOAN_HUEY_WORKERS", 2, minimum=1)


def test_it_reads_comma_separated_lists():
    env = Env({"HOSTS": " a.cn, b.cn ,,c.cn ,", "EMPTY": ""})
    assert env.list("HOSTS", []) == ["a.cn", "b.cn", "c.cn"]
    assert env.list("EMPTY", ["x"]) == ["x"]
    default = ["y"]
    result = Env({}).list("MISSING", default)
    assert result == ["y"] and result is not default  # the default is never shared


def test_it_reads_choices():
    env = Env({"XIAOAN_ENV": "production"})
    assert env.choice("XIAOAN_ENV", "development", ("development", "production")) == "production"
    assert Env({}).choice("XIAOAN_ENV", "development", ("development", "production")) == (
        "development"
    )


@pytest.mark.parametrize("raw", ["prod", "Production", "test"])
def test_it_refuses_an_unknown_choice_naming_the_variable_and_the_choices(raw):
    with pytest.raises(ImproperlyConfigured) as caught:
        Env({"XIAOAN_ENV": raw}).choice("XIAOAN_ENV", "development", ("development", "production"))
    message = str(caught.value)
    assert message.startswith("XIAOAN_ENV=")
    assert "development, production" in message


@pytest.mark.parametrize(
    "raw",
    [
        "sqlite:////tmp/x.sqlite3",
        "postgres://u:p@db:5432/xiaoan",
        "postgresql://u@db/xiaoan",
    ],
)
def test_it_accepts_urls_with_an_allowed_scheme(raw):
    schemes = ("sqlite", "postgres", "postgresql")
    assert Env({"DATABASE_URL": raw}).url("DATABASE_URL", "", schemes) == raw


def test_it_accepts_an_empty_url_default():
    assert Env({}).url("REDIS_URL", "", ("redis",)) == ""
    assert Env({"REDIS_URL": ""}).url("REDIS_URL", "", ("redis",)) == ""


@pytest.mark.parametrize("raw", ["mysql://x", "http://db", "db.example:5432"])
def test_it_refuses_a_url_with_another_scheme_naming_the_variable(raw):
    with pytest.raises(ImproperlyConfigured) as caught:
        Env({"DATABASE_URL": raw}).url("DATABASE_URL", "", ("sqlite", "postgres"))
    message = str(caught.value)
    assert message.startswith("DATABASE_URL ")
    assert "sqlite://" in message and "postgres://" in message


def test_it_never_echoes_a_refused_url_that_may_hold_a_password():
    with pytest.raises(ImproperlyConfigured) as caught:
        Env({"DATABASE_URL": "mysql://u:s3cret@db/x"}).url("DATABASE_URL", "", ("postgres",))
    assert "s3cret" not in str(caught.value)


def test_it_refuses_a_bare_scheme_without_an_address():
    with pytest.raises(ImproperlyConfigured):
        Env({"REDIS_URL": "redis"}).url("REDIS_URL", "", ("redis",))


def test_it_treats_an_empty_boolean_as_unset():
    assert Env({"XIAOAN_SECURE_COOKIES": ""}).bool("XIAOAN_SECURE_COOKIES", True) is True


def test_it_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("XIAOAN_TEST_ONLY_VALUE", "from-os")
    assert Env().str("XIAOAN_TEST_ONLY_VALUE") == "from-os"
