"""Keyword similarity of Chinese descriptions (jieba), for spotting a hazard found again."""

from __future__ import annotations

import logging
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

STOP = set("的 了 在 和 与 及 或 有 无 未 不 是 被 等 处 个 一 上 下 内 中 已 对 将 把".split())


@lru_cache(maxsize=4096)
def keywords(text: str) -> frozenset[str]:
    words = (w.strip() for w in jieba.cut_for_search(text or ""))
    return frozenset(w for w in words if len(w) > 1 and w not in STOP and not w.isdigit())


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two descriptions' keywords, 0 to 1."""
    ka, kb = keywords(a), keywords(b)
    if not ka or not kb:
        return 0.0
    return len(ka & kb) / len(ka | kb)
