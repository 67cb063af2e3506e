"""The safety domain a task is about, from its words (a `SafetyDomain` value).

A word in the title weighs most, then the group it sits in, then its content. When neither
title nor group names the domain, the content decides only if it speaks of one domain
alone: a task whose content lists domains in passing ("邀请消防、燃气、食品等领域专家")
gets none rather than a guess.
"""

from __future__ import annotations

from .text import norm

# Checked as substrings; the longer, more specific words first within each domain.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "fire": ("消防", "火灾", "防火", "灭火", "烟雾感应", "喷淋", "动火", "疏散通道"),
    "gas": ("燃气", "液化气", "天然气", "煤气"),
    "electricity": ("用电", "电气", "私拉乱接", "大功率电器", "电路", "配电"),
    "buildings": ("校舍", "危房", "在建工程", "基建", "建筑", "围墙", "地质灾害"),
    "labs": ("实验室", "危化品", "危险化学品", "化学品", "易制毒", "易燃易爆"),
    "special_equipment": ("特种设备", "电梯", "锅炉", "压力容器"),
    "food": ("食品", "食堂", "餐饮", "饮用水", "营养餐", "食材"),
    "school_bus": ("校车", "交通", "接送车辆", "驾驶员"),
    "crowd": ("踩踏", "大型集会", "大型活动", "研学", "拥挤"),
    "drowning": ("溺水", "游泳", "水域"),
    "bullying": ("欺凌", "霸凌", "校园暴力"),
    "mental_health": ("心理", "自杀", "自残", "矛盾纠纷"),
    "surroundings": ("周边", "实体店"),
    "security": ("安防", "监控", "门卫", "保安", "一键报警", "封闭化管理", "入侵报警"),
    "internship": ("实习", "实训"),
    "fraud": ("诈骗", "反诈", "电诈"),
}
_WEIGHTS = (3, 2, 1)  # title, group, content


def _hits(text: str, words: tuple[str, ...]) -> int:
    count = 0
    for word in words:
        found = text.count(word)
        if found:
            count += found
            text = text.replace(word, "")  # "消防" inside "消防安全" counts once
    return count


def infer_domain(title: str, content: str = "", group: str = "") -> str:
    texts = [norm(t or "") for t in (title, group, content)]
    scores = []
    for domain, words in KEYWORDS.items():
        score = sum(w * _hits(t, words) for w, t in zip(_WEIGHTS, texts, strict=True))
        if score:
            scores.append((score, domain))
    if not scores:
        return ""
    scores.sort(key=lambda item: -item[0])
    best, domain = scores[0]
    named = any(_hits(t, KEYWORDS[domain]) for t in texts[:2])
    if not named and len(scores) > 1:
        return ""  # content touching several domains: a general task
    if best < 2 or (len(scores) > 1 and scores[1][0] == best):
        return ""
    return domain
