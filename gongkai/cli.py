"""The ``gongkai`` console command: a thin shell over the management commands.

``gongkai validate-id X`` runs ``manage.py validate_id X``; hyphens in the command name become
underscores. It uses the same settings, and so the same database, as ``make run`` unless
``DATABASE_URL`` says otherwise.
"""

import os
import sys

COMMANDS = {
    "serve": "serve the portal with gunicorn / 启动网站",
    "demo": "load the demo bureau (idempotent) / 载入演示数据",
    "worker": "run background jobs / 运行后台任务",
    "validate-id": "check USCCs, resident IDs and organisation codes / 校验证照代码",
    "calendar": "working-day calendar: import, add-working-days, between, complete, status / 工作日历",
    "audit": "audit log: verify / 审计日志校验",
    "search": "full-text index: rebuild / 全文检索索引重建",
    "screen": "screen files, or everything published, for personal data and secret markings / 敏感信息筛查",
    "report": "annual reports: annual (export), check FILE, compare EARLIER LATER / 年度报告导出与核对",
    "fake-upstream": "serve a fake upstream platform for tests and the demo / 模拟上级平台",
    "import-legacy": "import pages saved from an old site as drafts / 导入旧网站页面为草稿",
    "backup": "back up the database and the uploaded files / 备份数据库和上传的文件",
    "restore": "restore a backup into an empty instance, then check it / 从备份恢复并核对",
    "migrate": "create or update the database tables / 迁移数据库",
    "createsuperuser": "create an administrator account / 创建管理员",
}


def usage() -> str:
    width = max(len(name) for name in COMMANDS)
    lines = ["usage: gongkai COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, text in COMMANDS.items()]
    lines += ["", "Every Django management command works too (gongkai help lists them)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(usage())
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.management import execute_from_command_line

    command = args[0].replace("-", "_")
    execute_from_command_line(["gongkai", command, *args[1:]])


if __name__ == "__main__":
    main()
