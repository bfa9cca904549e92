import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "用 gunicorn 启动网站 / Serve the portal with gunicorn (WSGI, sync workers) and WhiteNoise for static files."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--bind", default="127.0.0.1", help="address to listen on / 监听地址")
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="web processes / 进程数")
        parser.add_argument("--timeout", type=int, default=60)

    def handle(self, *args, port: int, bind: str, workers: int, timeout: int, **options):
        if workers < 1:
            raise CommandError(f"--workers {workers}: 至少为1 / must be at least 1")
        if not (0 < port < 65536):
            raise CommandError(f"--port {port}: 端口应在1–65535之间 / must be between 1 and 65535")
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            raise CommandError("找不到 gunicorn / gunicorn is not installed")
        self.stdout.write(f"Gongkai: http://{bind}:{port}/  ({workers} workers, data in {settings.DATA_DIR})")
        self.stdout.flush()
        # Replace this process: gunicorn handles signals and reloads itself.
        os.execv(
            gunicorn,
            [
                gunicorn,
                "gongkai.wsgi:application",
                f"--bind={bind}:{port}",
                f"--workers={workers}",
                "--worker-class=sync",
                f"--timeout={timeout}",
                "--access-logfile=-",
                "--forwarded-allow-ips=127.0.0.1",
            ],
        )
