from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_number_existing")]

    operations = [
        migrations.AddIndex(
            model_name="inspection",
            index=models.Index(fields=["number"], name="inspection_number"),
        ),
        migrations.AddConstraint(
            model_name="inspection",
            constraint=models.UniqueConstraint(
                fields=("organiser", "number"), name="inspection_number_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="inspectioncounter",
            constraint=models.UniqueConstraint(
                fields=("organiser", "year"), name="inspection_counter_once"
            ),
        ),
    ]
