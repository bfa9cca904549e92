"""`gongkai credit …`: 双公示 data from the command line, a thin shell over the services."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connection

from gongkai.credit import policy, services, templates
from gongkai.lib import identifiers
from gongkai.orgs.models import Organization


def _driver_failures() -> tuple[type[Exception], ...]:
    return connection.Database.OperationalError, connection.Database.InterfaceError


class Command(BaseCommand):
    help = "信用双公示 / Credit double publicity: import FILE --org USCC [--dry-run] [--accept-valid]."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        p = sub.add_parser("import", help="导入行政许可或行政处罚数据 / import licences or penalties (CSV or XLSX)")
        p.add_argument("file")
        p.add_argument("--org", required=True, metavar="USCC", help="报送单位的统一社会信用代码 / the submitter's USCC")
        p.add_argument("--kind", choices=["licence", "penalty"], help="默认按表头判断 / default: from the header")
        p.add_argument("--dry-run", action="store_true", help="只检查，不保存 / check only, store nothing")
        p.add_argument("--accept-valid", action="store_true", help="保存正确的行，退回其余 / keep the valid rows")
        p.add_argument("--by", default=None, help="操作人用户名 / username recorded in the audit log")

        p = sub.add_parser("template", help="空白填报模板 / a blank template (XLSX with drop-down lists, or CSV)")
        p.add_argument("--kind", choices=["licence", "penalty"], required=True)
        p.add_argument("-o", "--output", required=True, metavar="FILE", help="….xlsx 或 / or ….csv")

        p = sub.add_parser(
            "reconcile",
            help="上级平台对账：逾期未确认、重复接收、拒收、失败的记录 / records not acknowledged, accepted twice, "
            "rejected or failed upstream",
        )
        p.add_argument("--upstream", metavar="CODE", help="只看这个上级平台 / only this upstream")
        p.add_argument(
            "--hours", type=int, help="超过几小时未确认算逾期（默认按平台设置） / hours before an item is late"
        )
        p.add_argument("--resend", action="store_true", help="把列出的记录重新报送 / send the listed items again")
        p.add_argument("--by", default=None, help="操作人用户名 / username recorded in the audit log")

    def handle(self, *args, **options):
        if options["action"] == "template":
            return self.template(options)
        if options["action"] == "reconcile":
            return self.reconcile(options)
        return self.import_file(options)

    def reconcile(self, options) -> None:
        """One JSON line per problem; exit status 1 when there is any (after re-sending them with --resend).

        Besides the items that went wrong (`upstream_services.problems`), each public record of an enabled
        upstream that was never queued for it (``not_queued``: changed while the upstream was off)."""
        from gongkai.upstream import services as upstream_services
        from gongkai.upstream.models import Upstream

        upstreams = Upstream.objects.all()
        if options["upstream"]:
            upstreams = upstreams.filter(code=options["upstream"])
            if not upstreams:
                raise CommandError(f"没有代码为 {options['upstream']} 的上级平台。 No upstream {options['upstream']}.")
        by = self._user(options["by"])
        items, unsent = [], 0
        for upstream in upstreams:
            if upstream.is_enabled:
                for model, records in upstream_services.unqueued(upstream).items():
                    for record in records.values("pk", "decision_number", "version").iterator():
                        self._line(
                            upstream=upstream.code,
                            problem=upstream_services.Problem.NOT_QUEUED,
                            record_type=model._meta.model_name,
                            record_id=record["pk"],
                            decision_number=record["decision_number"],
                            version=record["version"],
                        )
                        unsent += 1
            if options["hours"] is not None:
                upstream.ack_within_hours = options["hours"]
            found = upstream_services.problems(upstream)
            for start in range(0, len(found), 500):
                chunk = found[start : start + 500]
                upstream_services.fill_payloads([item for item, _problem in chunk])  # their decision numbers
                for item, problem in chunk:
                    items.append(item)
                    self._line(
                        upstream=upstream.code,
                        problem=problem,
                        record_type=item.record_type,
                        record_id=item.record_id,
                        decision_number=item.decision_number,
                        version=item.version,
                        action=item.action,
                        status=item.status,
                        attempts=item.attempts,
                        created_at=item.created_at.isoformat(),
                        error=item.error[:500],
                    )
        if options["resend"] and (items or unsent):
            count = upstream_services.resend(items, by=by) if items else 0
            if unsent:
                count += sum(upstream_services.queue_unqueued(u, by=by) for u in upstreams if u.is_enabled)
            self.stderr.write(f"已安排重新报送 {count} 条 / {count} items queued to be sent again")
        if items or unsent:
            raise SystemExit(1)

    def _line(self, **fields) -> None:
        self.stdout.write(json.dumps(fields, ensure_ascii=False))

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户 {username}。 No user {username}.")
        return user

    def template(self, options) -> None:
        output = Path(options["output"])
        standard = policy.standard_for(options["kind"])
        if output.suffix.lower() == ".xlsx":
            output.write_bytes(templates.xlsx_template(standard))
        elif output.suffix.lower() == ".csv":
            output.write_bytes(templates.csv_template(standard))
        else:
            raise CommandError(f"模板文件应以 .xlsx 或 .csv 结尾：{output}。 The template must end in .xlsx or .csv.")
        self.stdout.write(str(output))

    def import_file(self, options) -> None:
        uscc = identifiers.normalize(options["org"])
        organization = Organization.objects.filter(uscc=uscc).first()
        if organization is None:
            raise CommandError(f"没有统一社会信用代码为 {uscc} 的机构。 No organisation has the USCC {uscc}.")
        by = self._user(options["by"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。 No file {path}.")
        try:
            with path.open("rb") as fileobj:
                _submission, report = services.import_file(
                    fileobj,
                    path.name,
                    record_type=options["kind"],
                    organization=organization,
                    by=by,
                    dry_run=options["dry_run"],
                    accept_valid=options["accept_valid"],
                )
        except (OperationalError, InterfaceError, *_driver_failures()) as error:
            # The import is one transaction: a database that failed on the way (a restart dropped the connection) took
            # it all back. The writer's COPY speaks to the driver directly, so its errors are the driver's own.
            raise CommandError(
                f"导入时数据库出错（连接中断或数据库不可用），本次导入未保存任何记录，请稍后重新导入：{error} / "
                "the database failed during the import (the connection was lost, or it is unavailable): nothing was "
                "stored; import again later"
            ) from error
        self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        if report.accepted == 0:
            raise CommandError(
                f"没有接收任何行（{report.rejected}行被退回）。 Nothing was accepted ({report.rejected} rows returned)."
            )
