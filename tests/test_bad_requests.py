"""Hostile requests against `gongkai serve` (issue 9, bad input): an over-long request line or query string, an
over-long header, too many headers, a malformed multipart body and an over-large form are each refused with a 4xx
answer, and the server's only worker answers the next request at once. (Slow clients are nginx's to buffer: see
docs/operations.md.)"""

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
