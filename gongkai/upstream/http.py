"""The one outbound HTTP chokepoint for upstream platforms (docs/upstream-protocol.md).

`send_batch` posts one batch and classifies whatever comes back, or does not, exactly as the protocol's table
says. It never raises for anything the network or the upstream does: timeouts, refused, dropped or reset
connections, TLS errors, garbage, HTML, JSON without ``results``, errors dressed as success and every HTTP
status all become a `BatchOutcome`. It raises only for the caller's own mistakes (records without an
``idempotency_key``, the same key twice in one batch, data that is not JSON-serialisable).

No Django here: the sender (services) stores attempts; tests mock at this function.
"""

from __future__ import annotations

import http.client
import json
import math
import random
import re
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TRANSIENT = "transient"
PERMANENT = "permanent"
STATUSES = ("accepted", "duplicate", "rejected")

BODY_KEPT = 2_000  # characters of the answer's body kept in the outcome (and so in the attempt row)
MAX_BODY = 16 * 1024 * 1024  # bytes read at most; a longer answer is cut (and will not parse)
ERROR_KEPT = 2_000  # characters of an upstream's per-record error kept
SNIPPET = 200  # characters of a body quoted in `error`
# `200` with {"error": {"code": ...}}: these codes say the request itself is wrong; any other code is "busy".
PERMANENT_ERROR_CODES = frozenset({"invalid", "unauthorized"})


@dataclass(frozen=True)
class Endpoint:
    url: str  # e.g. "http://127.0.0.1:8765"; batches go to f"{url}/batches"
    token: str
    timeout: float = 10.0  # seconds, for connecting and for the whole answer


@dataclass(frozen=True)
class RecordResult:
    key: str
    status: str  # "accepted" | "duplicate" | "rejected"
    receipt: str = ""
    error: str = ""


@dataclass(frozen=True)
class BatchOutcome:
    http_status: int | None  # None when there was no HTTP answer
    failure: str  # "" when the answer was usable, else TRANSIENT or PERMANENT
    error: str  # why it failed ("" for a usable answer, unless some results were malformed)
    body: str  # the first BODY_KEPT characters of the answer's body ("" if none)
    results: dict[str, RecordResult] = field(default_factory=dict)  # only keys sent, each once
    unknown_keys: tuple[str, ...] = ()  # keys in the answer that were not sent (ignored)
    duration_ms: int = 0


# (failure, error, results, unknown keys)
Classified = tuple[str, str, dict[str, RecordResult], tuple[str, ...]]


def send_batch(endpoint: Endpoint, *, batch_id: str, mapping_version: str, records: list[dict]) -> BatchOutcome:
    """POST one batch to ``{endpoint.url}/batches`` on a fresh connection and classify the answer.

    ``failure`` is "" when the answer was usable: then ``results`` holds a result for some or all of the
    keys sent (those missing were not taken and are to be sent again) and ``error`` is "" unless some results
    were malformed (they are ignored like missing ones). Otherwise ``failure`` is "transient" (retry later,
    after `backoff_delay`) or "permanent" (the batch's records stop) and ``results`` is empty; an answer with
    no result for any key sent is a transient failure.
    """
    started = time.monotonic()
    keys = _keys(records)
    payload = json.dumps(
        {"batch_id": batch_id, "mapping_version": mapping_version, "records": records},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")

    def done(status: int | None, failure: str, error: str, body: str = "", **rest: object) -> BatchOutcome:
        duration_ms = round((time.monotonic() - started) * 1000)
        return BatchOutcome(status, failure, error, body[:BODY_KEPT], duration_ms=duration_ms, **rest)

    refusal = _refusal(endpoint)
    if refusal:
        return done(None, PERMANENT, refusal)
    try:
        status, text, cut = _post(endpoint, payload, deadline=started + endpoint.timeout)
    except TimeoutError:
        return done(None, TRANSIENT, f"超时 / timed out after {endpoint.timeout:g} s")
    except ssl.SSLError as exc:
        return done(None, TRANSIENT, f"TLS 错误 / TLS error: {exc}")
    except ConnectionRefusedError:
        return done(None, TRANSIENT, "连接被拒绝 / connection refused")
    except http.client.RemoteDisconnected:
        return done(None, TRANSIENT, "连接被关闭，没有答复 / connection closed without an answer")
    except http.client.IncompleteRead:
        return done(None, TRANSIENT, "答复中途连接断开 / connection dropped in the middle of the answer")
    except (OSError, http.client.HTTPException) as exc:
        return done(None, TRANSIENT, f"连接失败 / connection failed: {type(exc).__name__}: {exc}")
    failure, error, results, unknown = classify(status, text, keys)
    if cut and failure:
        error = f"{error}（答复超过 {MAX_BODY} 字节，已截断 / answer longer than {MAX_BODY} bytes, cut）"
    return done(status, failure, error, text, results=results, unknown_keys=unknown)


def backoff_delay(attempts: int, *, base: float = 1.0, cap: float = 3600.0, rng: random.Random | None = None) -> float:
    """Seconds to wait after ``attempts`` failed attempts: exponential backoff with full jitter,
    uniform(0, min(cap, base * 2 ** (attempts - 1))) — 1 s, 2 s, 4 s … capped at an hour by default."""
    if attempts < 1:
        raise ValueError(f"attempts counts the attempts made, from 1, not {attempts!r}")
    if not (math.isfinite(base) and base > 0 and math.isfinite(cap) and cap >= 0):
        raise ValueError(f"base must be positive and cap non-negative, not {base!r} and {cap!r}")
    try:
        ceiling = min(cap, math.ldexp(base, attempts - 1))
    except OverflowError:  # base * 2 ** (attempts - 1) is beyond any float, so beyond the cap
        ceiling = cap
    return (rng or random).uniform(0.0, ceiling)


def classify(status: int, text: str, keys: frozenset[str]) -> Classified:
    """(failure, error, results, unknown keys) for an HTTP answer, by the protocol's table."""
    if status in (408, 429) or 500 <= status <= 599:
        return TRANSIENT, f"HTTP {status}: {_snippet(text)}", {}, ()
    if 300 <= status <= 399:
        # Not in the table: a redirect means the endpoint is configured wrong, which no retry will fix.
        return PERMANENT, f"HTTP {status} 重定向，请修正地址 / redirect, fix the endpoint: {_snippet(text)}", {}, ()
    if 400 <= status <= 499:
        return PERMANENT, f"HTTP {status}: {_snippet(text)}", {}, ()
    if not 200 <= status <= 299:
        return TRANSIENT, f"HTTP {status}（不明状态 / unexpected status）: {_snippet(text)}", {}, ()

    if not text.strip():
        return TRANSIENT, "答复为空 / empty answer", {}, ()
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        if _looks_like_html(text):
            return TRANSIENT, f"答复是 HTML 页面 / answer is an HTML page: {_snippet(text)}", {}, ()
        return TRANSIENT, f"答复不是 JSON / answer is not JSON: {_snippet(text)}", {}, ()
    if not isinstance(doc, dict):
        return TRANSIENT, f"答复不是 JSON 对象 / answer is not a JSON object: {_snippet(text)}", {}, ()
    if "error" in doc:
        return _dressed_error(doc["error"])
    if not isinstance(doc.get("results"), list):
        return TRANSIENT, f"答复缺少 results / answer lacks results: {_snippet(text)}", {}, ()
    return _results(doc["results"], keys)


def _results(items: list, keys: frozenset[str]) -> Classified:
    results: dict[str, RecordResult] = {}
    unknown: dict[str, None] = {}  # an ordered set
    malformed = 0
    for item in items:
        key = item.get("idempotency_key") if isinstance(item, dict) else None
        if not isinstance(key, str):
            malformed += 1
        elif key not in keys:
            unknown[_text(key)] = None
        elif key in results:  # a duplicate acknowledgement: one delivery, the first answer counts
            continue
        elif item.get("status") not in STATUSES:
            malformed += 1
        else:
            error = _text(item.get("error"))[:ERROR_KEPT]
            if item["status"] == "rejected" and not error:
                error = "上级平台拒收，未说明原因 / rejected without a reason"
            results[key] = RecordResult(key, item["status"], _text(item.get("receipt")), error)

    # Keys not sent and repeated acknowledgements are harmless (the caller lists unknown_keys in the attempt);
    # a malformed result leaves its record unanswered, which would otherwise go unexplained.
    error = f"忽略 {malformed} 个格式错误的结果 / ignored {malformed} malformed results" if malformed else ""
    if keys and not results:
        # Nothing usable came back: the batch failed as a whole, and is retried with backoff.
        return TRANSIENT, error or "答复中没有所发送记录的结果 / no result for any record sent", {}, tuple(unknown)
    return "", error, results, tuple(unknown)


def _dressed_error(error: object) -> Classified:
    """`200` with {"error": {"code": ..., "message": ...}}: `invalid` and `unauthorized` are permanent."""
    code = _text(error.get("code")) if isinstance(error, dict) else ""
    message = _text(error.get("message")) if isinstance(error, dict) else _text(error)
    failure = PERMANENT if code in PERMANENT_ERROR_CODES else TRANSIENT
    return failure, f"上级平台报错 / upstream error {code or '(no code)'}: {message[:SNIPPET]}", {}, ()


def _keys(records: list[dict]) -> frozenset[str]:
    keys = [record.get("idempotency_key") for record in records]
    if not all(isinstance(key, str) and key for key in keys):
        raise ValueError("every record needs an idempotency_key (a non-empty string)")
    if len(set(keys)) != len(keys):
        raise ValueError("the same idempotency_key twice in one batch")
    return frozenset(keys)


def _refusal(endpoint: Endpoint) -> str:
    """Why the endpoint cannot be used at all ("" when it can): checked before any request is made."""
    try:
        parts = urlsplit(endpoint.url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number or out of range
    except ValueError as exc:
        return f"地址无效 / invalid URL {endpoint.url!r}: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"只支持 http:// 和 https:// / only http:// and https:// URLs, not {endpoint.url!r}"
    if not parts.hostname:
        return f"地址缺少主机 / URL without a host: {endpoint.url!r}"
    if not (isinstance(endpoint.timeout, int | float) and 0 < endpoint.timeout < math.inf):
        return f"超时设置无效 / the timeout must be a positive number of seconds, not {endpoint.timeout!r}"
    if not endpoint.token:
        return "未配置令牌 / no token configured"
    if not all(33 <= ord(char) <= 126 for char in endpoint.token):
        return "令牌含有不允许的字符 / the token has characters not allowed in a header"
    return ""


def _post(endpoint: Endpoint, payload: bytes, *, deadline: float) -> tuple[int, str, bool]:
    """(status, body text, whether the body was cut at MAX_BODY). Raises OSError or HTTPException.

    ``endpoint.timeout`` bounds connecting; before sending, before waiting for the answer and before each read
    of its body the socket's timeout is set to what is left until ``deadline``, so a slow answer cannot
    outlast it (only an answer whose status line and headers trickle in byte by byte could).
    """
    parts = urlsplit(endpoint.url)
    if parts.scheme == "https":
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=endpoint.timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=endpoint.timeout)
    headers = {
        "Authorization": f"Bearer {endpoint.token}",
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": "gongkai",
    }
    try:
        conn.connect()
        sock = conn.sock  # kept: getresponse() drops conn.sock when the answer will close the connection
        _settimeout(sock, deadline)
        conn.request("POST", parts.path.rstrip("/") + "/batches", body=payload, headers=headers)
        _settimeout(sock, deadline)
        response = conn.getresponse()
        chunks, size = [], 0
        while size < MAX_BODY and not response.isclosed():  # closed once the whole body is read
            _settimeout(sock, deadline)
            chunk = response.read(min(64 * 1024, MAX_BODY - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        cut = size >= MAX_BODY
        charset = response.headers.get_content_charset() or "utf-8"
        raw = b"".join(chunks)
        try:
            text = raw.decode(charset, errors="replace")
        except LookupError:  # a charset Python does not know
            text = raw.decode("utf-8", errors="replace")
        # PostgreSQL refuses NUL in text columns, and the caller stores this text.
        return response.status, text.replace("\x00", "\ufffd"), cut
    finally:
        conn.close()


def _settimeout(sock: object, deadline: float) -> None:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("deadline passed")
    sock.settimeout(left)  # type: ignore[attr-defined]


def _looks_like_html(text: str) -> bool:
    return bool(re.match(r"\s*<(!doctype\s+html|html|head|body)\b", text[:1000], re.IGNORECASE))


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat[:SNIPPET] + ("…" if len(flat) > SNIPPET else "") if flat else "(空 / empty)"


def _text(value: object) -> str:
    """A value from the answer as text to store ("\\u0000" in JSON decodes to a NUL, which PostgreSQL refuses)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text.replace("\x00", "\ufffd")
