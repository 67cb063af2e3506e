"""The closed loop walked through the service layer, every transition and refusal."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from xiaoan.core.errors import Conflict, Forbidden, Invalid, NotFound
from xiaoan.hazards import services
from xiaoan.hazards.choices import HazardLevel, HazardStatus
from xiaoan.hazards.models import Hazard
from xiaoan.hazards.workflow import HAZARD
from xiaoan.notifications.models import Notification

pytestmark = pytest.mark.django_db


def photo(name="p.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def today():
    return timezone.localdate()


@pytest.fixture
def school_a(units):
    return units["梁子湖高级中学"]


def reported(persona, school_a, text="二号宿舍楼楼道堆放杂物，阻塞疏散通道"):
    return services.report(
        persona("school_a_officer"), school_a, description=text, photos=[photo()]
    )


def test_it_walks_a_general_hazard_from_report_to_closure(persona, school_a, units):
    officer, owner, head = (
        persona("school_a_officer"),
        persona("school_a_owner"),
        persona("school_a_head"),
    )
    hazard = reported(persona, school_a)
    assert hazard.status == HazardStatus.REPORTED and hazard.number.startswith("YH")
    services.confirm(
        officer, hazard.pk, level=HazardLevel.GENERAL, domain="fire", category="疏散通道"
    )
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="清理杂物",
        deadline=today() + dt.timedelta(days=3),
    )
    assert Notification.objects.filter(recipient=owner, kind="assigned").exists()
    services.start(owner, hazard.pk)
    services.progress(owner, hazard.pk, note="已清理一半", photos=[photo()])
    services.submit(owner, hazard.pk, note="已全部清理", photos=[photo()])
    with pytest.raises(Forbidden):
        services.verify(owner, hazard.pk, passed=True, note="自己验收")
    services.verify(head, hazard.pk, passed=False, note="仍有纸箱")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and hazard.rework_count == 1
    services.submit(owner, hazard.pk, note="纸箱已清走", photos=[photo()])
    services.verify(head, hazard.pk, passed=True, note="验收合格")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_by == head
    actions = list(hazard.events.values_list("action", flat=True))
    assert actions == [
        "report",
        "confirm",
        "assign",
        "start",
        "progress",
        "submit",
        "reject",
        "submit",
        "close",
    ]
    assert hazard.photos.count() == 4


def test_it_suggests_major_from_the_ministry_criteria(persona, school_a):
    hazard = reported(persona, school_a, "学生宿舍楼道内有电动车充电，飞线充电")
    assert hazard.suggested_level == HazardLevel.MAJOR and hazard.criterion == "FIRE-D-06"


def test_it_supervises_a_major_hazard_and_closes_only_when_the_bureau_accepts(
    persona, school_a, units
):
    officer, owner, head = (
        persona("school_a_officer"),
        persona("school_a_owner"),
        persona("school_a_head"),
    )
    district = persona("district_officer")
    hazard = reported(persona, school_a, "实验室内违规存放大量酒精")
    services.confirm(officer, hazard.pk, level=HazardLevel.MAJOR, domain="labs")
    hazard.refresh_from_db()
    assert hazard.is_supervised
    assert hazard.supervisions.get().supervising_unit == units["梁子湖区教育局"]
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="清运",
        deadline=today() + dt.timedelta(days=5),
    )
    with pytest.raises(Invalid):  # a major hazard needs interim controls first
        services.submit(owner, hazard.pk, note="完成", photos=[photo()])
    services.add_control(owner, hazard.pk, measures="设置警示标识，专人看管")
    services.submit(owner, hazard.pk, note="完成", photos=[photo()])
    services.verify(head, hazard.pk, passed=True, note="合格")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED and services.awaiting_supervision(hazard)
    with pytest.raises(Forbidden):
        services.accept_supervision(officer, hazard.pk, note="认可")
    services.accept_supervision(district, hazard.pk, note="认可销号")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED


def test_it_fixes_on_the_spot_and_goes_straight_to_verification(persona, school_a):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    hazard = reported(persona, school_a, "灭火器压力不足")
    with pytest.raises(Invalid):
        services.fix_on_spot(officer, hazard.pk, note="已更换", photos=[])
    services.fix_on_spot(officer, hazard.pk, note="已更换灭火器", photos=[photo()])
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED and hazard.fixed_on_spot
    with pytest.raises(Forbidden):  # the fixer may not verify their own fix
        services.verify(officer, hazard.pk, passed=True, note="好")
    services.verify(head, hazard.pk, passed=True, note="合格")


def test_it_refuses_bad_input_and_changes_nothing(persona, school_a, units):
    officer = persona("school_a_officer")
    hazard = reported(persona, school_a)
    with pytest.raises(Conflict):  # not confirmed yet
        services.assign(
            officer,
            hazard.pk,
            owner_unit=units["总务处"],
            owner=None,
            measures="x",
            deadline=today(),
        )
    services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
    with pytest.raises(Invalid):
        services.assign(
            officer,
            hazard.pk,
            owner_unit=units["总务处"],
            owner=None,
            measures="x",
            deadline=today() - dt.timedelta(days=1),
        )
    with pytest.raises(Invalid):  # owner unit outside the assigner's scope
        services.assign(
            officer,
            hazard.pk,
            owner_unit=units["东沟镇中心小学"],
            owner=None,
            measures="x",
            deadline=today(),
        )
    with pytest.raises(Conflict):  # wrong state
        services.verify(persona("school_a_head"), hazard.pk, passed=True, note="x")
    with pytest.raises(Invalid):
        services.dismiss(officer, hazard.pk, note="  ")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CONFIRMED and hazard.events.count() == 2
    with pytest.raises(NotFound):
        services.confirm(persona("uni_security"), hazard.pk, level=HazardLevel.GENERAL)


def test_it_refuses_a_file_that_is_not_a_photo(persona, school_a):
    fake = SimpleUploadedFile("scan.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    before = Hazard.objects.count()
    with pytest.raises(Invalid):
        services.report(
            persona("school_a_officer"), school_a, description="配电箱门损坏", photos=[fake]
        )
    assert Hazard.objects.count() == before


def test_it_makes_no_duplicate_on_a_retried_report(persona, school_a):
    officer = persona("school_a_officer")
    first = services.report(officer, school_a, description="围墙开裂", idempotency_key="k-1")
    again = services.report(officer, school_a, description="围墙开裂", idempotency_key="k-1")
    assert first.pk == again.pk
    assert Hazard.objects.filter(description="围墙开裂").count() == 1


def test_it_flags_a_recurrence_of_a_closed_hazard(persona, school_a, units):
    officer, head = persona("school_a_officer"), persona("school_a_head")
    old = reported(persona, school_a, "食堂后厨灭火器过期")
    services.confirm(officer, old.pk, level=HazardLevel.GENERAL, category="灭火器")
    services.fix_on_spot(officer, old.pk, note="更换", photos=[photo()])
    services.verify(head, old.pk, passed=True, note="合格")
    new = reported(persona, school_a, "食堂后厨灭火器已过期")
    services.confirm(officer, new.pk, level=HazardLevel.GENERAL, category="灭火器")
    new.refresh_from_db()
    assert new.is_recurring and new.recurrence_of_id == old.pk


def test_it_marks_overdue_hazards_and_supervises_long_overdue_ones(persona, school_a, units):
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    hazard = reported(persona, school_a)
    services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="清理",
        deadline=today(),
    )
    result = services.mark_overdue(today() + dt.timedelta(days=2))
    hazard.refresh_from_db()
    assert result["overdue"] == 1 and hazard.is_overdue
    assert Notification.objects.filter(recipient=owner, kind="overdue").exists()
    assert services.mark_overdue(today() + dt.timedelta(days=2))["overdue"] == 0
    services.mark_overdue(today() + dt.timedelta(days=40))
    hazard.refresh_from_db()
    assert hazard.is_supervised


def test_it_decides_extensions_at_the_superior_unit(persona, school_a, units):
    officer, owner = persona("school_a_officer"), persona("school_a_owner")
    hazard = reported(persona, school_a)
    services.confirm(officer, hazard.pk, level=HazardLevel.GENERAL)
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="清理",
        deadline=today() + dt.timedelta(days=1),
    )
    request = services.request_extension(
        owner, hazard.pk, new_deadline=today() + dt.timedelta(days=10), reason="需要采购"
    )
    with pytest.raises(Forbidden):  # the school itself cannot approve its own extension
        services.decide_extension(officer, request.pk, approve=True, note="同意")
    services.decide_extension(persona("district_officer"), request.pk, approve=True, note="同意")
    hazard.refresh_from_db()
    assert hazard.deadline == today() + dt.timedelta(days=10)


def test_it_lets_a_reporter_see_only_what_they_reported(persona, units):
    teacher = persona("school_b_teacher")
    mine = services.report(
        teacher,
        units["东沟镇中心小学"],
        description="操场护栏松动",
        source="snapshot",
        photos=[photo()],
    )
    officer_hazard = services.report(
        persona("district_officer"), units["东沟镇中心小学"], description="配电房门未上锁"
    )
    visible = set(Hazard.objects.restrict(teacher).values_list("pk", flat=True))
    assert mine.pk in visible and officer_hazard.pk not in visible


def test_it_lets_the_supervising_bureau_refuse_a_closure(persona, school_a, units):
    officer, owner, head = (
        persona("school_a_officer"),
        persona("school_a_owner"),
        persona("school_a_head"),
    )
    hazard = reported(persona, school_a, "学生宿舍未安装烟感报警器")
    services.confirm(officer, hazard.pk, level=HazardLevel.MAJOR, domain="fire")
    services.assign(
        officer,
        hazard.pk,
        owner_unit=units["总务处"],
        owner=owner,
        measures="安装独立式烟感",
        deadline=today() + dt.timedelta(days=5),
        interim_controls="夜间专人巡查",
    )
    services.submit(owner, hazard.pk, note="已安装", photos=[photo()])
    services.verify(head, hazard.pk, passed=True, note="合格")
    with pytest.raises(Conflict):  # verified once: the school cannot verify again
        services.verify(head, hazard.pk, passed=False, note="再看看")
    services.accept_supervision(
        persona("district_officer"), hazard.pk, accepted=False, note="部分房间未安装"
    )
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING and hazard.closed_by is None
    services.submit(owner, hazard.pk, note="全部安装", photos=[photo()])
    assert not services.awaiting_supervision(hazard)  # needs a fresh verification
    services.verify(head, hazard.pk, passed=True, note="合格")
    services.accept_supervision(persona("district_officer"), hazard.pk, note="认可")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED
    actions = list(hazard.events.values_list("action", flat=True))
    assert actions.count("close") == 1 and "supervision_reject" in actions


def test_it_offers_supervision_only_where_it_can_be_done(persona, school_a):
    district = persona("district_officer")
    hazard = reported(persona, school_a, "教学楼外窗加装铁栅栏，无法逃生")
    assert "supervise" in HAZARD.allowed_names(district, hazard)
    assert "supervise" not in HAZARD.allowed_names(persona("school_a_officer"), hazard)
    services.supervise(district, hazard.pk, reason="外窗封堵，影响逃生")
    hazard.refresh_from_db()
    assert "supervise" not in HAZARD.allowed_names(district, hazard)
