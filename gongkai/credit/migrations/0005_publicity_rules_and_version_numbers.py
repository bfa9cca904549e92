"""The publicity rules of STATUTES §3.5 (`gongkai.credit.periods.SEED_RULES`); the periods of the penalties
already stored (all of class 一般, the default); the version numbers of the records already stored: 1, plus one
for each version a later submission replaced (`RecordVersion`, numbered in order). On SQLite, the triggers of
the name index (0003) again: adding a NOT NULL column (0004) makes Django rebuild the table, which drops them.

Uses the historical models. Penalties whose 公示截止期 has passed stay public until the daily job
(`credit.end_publicity`) takes them down, so that the upstream platforms hear of it. The reverse is a no-op:
unapplying 0004 drops the columns and the table.
"""

from django.db import migrations
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from gongkai.credit.periods import Rule, periods_of, seed_database
from gongkai.credit.standard import GENERAL


def seed_rules(apps, schema_editor):
    PublicityRule = apps.get_model("credit", "PublicityRule")
    Penalty = apps.get_model("credit", "Penalty")
    seed_database(PublicityRule)
    rules = [_rule(row) for row in PublicityRule.objects.all()]  # a historical model has no as_rule()
    for day in Penalty.objects.order_by().values_list("decision_date", flat=True).distinct():
        found = periods_of(day, GENERAL, rules)
        if found:
            Penalty.objects.filter(decision_date=day).update(
                publicity_min_until=found.min_until, publicity_max_until=found.max_until
            )


def _rule(row) -> Rule:
    return Rule(
        row.regime, row.regime_name, row.in_force_from, row.in_force_to, row.severity, row.min_months,
        row.max_months, row.repairable, row.published,
    )  # fmt: skip


def number_versions(apps, schema_editor):
    RecordVersion = apps.get_model("credit", "RecordVersion")
    for record_type, model_name in (("licence", "Licence"), ("penalty", "Penalty")):
        replaced = (
            RecordVersion.objects.filter(record_type=record_type, record_id=OuterRef("pk"))
            .order_by()
            .values("record_id")
            .annotate(count=Count("id"))
            .values("count")
        )
        apps.get_model("credit", model_name).objects.update(version=Coalesce(Subquery(replaced), Value(0)) + 1)
    changed, previous, number = [], None, 0
    for version in RecordVersion.objects.order_by("record_type", "record_id", "id").only("record_type", "record_id"):
        number = number + 1 if (version.record_type, version.record_id) == previous else 1
        previous = (version.record_type, version.record_id)
        if number != 1:
            version.version = number
            changed.append(version)
    RecordVersion.objects.bulk_update(changed, ["version"], batch_size=1000)


def restore_name_index_triggers(apps, schema_editor):
    """As 0003 creates them: whoever deletes a record takes its name out of the index."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    rank = "(((CAST(julianday(old.decision_date) AS INTEGER) - 2440587) << 32) | old.id)"
    with connection.cursor() as cursor:
        for table in ("credit_licence", "credit_penalty"):
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_unindex AFTER DELETE ON {table} WHEN old.is_public BEGIN "
                f"DELETE FROM {table}_names WHERE rowid = {rank}; END"
            )


class Migration(migrations.Migration):
    dependencies = [("credit", "0004_publicity_periods_and_repair")]

    operations = [
        migrations.RunPython(seed_rules, migrations.RunPython.noop),
        migrations.RunPython(number_versions, migrations.RunPython.noop),
        migrations.RunPython(restore_name_index_triggers, migrations.RunPython.noop),
    ]
