"""A fake upstream platform: the upstream side of docs/upstream-protocol.md, in memory, with faults on demand.

`gongkai fake-upstream --port P` serves it for the demo and for tests that run it as a child process; tests
in the same process use the class::

    with FakeUpstream(token="t") as fake:          # 127.0.0.1, a free port, a background thread
        send_batch(Endpoint(fake.url, "t"), ...)
        fake.set_faults(timeout=1, hold_seconds=0.5)
        assert fake.state()["applied"] == {...}

``POST /batches`` checks the bearer token (401 otherwise), applies each record by ``idempotency_key`` at most
once (first "accepted" with a new receipt ``FAKE-000001``…, later "duplicate" with the first receipt) and
answers a result per record. A record whose ``data`` holds ``"__reject__": "reason"`` is "rejected" with
that reason. Control endpoints for a fake in another process: ``GET /_state`` (``?records=1`` adds the
records as first applied), ``POST /_faults`` with a JSON object of faults, ``POST /_reset``.

Faults are counts of ``/batches`` requests they spoil, one used per request; when several are set, a request
takes the first in FAULT_ORDER that has any left. ``when`` ("after", the default, or "before") says whether
a fault that replaces the answer (WHEN_FAULTS) happens after the records were applied, so that a re-send
gets "duplicate", or before, with nothing applied. ``random_failure_rate`` (0..1, with ``seed``) makes a
request without a counted fault fail at random with one of RANDOM_FAULTS. Settings (``when``,
``hold_seconds``, ``slow_seconds``, ``error_in_200_code``, the random rate and seed) stay until changed or
reset.

No Django here: the benchmark imports it without setting Django up.
"""

from __future__ import annotations

import hmac
import json
import random
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# The order in which one request picks its fault when several are set.
FAULT_ORDER = (
    "drop",
    "timeout",
    "status",
    "error500",
    "error503",
    "garbage",
    "html",
    "error_in_200",
    "partial",
    "duplicate_ack",
    "slow",
)
# Faults that replace the answer, and so may happen before or after the records are applied.
WHEN_FAULTS = frozenset({"drop", "timeout", "status", "error500", "error503", "garbage", "html", "error_in_200"})
RANDOM_FAULTS = ("timeout", "drop", "error500", "garbage", "partial")
DEFAULT_SETTINGS: dict[str, Any] = {
    "when": "after",
    "hold_seconds": 30.0,
    "slow_seconds": 1.0,
    "error_in_200_code": "busy",
    "random_failure_rate": 0.0,
    "seed": None,
}
MAX_REQUEST = 64 * 1024 * 1024  # bytes


class FakeUpstream:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "t",
        *,
        max_batch: int | None = None,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.token = token
        self.max_batch = max_batch  # more records in a batch are answered 413
        self.verbose = verbose  # log each request to stderr
        self._lock = threading.Lock()
        self._stopping = threading.Event()  # wakes answers held by `timeout` and `slow` when the fake stops
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # -- running --

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake upstream is not started")
        host, port = self._server.server_address[:2]
        return f"http://{f'[{host}]' if ':' in host else host}:{port}"

    def bind(self) -> str:
        """Listen (on a free port when ``port`` is 0) without serving yet; return the base URL."""
        if self._server is None:
            self._stopping.clear()
            self._server = _Server((self.host, self.port), _Handler)
            self._server.fake = self
        return self.url

    def start(self) -> str:
        """Serve in a background thread; return the base URL, e.g. ``http://127.0.0.1:40123``."""
        self.bind()
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-upstream", daemon=True
            )
            self._thread.start()
        return self.url

    def serve_forever(self) -> None:
        """Serve in this thread until interrupted (the management command)."""
        self.bind()
        try:
            self._server.serve_forever(poll_interval=0.2)
        finally:
            self.stop()

    def stop(self) -> None:
        self._stopping.set()
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if thread is not None:
            server.shutdown()
            thread.join()
        if server is not None:
            server.server_close()

    def __enter__(self) -> FakeUpstream:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- state and faults --

    def reset(self) -> None:
        """Forget every record, receipt, count, fault and setting."""
        with self._lock:
            self._applied: dict[str, int] = {}
            self._received: dict[str, int] = {}
            self._receipts: dict[str, str] = {}
            self._records: dict[str, dict] = {}
            self._batches: list[dict] = []
            self._faults_used: list[str] = []
            self._requests = 0
            self._issued = 0
            self._faults = dict.fromkeys(FAULT_ORDER, 0)
            self._status_code = 500
            self._settings = dict(DEFAULT_SETTINGS)
            self._rng = random.Random()

    def set_faults(self, **faults: Any) -> None:
        """Set fault counts (``timeout=2``, ``status={"code": 400, "count": 1}`` or ``status=400``) and settings
        (``when``, ``hold_seconds``, ``slow_seconds``, ``error_in_200_code``, ``random_failure_rate``,
        ``seed``). A count replaces the one before (0 clears it). Raises ValueError for anything unknown."""
        counts, settings, status_code = _checked_faults(faults)
        with self._lock:
            self._faults.update(counts)
            self._settings.update(settings)
            if status_code is not None:
                self._status_code = status_code
            if "seed" in settings or "random_failure_rate" in settings:
                self._rng = random.Random(self._settings["seed"])

    def state(self, *, records: bool = False) -> dict[str, Any]:
        """What ``GET /_state`` answers: applied and received counts by key, receipts, requests to /batches,
        faults left, the fault each batch got, and settings; with ``records``, each record as first applied and
        each batch received."""
        with self._lock:
            faults_left: dict[str, Any] = {name: n for name, n in self._faults.items() if n}
            if self._faults["status"]:
                faults_left["status"] = {"code": self._status_code, "count": self._faults["status"]}
            if self._settings["random_failure_rate"]:
                faults_left["random_failure_rate"] = self._settings["random_failure_rate"]
            state = {
                "applied": dict(self._applied),
                "received": dict(self._received),
                "receipts": dict(self._receipts),
                "requests": self._requests,
                "faults_left": faults_left,
                "faults_used": list(self._faults_used),  # by each authorised, well-formed batch, "" for none
                "settings": dict(self._settings),
            }
            if records:
                state["records"] = {key: json.loads(json.dumps(rec)) for key, rec in self._records.items()}
                state["batches"] = list(self._batches)
            return state

    # -- the protocol (called by the handler) --

    def _take_fault(self, records: list[dict], batch: dict) -> tuple[str, dict[str, Any]]:
        """Count the request and what it holds; use up the fault it gets ("" for none)."""
        with self._lock:
            self._requests += 1
            self._batches.append(batch)
            for record in records:
                key = record["idempotency_key"]
                self._received[key] = self._received.get(key, 0) + 1
            fault = next((name for name in FAULT_ORDER if self._faults[name] > 0), "")
            if fault:
                self._faults[fault] -= 1
            elif self._settings["random_failure_rate"] and self._rng.random() < self._settings["random_failure_rate"]:
                fault = self._rng.choice(RANDOM_FAULTS)
            self._faults_used.append(fault)
            return fault, {**self._settings, "status_code": self._status_code}

    def _count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def _apply(self, records: list[dict]) -> list[dict]:
        """Apply each record at most once by its idempotency key; one result per record."""
        results = []
        with self._lock:
            for record in records:
                key = record["idempotency_key"]
                data = record.get("data")
                if key in self._receipts:
                    results.append({"idempotency_key": key, "status": "duplicate", "receipt": self._receipts[key]})
                elif data is not None and not isinstance(data, dict):
                    results.append(
                        {"idempotency_key": key, "status": "rejected", "error": "data 不是对象 / not an object"}
                    )
                elif data and "__reject__" in data:
                    results.append({"idempotency_key": key, "status": "rejected", "error": str(data["__reject__"])})
                else:
                    self._issued += 1
                    receipt = f"FAKE-{self._issued:06d}"
                    self._receipts[key] = receipt
                    self._applied[key] = self._applied.get(key, 0) + 1
                    self._records[key] = record
                    results.append({"idempotency_key": key, "status": "accepted", "receipt": receipt})
        return results


def _checked_faults(faults: dict[str, Any]) -> tuple[dict[str, int], dict[str, Any], int | None]:
    counts: dict[str, int] = {}
    settings: dict[str, Any] = {}
    status_code = None
    for name, value in faults.items():
        if name == "status":
            if isinstance(value, dict):
                code, count = value.get("code"), value.get("count", 1)
            else:
                code, count = value, 1
            if not (_is_int(code) and 100 <= code <= 599):
                raise ValueError(f"status code must be 100..599, not {code!r}")
            status_code, counts[name] = code, _count(name, count)
        elif name in FAULT_ORDER:
            counts[name] = _count(name, value)
        elif name == "when":
            if value not in ("after", "before"):
                raise ValueError(f'when must be "after" or "before", not {value!r}')
            settings[name] = value
        elif name in ("hold_seconds", "slow_seconds"):
            if not (isinstance(value, int | float) and not isinstance(value, bool) and value >= 0):
                raise ValueError(f"{name} must be a number of seconds, not {value!r}")
            settings[name] = float(value)
        elif name == "error_in_200_code":
            settings[name] = str(value)
        elif name == "random_failure_rate":
            if not (isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1):
                raise ValueError(f"random_failure_rate must be between 0 and 1, not {value!r}")
            settings[name] = float(value)
        elif name == "seed":
            if value is not None and not _is_int(value):
                raise ValueError(f"seed must be an integer, not {value!r}")
            settings[name] = value
        else:
            raise ValueError(f"unknown fault {name!r}")
    return counts, settings, status_code


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(name: str, value: object) -> int:
    if not (_is_int(value) and value >= 0):
        raise ValueError(f"{name} must be a count of requests, not {value!r}")
    return value  # type: ignore[return-value]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
    fake: FakeUpstream

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-answer is part of the game; anything else is a bug worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeUpstream/1"
    timeout = 60  # an idle kept-alive connection is closed after this
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.fake.verbose:
            super().log_message(format, *args)

    # -- routes --

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/_state":
            records = parse_qs(url.query).get("records", [""])[0] not in ("", "0")
            self._json(200, self.server.fake.state(records=records))
        else:
            self._json(404, {"error": {"code": "not_found", "message": f"no {url.path}"}})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if body is None:
            return
        if path == "/batches":
            self._batches(body)
        elif path == "/_faults":
            try:
                faults = json.loads(body or b"{}")
                if not isinstance(faults, dict):
                    raise ValueError("send a JSON object")
                self.server.fake.set_faults(**faults)
            except ValueError as exc:
                self._json(400, {"error": {"code": "invalid", "message": str(exc)}})
            else:
                self._json(200, {"faults_left": self.server.fake.state()["faults_left"]})
        elif path == "/_reset":
            self.server.fake.reset()
            self._json(200, {"reset": True})
        else:
            self._json(404, {"error": {"code": "not_found", "message": f"no {path}"}})

    # -- POST /batches --

    def _batches(self, body: bytes) -> None:
        fake = self.server.fake
        expected = f"Bearer {fake.token}".encode()
        if not hmac.compare_digest(self.headers.get("Authorization", "").encode(), expected):
            fake._count_request()
            return self._json(401, {"error": {"code": "unauthorized", "message": "令牌无效 / bad token"}})
        try:
            batch = json.loads(body)
            records = batch["records"]
            if not (isinstance(records, list) and all(_keyed(record) for record in records)):
                raise ValueError("records must be a list of objects with an idempotency_key")
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            fake._count_request()
            return self._json(400, {"error": {"code": "invalid", "message": f"bad batch: {exc}"}})
        if fake.max_batch is not None and len(records) > fake.max_batch:
            fake._count_request()
            message = f"{len(records)} records, more than {fake.max_batch}"
            return self._json(413, {"error": {"code": "invalid", "message": message}})

        summary = {"batch_id": batch.get("batch_id"), "mapping_version": batch.get("mapping_version")}
        fault, settings = fake._take_fault(records, {**summary, "size": len(records)})
        if fault in WHEN_FAULTS and settings["when"] == "before":
            return self._fail(fault, settings, results=None)
        if fault == "partial":
            records = records[: len(records) // 2]
        results = fake._apply(records)
        if fault in WHEN_FAULTS:
            return self._fail(fault, settings, results=results)
        if fault == "duplicate_ack":
            results = [result for result in results for _ in range(2)]
        if fault == "slow":
            fake._stopping.wait(settings["slow_seconds"])
        self._json(200, {"results": results})

    def _fail(self, fault: str, settings: dict[str, Any], *, results: list[dict] | None) -> None:
        """Spoil the answer; ``results`` is None when nothing was applied (``when`` = "before")."""
        if fault == "drop":
            self.close_connection = True  # the server closes the socket; no byte of an answer is sent
        elif fault == "timeout":
            self.server.fake._stopping.wait(settings["hold_seconds"])
            if results is None:
                self.close_connection = True
            else:
                self._json(200, {"results": results})  # to a client that has most likely given up
        elif fault == "status":
            code = settings["status_code"]
            self._text(code, f"fault: HTTP {code}\n", "text/plain; charset=utf-8")
        elif fault == "error500":
            self._text(500, "Internal Server Error (fake upstream fault)\n", "text/plain; charset=utf-8")
        elif fault == "error503":
            self._text(503, "Service Unavailable (fake upstream fault)\n", "text/plain; charset=utf-8")
        elif fault == "garbage":
            self._send(200, b"\x00\xffOK{{not json", "application/octet-stream")
        elif fault == "html":
            page = "<!DOCTYPE html><html><head><title>系统维护</title></head><body><h1>系统维护中</h1></body></html>"
            self._text(200, page, "text/html; charset=utf-8")
        elif fault == "error_in_200":
            error = {"code": settings["error_in_200_code"], "message": "上级平台繁忙 / upstream busy (fake fault)"}
            self._json(200, {"error": error})

    # -- plumbing --

    def _body(self) -> bytes | None:
        """The request's body, or None after answering 411/413 or losing the client."""
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self.close_connection = True
            self._json(411, {"error": {"code": "invalid", "message": "Content-Length required"}})
            return None
        if int(length) > MAX_REQUEST:
            self.close_connection = True
            self._json(413, {"error": {"code": "invalid", "message": f"more than {MAX_REQUEST} bytes"}})
            return None
        try:
            return self.rfile.read(int(length))
        except OSError:
            self.close_connection = True
            return None

    def _json(self, status: int, doc: object) -> None:
        self._send(status, json.dumps(doc, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def _text(self, status: int, text: str, content_type: str) -> None:
        self._send(status, text.encode(), content_type)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:  # the client went away mid-answer
            self.close_connection = True


def _keyed(record: object) -> bool:
    return isinstance(record, dict) and isinstance(record.get("idempotency_key"), str)
