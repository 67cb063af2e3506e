"""The catalogue and the storages become register items (xiaoan.core.registers): the same
tables and rows (ids, units, names, balances and movements untouched); `notes` is the
layer's `note`, and the layer's retired state is `retired_at` alone — an entry stopped
(`is_active` false) without a time gets its last change's time."""

from django.db import migrations
from django.db.models import F


def retired_state(apps, schema_editor):
    for name in ("Chemical", "Storage"):
        model = apps.get_model("chemicals", name)
        model.objects.filter(is_active=False, retired_at__isnull=True).update(
            retired_at=F("updated_at")
        )
        # The layer knows no "in use but stamped as retired": such a row is in use.
        model.objects.filter(is_active=True, retired_at__isnull=False).update(retired_at=None)


class Migration(migrations.Migration):
    dependencies = [("chemicals", "0001_initial")]

    operations = [
        migrations.RenameField("chemical", "notes", "note"),
        migrations.RenameField("historicalchemical", "notes", "note"),
        migrations.RenameField("storage", "notes", "note"),
        migrations.RenameField("historicalstorage", "notes", "note"),
        migrations.RunPython(retired_state, migrations.RunPython.noop),
    ]
