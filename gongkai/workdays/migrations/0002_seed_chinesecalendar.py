"""Seed 2004–2026 from the chinesecalendar package, marked complete (STATUTES §6).

Uses the historical models (apps.get_model), never gongkai.workdays.models. Years already present are
left alone. The reverse is a no-op: unapplying 0001 drops the tables anyway.
"""

from django.db import migrations

from gongkai.workdays.seed import SEED_YEARS, seed_database


def seed(apps, schema_editor):
    seed_database(apps.get_model("workdays", "CalendarYear"), apps.get_model("workdays", "CalendarDay"), SEED_YEARS)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
