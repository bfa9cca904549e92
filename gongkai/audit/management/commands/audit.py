from django.core.management.base import BaseCommand

from gongkai.audit.services import verify_chain


class Command(BaseCommand):
    help = "审计日志 / Audit log: `audit verify` recomputes the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="校验哈希链 / verify the hash chain")

    def handle(self, *args, action: str, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(
                f"OK {report.count} events / 共 {report.count} 个事件，哈希链完整。 head {report.head_hash}"
            )
            return
        self.stderr.write(f"BROKEN at event #{report.broken_seq}: {report.reason}")
        raise SystemExit(1)
