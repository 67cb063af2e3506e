"""The declaration of the 培训记录 register (xiaoan.core.registers): the sessions' list,
record page, form, Excel ledger (export and import), API and materials (attachments) come
from it; attendance, the QR code, coverage and a person's record are this app's own pages."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoan.core.registers import Register, SheetColumn, registry
from xiaoan.training.choices import ATTACHMENT_KINDS
from xiaoan.training.filtersets import TrainingFilterSet
from xiaoan.training.forms import TrainingForm
from xiaoan.training.models import TrainingSession
from xiaoan.training.serializers import TrainingSessionSerializer
from xiaoan.training.services import save_covers

TRAININGS = registry.register(
    Register(
        key="training",
        model=TrainingSession,
        label=_("安全培训"),
        description=_("培训场次：组织单位、领域、参训对象、授课人、学时、材料与签到"),
        form=TrainingForm,
        serializer=TrainingSessionSerializer,
        filterset=TrainingFilterSet,
        list_fields=(
            "held_on",
            "name",
            "unit",
            "domain",
            "trainer",
            "hours",
            "attendee_count",
        ),
        search_fields=("name", "code", "trainer", "note"),
        columns=[
            SheetColumn("unit", _("组织单位"), 18, aliases=("单位", "学校")),
            SheetColumn(
                "name", _("培训主题"), 24, aliases=("主题", "名称", "培训名称"), required=True
            ),
            SheetColumn("code", _("编号"), 10),
            SheetColumn("domain", _("领域"), 12, aliases=("类别",), required=True),
            SheetColumn("held_on", _("培训日期"), 12, aliases=("日期",), required=True),
            SheetColumn("trainer", _("授课人"), 12, aliases=("主讲人", "授课教师"), required=True),
            SheetColumn("hours", _("学时"), 6, required=True),
            SheetColumn("audience_roles", _("参训角色"), 20, export_only=True),
            SheetColumn("audience_kinds", _("参训人员类别"), 20, export_only=True),
            SheetColumn("attendee_count", _("参训人数"), 8, export_only=True),
            SheetColumn("note", _("备注"), 20),
        ],
        attachment_kinds=ATTACHMENT_KINDS,
        prefetch_related=("covers",),
        save_related=save_covers,
        # Sessions held (today or before) with no attendee recorded: the organiser's to-do.
        # As of the unit's last count for a session that falls due later (nightly recount).
        counters=lambda today: {
            "unattended": Q(attendee_count=0, held_on__lte=today),
            "year": Q(held_on__year=today.year),
        },
        ranked=("unattended",),
        order=70,
    )
)
