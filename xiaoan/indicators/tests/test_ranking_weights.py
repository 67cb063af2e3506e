"""The ranking's weights set by an authority: they change the dashboard's scores and order for
its subtree, are checked (Chinese errors, nothing half-written), and only an authority's
managers may set them."""

from __future__ import annotations

import pytest

from xiaoan.hazards import services as hazards
from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.tests.pages_support import private_media, reported  # noqa: F401
from xiaoan.indicators.models import RankingWeight
from xiaoan.reports.services import dashboard

pytestmark = pytest.mark.django_db
URL = "/indicators/ranking-weights/"


def scores(board) -> dict[str, float]:
    return {row["unit"].name: row["score"] for row in board.ranking}


def test_it_reweighs_the_ranking_for_the_subtree(persona, units, client_for):
    district = units["梁子湖区教育局"]
    school = units["梁子湖高级中学"]
    major = reported(persona, school, "配电房线路老化裸露")
    hazards.confirm(persona("school_a_officer"), major.pk, level=HazardLevel.MAJOR)
    officer = persona("district_officer")
    before = scores(dashboard(officer, district.pk))[school.name]
    client = client_for("district_officer")
    assert "设定排名权重" in client.get(f"/reports/?unit={district.pk}").content.decode()
    page = client.get(f"{URL}?unit={district.pk}")
    assert page.status_code == 200 and "未销号重大隐患" in page.content.decode()
    assert "整改销号率" not in page.content.decode()  # rates never weigh in the score
    form = {"unit": district.pk, "hazards.open_major": "50", "hazards.open": "0"}
    assert client.post(URL, form).status_code == 302
    board = dashboard(officer, district.pk)
    assert board.weights_from == district
    assert scores(board)[school.name] > before
    assert "未销号重大隐患×50" in board.formula
    # Back to the built-in weights.
    client.post(URL, {"unit": district.pk, "reset": "1"})
    assert scores(dashboard(officer, district.pk))[school.name] == before
    assert not RankingWeight.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "请填写数字。"),
        ("-1", "权重须在 0 到 100 之间。"),
        ("1e9", "权重须在 0 到 100 之间。"),
        ("NaN", "权重须在 0 到 100 之间。"),
    ],
)
def test_it_refuses_bad_weights_and_writes_nothing(units, client_for, value, message):
    district = units["梁子湖区教育局"]
    response = client_for("district_officer").post(
        URL, {"unit": district.pk, "hazards.open_major": value, "hazards.open": "2"}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not RankingWeight.objects.exists()


def test_it_lets_only_an_authoritys_managers_set_them(units, client_for):
    district = units["梁子湖区教育局"]
    school = units["梁子湖高级中学"]
    assert client_for("school_a_officer").get(f"{URL}?unit={school.pk}").status_code == 403
    assert client_for("school_a_officer").get(f"{URL}?unit={district.pk}").status_code == 404
    assert (
        client_for("auditor").post(URL, {"unit": district.pk, "hazards.open": "9"}).status_code
        == 403
    )
    assert client_for("expert").get(URL).status_code == 404
    assert client_for("district_officer").get(f"{URL}?unit=x").status_code == 404
    assert not RankingWeight.objects.exists()
