from django.db import migrations


def seed(apps, schema_editor):
    from gongkai.catalog.seed import seed as seed_catalog

    seed_catalog(apps.get_model("catalog", "Column"), apps.get_model("catalog", "Topic"), apps.get_model("catalog", "Genre"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
