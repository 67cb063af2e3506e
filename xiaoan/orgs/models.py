from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from xiaoan.core.models import TimeStamped
from xiaoan.core.scoping import ScopedQuerySet, ScopedQuerySetMixin
from xiaoan.orgs.choices import ALLOWED_CHILDREN, BuildingUse, PlaceKind, SchoolType, UnitKind


class UnitQuerySet(ScopedQuerySetMixin, MP_NodeQuerySet):
    pass


class UnitManager(MP_NodeManager):
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user, action: str = "view") -> UnitQuerySet:
        return self.get_queryset().restrict(user, action)

    def with_permission(self, user, perm: str) -> UnitQuerySet:
        return self.get_queryset().with_permission(user, perm)


def ancestor_paths(path: str, *, include_self: bool = True) -> list[str]:
    """Tree paths of the units above `path`, root first (and `path` itself if asked)."""
    end = len(path) + 1 if include_self else len(path)
    return [path[:i] for i in range(Unit.steplen, end, Unit.steplen)]


class Unit(TimeStamped, MP_Node):
    """A node of the organisation tree: authority, section, school, department or campus."""

    scope_unit_field = ""
    steplen = 4

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=UnitKind.choices)
    school_type = models.CharField(
        _("学校类型"), max_length=20, choices=SchoolType.choices, blank=True
    )
    code = models.CharField(
        _("单位代码"), max_length=40, blank=True, help_text=_("学校标识码或统一社会信用代码")
    )
    aliases = models.CharField(
        _("别名"),
        max_length=300,
        blank=True,
        help_text=_("简称或文件中的其他写法，用顿号或逗号分隔"),
    )
    enrolment = models.PositiveIntegerField(_("在校学生数"), null=True, blank=True)
    boarding = models.BooleanField(_("寄宿制"), default=False)
    boarding_students = models.PositiveIntegerField(_("住宿学生数"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("教职工数"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    # Where the unit is, for the dashboard's map (WGS-84 degrees, as a phone reads them).
    longitude = models.DecimalField(
        _("经度"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    latitude = models.DecimalField(
        _("纬度"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    is_active = models.BooleanField(_("启用"), default=True)

    history = HistoricalRecords(excluded_fields=["numchild", "updated_at"])
    objects = UnitManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        # The unit head's mark (第一责任人): people holding it are managed only by someone who
        # holds it too, so a safety officer cannot reset or switch off their principal.
        permissions = [("lead_unit", _("作为单位负责人"))]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unit_code_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "path"], name="unit_kind_path")]

    def __str__(self) -> str:
        return self.name

    @property
    def unit(self) -> Unit:
        return self

    def clean(self) -> None:
        if self.kind != UnitKind.SCHOOL and self.school_type:
            raise ValidationError({"school_type": _("只有学校需要填写学校类型。")})
        if self.kind == UnitKind.SCHOOL and not self.school_type:
            raise ValidationError({"school_type": _("请选择学校类型。")})
        if (
            self.boarding_students is not None
            and self.enrolment is not None
            and self.boarding_students > self.enrolment
        ):
            raise ValidationError({"boarding_students": _("住宿学生数不能多于在校学生数。")})

    def school(self) -> Unit | None:
        """The school this unit belongs to (itself when it is one)."""
        if self.kind == UnitKind.SCHOOL:
            return self
        if self.kind in (UnitKind.DEPARTMENT, UnitKind.CAMPUS):
            return (
                Unit.objects.get_ancestors(self)
                .filter(kind=UnitKind.SCHOOL)
                .order_by("-depth")
                .first()
            )
        return None

    def alias_list(self) -> list[str]:
        import re

        return [a for a in re.split(r"[、，,;；\s]+", self.aliases) if a]


def child_kind_allowed(parent_kind: str | None, child_kind: str) -> bool:
    return child_kind in ALLOWED_CHILDREN.get(parent_kind, set())


class Place(models.Model):
    """A location inside a unit: building → floor → room, or an outdoor area. Hazards,
    inspections, assets and alerts all point here."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="places"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所在位置"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=PlaceKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    use = models.CharField(_("用途"), max_length=20, choices=BuildingUse.choices, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("场所")
        verbose_name_plural = _("场所")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "parent", "name"], name="place_unique_name_per_parent"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    # Whichever path writes a place, the dashboard figures that read the places (a
    # school's buildings, for the smoke-alarm indicator) are recounted.
    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        self._figures_changed()

    def delete(self, *args, **kwargs):
        done = super().delete(*args, **kwargs)
        self._figures_changed()
        return done

    def _figures_changed(self) -> None:
        from xiaoan.reports import rollups

        rollups.changed(Place, [self.unit_id])

    @property
    def full_name(self) -> str:
        names, node, seen = [], self, 0
        while node is not None and seen < 5:
            names.append(node.name)
            node = node.parent
            seen += 1
        return " / ".join(reversed(names))


class AreaMap(models.Model):
    """The boundary of an authority's area (GeoJSON, uploaded by an administrator), on which
    the dashboard draws the schools below it. Nothing is fetched from outside: no tiles."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="area_map"
    )
    name = models.CharField(_("地图名称"), max_length=100)
    geojson = models.JSONField(_("边界（GeoJSON）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("区域地图")
        verbose_name_plural = _("区域地图")

    def __str__(self) -> str:
        return self.name
