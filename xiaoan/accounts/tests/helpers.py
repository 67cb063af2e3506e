"""Small assertions shared by the people-and-access tests."""

from __future__ import annotations

PASSWORD = "Xiaoan@2026"


def error_of(response) -> dict:
    """The structured API error body, checked for its shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)
