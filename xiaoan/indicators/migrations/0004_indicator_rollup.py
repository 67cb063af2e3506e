from django.db import migrations


def build(apps, schema_editor):
    # The indicators' dashboard counters (xiaoan.indicators.tallies), counted by the
    # providers of this release from the registers and the accepted reports.
    from xiaoan.reports import rollups

    if apps.get_model("orgs", "Unit").objects.exists():
        rollups.rebuild_when_ready("indicators")


def drop(apps, schema_editor):
    apps.get_model("reports", "Rollup").objects.filter(kind="indicators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_ranking_weight"),
        ("reports", "0001_initial"),
        ("orgs", "0004_unit_location_area_map"),
        ("buildings", "0001_initial"),
        ("certificates", "0002_alter_certificate_certificate_number_per_unit"),
        ("emergency", "0001_initial"),
        ("fireassets", "0001_initial"),
    ]

    operations = [migrations.RunPython(build, drop)]
