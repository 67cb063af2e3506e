"""What the API attack tests share: the stored state a refused request must leave as it was,
the ids a person's list shows (theirs to read, not to be refused), and the answers to huge,
malformed ids and nested bodies on every collection."""

from __future__ import annotations

NESTED = {"a": {"b": {"c": [[[[{"d": "x" * 10}]]]]}}, "unit": {"id": 1}}
BAD_IDS = ("99999999999999999999", "abc", "-1", "1e9")


def snapshot(model, pk: int) -> dict:
    """The stored fields of one record (what a refused request must leave as it was)."""
    row = model._default_manager.filter(pk=pk).values().first()
    return {k: v for k, v in (row or {}).items() if k != "updated_at"}


def visible_ids(api, prefix: str) -> set:
    listed = api.get(f"/api/{prefix}/")
    if listed.status_code != 200:
        return set()
    body = listed.json()
    rows = body["results"] if isinstance(body, dict) and "results" in body else body
    return {row["id"] for row in rows if isinstance(row, dict) and "id" in row}


def assert_bad_ids_and_bodies_refused(api, prefixes) -> None:
    for prefix in prefixes:
        for bad in BAD_IDS:
            answer = api.get(f"/api/{prefix}/{bad}/")
            assert answer.status_code in {400, 403, 404}, (prefix, bad, answer.status_code)
        answer = api.post(f"/api/{prefix}/", NESTED, format="json")
        assert answer.status_code in {400, 403, 405}, (prefix, answer.status_code)
        if answer.status_code == 400:
            assert answer.json(), prefix
