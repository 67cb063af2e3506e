"""The two real plans from shared/examples (copied into fixtures/), every task pinned.

District (梁子湖区): the tasks are the rows of the attached 2024 responsibility list (the
table carries the deadlines and units; the body's numbered paragraphs do not). The list is
exported one row per line with tab-separated cells, <p> fragments in cells, a repeated
header at every page break, the 领域 column blank below its first row, and two blank
deadline cells (rows 14 and 16: same as above, and the list's year end either way).

County (全县): no table; the tasks are the five "（一）…" paragraphs under 二、主要任务, the
保障措施 paragraphs are not tasks, no units are named, and every deadline is the end of the
plan's last year.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from xiaoan.plans.importer import import_plan

FIXTURES = Path(__file__).parent / "fixtures"

SCHOOLS_1 = ["梁子湖高中", "各中心小学", "梧桐湖教办", "全区中小学幼儿园"]
SCHOOLS = ["梁子湖高中", "各中心学校", "梧桐湖教办", "全区中小学幼儿园"]

# (title, content start, content end, responsible units)
DISTRICT = [
    (
        "严格落实学校主体责任",
        "对照《湖北省学校安全条例》",
        "持续提升校园安全管理水平。",
        ["安全股", *SCHOOLS_1],
    ),
    (
        "严格落实部门监管责任",
        "严格按照“党政同责",
        "结合实际把校园安全各项工作抓实抓到位。",
        ["局各股室", "各二级单位", "梁子湖高中", "各中心小学", "梧桐湖教办"],
    ),
    (
        "建立校园重大事故隐患自查自改常态机制",
        "持续落实“平安校园”创建",
        "提高校园安防实效。",
        ["安全股", "发规股", "后勤办", "体卫艺股", "电教站", *SCHOOLS_1],
    ),
    (
        "常态化开展消防安全专项检查",
        "加强消防安全责任制建设。2026年前",
        "逐步建立安消一体智慧消防系统。",
        ["安全股", "发规股", "电教站", "后勤办", *SCHOOLS_1],
    ),
    (
        "加强危化品安全专项治理",
        "加强危化品管理责任制度建设。",
        "专业废弃处置。",
        ["电教站", *SCHOOLS],
    ),
    (
        "定期开展校舍和在建工程专项检查",
        "区教育局、梁子湖高中、各中心学校、梧桐教办要在",
        "并做好建设前地质灾害危险性评估工作。",
        ["安全股", "发规股", *SCHOOLS],
    ),
    (
        "规范开展校车安全专项治理",
        "协调交通、公安等部门",
        "构建家校双联互动的交通安全防范体系。",
        ["安全股", *SCHOOLS],
    ),
    (
        "扎实开展防溺水专项治理",
        "完善防溺水工作闭环回路",
        "加强专门学校建设和专门教育工作。",
        ["安全股", "督导办", *SCHOOLS],
    ),
    (
        "严密开展校园大型集会（研学）活动安全隐患排查",
        "建立完善大型集会（研学）活动",
        "确保大型集会（研学）活动安全。",
        ["安全股", "基教股", "体卫艺股", "校外活动中心", *SCHOOLS],
    ),
    (
        "持续开展食品安全专项治理",
        "按照市统一部署，2024年，",
        "贮存等关键环节安全。",
        ["后勤办", "各中心学校", "梧桐湖教办", "全区中小学幼儿园"],
    ),
    (
        "深入贯彻《湖北省学校周边安全区域管理办法》，对相关实体店开展专项清理整治",
        "2024年，集中开展学校周边安全区域内5种实体店",
        "净化校园周边环境。",
        ["安全股", *SCHOOLS],
    ),
    (
        "加快推进平安校园智能化监控预警平台建设",
        "对照市统一规划部署",
        "基本实现平台监控调度功能。",
        ["安全股", *SCHOOLS],
    ),
    (
        "大力提升校园安防建设水平",
        "深入贯彻落实《中小学、幼儿园安全防范要求》",
        "提升校园安全防范能力水平。",
        ["安全股", *SCHOOLS],
    ),
    (
        "建强校园安全工作队伍",
        "建立校园安全工作队伍定期培训工作机制",
        "确保“放心人”参与校园工作。",
        ["安全股", "后勤办", *SCHOOLS],
    ),
    (
        "加强学校心理健康工作和矛盾纠纷排查化解工作",
        "健全校园心理工作制度。",
        "确保校园平安稳定。",
        ["安全股", "基教股", *SCHOOLS],
    ),
    (
        "推动建立校园安全信息平台",
        "按市统一规划，2024年，",
        "做好校园安全管理工作。",
        ["安全股", *SCHOOLS],
    ),
    (
        "强化师生安全教育",
        "建立完善校园安全教育课时",
        "全面提升师生安全素养。",
        ["安全股", "基教股", *SCHOOLS],
    ),
    (
        "常态抓好应急演练",
        "完善更新各种突发事件应急预案。",
        "提高师生防范处置能力。",
        ["安全股", "体卫艺股", *SCHOOLS],
    ),
]

COUNTY = [
    (
        "发挥校园安全专业力量作用",
        "遴选、推荐涵盖消防、基建工程、自然灾害、实验室、实习实训、中小学幼儿园等领域的专业人员"
        "进入市级专家库。各学校要主动加强与公安、住房城乡建设、应急管理、市场监管、消防等职能部门"
        "的沟通交流，充分利用专业力量作用，指导做好校园安全工作。",
    ),
    (
        "健全校园安全管理体系",
        "各级各类学校落实《中小学幼儿园安全指南》要求，健全安全责任体系、制度体系、教育培训演练"
        "体系、防范体系、隐患排查整改体系、突发事件应急处置体系、经费与物资保障体系。根据《教育系"
        "统重大事故隐患排查指引（试行）》，规范事故隐患排查工作流程、提升隐患排查整改质量。",
    ),
    (
        "提升校园安全管理能力水平",
        "加强学校管理者、核心岗位员工分层、分级、分领域的安全培训，提升安全管理和实际操作能力。"
        "2026年底前，组织中小学、幼儿园主要负责人、分管负责人、安办主任轮训一遍。各法人单位学校"
        "组织本校负责消防、基建工程、实验室、实习实训等工作人员轮训一遍，注重安全工作政策文件解读，"
        "讲解日常操作规范、应急处置流程等，切实提高培训质效。",
    ),
    ("深化校园安全隐患排查整治", None),
    ("提升师生安全文化素养", None),
]


def _load(name: str):
    return import_plan((FIXTURES / name).read_bytes(), name)


def test_it_imports_the_district_responsibility_list():
    plan = _load("district-plan-2024-2026.txt")
    assert plan.plan_title == "梁子湖区教育系统安全生产治本攻坚三年行动实施方案（2024-2026年）"
    assert plan.plan_year == 2024
    assert [t.seq for t in plan.tasks] == list(range(1, 19))
    assert [t.title for t in plan.tasks] == [row[0] for row in DISTRICT]
    for task, (_title, start, end, units) in zip(plan.tasks, DISTRICT, strict=True):
        assert task.content.startswith(start), task.seq
        assert task.content.endswith(end), task.seq
        assert "<p>" not in task.content and "</p>" not in task.content
        assert task.responsible_units == units, task.seq
        assert task.lead_units == [] and task.cooperating_units == []
        assert [d.as_json() for d in task.deadlines] == [
            {"date": "2024-12-31", "label": "", "kind": "date"}
        ], task.seq
        assert task.domain == "教育"


def test_it_imports_the_county_plan_paragraphs():
    plan = _load("county-plan-2024-2026.txt")
    assert plan.plan_title == "全县教育系统安全生产治本攻坚三年行动方案（2024—2026年）"
    # A 2024–2026 plan: a task without a deadline is due at the end of the period.
    assert plan.plan_year == 2026
    assert [(t.seq, t.title) for t in plan.tasks] == [
        (i, row[0]) for i, row in enumerate(COUNTY, start=1)
    ]
    for task, (_title, content) in zip(plan.tasks, COUNTY, strict=True):
        if content is not None:
            assert task.content == content
        # "2026年底前，组织…" in the text labels its deadline; the others fall at the period's end.
        label = "2026年底前" if content and "2026年底前" in content else ""
        assert [d.as_json() for d in task.deadlines] == [
            {"date": "2026-12-31", "label": label, "kind": "date"}
        ]
        assert task.lead_units == task.responsible_units == task.cooperating_units == []
    assert plan.tasks[3].content.startswith("各级各类校层层夯实安全责任")
    assert plan.tasks[3].content.endswith("优化校内交通组织和秩序管理。")
    assert plan.tasks[4].content.startswith("各级各类学校聚焦溺水、火灾")
    assert plan.tasks[4].content.endswith("提升师生的安全意识和自救互救能力。")
    # 保障措施 and 工作目标 are not tasks.
    assert not any("加强组织领导" in t.title or "工作目标" in t.title for t in plan.tasks)


@pytest.mark.parametrize("name", ["district-plan-2024-2026.txt", "county-plan-2024-2026.txt"])
def test_it_gives_the_same_result_for_the_shared_copy(name):
    shared = Path(__file__).resolve().parents[4] / "shared" / "examples" / name
    if not shared.is_file():
        pytest.skip("shared/examples is not beside this checkout")
    assert shared.read_bytes() == (FIXTURES / name).read_bytes()
