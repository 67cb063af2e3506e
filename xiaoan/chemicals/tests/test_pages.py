"""Every page: who is served, who is refused (403 without the right anywhere, 404 out of
scope), and the forms' happy paths and refusals as a person meets them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from xiaoan.chemicals import services
from xiaoan.chemicals.choices import MovementStatus
from xiaoan.chemicals.models import Chemical, StockMovement, Stocktake, Storage
from xiaoan.chemicals.tests.support import SCHOOL_A, SCHOOL_B

pytestmark = pytest.mark.django_db


def url(name, *args, query=""):
    return reverse(f"chemicals:{name}", args=args) + (f"?{query}" if query else "")


# (route, args from the lab, query, who is served, who is refused and how)
READ_PAGES = [
    ("chemical_list", None, "", "auditor", "school_b_teacher", 403),
    ("chemical_detail", "ethanol", "", "auditor", "uni_security", 404),
    ("chemical_detail", "ethanol", "", "district_supervisor", "school_b_teacher", 403),
    ("storage_list", None, "", "district_supervisor", "school_b_teacher", 403),
    ("storage_detail", "storage", "", "auditor", "uni_security", 404),
    ("stockmovement_list", None, "", "auditor", "expert", 403),
    ("stockmovement_detail", "pending", "", "auditor", "uni_security", 404),
    ("stocktake_list", None, "", "auditor", "school_b_teacher", 403),
    ("stocktake_detail", "stocktake", "", "auditor", "uni_security", 404),
    ("chemical_add", None, "", "school_a_officer", "auditor", 403),
    ("storage_add", None, "", "school_a_head", "auditor", 403),
    ("stockmovement_add", None, "", "school_a_officer", "district_supervisor", 403),
    ("chemical_edit", "ethanol", "", "school_a_officer", "auditor", 403),
    ("chemical_edit", "ethanol", "", "school_a_officer", "uni_security", 404),
    ("storage_edit", "storage", "", "school_a_officer", "uni_head", 404),
    ("chemical_retire", "empty", "", "school_a_head", "auditor", 403),
    ("storage_retire", "storage", "", "school_a_head", "uni_security", 404),
    ("ledger_export", None, "", "auditor", "school_b_teacher", 403),
]


def _args(lab, key):
    return () if key is None else (getattr(lab, key).pk,)


@pytest.mark.parametrize(("name", "key", "query", "served", "refused", "code"), READ_PAGES)
def test_it_serves_and_refuses_each_page(client_for, lab, name, key, query, served, refused, code):
    address = url(name, *_args(lab, key), query=query)
    assert client_for(served).get(address).status_code == 200
    assert client_for(refused).get(address).status_code == code


def test_it_redirects_anonymous_visitors_to_login(client, lab):
    response = client.get(url("chemical_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_only_chemicals_in_scope(client_for, lab, persona, units):
    page = client_for("auditor").get(url("chemical_list")).content.decode()
    assert "氰化钾" in page and "无水乙醇" in page
    other = client_for("uni_security").get(url("chemical_list")).content.decode()
    assert "氰化钾" not in other
    controlled = client_for("auditor").get(url("chemical_list", query="controlled=true"))
    assert "氰化钾" in controlled.content.decode()
    assert "无水乙醇" not in controlled.content.decode()


def test_it_keeps_list_queries_flat(client_for, lab, persona, units, django_assert_max_num_queries):
    from xiaoan.chemicals.tests.support import make_chemical, move_signed

    for i in range(8):
        move_signed(persona, make_chemical(persona, units, f"试剂{i}"), lab.storage, "receipt", "1")
    client = client_for("school_a_officer")
    client.get(url("chemical_list"))
    with django_assert_max_num_queries(20):
        assert client.get(url("chemical_list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(url("stockmovement_list")).status_code == 200
    # The register's record page (links, files, due dates, history) plus the ledger.
    with django_assert_max_num_queries(32):
        assert client.get(url("storage_detail", lab.storage.pk)).status_code == 200


def test_it_creates_a_chemical_for_a_unit_in_scope_and_refuses_others(client_for, units):
    client = client_for("school_a_officer")
    data = {
        "unit": units[SCHOOL_A].pk,
        "name": "高锰酸钾",
        "spec": "500g",
        "measure": "bottle",
        "is_explosive_precursor": "on",
    }
    response = client.post(url("chemical_add"), data)
    assert response.status_code == 302
    made = Chemical.objects.get(name="高锰酸钾")
    assert made.unit.name == SCHOOL_A and made.controlled
    again = client.post(url("chemical_add"), data)
    assert again.status_code == 400 and "同名同规格" in again.content.decode()
    other_school = client.post(url("chemical_add"), {**data, "unit": units[SCHOOL_B].pk})
    assert other_school.status_code == 400 and not Chemical.objects.filter(unit=units[SCHOOL_B])


def test_it_edits_a_chemical_and_keeps_its_history(client_for, lab):
    client = client_for("school_a_officer")
    data = {
        "unit": lab.ethanol.unit_id,
        "name": "无水乙醇",
        "spec": "500mL/瓶 AR",
        "measure": "bottle",
        "cas_number": "64-17-5",
    }
    assert client.post(url("chemical_edit", lab.ethanol.pk), data).status_code == 302
    lab.ethanol.refresh_from_db()
    assert lab.ethanol.cas_number == "64-17-5" and not lab.ethanol.is_flammable
    page = client.get(url("chemical_detail", lab.ethanol.pk)).content.decode()
    assert "64-17-5" in page and "变更记录" in page
    refused = client_for("auditor").post(url("chemical_edit", lab.ethanol.pk), data)
    assert refused.status_code == 403


def test_it_retires_an_empty_chemical_and_refuses_one_in_stock(client_for, lab):
    client = client_for("school_a_head")
    stocked = client.post(url("chemical_retire", lab.ethanol.pk), {"reason": "不再使用"})
    assert stocked.status_code == 400 and "仍有库存" in stocked.content.decode()
    lab.ethanol.refresh_from_db()
    assert not lab.ethanol.is_retired
    assert (
        client.post(url("chemical_retire", lab.empty.pk), {"reason": "不再使用"}).status_code == 302
    )
    lab.empty.refresh_from_db()
    assert lab.empty.is_retired and lab.empty.retire_reason == "不再使用"


def test_it_creates_and_edits_a_storage_with_two_keyholders(client_for, persona, units, lab):
    client = client_for("school_a_head")
    officer, head = persona("school_a_officer"), persona("school_a_head")
    same = {
        "unit": units[SCHOOL_A].pk,
        "name": "生物实验室专柜",
        "kind": "cabinet",
        "keeper_one": officer.pk,
        "keeper_two": officer.pk,
    }
    refused = client.post(url("storage_add"), same)
    assert refused.status_code == 400 and "双人双锁" in refused.content.decode()
    response = client.post(url("storage_add"), {**same, "keeper_two": head.pk})
    assert response.status_code == 302
    made = Storage.objects.get(name="生物实验室专柜")
    edit = {**same, "keeper_two": head.pk, "kind": "room", "name": "生物危化品专室"}
    assert client.post(url("storage_edit", made.pk), edit).status_code == 302
    made.refresh_from_db()
    assert made.kind == "room"
    assert client.post(url("storage_retire", made.pk), {"reason": "合并"}).status_code == 302
    made.refresh_from_db()
    assert made.is_retired


def test_it_records_a_movement_from_the_phone_form(client_for, lab):
    client = client_for("school_a_officer")
    form = client.get(url("stockmovement_add", query=f"chemical={lab.ethanol.pk}"))
    assert 'inputmode="decimal"' in form.content.decode()
    data = {
        "chemical": lab.ethanol.pk,
        "storage": lab.storage.pk,
        "kind": "issue",
        "quantity": "2",
        "recipient_name": "王老师",
        "purpose": "分组实验",
    }
    response = client.post(url("stockmovement_add"), data)
    assert response.status_code == 302
    assert services.book_quantity(lab.ethanol, lab.storage) == Decimal("7")
    short = client.post(url("stockmovement_add"), {**data, "quantity": "100"})
    page = short.content.decode()
    assert short.status_code == 400 and "库存不足" in page and "王老师" in page  # kept
    missing = client.post(url("stockmovement_add"), {**data, "purpose": ""})
    assert missing.status_code == 400
    assert services.book_quantity(lab.ethanol, lab.storage) == Decimal("7")


def test_it_ignores_a_second_tap_on_the_same_form(client_for, lab):
    client = client_for("school_a_officer")
    form = client.get(url("stockmovement_add")).content.decode()
    key = form.split('name="idempotency_key" value="', 1)[1].split('"', 1)[0]
    assert len(key) == 32
    data = {
        "chemical": lab.ethanol.pk,
        "storage": lab.storage.pk,
        "kind": "use",
        "quantity": "1",
        "purpose": "演示实验",
        "idempotency_key": key,
    }
    first = client.post(url("stockmovement_add"), data)
    second = client.post(url("stockmovement_add"), data, follow=True)
    assert first.status_code == 302 and first["Location"] == second.redirect_chain[0][0]
    assert "重复提交" in second.content.decode()
    assert services.book_quantity(lab.ethanol, lab.storage) == Decimal("8")


def test_it_lets_the_second_person_confirm_and_not_the_first(client_for, lab):
    confirm = url("stockmovement_confirm", lab.pending.pk)
    body = {"version": lab.pending.version}
    own = client_for("school_a_officer")
    page = own.get(url("stockmovement_detail", lab.pending.pk)).content.decode()
    assert "须由另一位" in page and confirm not in page
    assert own.post(confirm, body).status_code == 403
    assert client_for("auditor").post(confirm, body).status_code == 403
    assert client_for("uni_security").post(confirm, body).status_code == 404
    head = client_for("school_a_head")
    assert confirm in head.get(url("stockmovement_detail", lab.pending.pk)).content.decode()
    assert head.post(confirm, body).status_code == 302
    lab.pending.refresh_from_db()
    assert lab.pending.status == MovementStatus.POSTED
    assert services.book_quantity(lab.cyanide, lab.storage) == Decimal("1")


def test_it_sends_a_movement_back_with_a_reason(client_for, lab):
    reject = url("stockmovement_reject", lab.pending.pk)
    head = client_for("school_a_head")
    blank = head.post(reject, {"version": lab.pending.version, "note": ""})
    assert blank.status_code == 400
    assert client_for("auditor").post(reject, {"version": 1, "note": "x"}).status_code == 403
    assert (
        head.post(reject, {"version": lab.pending.version, "note": "数量有误"}).status_code == 302
    )
    lab.pending.refresh_from_db()
    assert lab.pending.status == MovementStatus.REJECTED
    assert services.book_quantity(lab.cyanide, lab.storage) == Decimal("2")


def test_it_takes_a_stocktake_with_reasons_for_differences(client_for, lab):
    client = client_for("school_a_officer")
    address = url("stocktake_add", query=f"storage={lab.storage.pk}")
    form = client.get(address)
    assert form.status_code == 200 and "氰化钾" in form.content.decode()
    counted = {f"counted_{lab.ethanol.pk}": "9", f"counted_{lab.cyanide.pk}": "1.5"}
    unexplained = client.post(address, counted)
    assert unexplained.status_code == 400 and "须说明原因" in unexplained.content.decode()
    before = Stocktake.objects.count()
    done = client.post(address, {**counted, f"reason_{lab.cyanide.pk}": "称量误差"})
    assert done.status_code == 302 and Stocktake.objects.count() == before + 1
    adjustment = StockMovement.objects.get(kind="adjustment", chemical=lab.cyanide)
    assert adjustment.status == MovementStatus.PENDING and adjustment.quantity == Decimal("-0.5")
    assert client_for("auditor").get(address).status_code == 403
    assert client_for("uni_security").get(address).status_code == 404
    assert client.get(url("stocktake_add")).status_code == 404


def test_it_shows_the_ledger_with_running_balances(client_for, lab):
    page = client_for("auditor").get(url("chemical_detail", lab.ethanol.pk)).content.decode()
    assert "账账相符" in page and "盘点调整" in page
    storage_page = client_for("auditor").get(url("storage_detail", lab.storage.pk)).content.decode()
    assert "待复核" in storage_page  # the pending controlled issue
