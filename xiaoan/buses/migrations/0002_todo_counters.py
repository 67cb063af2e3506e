from django.db import migrations


def recount(apps, schema_editor):
    # New counters (no_crew) for the home page's to-dos (xiaoan.core.todos.Counted):
    # counted now rather than at the nightly recount.
    if not apps.get_model("orgs", "Unit").objects.exists():
        return
    from xiaoan.reports import rollups

    rollups.rebuild_when_ready("reg:buses")


class Migration(migrations.Migration):
    dependencies = [
        ("buses", "0001_initial"),
        ("reports", "0002_register_rollups"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
