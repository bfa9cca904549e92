"""``validate_id VALUE...`` (``gongkai validate-id``): check identifiers and print one JSON object per line.

A thin shell over :mod:`gongkai.lib.identifiers`. Exits with status 1 when any value is invalid.
"""

import json

from django.core.management.base import BaseCommand, CommandParser

from gongkai.lib import identifiers

KINDS = ("uscc", "resident_id", "org_code")


class Command(BaseCommand):
    help = (
        "校验统一社会信用代码、居民身份证号码、组织机构代码，每个值输出一行 JSON；有无效值时退出码为 1。 / "
        "Check USCCs, resident ID numbers and organisation codes; print one JSON line per value; "
        "exit with status 1 if any value is invalid."
    )
    # Pure computation: no models, URLs or database, so it needs no system checks and runs in any state.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("values", nargs="+", metavar="VALUE", help="要校验的值 / values to check")
        parser.add_argument(
            "--kind",
            choices=KINDS,
            default=None,
            help="按指定类型校验，不自动识别 / check as this kind instead of identifying it",
        )

    def handle(self, *args: object, values: list[str], kind: str | None = None, **options: object) -> None:
        invalid = 0
        for value in values:
            result = identifiers.check(value, kind)
            invalid += not result.valid
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        if invalid:
            self.stderr.write(
                f"{len(values)} 个值中有 {invalid} 个无效 / {invalid} of {len(values)} values invalid"
            )
            raise SystemExit(1)
