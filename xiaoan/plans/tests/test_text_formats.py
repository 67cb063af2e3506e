"""Plain text, pasted text and Markdown, in the shapes plans arrive in."""

from __future__ import annotations

from pathlib import Path

from xiaoan.plans.importer import import_plan, import_text

FIXTURES = Path(__file__).parent / "fixtures"

NUMBERED_WITH_TRAILERS = (FIXTURES / "school-points.txt").read_text(encoding="utf-8")

PASTED_CELLS = (
    "序号\t工作任务\t完成时限\t牵头单位\t配合单位\n"
    "1\t<p>建立隐患台账。</p><p>对排查出的隐患逐项登记，明确整改责任人。</p>\t2025.6\t安全股\t各学校\n"
    "\t<p>对重大隐患实行挂牌督办。</p>\t立整立改 长期坚持\t\t\n"
    "2\t<p>开展防溺水防欺凌专项治理。暑期前集中开展防溺水教育。</p>"
    "\t防溺水：2025.6 防欺凌：2025.12\t安全股、基教股\t\n"
    "\n"
    "序号\t工作任务\t完成时限\t牵头单位\t配合单位\n"
    "3\t<p>开展督查检查。全年开展两轮全覆盖督查。</p>\t上半年 6月30日 下半年12月31日\t督导办\t\n"
)

ONE_CELL_PER_LINE = """2025年安全工作责任清单
序号
工作任务
完成时限
责任单位
1
落实校园安全主体责任。签订责任书。
2025年3月
各学校
2
开展消防安全检查。每季度一次。
长期坚持
安全股、各学校
3
开展应急演练。每学期至少一次。
2025年12月
安全股
"""

MARKDOWN_TABLE = """# 某某中学2025年安全工作计划

## 一、工作目标

杜绝重大安全事故。

## 二、主要任务

| 序号 | 工作任务 | 完成时限 | 责任部门 | 配合部门 |
|:---:|---|---|---|---|
| 1 | **消防安全检查。**每月检查消防设施，<br>建立检查记录。 | 每月 | 总务处 | |
| 2 | 防溺水教育。暑假前开展专题教育。 | 2025年6月 | 德育处、各年级组 | 团委 |
| 3 | 校车安全。春秋开学季联合检查。 | 2025年3月 2025年9月 | 总务处 | |
"""

MARKDOWN_LIST = (FIXTURES / "points.md").read_text(encoding="utf-8")


def _deadlines(task):
    return [(d.date.isoformat() if d.date else None, d.label, d.kind) for d in task.deadlines]


def test_it_reads_numbered_paragraphs_with_unit_trailers():
    plan = import_text(NUMBERED_WITH_TRAILERS)
    assert plan.plan_title == "某某职业技术学院2025年安全稳定工作要点"
    assert plan.plan_year == 2025
    assert [t.title for t in plan.tasks] == [
        "签订安全责任书",
        "开展隐患排查整治",
        "开展安全教育进课堂",
        "组织应急疏散演练",
    ]
    first, second, third, fourth = plan.tasks
    assert first.content == "学校与各二级单位层层签订安全责任书，明确第一责任人。"
    assert (first.lead_units, first.responsible_units) == (["保卫处"], ["学校各单位"])
    assert _deadlines(first) == [("2025-12-31", "", "date")]  # none: the plan's year end
    # A paragraph broken mid-sentence is joined; its sub-items stay in its content.
    assert second.content == (
        "每月开展一次全面排查，建立问题清单、措施清单、责任清单，做到闭环管理。\n"
        "（1）重点检查实验室危化品。\n（2）重点检查学生宿舍用电。"
    )
    assert second.lead_units == ["保卫处"]
    assert second.cooperating_units == ["后勤处", "资产处", "各二级学院"]
    assert (third.lead_units, third.responsible_units) == (["学生处"], ["各二级学院"])
    assert _deadlines(third) == [("2025-06-30", "", "date"), ("2025-12-31", "", "date")]
    assert third.content == "每学期开展不少于两次安全教育课"
    assert _deadlines(fourth) == [("2025-11-30", "", "date")]
    assert fourth.content == "每学期组织一次全员应急疏散演练。"
    assert [t.domain for t in plan.tasks] == ["压实安全责任"] * 2 + ["强化宣传教育"] * 2


def test_it_reads_pasted_cells_with_html_and_a_continuation_row():
    plan = import_plan(PASTED_CELLS.encode(), "")
    assert plan.plan_year == 2025  # from the deadlines: no title names a year
    assert [t.title for t in plan.tasks] == [
        "建立隐患台账",
        "开展防溺水防欺凌专项治理",
        "开展督查检查",
    ]
    first, second, third = plan.tasks
    assert first.content == "对排查出的隐患逐项登记，明确整改责任人。\n对重大隐患实行挂牌督办。"
    assert _deadlines(first) == [
        ("2025-06-30", "", "date"),
        (None, "立整立改", "immediate"),
        (None, "长期坚持", "ongoing"),
    ]
    assert (first.lead_units, first.cooperating_units) == (["安全股"], ["各学校"])
    assert _deadlines(second) == [
        ("2025-06-30", "防溺水", "date"),
        ("2025-12-31", "防欺凌", "date"),
    ]
    assert second.lead_units == ["安全股", "基教股"]
    # 配合单位 is mostly blank: blank there is blank, not "same as above".
    assert second.cooperating_units == third.cooperating_units == []
    assert _deadlines(third) == [("2025-06-30", "上半年", "date"), ("2025-12-31", "下半年", "date")]
    assert third.lead_units == ["督导办"]


def test_it_reads_gbk_encoded_text():
    plan = import_plan(PASTED_CELLS.encode("gb18030"), "清单.txt")
    assert [t.seq for t in plan.tasks] == [1, 2, 3]


def test_it_reads_a_table_exported_one_cell_per_line():
    plan = import_text(ONE_CELL_PER_LINE)
    assert plan.plan_title == "2025年安全工作责任清单"
    assert plan.plan_year == 2025
    assert [(t.title, t.content) for t in plan.tasks] == [
        ("落实校园安全主体责任", "签订责任书。"),
        ("开展消防安全检查", "每季度一次。"),
        ("开展应急演练", "每学期至少一次。"),
    ]
    assert [_deadlines(t) for t in plan.tasks] == [
        [("2025-03-31", "", "date")],
        [(None, "长期坚持", "ongoing")],
        [("2025-12-31", "", "date")],
    ]
    assert [t.responsible_units for t in plan.tasks] == [
        ["各学校"],
        ["安全股", "各学校"],
        ["安全股"],
    ]


def test_it_reads_a_markdown_table():
    plan = import_plan(MARKDOWN_TABLE.encode(), "plan.md")
    assert plan.plan_title == "某某中学2025年安全工作计划"
    assert [(t.title, t.content) for t in plan.tasks] == [
        ("消防安全检查", "每月检查消防设施，\n建立检查记录。"),
        ("防溺水教育", "暑假前开展专题教育。"),
        ("校车安全", "春秋开学季联合检查。"),
    ]
    assert [_deadlines(t) for t in plan.tasks] == [
        [(None, "每月", "ongoing")],
        [("2025-06-30", "", "date")],
        [("2025-03-31", "", "date"), ("2025-09-30", "", "date")],
    ]
    assert [t.responsible_units for t in plan.tasks] == [
        ["总务处"],
        ["德育处", "各年级组"],
        ["总务处"],
    ]
    assert [t.cooperating_units for t in plan.tasks] == [[], ["团委"], []]


def test_it_reads_markdown_numbered_paragraphs():
    plan = import_plan(MARKDOWN_LIST.encode(), "要点.md")
    assert plan.plan_title == "2025年校园安全工作要点"
    assert [t.title for t in plan.tasks] == ["健全责任体系", "加强隐患排查", "开展应急演练"]
    first, second, third = plan.tasks
    assert first.content == "签订责任书，明确岗位职责。"
    assert (first.lead_units, first.responsible_units) == (["校办"], ["各处室", "各年级"])
    assert second.content == "每月全面排查一次，隐患立查立改。\n重点排查食堂和宿舍。"
    assert (second.lead_units, second.cooperating_units) == (["总务处"], ["保卫科"])
    assert third.lead_units == ["德育处"]
    assert _deadlines(third) == [("2025-06-30", "上半年", "date"), ("2025-12-31", "下半年", "date")]


def test_it_reads_the_district_body_as_numbered_paragraphs_without_its_list():
    # Cut off the attached responsibility list: the tasks are then the body's 1.–20.,
    # numbered "1. ", "**7. …**" and "2. **…**", some broken across a page end.
    text = (FIXTURES / "district-plan-2024-2026.txt").read_text(encoding="utf-8")
    body = text[: text.index("## 梁子湖区教育系统安全生产攻坚三年行动2024年责任清单")]
    plan = import_text(body)
    assert plan.plan_year == 2026  # the end of the 2024–2026 period
    assert [t.title for t in plan.tasks] == [
        "严格落实校园主体责任",
        "严格落实部门监管责任",
        "制定出台校园安全标准规范",
        "修订完善校园安全事故隐患排查清单",
        "建立校园重大事故隐患自查自改常态机制",
        "常态化开展消防安全专项整治",
        "加强危化品安全专项治理",
        "定期开展校舍和在建工程专项检查",
        "规范开展校车安全专项治理",
        "扎实开展防溺水防欺凌专项治理",
        "严密开展校园大型集会（研学）活动安全隐患排查",
        "持续开展食品安全专项治理",
        "深入开展学校周边安全区域专项整治",
        "加快推进平安校园智能化监控预警平台建设",
        "大力提升校园安防建设水平",
        "建强校园安全工作队伍",
        "加强学校心理健康工作和矛盾纠纷排查化解工作",
        "推动建立校园安全信息平台",
        "强化师生安全教育",
        "常态抓好应急演练",
    ]
    # Page breaks mid-sentence are joined without a break.
    assert "实现全园校园烟雾感应报警装置安装全覆盖" in plan.tasks[5].content
    assert "建立一套工作台账" in plan.tasks[12].content
    assert [t.domain for t in plan.tasks[:5]] == [
        "健全校园安全工作责任体系",
        "健全校园安全工作责任体系",
        "提升校园安全标准规范",
        "提升校园安全标准规范",
        "深化校园安全隐患排查整治",
    ]
    # 三、工作要求 is not a task section.
    assert not any("加强组织领导" in t.title for t in plan.tasks)


def test_it_reads_top_level_items_with_trailers():
    plan = import_text(
        "2025年安全工作要点\n"
        "一、落实安全责任制。签订责任书，明确责任人。（牵头单位：办公室 责任单位：各科室）\n"
        "二、开展隐患排查。每月排查一次。（牵头单位：安全科 完成时限：立行立改）\n"
    )
    assert [(t.title, t.content, t.lead_units) for t in plan.tasks] == [
        ("落实安全责任制", "签订责任书，明确责任人。", ["办公室"]),
        ("开展隐患排查", "每月排查一次。", ["安全科"]),
    ]
    assert plan.tasks[0].responsible_units == ["各科室"]
    assert _deadlines(plan.tasks[1]) == [(None, "立行立改", "immediate")]


def test_it_reads_units_given_on_lines_of_their_own():
    plan = import_text(
        "二、主要任务\n1. 开展检查。每月一次。\n牵头单位：保卫处\n责任单位：各学院\n"
        "完成时限：2025年10月\n"
        "2. 开展培训。每学期一次。\n牵头单位：人事处\n"
    )
    first, second = plan.tasks
    assert (first.title, first.content) == ("开展检查", "每月一次。")
    assert (first.lead_units, first.responsible_units) == (["保卫处"], ["各学院"])
    assert _deadlines(first) == [("2025-10-31", "", "date")]
    assert (second.content, second.lead_units) == ("每学期一次。", ["人事处"])


def test_it_reads_a_title_and_a_detail_column_and_cells_broken_over_lines():
    text = (
        "序号\t工作任务\t具体措施\t责任单位\t完成时间\n"
        "1\t消防安全\t检查灭火器。\n更换过期器材。\t总务处\t2025年6月\n"
        "2\t用电安全\t排查线路。\t后勤处\t2025年9月\n"
    )
    plan = import_text(text)
    assert [(t.title, t.content, t.responsible_units) for t in plan.tasks] == [
        ("消防安全", "检查灭火器。\n更换过期器材。", ["总务处"]),
        ("用电安全", "排查线路。", ["后勤处"]),
    ]
    assert [_deadlines(t) for t in plan.tasks] == [
        [("2025-06-30", "", "date")],
        [("2025-09-30", "", "date")],
    ]


def test_it_reads_cells_copied_from_excel_with_line_breaks():
    text = (
        "序号\t工作任务\t完成时限\t责任单位\n"
        '1\t"开展检查。\n每月一次，全覆盖。"\t2025年6月\t安全股\n'
        '2\t开展演练。\t2025年9月\t"安全股、\n各学校"\n'
    )
    plan = import_text(text)
    assert [(t.title, t.content, t.responsible_units) for t in plan.tasks] == [
        ("开展检查", "每月一次，全覆盖。", ["安全股"]),
        ("开展演练", "", ["安全股", "各学校"]),
    ]


def test_it_skips_page_numbers_inside_an_exported_table():
    text = (
        "序号\t工作任务\t完成时限\t责任单位\n"
        "1\t开展检查。每月一次。\t2025年6月\t安全股\n"
        "\n— 3 —\n\n"
        "2\t开展演练。每学期一次。\t2025年9月\t各学校\n"
        "第 4 页 共 9 页\n"
        "3\t开展培训。\t2025年10月\t安全股\n"
    )
    plan = import_text(text)
    assert [(t.seq, t.title) for t in plan.tasks] == [
        (1, "开展检查"),
        (2, "开展演练"),
        (3, "开展培训"),
    ]


def test_it_reads_rows_that_only_add_a_deadline_or_units_to_the_task_above():
    text = (
        "工作任务\t完成时限\t牵头单位\t配合单位\n"
        "一、安全检查\n"
        "开展全面检查。覆盖全部校舍。\t2025年6月\t安全股\t\n"
        "\t2025年12月\t\t各学校\n"
        "二、教育培训\n"
        "开展安全培训。\t2025年9月\t基教股\t\n"
    )
    plan = import_text(text)
    assert [(t.title, t.domain) for t in plan.tasks] == [
        ("开展全面检查", "安全检查"),
        ("开展安全培训", "教育培训"),
    ]
    first, second = plan.tasks
    assert _deadlines(first) == [("2025-06-30", "", "date"), ("2025-12-31", "", "date")]
    assert (first.lead_units, first.cooperating_units) == (["安全股"], ["各学校"])
    assert (second.lead_units, second.cooperating_units) == (["基教股"], [])


def test_it_keeps_a_task_whose_detail_cell_is_empty():
    text = (
        "序号\t任务名称\t工作内容\t责任单位\n"
        "1\t消防安全检查\t\t总务处\n"
        "2\t防溺水教育\t暑假前开展。\t德育处\n"
    )
    plan = import_text(text)
    assert [(t.title, t.content) for t in plan.tasks] == [
        ("消防安全检查", ""),
        ("防溺水教育", "暑假前开展。"),
    ]


def test_it_does_not_take_the_phase_table_for_tasks():
    text = (
        "某县2025年校园安全专项整治方案\n"
        "阶段\t时间安排\t主要任务\n"
        "动员部署\t2025年3月\t制定方案，召开动员会。\n"
        "排查整治\t2025年4月至10月\t全面排查，建立台账。\n"
        "\n"
        "二、主要任务\n"
        "⑴ 开展消防检查。逐校检查。（牵头单位：安全股）\n"
        "⑵ 开展食品安全检查。逐校检查食堂。（牵头单位：后勤办）\n"
    )
    plan = import_text(text)
    assert [(t.title, t.lead_units) for t in plan.tasks] == [
        ("开展消防检查", ["安全股"]),
        ("开展食品安全检查", ["后勤办"]),
    ]


def test_it_reads_a_sheet_saved_as_csv():
    text = (
        "序号,工作任务,完成时限,责任单位\n"
        '1,"开展检查。每月一次，全覆盖。",2025年6月,"安全股、各学校"\n'
        "2,开展演练。,,督导办\n"
    )
    plan = import_plan(text.encode("gb18030"), "清单.csv")
    assert [(t.title, t.content, t.responsible_units) for t in plan.tasks] == [
        ("开展检查", "每月一次，全覆盖。", ["安全股", "各学校"]),
        ("开展演练", "", ["督导办"]),
    ]
    # Half the deadline cells are blank: not "mostly filled", so blank means no deadline
    # and the task is due at the end of the plan's year.
    assert [_deadlines(t) for t in plan.tasks] == [
        [("2025-06-30", "", "date")],
        [("2025-12-31", "", "date")],
    ]


def test_it_finds_the_task_section_one_level_down():
    text = (
        "2025年平安校园建设工作方案\n"
        "一、总体要求\n"
        "（一）指导思想\n坚持安全第一、预防为主，统筹发展和安全。\n"
        "（二）工作目标\n全年不发生重大安全责任事故，隐患整改率100%。\n"
        "（三）主要任务\n"
        "1. 完善考核评价机制。把安全工作纳入年度考核。（牵头单位：人事科）\n"
        "2. 开展隐患排查。每月一次。（牵头单位：安全科）\n"
        "二、保障措施\n"
        "（一）加强领导。成立领导小组。\n"
    )
    plan = import_text(text)
    assert [(t.title, t.lead_units) for t in plan.tasks] == [
        ("完善考核评价机制", ["人事科"]),
        ("开展隐患排查", ["安全科"]),
    ]


def test_it_continues_a_table_across_running_headers_but_not_into_another_table():
    # As a PDF or Word file gives them: tables as blocks, a page's running header between.
    from xiaoan.plans.importer import build_plan
    from xiaoan.plans.importer.model import Cell, Document, Paragraph, Table

    def table(*rows):
        return Table(rows=[[Cell(c) for c in row] for row in rows])

    doc = Document(
        blocks=[
            table(
                ["序号", "工作任务", "完成时限", "责任单位"],
                ["1", "开展检查。", "2025年6月", "安全股"],
            ),
            Paragraph("某某区教育局"),
            table(["2", "开展演练。", "2025年9月", "各学校"]),
            Paragraph("附件2：联系人名单"),
            table(["单位", "联系人", "电话", "备注"], ["安全股", "张三", "12345", ""]),
        ]
    )
    plan = build_plan(doc)
    assert [(t.seq, t.title, t.responsible_units) for t in plan.tasks] == [
        (1, "开展检查", ["安全股"]),
        (2, "开展演练", ["各学校"]),
    ]


def test_it_reads_a_title_on_its_own_line_above_the_content():
    text = (
        "二、主要任务\n"
        "1. 严格落实主体责任\n对照《学校安全条例》，建立责任体系。（牵头单位：安全股）\n"
        "2. 加强隐患排查\n每月排查一次，\n建立台账。\n"
    )
    plan = import_text(text)
    assert [(t.title, t.content) for t in plan.tasks] == [
        ("严格落实主体责任", "对照《学校安全条例》，建立责任体系。"),
        ("加强隐患排查", "每月排查一次，建立台账。"),
    ]
    assert plan.tasks[0].lead_units == ["安全股"]


def test_it_reads_a_table_exported_one_cell_per_line_with_tab_indentation():
    text = (
        "2025年安全工作责任清单\n"
        "序号\n\t工作任务\n\t完成时限\n\t责任单位\n"
        "1\n\t<p>落实主体责任。签订责任书。</p>\n\t2025年3月\n\t安全股、各学校\n"
        "\n"
        "2\n\t开展消防检查。每季度一次。\n\t\n\t安全股\n"
        "3\n\t开展应急演练。\n\t立整立改 长期坚持\n\t各学校\n"
    )
    plan = import_text(text)
    assert plan.plan_title == "2025年安全工作责任清单"
    assert [(t.title, t.content, t.responsible_units) for t in plan.tasks] == [
        ("落实主体责任", "签订责任书。", ["安全股", "各学校"]),
        ("开展消防检查", "每季度一次。", ["安全股"]),
        ("开展应急演练", "", ["各学校"]),
    ]
    assert [_deadlines(t) for t in plan.tasks] == [
        [("2025-03-31", "", "date")],
        [("2025-03-31", "", "date")],  # a blank cell in a filled column: same as above
        [(None, "立整立改", "immediate"), (None, "长期坚持", "ongoing")],
    ]


def test_it_reads_an_html_table_with_rowspan_and_colspan():
    html = """<h1>某校2025年安全工作责任清单</h1>
    <table>
      <tr><th>序号</th><th>工作任务</th><th>完成时限</th><th>责任部门</th></tr>
      <tr><td colspan="4">一、消防安全</td></tr>
      <tr><td>1</td><td><p><b>消防设施检查。</b>每月检查灭火器。</p></td>
          <td>2025.6</td><td rowspan="2">总务处</td></tr>
      <tr><td>2</td><td>消防演练。<br>每学期一次。</td><td>上半年 6月30日 下半年12月31日</td></tr>
    </table>"""
    for plan in (import_text(html), import_plan(html.encode(), "清单.html")):
        assert plan.plan_title == "某校2025年安全工作责任清单"
        assert [(t.title, t.content, t.domain) for t in plan.tasks] == [
            ("消防设施检查", "每月检查灭火器。", "消防安全"),
            ("消防演练", "每学期一次。", "消防安全"),
        ]
        assert [t.responsible_units for t in plan.tasks] == [["总务处"], ["总务处"]]
        assert _deadlines(plan.tasks[1]) == [
            ("2025-06-30", "上半年", "date"),
            ("2025-12-31", "下半年", "date"),
        ]


def test_it_reads_a_stray_quote_as_text():
    text = (
        "序号\t工作任务\t完成时限\t责任单位\n"
        '1\t"平安校园"创建。开展四个一活动。\t2025年6月\t安全股\n'
        "2\t开展演练。\t2025年9月\t各学校\n"
    )
    plan = import_text(text)
    assert [t.title for t in plan.tasks] == ['"平安校园"创建', "开展演练"]


def test_it_reads_unnumbered_paragraphs_led_by_a_bold_title():
    text = (
        "# 2025年学校安全工作要点\n\n"
        "## 重点工作\n\n"
        "**加强消防安全。**各校每月检查消防设施。（牵头单位：总务处）\n\n"
        "**加强食品安全。**落实校长陪餐制度。（牵头单位：后勤处 完成时限：长期坚持）\n"
    )
    plan = import_text(text)
    assert [(t.title, t.content, t.lead_units) for t in plan.tasks] == [
        ("加强消防安全", "各校每月检查消防设施。", ["总务处"]),
        ("加强食品安全", "落实校长陪餐制度。", ["后勤处"]),
    ]
    assert _deadlines(plan.tasks[1]) == [(None, "长期坚持", "ongoing")]
    # Under numbered tasks, bold-led paragraphs stay in the task's content.
    numbered = import_text(
        "二、主要任务\n1. 加强消防安全。每月检查。\n**一是**更换灭火器。\n2. 加强食品安全。陪餐。\n"
    )
    assert [(t.title, t.content) for t in numbered.tasks] == [
        ("加强消防安全", "每月检查。\n一是更换灭火器。"),
        ("加强食品安全", "陪餐。"),
    ]


def test_it_takes_the_level_with_unit_trailers_as_the_tasks():
    text = (
        "二、主要任务\n"
        "（一）健全责任体系。各校要建立健全安全责任体系，层层压实责任，确保责任落实到岗到人。\n"
        "1. 签订责任书。逐级签订。（牵头单位：办公室 责任单位：各处室）\n"
        "2. 明确岗位职责。制定清单。（牵头单位：人事处）\n"
        "（二）强化隐患排查。各校要定期排查，建立台账，及时整改发现的各类安全隐患问题。\n"
        "3. 开展月度排查。每月一次。（牵头单位：保卫处）\n"
        "（1）重点排查宿舍。（完成时限：2025年6月）\n"
    )
    plan = import_text(text)
    assert [(t.title, t.domain, t.lead_units) for t in plan.tasks] == [
        ("签订责任书", "健全责任体系", ["办公室"]),
        ("明确岗位职责", "健全责任体系", ["人事处"]),
        ("开展月度排查", "强化隐患排查", ["保卫处"]),
    ]
    third = plan.tasks[2]
    assert third.content == "每月一次。\n（1）重点排查宿舍。"
    assert _deadlines(third) == [("2025-06-30", "", "date")]
