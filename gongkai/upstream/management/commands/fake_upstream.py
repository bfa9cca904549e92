"""``fake_upstream --port P`` (``gongkai fake-upstream``): serve the fake upstream platform until interrupted.

A thin shell over :class:`gongkai.upstream.fake.FakeUpstream`. The first line printed names the URL, so
``--port 0`` (a free port) works for a caller that reads it.
"""

import contextlib
import signal
import threading

from django.core.management.base import BaseCommand, CommandParser

from gongkai.upstream.fake import FakeUpstream


class Command(BaseCommand):
    help = (
        "运行模拟上级平台（实现 docs/upstream-protocol.md 的接收端，数据只在内存中），供测试和演示使用。 / "
        "Run a fake upstream platform (the receiving side of docs/upstream-protocol.md, in memory) "
        "for tests and the demo."
    )
    # No models, URLs or database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, required=True, help="端口，0 为任一空闲端口 / port, 0 for any free one")
        parser.add_argument("--host", default="127.0.0.1", help="监听地址 / address to listen on (127.0.0.1)")
        parser.add_argument(
            "--token", default="fake-upstream-token", help="令牌 / bearer token expected (fake-upstream-token)"
        )
        parser.add_argument("--max-batch", type=int, default=None, help="每批最多记录数 / records per batch at most")
        parser.add_argument("--quiet", action="store_true", help="不记录每个请求 / do not log each request")

    def handle(
        self, *args: object, port: int, host: str, token: str, max_batch: int | None, quiet: bool, **options: object
    ) -> None:
        fake = FakeUpstream(host, port, token, max_batch=max_batch, verbose=not quiet)
        url = fake.bind()
        self.stdout.write(f"模拟上级平台 / fake upstream: {url} (token {token})")
        self.stdout.flush()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, _interrupt)
        with contextlib.suppress(KeyboardInterrupt):
            fake.serve_forever()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
