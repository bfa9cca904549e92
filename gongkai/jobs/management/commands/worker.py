import os
import signal
import socket
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from gongkai.jobs import services


class Command(BaseCommand):
    help = "运行后台任务 / Run background jobs from the database queue (several workers may run at once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is due, then exit / 执行到期任务后退出")
        parser.add_argument("--sleep", type=float, default=2.0, help="seconds between polls / 轮询间隔（秒）")
        parser.add_argument("--name", default="", help="worker name in the job rows / 执行者名称")

    def handle(self, *args, once: bool, sleep: float, name: str, **options):
        services.discover()
        worker = name or f"{socket.gethostname()}:{os.getpid()}"
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"worker {worker} started; handlers: {', '.join(sorted(services.handlers())) or '-'}")
        self.stdout.flush()
        while not stopping:
            if not connection.in_atomic_block:  # inside a test's transaction the connection must stay
                close_old_connections()
            services.schedule_periodic(timezone.now())
            # Run one job (and one round of the pollers) at a time so a stop request is honoured in between.
            ran = services.work(worker, max_jobs=1) + services.poll(worker)
            if once and not ran:
                break
            if not ran:
                time.sleep(sleep)
        self.stdout.write(f"worker {worker} stopped")
