from django.db import migrations


def build(apps, schema_editor):
    # The registers' dashboard counters (xiaoan.core.tallies), counted with the conditions
    # of this release from the items in use.
    from xiaoan.core import registers
    from xiaoan.reports import rollups

    if not apps.get_model("orgs", "Unit").objects.exists():
        return
    registers.discover()
    for register in registers.registry:
        if register.counters is not None:
            rollups.rebuild_when_ready(register.tally_kind)


def drop(apps, schema_editor):
    apps.get_model("reports", "Rollup").objects.filter(kind__startswith="reg:").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("indicators", "0004_indicator_rollup"),
        ("buildings", "0001_initial"),
        ("certificates", "0002_alter_certificate_certificate_number_per_unit"),
        ("emergency", "0001_initial"),
        ("equipment", "0002_operators_certificates"),
        ("fireassets", "0001_initial"),
    ]

    operations = [migrations.RunPython(build, drop)]
