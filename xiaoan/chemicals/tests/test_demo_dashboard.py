"""The demo's ledgers, the dashboard section and the to-do of the second signer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.chemicals import services
from xiaoan.chemicals.demo import load_chemicals
from xiaoan.chemicals.models import Balance, Chemical, StockMovement
from xiaoan.core.todos import todos_for

pytestmark = pytest.mark.django_db

DISTRICT = "梁子湖区教育局"
SCHOOL_A = "梁子湖高级中学"


def test_it_fills_the_demo_ledgers_once(demo):
    made = load_chemicals()
    assert made > 10
    assert load_chemicals() == 0  # idempotent
    assert Chemical.objects.filter(unit__name=SCHOOL_A, controlled=True).count() >= 3
    assert Balance.objects.filter(quantity__gt=0).exists()
    assert services.reconcile() == []
    assert StockMovement.objects.filter(status="pending").count() == 2
    assert StockMovement.objects.filter(kind="adjustment").exists()


def test_it_hands_the_second_signer_their_to_do(demo, persona, client_for):
    load_chemicals()
    head = {t.key: t for t in todos_for(persona("school_a_head"))}
    assert head["chemicals.confirm"].count == 1
    # The recorder is not their own second signer; the bureau is not handed schools' cabinets.
    assert "chemicals.confirm" not in {t.key for t in todos_for(persona("school_a_officer"))}
    assert "chemicals.confirm" not in {t.key for t in todos_for(persona("district_officer"))}
    assert "chemicals.confirm" not in {t.key for t in todos_for(persona("auditor"))}
    page = client_for("school_a_head").get(head["chemicals.confirm"].url).content.decode()
    assert "浓盐酸" in page and "浓硝酸" not in page


def test_it_adds_its_section_to_the_dashboard(demo, api_for):
    load_chemicals()
    board = api_for("district_officer").get(f"/api/dashboard/?unit={demo[DISTRICT].pk}").json()
    section = next(s for s in board["sections"] if s["key"] == "chemicals")
    figures = {f["key"]: f for f in section["figures"]}
    assert figures["controlled"]["value"] >= 3
    assert figures["pending"]["value"] == 1 and figures["pending"]["bad"] is True
    assert figures["differences"]["value"] == 1
    assert figures["pending"]["url"].startswith(reverse("chemicals:stockmovement_list"))
    ranking = {r["unit"]["name"]: r["values"] for r in board["ranking"]["rows"]}
    assert ranking[SCHOOL_A]["chemicals.pending"] == 1
    school_b = api_for("school_b_teacher").get("/api/dashboard/")
    if school_b.status_code == 200:
        assert "chemicals" not in {s["key"] for s in school_b.json()["sections"]}
