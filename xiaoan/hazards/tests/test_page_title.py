"""The hazard page says what the hazard is: its number and a few words of the description,
with its level, in the browser tab and the heading — not the number alone."""

from __future__ import annotations

import re

from django.urls import reverse

from xiaoan.hazards.choices import HazardLevel
from xiaoan.hazards.tests.pages_support import assigned, reported


def _page(client, hazard) -> str:
    return client.get(reverse("hazards:hazard_detail", args=[hazard.pk])).content.decode()


def _heading(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_it_titles_the_page_with_number_and_description(units, persona, client_for):
    hazard = assigned(persona, units, "宿舍楼消防通道堵塞", level=HazardLevel.MAJOR)
    html = _page(client_for("school_a_officer"), hazard)
    assert f"<title>{hazard.number} 宿舍楼消防通道堵塞 · 校安</title>" in html
    assert _heading(html) == f"{hazard.number} 宿舍楼消防通道堵塞 重大隐患"
    # A short description is the title: not said twice.
    assert "hazard-description" not in html


def test_it_shortens_a_long_description_in_the_title(units, persona, client_for):
    text = "二号宿舍楼三楼楼道堆放纸箱、旧桌椅，阻塞疏散通道，夜间照明不足，学生通行困难\n已拍照"
    hazard = reported(persona, units["梁子湖高级中学"], text)
    html = _page(client_for("school_a_officer"), hazard)
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title == f"{hazard.number} 二号宿舍楼三楼楼道堆放纸箱、旧桌椅，阻塞疏散通… · 校安"
    assert _heading(html) == f"{hazard.number} {hazard.short_title}"  # not yet graded
    assert "hazard-description" in html and "学生通行困难<br>已拍照" in html
