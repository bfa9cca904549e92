from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库和上传的文件 / Back up the database and the uploaded files into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", nargs="?", help="备份文件路径（默认 gongkai-backup-时间.tar.gz）/ the archive to write"
        )

    def handle(self, *args, archive=None, **options):
        target = Path(archive or f"gongkai-backup-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = create_backup(target)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            f"已备份 / backed up: {target} ({manifest['vendor']}, {rows} 行 rows in {len(manifest['rows'])} "
            f"张表 tables, {files} 个文件 files)"
        )
