from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "xiaoan.accounts"
    label = "accounts"
    verbose_name = _("人员与授权")

    def ready(self) -> None:
        from xiaoan.accounts.roles import sync_builtin_roles

        # Built-in roles are reference data: keep them in step with the code on every migrate.
        post_migrate.connect(sync_builtin_roles, sender=self)
        from django.contrib.auth.signals import user_logged_in

        from xiaoan.accounts.middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="xiaoan_session_clocks")
