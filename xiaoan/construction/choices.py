from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    """Derived from the dates, never stored (it changes with the day)."""

    PLANNED = "planned", _("未开工")
    IN_PROGRESS = "in_progress", _("施工中")
    FINISHED = "finished", _("已完工")


ATTACHMENT_KINDS = [
    ("agreement", _("安全管理协议")),
    ("qualification", _("资质证书")),
    ("other", _("其他")),
]

# The built-in checklist for a site inspection (xiaoan/inspections/library/construction.json).
SITE_CHECKLIST = "BLDG-CONSTR"
# A project in progress is to be inspected at least this often.
INSPECT_EVERY_DAYS = 30
