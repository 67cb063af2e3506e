"""A saved plan's responsibility list, downloaded from its page and the API, read back; only
for those who may open the plan."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from xiaoan.plans.tests.support import SCHOOL_A, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(persona, units):
    return make_plan(persona, units)[0]


def test_the_page_gives_the_list_as_excel_and_word(client_for, plan):
    client = client_for("district_officer")
    page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
    xlsx_url = reverse("plans:plan_responsibilities_xlsx", args=[plan.pk])
    docx_url = reverse("plans:plan_responsibilities_docx", args=[plan.pk])
    assert xlsx_url in page and docx_url in page
    response = client.get(xlsx_url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "梁教〔2024〕12号"  # the plan's 文号 under the title
    assert list(rows[2]) == ["序号", "工作任务", "完成时限", "牵头单位", "责任单位"]
    assert list(rows[3]) == [
        "1",
        "严格落实学校主体责任。建立校园安全主体责任体系。",
        "2026年12月31日",
        "安全股",
        SCHOOL_A,
    ]
    assert list(rows[4])[2:] == ["立行立改、长期坚持", None, "全区中小学幼儿园"]
    document = docx.Document(io.BytesIO(client.get(docx_url).content))
    assert document.paragraphs[1].text == "梁教〔2024〕12号"
    table = document.tables[0]
    assert [c.text for c in table.rows[2].cells][-1] == "全区中小学幼儿园"


@pytest.mark.parametrize(
    ("who", "status"),
    [("district_officer", 200), ("school_a_officer", 200), ("uni_security", 404), ("expert", 403)],
)
def test_only_those_who_may_open_the_plan_get_its_list(client_for, api_for, plan, who, status):
    url = reverse("plans:plan_responsibilities_docx", args=[plan.pk])
    assert client_for(who).get(url).status_code == status
    api = api_for(who).get(f"/api/plans/{plan.pk}/responsibilities/?format=xlsx")
    assert api.status_code == status


def test_anonymous_and_bad_formats_are_refused(client, api_for, plan):
    url = reverse("plans:plan_responsibilities_xlsx", args=[plan.pk])
    assert client.get(url).status_code == 302
    bad = api_for("district_officer").get(f"/api/plans/{plan.pk}/responsibilities/?format=pdf")
    assert bad.status_code == 400 and "format" in bad.json()["error"]["fields"]
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    good = api_for("district_officer").get(
        f"/api/plans/{plan.pk}/responsibilities/", HTTP_ACCEPT=xlsx
    )
    assert good.status_code == 200 and good["Content-Type"] == xlsx
