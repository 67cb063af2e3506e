from django.db import migrations


def rerank(apps, schema_editor):
    # A ranking now reads each unit's count of indicators behind (xiaoan.indicators.tallies)
    # instead of every indicator's counters: work it out from the stored counters.
    from xiaoan.reports import rollups

    rollups.rerank("indicators")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_indicator_rollup")]

    operations = [migrations.RunPython(rerank, migrations.RunPython.noop)]
