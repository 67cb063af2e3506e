from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    AUTHORITY = "authority", _("教育行政部门")
    SECTION = "section", _("股室/处室")
    SCHOOL = "school", _("学校")
    DEPARTMENT = "department", _("内设部门/院系")
    CAMPUS = "campus", _("校区")


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("幼儿园")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    NINE_YEAR = "nine_year", _("九年一贯制学校")
    SENIOR = "senior", _("高中")
    COMPLETE = "complete", _("完全中学")
    VOCATIONAL = "vocational", _("中职")
    UNIVERSITY = "university", _("高校")
    SPECIAL = "special", _("特殊教育学校")
    OTHER = "other", _("其他")


# Which kinds may sit directly under which: the tree mirrors how the system is organised.
ALLOWED_CHILDREN: dict[str | None, set[str]] = {
    None: {UnitKind.AUTHORITY, UnitKind.SCHOOL},
    UnitKind.AUTHORITY: {UnitKind.AUTHORITY, UnitKind.SECTION, UnitKind.SCHOOL},
    UnitKind.SECTION: set(),
    UnitKind.SCHOOL: {UnitKind.DEPARTMENT, UnitKind.CAMPUS},
    UnitKind.CAMPUS: {UnitKind.DEPARTMENT},
    UnitKind.DEPARTMENT: {UnitKind.DEPARTMENT},
}


class PlaceKind(models.TextChoices):
    BUILDING = "building", _("楼栋")
    FLOOR = "floor", _("楼层")
    ROOM = "room", _("房间")
    AREA = "area", _("室外区域")


class BuildingUse(models.TextChoices):
    TEACHING = "teaching", _("教学楼")
    DORMITORY = "dormitory", _("宿舍")
    CANTEEN = "canteen", _("食堂")
    LIBRARY = "library", _("图书馆")
    LAB = "lab", _("实验楼")
    GYM = "gym", _("体育馆")
    OFFICE = "office", _("行政办公楼")
    OTHER = "other", _("其他")
