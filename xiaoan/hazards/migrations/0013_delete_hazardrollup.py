from django.db import migrations


class Migration(migrations.Migration):
    # The hazards' figures are kept in reports.Rollup (kind "hazards") from now on.
    dependencies = [
        ("hazards", "0012_merge_0011_rollup_ranked_0011_subject"),
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="HazardRollup"),
    ]
