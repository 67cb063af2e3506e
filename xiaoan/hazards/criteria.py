"""Suggesting 重大 from a description: the Ministry's direct criteria we hold as verified
(major-hazard-criteria.md §7, fire article only). Each criterion is a list of word groups;
a text matches when every group has a word in it. Our own reading, for a person to confirm."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    code: str
    summary: str
    groups: tuple[tuple[str, ...], ...]


CROWDED = ("教学楼", "图书馆", "食堂", "宿舍", "教室", "礼堂", "体育馆", "人员密集")

CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "FIRE-D-01",
        "未建立健全消防安全责任体系，各级各岗位人员责任未落实",
        (("消防安全责任", "消防责任"), ("未建立", "未落实", "不健全", "缺失", "没有")),
    ),
    Criterion(
        "FIRE-D-02",
        "学生宿舍或幼儿园儿童用房设在地下室/半地下室，或儿童用房在四层及以上",
        (
            ("宿舍", "儿童用房", "幼儿", "活动室", "寝室"),
            ("地下室", "半地下", "四层", "4层", "五层", "5层", "四楼", "五楼"),
        ),
    ),
    Criterion(
        "FIRE-D-03a",
        "人员密集场所违规使用或储存易燃易爆危险品",
        (CROWDED, ("易燃", "易爆", "汽油", "酒精", "液化气罐", "煤气罐", "危险品")),
    ),
    Criterion(
        "FIRE-D-03b",
        "人员密集场所用彩钢夹芯板搭建，且芯材燃烧性能低于A级",
        (("彩钢",), ("夹芯", "泡沫", "聚苯", "板房")),
    ),
    Criterion(
        "FIRE-D-04a",
        "未按标准设火灾自动报警、自动灭火、消火栓、防排烟等系统",
        (
            ("火灾自动报警", "自动喷淋", "喷淋", "消火栓", "防排烟", "排烟"),
            ("未设", "未安装", "没有安装", "未配置", "缺少", "没有"),
        ),
    ),
    Criterion(
        "FIRE-D-04b",
        "消防系统已设置但不符合标准或不能正常使用",
        (
            ("火灾自动报警", "喷淋", "消火栓", "防排烟", "排烟", "报警系统", "消防水"),
            ("损坏", "故障", "无水", "不能正常", "无法使用", "失效", "停用", "关闭"),
        ),
    ),
    Criterion(
        "FIRE-D-04c",
        "学生宿舍或午休室未装火灾自动报警系统，也未装联网型独立式火灾探测报警器",
        (
            ("宿舍", "午休室", "寝室"),
            ("烟感", "火灾探测", "火灾报警", "报警器"),
            ("未装", "未安装", "没有", "缺少", "无"),
        ),
    ),
    Criterion(
        "FIRE-D-05",
        "校内明火作业未办动火审批、未落实现场监管",
        (
            ("电焊", "气焊", "切割", "喷灯", "动火", "焊接"),
            ("未审批", "未办", "无审批", "没有审批", "无人监护", "未落实", "无证", "未经"),
        ),
    ),
    Criterion(
        "FIRE-D-06",
        "电动自行车（含电池）进入楼内，或私拉乱接电线、飞线充电",
        (
            ("电动自行车", "电动车", "电瓶车", "电瓶", "飞线充电", "私拉乱接"),
            ("楼内", "楼道", "室内", "宿舍", "进楼", "充电", "走廊", "电线", "插线板"),
        ),
    ),
    Criterion(
        "FIRE-D-07a",
        "建筑施工前未取得消防设计审查合格意见",
        (("消防设计",), ("未审查", "未取得", "未经", "没有")),
    ),
    Criterion(
        "FIRE-D-07b",
        "建筑投入使用前未取得消防验收（备案）合格意见",
        (("消防验收", "验收备案"), ("未验收", "未取得", "未经", "没有", "未备案")),
    ),
    Criterion(
        "FIRE-D-07c",
        "校内宾馆、饭店、商场等公众聚集场所未经消防许可擅自营业",
        (("宾馆", "饭店", "商场", "超市", "餐厅"), ("消防许可", "擅自营业", "未经许可")),
    ),
    Criterion(
        "FIRE-D-08",
        "人员密集场所无独立安全出口、出口数量不足，或总净宽不足",
        (("安全出口", "疏散出口"), ("不足", "只有一个", "仅有一个", "无独立", "宽度不够")),
    ),
    Criterion(
        "FIRE-D-09",
        "人员密集场所门窗设逃生和救援障碍物",
        (("窗", "门", "外窗"), ("铁栅栏", "防盗网", "铁丝网", "广告牌", "封堵", "焊死")),
    ),
    Criterion(
        "FIRE-D-10",
        "实验室内违规存放、使用易燃易爆危险品",
        (("实验室",), ("易燃", "易爆", "危化品", "危险化学品", "乙醚", "酒精")),
    ),
)
BY_CODE = {c.code: c for c in CRITERIA}


def suggest(text: str) -> Criterion | None:
    """The first direct criterion the text meets, if any."""
    if not text:
        return None
    for criterion in CRITERIA:
        if all(any(word in text for word in group) for group in criterion.groups):
            return criterion
    return None
