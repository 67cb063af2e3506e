from django.db import migrations


def build(apps, schema_editor):
    # Every school starts "without" a legal vice-principal, police room and counsellor: count
    # them now rather than at the nightly recount; the three registers start empty.
    if not apps.get_model("orgs", "Unit").objects.exists():
        return
    from xiaoan.reports import rollups

    rollups.rebuild_when_ready("lawsafety")


def drop(apps, schema_editor):
    apps.get_model("reports", "Rollup").objects.filter(kind="lawsafety").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lawsafety", "0001_initial"),
        ("reports", "0002_register_rollups"),
    ]

    operations = [migrations.RunPython(build, drop)]
