"""Hostile requests against `gongkai serve` (issue 9, bad input): an over-long request line or query string, an
over-long header, too many headers, a malformed multipart body and an over-large form are each refused with a 4xx
answer, and the server's only worker answers the next request at once. Slow clients are nginx's to hold: gunicorn's
sync worker waits for a client that sends its request slowly (shown below, the reason nginx is in front), and
behind the nginx configuration of docs/operations.md, run as written, slow senders and a client that never reads
its answer leave the only worker free, and nginx cuts slow senders off after its timeouts."""

import re
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.conftest import GONGKAI, REPO
from tests.test_setup import _free_port

LONG_QUERY = b"GET /gongkai/search/?q=" + b"a" * 10_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
LONG_HEADER = b"GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 10_000 + b"\r\n\r\n"
MANY_HEADERS = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: 1\r\n" % n for n in range(150)) + b"\r\n"


@pytest.fixture(scope="module")
def server(installation):
    installation("demo")
    port = _free_port()
    process = subprocess.Popen(
        [GONGKAI, "serve", "--port", str(port), "--workers", "1"],
        cwd=REPO, env={**installation.env, "GONGKAI_HTTPS": "false"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            break
        except OSError:
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def send(port: int, raw: bytes, timeout: float = 10) -> int:
    """Send ``raw`` as it is; the status code of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(raw)
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def healthy(port: int) -> bool:
    started = time.monotonic()
    status = send(port, b"GET /gongkai/catalog/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    return status == 200 and time.monotonic() - started < 5


def post(path: str, content_type: str, body: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


@pytest.mark.parametrize(
    ("case", "raw", "expected"),
    [
        ("query string of 10,000 characters", LONG_QUERY, 414),
        ("header of 10,000 characters", LONG_HEADER, 431),
        ("150 headers", MANY_HEADERS, 431),
        ("no request line at all", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),
    ],
)
def test_over_long_or_garbled_requests_are_refused_by_the_server(server, case, raw, expected):
    assert send(server, raw) == expected, case
    assert healthy(server)


def test_a_malformed_multipart_body_is_a_bad_request(server):
    body = b"--boundary\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nno closing boundary"
    status = send(server, post("/yishenqing/apply/", "multipart/form-data; boundary=boundary", body))
    assert 400 <= status < 500
    status = send(server, post("/yishenqing/apply/", "multipart/form-data", b"x"))  # no boundary at all
    assert 400 <= status < 500
    assert healthy(server)


def test_a_form_larger_than_the_limit_is_refused_without_reading_it_all(server):
    body = b"q=" + b"a" * (3 * 1024 * 1024)  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
    status = send(server, post("/yishenqing/apply/", "application/x-www-form-urlencoded", body))
    assert 400 <= status < 500
    assert healthy(server)


# --- slow clients ----------------------------------------------------------------------------------------------

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SLOW_HEADER = b"GET /gongkai/catalog/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "  # and then nothing more
SLOW_BODY = (
    b"POST /yishenqing/apply/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 100000\r\n\r\nq=aaaaaaaa"  # 10 of the 100,000 bytes it announced
)


def documented_server_block(listen: int, upstream: int) -> str:
    """The first nginx server block of docs/operations.md, listening on ``listen`` without TLS, proxying to
    ``upstream``: everything else (timeouts, buffers, headers) as a reader of the docs would write it."""
    docs = (REPO / "docs" / "operations.md").read_text()
    nginx = re.search(r"```nginx\n(.*?)```", docs, re.DOTALL).group(1)
    block = re.search(r"^(\s*)server \{\n.*?^\1\}", nginx, re.DOTALL | re.MULTILINE).group(0)
    replaced = [
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{listen};"),
        ("proxy_pass http://127.0.0.1:8000;", f"proxy_pass http://127.0.0.1:{upstream};"),
    ]
    for documented, here in replaced:
        assert documented in block, f"docs/operations.md changed: {documented!r} is no longer in its server block"
        block = block.replace(documented, here)
    return "\n".join(line for line in block.splitlines() if "ssl_certificate" not in line)


@pytest.fixture(scope="module")
def nginx(server, tmp_path_factory):
    if not shutil.which(NGINX):  # as the browser tests do without chromium: a missing tool fails, never skips
        pytest.fail(
            "未找到 nginx。请安装 Debian 的 nginx-light 软件包（apt-get install nginx-light）。 "
            "nginx not found: install Debian's nginx-light package (apt-get install nginx-light).",
            pytrace=False,
        )
    folder = tmp_path_factory.mktemp("nginx")
    port = _free_port()
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp_paths = "".join(f"  {kind}_temp_path {folder}/{kind};\n" for kind in kinds)
    (folder / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n{temp_paths}{documented_server_block(port, server)}\n}}\n"
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"nginx did not start: {process.stderr.read().decode(errors='replace')}")
    yield port
    process.terminate()
    process.wait(timeout=30)


def open_slowly(port: int, raw: bytes) -> socket.socket:
    """A client that sends ``raw`` and then nothing, keeping its connection open."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=30)
    connection.sendall(raw)
    return connection


def closed_by_server(connection: socket.socket) -> bool:
    """Whether the server closed the connection (with a 408 answer, nothing or a reset) before its timeout."""
    try:
        answer = connection.recv(4096)
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return answer == b"" or answer.startswith(b"HTTP/1.1 408")


def test_without_nginx_one_slow_client_holds_up_the_only_worker(server):
    slow = open_slowly(server, SLOW_HEADER)
    try:
        with pytest.raises(OSError):  # the sync worker is still reading the slow client's request
            send(server, b"GET /ping/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", timeout=3)
    finally:
        slow.close()
    assert healthy(server)


def test_behind_the_documented_nginx_slow_clients_leave_the_only_worker_free_and_are_cut_off(nginx):
    senders = [open_slowly(nginx, SLOW_HEADER) for _ in range(20)] + [open_slowly(nginx, SLOW_BODY) for _ in range(5)]
    readers = [open_slowly(nginx, b"GET /gongkai/catalog/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") for _ in range(5)]
    try:
        for _ in range(5):
            assert healthy(nginx)  # through nginx, within 5 s, while 30 clients hang on

        # client_header_timeout (10 s in the docs): nginx closes the slow senders of headers.
        started = time.monotonic()
        for connection in senders[:20]:
            connection.settimeout(max(1.0, 20 - (time.monotonic() - started)))
            assert closed_by_server(connection)
        assert time.monotonic() - started < 20
        assert healthy(nginx)
    finally:
        for connection in senders + readers:
            connection.close()
