"""``import_legacy FILE...`` (``gongkai import-legacy``): saved pages of an old site become drafts.

A thin shell over :mod:`gongkai.catalog.legacy`. Prints one JSON object per file; each file is imported in
its own transaction, so a file that fails leaves nothing behind and the others go on. Exits with status 1
when any file was not imported.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Q

from gongkai.catalog import legacy
from gongkai.catalog.models import Column
from gongkai.lib import identifiers
from gongkai.lib.errors import FieldErrors, Refused
from gongkai.orgs.models import Organization, User


class Command(BaseCommand):
    help = (
        "把旧网站保存的页面（HTML或文本）导入为草稿，每个文件输出一行 JSON；有文件未导入时退出码为 1。 / "
        "Import pages saved from an old site (HTML or text) as drafts; print one JSON line per file; "
        "exit with status 1 if any file was not imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="保存的页面 / saved pages")
        parser.add_argument(
            "--by", required=True, metavar="USERNAME", help="机构的信息发布员 / a publisher of the organisation"
        )
        parser.add_argument(
            "--org",
            metavar="USCC-or-slug",
            help="发布机构；默认按页面的发布机构查找 / the organisation; default: the one the page names",
        )
        parser.add_argument("--column", required=True, metavar="CODE", help="草稿的栏目代码 / the drafts' column code")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存 / check only, create nothing")

    def handle(self, *args, files: list[str], by: str, org: str | None, column: str, dry_run: bool, **options):
        user = User.objects.filter(username=by).first()
        if user is None:
            raise CommandError(f"没有用户 {by} / no user {by}")
        column_obj = Column.objects.filter(code=column).first()
        if column_obj is None:
            raise CommandError(f"没有代码为 {column} 的栏目 / no column with the code {column}")
        organization = None
        if org:
            organization = Organization.objects.filter(Q(uscc=identifiers.normalize(org)) | Q(slug=org)).first()
            if organization is None:
                raise CommandError(f"没有机构 {org} / no organisation {org}")
        failed = 0
        for name in files:
            result = self.import_file(Path(name), by=user, column=column_obj, org=organization, dry_run=dry_run)
            failed += result["status"] == "error"
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        if failed:
            self.stderr.write(f"{len(files)} 个文件中有 {failed} 个未导入 / {failed} of {len(files)} were not imported")
            raise SystemExit(1)

    def import_file(self, path: Path, *, by, column, org, dry_run: bool) -> dict:
        def failed(message: str) -> dict:
            return {"file": str(path), "status": "error", "error": message}

        try:
            page = legacy.read_page(path.read_bytes())
            with transaction.atomic():
                publication = legacy.import_page(page, by=by, column=column, publisher=org, source=path.name)
                if dry_run:
                    transaction.set_rollback(True)
        except OSError as error:
            return failed(f"无法读取文件：{error.strerror} / cannot read the file: {error.strerror}")
        except Refused as error:
            return failed(str(error))
        except FieldErrors as error:
            return failed("; ".join(error.errors.values()))
        _kept, warning = legacy.index_no_to_keep(page.index_no, publication.publisher)
        result = {"file": str(path), "status": "checked" if dry_run else "created"}
        if not dry_run:
            result["publication"] = publication.pk
        return {**result, **page.as_json(), "warnings": [warning] if warning else []}
