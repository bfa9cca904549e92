"""The four platforms the district pushes to (STATUTES §3.6), disabled until an administrator enters each one's
endpoint and credentials."""

from django.db import migrations

UPSTREAMS = (
    ("xinyong-zibo", "信用淄博"),
    ("xinyong-shandong", "信用山东"),
    ("xinyong-zhongguo", "信用中国"),
    ("zibo-portal", "市政府门户网站"),
)


def seed(apps, schema_editor):
    Upstream = apps.get_model("upstream", "Upstream")
    for code, name in UPSTREAMS:
        Upstream.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("upstream", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
