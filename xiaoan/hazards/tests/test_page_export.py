import io

import pytest
from openpyxl import load_workbook

from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel

pytestmark = pytest.mark.django_db


def test_it_exports_the_filtered_ledger_from_the_page(client_for, persona, units):
    officer = persona("school_a_officer")
    major = services.report(officer, units["梁子湖高级中学"], description="实验室存放大量乙醚")
    services.confirm(officer, major.pk, level=HazardLevel.MAJOR, domain="labs")
    general = services.report(officer, units["梁子湖高级中学"], description="黑板松动")
    services.confirm(officer, general.pk, level=HazardLevel.GENERAL)
    page = client_for("district_officer").get("/hazards/")
    assert "/hazards/export/problems/" in page.content.decode()
    response = client_for("district_officer").get("/hazards/export/problems/?level=major")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    text = [[c for c in row if c] for row in book.active.iter_rows(values_only=True)]
    flat = "".join(str(c) for row in text for c in row)
    assert "实验室存放大量乙醚" in flat and "黑板松动" not in flat


@pytest.mark.parametrize(("who", "status"), [("school_b_teacher", 403), ("expert", 403)])
def test_it_refuses_the_page_export_without_the_right(client_for, who, status):
    assert client_for(who).get("/hazards/export/problems/").status_code == status
