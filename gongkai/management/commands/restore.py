from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "从备份恢复到空的实例，并核对每张表、每个文件和审计日志 / Restore an archive into an empty instance, then "
        "check every table, every file and the audit chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="gongkai backup 写出的备份文件 / an archive written by gongkai backup")

    def handle(self, *args, archive, **options):
        try:
            report = restore_backup(Path(archive))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"已恢复 / restored: {sum(report.rows.values())} 行 rows, {report.files} 个文件 files, "
            f"审计日志 {report.audit_events} 个事件 audit events"
        )
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError("恢复后的核对未通过 / the restored instance does not match the archive")
        self.stdout.write("核对通过：每张表的行数、每个文件和审计日志哈希链都与备份一致 / every check passed")
