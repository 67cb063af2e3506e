"""The built-in evaluation checklist of each kind of drill (演练评估表), as data: the items
an evaluator marks 良好 or 存在问题. A problem becomes a hazard of the drill's unit, in the
safety domain of its kind. Codes are stable: a hazard's idempotency key names them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from xiaoan.core.choices import SafetyDomain
from xiaoan.drills.choices import DrillKind


@dataclass(frozen=True)
class CheckItem:
    code: str
    text: str


def _items(*rows: tuple[str, str]) -> tuple[CheckItem, ...]:
    return tuple(CheckItem(code, text) for code, text in rows)


# Shared by every evacuation: raising the alarm, the routes, the roll call, the time.
_EVACUATION = (
    ("alarm", _("警报发出及时，全体师生能听到")),
    ("routes", _("疏散通道、楼梯和安全出口畅通，无堵塞、无上锁")),
    ("guides", _("各楼层、楼梯口引导老师按分工到岗")),
    ("order", _("疏散有序，无推挤、无逆行、无折返")),
    ("roll_call", _("到达集合点后各班清点人数完整并及时上报")),
    ("time", _("疏散用时在目标时间内")),
)

CHECKLISTS: dict[str, tuple[CheckItem, ...]] = {
    DrillKind.FIRE_EVACUATION: _items(
        *_EVACUATION,
        ("posture", _("学生掌握低姿、捂口鼻等避险要领")),
        ("extinguish", _("义务消防队到位，会正确使用灭火器、消火栓")),
        ("injured", _("模拟伤员得到及时救护和转运")),
    ),
    DrillKind.EARTHQUAKE: _items(
        ("alarm", _("警报发出及时，全体师生能听到")),
        ("cover", _("震时就近避险姿势正确（桌下抱头、远离窗户）")),
        ("routes", _("震后疏散通道和楼梯畅通")),
        ("order", _("疏散有序，无推挤、无返回教室取物")),
        ("assembly", _("集合点开阔，远离建筑物和电线杆")),
        ("roll_call", _("各班清点人数完整并及时上报")),
        ("time", _("疏散用时在目标时间内")),
        ("injured", _("模拟伤员得到及时救护")),
    ),
    DrillKind.INTRUSION: _items(
        ("alarm", _("发现异常后及时报警（一键报警、110）")),
        ("guards", _("保安按预案持防卫器械到位处置")),
        ("lockdown", _("教室及时关门闭锁，学生躲避在安全位置")),
        ("isolation", _("将嫌疑人与学生隔离，拖延至警方到达")),
        ("police", _("与公安联动顺畅，警方到达时间有记录")),
        ("roll_call", _("事后清点人数完整")),
        ("injured", _("模拟伤员得到及时救护")),
        ("comms", _("对内对外信息报送及时准确")),
    ),
    DrillKind.STAMPEDE: _items(
        ("stairs", _("楼梯口、转角有教师值守引导")),
        ("order", _("上下楼靠右行、不推挤、不逗留")),
        ("lighting", _("楼道照明、应急照明正常")),
        ("obstacles", _("通道内无杂物和障碍")),
        ("fall", _("学生掌握摔倒时的自我保护要领")),
        ("roll_call", _("各班清点人数完整并及时上报")),
        ("time", _("疏散用时在目标时间内")),
    ),
    DrillKind.EPIDEMIC: _items(
        ("detect", _("晨午检发现异常症状及时上报")),
        ("isolation", _("临时隔离观察室启用及时、设置规范")),
        ("report", _("按规定时限向疾控和教育部门报告")),
        ("disinfect", _("环境消毒规范，物资充足")),
        ("contact", _("密切接触者排查登记完整")),
        ("parents", _("家校沟通及时")),
        ("records", _("处置全过程记录完整")),
    ),
    DrillKind.FLOOD: _items(
        ("warning", _("接到预警后及时启动预案")),
        ("patrol", _("对低洼、围墙、边坡等重点部位巡查到位")),
        ("transfer", _("师生转移路线和安置点明确")),
        ("order", _("转移有序，无人滞留")),
        ("roll_call", _("清点人数完整并及时上报")),
        ("supplies", _("沙袋、抽水泵、救生器材到位")),
        ("power", _("及时切断危险区域电源")),
    ),
    DrillKind.GAS_LEAK: _items(
        ("detect", _("燃气泄漏报警器报警或发现后及时报告")),
        ("valve", _("及时关闭燃气总阀")),
        ("no_fire", _("现场禁止开关电器、禁止明火")),
        ("ventilate", _("开窗通风及时")),
        ("evacuate", _("人员撤离至安全区域")),
        ("call", _("及时通知燃气公司并报警")),
        ("roll_call", _("清点人数完整")),
    ),
}

# The ledger's safety domain of a problem found in a drill of each kind.
DOMAINS: dict[str, str] = {
    DrillKind.FIRE_EVACUATION: SafetyDomain.FIRE,
    DrillKind.EARTHQUAKE: SafetyDomain.BUILDINGS,
    DrillKind.INTRUSION: SafetyDomain.SECURITY,
    DrillKind.STAMPEDE: SafetyDomain.CROWD,
    DrillKind.EPIDEMIC: SafetyDomain.OTHER,
    DrillKind.FLOOD: SafetyDomain.OTHER,
    DrillKind.GAS_LEAK: SafetyDomain.GAS,
}

# The target evacuation time (seconds) a plan starts from; the organiser may set another.
TARGET_SECONDS: dict[str, int] = {
    DrillKind.FIRE_EVACUATION: 180,
    DrillKind.EARTHQUAKE: 150,
    DrillKind.STAMPEDE: 240,
}


def checklist(kind: str) -> tuple[CheckItem, ...]:
    return CHECKLISTS.get(kind, ())
