"""The built-in checklist library (xiaoan/inspections/library/*.json) is well-formed data.

Plain file checks: no database, no models. The verified criterion codes are copied from
docs/major-hazard-criteria.md §7 (第三条 消防管理, direct determination); no other code may
appear in a checklist until its official text is at hand.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

LIBRARY = Path(__file__).resolve().parent.parent / "library"

VERIFIED_CRITERIA = (
    "FIRE-D-01",
    "FIRE-D-02",
    "FIRE-D-03a",
    "FIRE-D-03b",
    "FIRE-D-04a",
    "FIRE-D-04b",
    "FIRE-D-04c",
    "FIRE-D-05",
    "FIRE-D-06",
    "FIRE-D-07a",
    "FIRE-D-07b",
    "FIRE-D-07c",
    "FIRE-D-08",
    "FIRE-D-09",
    "FIRE-D-10",
)

DOMAINS = {
    "fire",
    "gas",
    "electricity",
    "buildings",
    "labs",
    "special_equipment",
    "food",
    "school_bus",
    "crowd",
    "drowning",
    "bullying",
    "mental_health",
    "surroundings",
    "security",
    "internship",
    "fraud",
}

TEMPLATE_KEYS = {"code", "name", "domain", "version", "description", "items"}
ITEM_KEYS = {"code", "section", "text", "guidance", "photo_required", "criterion"}
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$")


def _load() -> list[tuple[Path, dict]]:
    return [
        (path, json.loads(path.read_text(encoding="utf-8")))
        for path in sorted(LIBRARY.glob("*.json"))
    ]


@pytest.fixture(scope="module")
def templates() -> list[dict]:
    return [doc for _, doc in _load()]


@pytest.fixture(scope="module")
def items(templates) -> list[tuple[dict, dict]]:
    return [(t, item) for t in templates for item in t["items"]]


def test_it_has_at_least_twelve_templates(templates):
    assert len(templates) >= 12


def test_it_has_at_least_150_items(items):
    assert len(items) >= 150


def test_it_has_the_expected_shape(templates):
    for t in templates:
        assert set(t) == TEMPLATE_KEYS, t.get("code")
        assert isinstance(t["version"], int) and t["version"] >= 1
        assert t["name"].strip() and t["description"].strip()
        assert t["items"], t["code"]
        for item in t["items"]:
            assert set(item) == ITEM_KEYS, item.get("code")
            assert isinstance(item["photo_required"], bool), item["code"]
            assert item["section"].strip(), item["code"]


def test_it_uses_unique_template_codes(templates):
    codes = [t["code"] for t in templates]
    assert len(codes) == len(set(codes))
    assert all(CODE_RE.match(c) for c in codes), codes


def test_it_uses_unique_item_codes(items):
    codes = [item["code"] for _, item in items]
    assert len(codes) == len(set(codes))
    for t, item in items:
        assert CODE_RE.match(item["code"]), item["code"]
        assert item["code"].startswith(t["code"] + "-"), item["code"]


def test_it_gives_every_item_text_and_guidance(items):
    for _, item in items:
        assert item["text"].strip(), item["code"]
        assert item["guidance"].strip(), item["code"]
        assert item["guidance"] != item["text"], item["code"]


def test_it_uses_allowed_domains(templates):
    assert {t["domain"] for t in templates} <= DOMAINS


def test_it_only_references_verified_criteria(items):
    for _, item in items:
        assert item["criterion"] is None or item["criterion"] in VERIFIED_CRITERIA, item["code"]


def test_it_references_every_verified_criterion(items):
    used = {item["criterion"] for _, item in items if item["criterion"]}
    assert used == set(VERIFIED_CRITERIA)


def test_it_keeps_criteria_in_fire_templates(items):
    for t, item in items:
        if item["criterion"] is not None:
            assert t["domain"] == "fire", item["code"]


def test_it_stores_readable_utf8_json():
    for path, doc in _load():
        raw = path.read_text(encoding="utf-8")
        assert "\\u" not in raw, path.name
        assert raw == json.dumps(doc, ensure_ascii=False, indent=2) + "\n", path.name
