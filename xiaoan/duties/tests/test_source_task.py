"""A duty names the plan task that imposes it: linked for those who may open the task."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xiaoan.core.errors import Invalid
from xiaoan.duties import services
from xiaoan.duties.models import Duty
from xiaoan.duties.tests.support import DISTRICT
from xiaoan.plans.tests.support import make_plan

pytestmark = pytest.mark.django_db

MONTHLY = {
    "name": "校长每月重大隐患自查",
    "recurrence": "monthly",
    "proof": "inspection",
    "inspection_kind": "self_check",
}


def test_a_duty_comes_from_a_plan_task(persona, units, client_for):
    _plan, task, _everyone = make_plan(persona, units)
    duty = services.create_duty(
        persona("district_officer"), issuer=units[DISTRICT], task=task.pk, **MONTHLY
    )
    assert duty.task == task
    assert duty.source_ref == f"梁教〔2024〕12号 第{task.seq}项：{task.title}"
    page = client_for("district_officer").get(reverse("duties:duty_detail", args=[duty.pk]))
    assert reverse("plans:task_detail", args=[task.pk]) in page.content.decode()


def test_a_task_out_of_sight_is_refused_and_nothing_is_written(persona, units):
    _plan, task, _everyone = make_plan(persona, units)
    before = Duty.objects.count()
    with pytest.raises(Invalid) as refused:
        services.create_duty(
            persona("uni_security"), issuer=units["鄂州职业大学"], task=task.pk, **MONTHLY
        )
    assert "task" in refused.value.fields
    assert Duty.objects.count() == before


def test_the_api_takes_and_gives_the_task(persona, units, api_for):
    _plan, task, _everyone = make_plan(persona, units)
    body = {**MONTHLY, "issuer": units[DISTRICT].pk, "task": task.pk}
    response = api_for("district_officer").post("/api/duties/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["task"] == task.pk
