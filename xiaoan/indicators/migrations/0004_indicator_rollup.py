from django.db import migrations


def build(apps, schema_editor):
    # The indicators' dashboard counters (xiaoan.indicators.tallies), counted by the
    # providers of this release from the registers and the accepted reports.
    from xiaoan.reports import rollups

    from django.core.exceptions import FieldError

    if apps.get_model("orgs", "Unit").objects.exists():
        try:
            rollups.rebuild("indicators")
        except FieldError:
            # A later release's providers read a field this schema has not yet: the nightly
            # recount (`xiaoan rollups`) builds the counters once it has.
            pass


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
