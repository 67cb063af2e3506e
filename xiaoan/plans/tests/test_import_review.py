"""The import review page: discarding goes through the service (audited, refused once
handled or out of scope); each task's safety domain can be changed before confirming;
deadlines found in running text carry their phrase as a label."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.audit.models import AuditEntry
from xiaoan.core.errors import Conflict, NotFound
from xiaoan.plans import importing
from xiaoan.plans.choices import ImportStatus
from xiaoan.plans.models import PlanImport
from xiaoan.plans.tests.support import DISTRICT

pytestmark = pytest.mark.django_db

TEXT = """梁子湖区校园安全专项整治方案

序号\t工作任务\t完成时限\t责任单位
1\t开展防溺水宣传教育\t2026年12月\t全区中小学幼儿园
2\t加强校园食品安全管理\t2026年12月\t全区中小学幼儿园
"""


def _start(persona, units, text=TEXT):
    return importing.start_import(persona("district_officer"), unit=units[DISTRICT], text=text)


def test_it_discards_through_the_service_with_an_audit_entry(persona, units, client_for):
    pending = _start(persona, units)
    url = reverse("plans:import_review", args=[pending.pk])
    response = client_for("district_officer").post(url, {"discard": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("plans:plan_list")
    pending.refresh_from_db()
    assert pending.status == ImportStatus.DISCARDED
    entry = AuditEntry.objects.filter(object_id=str(pending.pk), action="transition").last()
    assert entry is not None and entry.detail["action"] == "discard"
    # Handled: the page is gone, and the service refuses a second discard.
    assert client_for("district_officer").get(url).status_code == 404
    with pytest.raises(Conflict):
        importing.discard_import(persona("district_officer"), pending.pk)


def test_it_refuses_a_discard_out_of_scope(persona, units, client_for):
    pending = _start(persona, units)
    url = reverse("plans:import_review", args=[pending.pk])
    response = client_for("school_a_head").post(url, {"discard": "1"})
    assert response.status_code in (403, 404)
    with pytest.raises(NotFound):
        importing.discard_import(persona("school_a_head"), pending.pk)
    assert PlanImport.objects.get(pk=pending.pk).status == ImportStatus.PENDING


def _confirm_data(pending, **extra):
    data = {"plan_title": "梁子湖区校园安全专项整治方案", "document_number": ""}
    for index, task in enumerate(pending.draft["tasks"]):
        data[f"title-{index}"] = task["title"]
        data[f"deadlines-{index}"] = "2026-12-31"
    suggestions = importing.suggest_units(pending.draft, pending.unit)
    for index, s in enumerate(suggestions):
        data[f"unit-{index}"] = importing.default_mapping(suggestions).get(s.written, "drop")
    data.update(extra)
    return data


def test_it_changes_a_tasks_safety_domain_on_the_review_page(persona, units, client_for):
    pending = _start(persona, units)
    assert [t["safety_domain"] for t in pending.draft["tasks"]] == ["drowning", "food"]
    client = client_for("district_officer")
    url = reverse("plans:import_review", args=[pending.pk])
    page = client.get(url).content.decode()
    assert 'name="domain-0"' in page and '<option value="drowning" selected>' in page
    # A domain that does not exist: refused on the page, nothing written, choice kept.
    bad = client.post(url, _confirm_data(pending, **{"domain-1": "nonsense"}))
    assert bad.status_code == 400 and "安全领域有误" in bad.content.decode()
    assert PlanImport.objects.get(pk=pending.pk).status == ImportStatus.PENDING
    response = client.post(url, _confirm_data(pending, **{"domain-1": "mental_health"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    pending.refresh_from_db()
    tasks = list(pending.plan.tasks.order_by("seq"))
    assert [t.domain for t in tasks] == ["防溺水", "心理健康"]
    assert pending.draft["tasks"][1]["safety_domain"] == "mental_health"


def test_it_labels_a_running_text_deadline_on_the_review_page_and_the_task(
    persona, units, client_for
):
    text = (
        "梁子湖区校园安全培训方案\n"
        "序号\t工作任务\t责任单位\n"
        "1\t加强培训。2026年底前，组织中小学负责人轮训一遍。\t全区中小学幼儿园\n"
    )
    pending = _start(persona, units, text)
    assert pending.draft["tasks"][0]["deadlines"] == [
        {"date": "2026-12-31", "label": "2026年底前", "kind": "date"}
    ]
    client = client_for("district_officer")
    url = reverse("plans:import_review", args=[pending.pk])
    assert "2026年底前 2026-12-31" in client.get(url).content.decode()
    data = _confirm_data(pending)
    data["deadlines-0"] = "2026年底前 2026-12-31"  # as the page shows it
    assert client.post(url, data).status_code == 302
    pending.refresh_from_db()
    task = pending.plan.tasks.get()
    assert [(d.label, d.date.isoformat()) for d in task.deadlines.all()] == [
        ("2026年底前", "2026-12-31")
    ]
    page = client.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "2026年底前：2026-12-31" in page
