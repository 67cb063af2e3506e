from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "xiaoan.activities"
    label = "activities"
    verbose_name = _("安全教育活动")

    def ready(self) -> None:
        # The activities prove the duties' ACTIVITY obligations, and the calendar's duties
        # are offered with the built-in ones (xiaoan.duties.proofs, xiaoan.duties.builtin).
        from xiaoan.activities import sources

        sources.register()
