"""Helpers the access-matrix tests share: who asks, and what they must get."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

LOGIN = "login"  # expected: sent to the login page (anonymous)


def page_client(client_for, who: str | None) -> Client:
    """A logged-in test client for persona `who`, or an anonymous one."""
    return client_for(who) if who else Client()


def check_page(response, expected) -> None:
    """A page answered `expected` (a status code, or LOGIN for the login redirect)."""
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.content.decode()[:300]
