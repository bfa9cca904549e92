"""`gongkai search …`: the full-text index from the command line, a thin shell over the services."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from gongkai.search import services


class Command(BaseCommand):
    help = "全文检索 / Full-text search: rebuild (index every published publication again)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("rebuild", help="重建全文检索索引 / index every published publication again")
        p.add_argument(
            "--chunk-size",
            type=int,
            default=services.REBUILD_CHUNK,
            help="每个事务的条数 / publications per transaction",
        )

    def handle(self, *args, action: str, **options):
        if action == "rebuild":
            started = time.monotonic()
            count = services.rebuild_index(chunk_size=max(1, options["chunk_size"]))
            self.stdout.write(
                f"已重建全文检索索引：{count} 条政府信息，用时 {time.monotonic() - started:.1f} 秒。 "
                f"Search index rebuilt: {count} publications in {time.monotonic() - started:.1f} s."
            )
