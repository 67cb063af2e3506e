"""The built-in library reaches the database on migrate, loading it again changes nothing,
a changed item becomes a new version, and `xiaoan checklists --json` lists it."""

from __future__ import annotations

import io
import json
import shutil

import pytest
from django.core.management import call_command

from xiaoan.inspections.loader import LIBRARY, library_documents, load_library
from xiaoan.inspections.models import ChecklistItem, ChecklistTemplate, ChecklistVersion

pytestmark = pytest.mark.django_db


def test_it_has_the_library_after_migrate():
    docs = library_documents()
    builtins = ChecklistTemplate.objects.filter(owner_unit__isnull=True)
    assert set(builtins.values_list("code", flat=True)) >= {d["code"] for d in docs}
    fire = builtins.get(code="FIRE-BASIC")
    items = list(fire.current_version.items.order_by("seq"))
    source = next(d for d in docs if d["code"] == "FIRE-BASIC")["items"]
    assert [i.code for i in items] == [s["code"] for s in source]
    assert items[0].criterion == "FIRE-D-01" and items[0].guidance


def test_it_loads_idempotently():
    versions, items = ChecklistVersion.objects.count(), ChecklistItem.objects.count()
    report = load_library()
    assert report.created == [] and report.new_versions == []
    assert len(report.unchanged) == len(library_documents())
    out = io.StringIO()
    call_command("loadchecklists", stdout=out)
    assert "新建 0 个，新版本 0 个" in out.getvalue()
    assert (ChecklistVersion.objects.count(), ChecklistItem.objects.count()) == (versions, items)


def test_it_makes_a_new_version_when_an_item_changes(tmp_path):
    shutil.copytree(LIBRARY, tmp_path / "library")
    path = tmp_path / "library" / "gas.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["items"][0]["text"] += "（修订）"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    template = ChecklistTemplate.objects.get(code=doc["code"])
    old = template.current_version
    report = load_library(tmp_path / "library")
    assert report.new_versions == [doc["code"]]
    template.refresh_from_db()
    assert template.current_version.number == old.number + 1
    assert template.current_version.items.get(seq=1).text.endswith("（修订）")
    assert not old.items.get(seq=1).text.endswith("（修订）")  # the old version stays
    assert load_library(tmp_path / "library").new_versions == []


def test_it_prints_the_library_as_json():
    out = io.StringIO()
    call_command("checklists", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert set(body) == {"templates"}
    docs = {d["code"]: d for d in library_documents()}
    listed = {t["code"]: t for t in body["templates"]}
    assert set(listed) == set(docs)
    for code, row in listed.items():
        assert set(row) == {"code", "name", "domain", "items"}
        assert row["items"] == len(docs[code]["items"])
        assert (row["name"], row["domain"]) == (docs[code]["name"], docs[code]["domain"])
    assert len(listed) >= 12 and sum(r["items"] for r in listed.values()) >= 150
