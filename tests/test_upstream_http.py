"""The outbound chokepoint (`gongkai.upstream.http`) against the fake upstream, fault by fault, as the table in
docs/upstream-protocol.md says; and the fake itself, in process and as `gongkai fake-upstream`.

Everything listens on 127.0.0.1. Where a test provokes a timeout the client waits SHORT (0.3 s) for an answer
held HOLD (1 s); elsewhere it waits long enough for a loaded machine.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from fractions import Fraction
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.upstream.fake import RANDOM_FAULTS, FakeUpstream
from gongkai.upstream.http import BODY_KEPT, Endpoint, backoff_delay, send_batch

REPO = Path(__file__).resolve().parent.parent
TOKEN = "t"
CLIENT_TIMEOUT = 5.0
SHORT = 0.3
HOLD = 1.0


def record(n: int, **data: str) -> dict:
    return {
        "idempotency_key": f"gongkai:penalty:{n}:1",
        "kind": "penalty",
        "action": "upsert",
        "decision_number": f"张发改罚〔2026〕{n}号",
        "authority_uscc": "1137030300421716XM",
        "version": 1,
        "data": {"CF_WSH": f"张发改罚〔2026〕{n}号", "CF_XDR_MC": "淄博某某商贸有限公司", **data},
    }


RECORDS = [record(1), record(2), record(3), record(4)]
KEYS = [r["idempotency_key"] for r in RECORDS]


@pytest.fixture
def fake():
    with FakeUpstream(token=TOKEN) as upstream:
        upstream.set_faults(hold_seconds=HOLD, slow_seconds=0.05)
        yield upstream


def send(url: str, records: list[dict] = RECORDS, *, token: str = TOKEN, timeout: float = CLIENT_TIMEOUT):
    return send_batch(Endpoint(url, token, timeout), batch_id="b-1", mapping_version="2021-xk-cf-v1", records=records)


# --- answers the upstream means ---------------------------------------------------------------------------


def test_new_records_are_accepted_with_receipts_and_a_resend_is_a_duplicate_with_the_same_receipts(fake):
    first = send(fake.url)
    again = send(fake.url)

    assert (first.http_status, first.failure, first.error) == (200, "", "")
    assert [(r.key, r.status, r.receipt) for r in first.results.values()] == [
        (KEYS[0], "accepted", "FAKE-000001"),
        (KEYS[1], "accepted", "FAKE-000002"),
        (KEYS[2], "accepted", "FAKE-000003"),
        (KEYS[3], "accepted", "FAKE-000004"),
    ]
    assert {key: (r.status, r.receipt) for key, r in again.results.items()} == {
        key: ("duplicate", r.receipt) for key, r in first.results.items()
    }
    state = fake.state()
    assert state["applied"] == dict.fromkeys(KEYS, 1)
    assert state["received"] == dict.fromkeys(KEYS, 2)
    assert state["requests"] == 2


def test_a_record_the_upstream_will_never_take_is_rejected_with_its_reason(fake):
    outcome = send(fake.url, [record(1), record(2, __reject__="CF_XDR_MC 为空")])

    assert outcome.failure == ""
    assert outcome.results[KEYS[0]].status == "accepted"
    assert outcome.results[KEYS[1]].status == "rejected"
    assert outcome.results[KEYS[1]].error == "CF_XDR_MC 为空"
    assert outcome.results[KEYS[1]].receipt == ""
    assert fake.state()["applied"] == {KEYS[0]: 1}


def test_the_fake_stores_the_records_as_sent_in_chinese(fake):
    send(fake.url)

    state = fake.state(records=True)
    assert state["records"][KEYS[0]] == RECORDS[0]
    assert state["batches"] == [{"batch_id": "b-1", "mapping_version": "2021-xk-cf-v1", "size": 4}]


def test_the_outcome_keeps_the_start_of_the_body_and_how_long_it_took(fake):
    fake.set_faults(slow=1, slow_seconds=0.1)
    outcome = send(fake.url, [record(n) for n in range(100)])

    assert outcome.failure == ""
    assert len(outcome.body) == BODY_KEPT
    assert outcome.body.startswith('{"results": [')
    assert outcome.duration_ms >= 90


# --- faults: each answer is classified as the protocol's table says ----------------------------------------

FAULTS = [
    pytest.param({"drop": 1}, None, "transient", id="dropped connection"),
    pytest.param({"timeout": 1}, None, "transient", id="timeout"),  # the client waits SHORT
    pytest.param({"error500": 1}, 500, "transient", id="500"),
    pytest.param({"error503": 1}, 503, "transient", id="503"),
    pytest.param({"status": {"code": 502, "count": 1}}, 502, "transient", id="502"),
    pytest.param({"status": {"code": 408, "count": 1}}, 408, "transient", id="408"),
    pytest.param({"status": {"code": 429, "count": 1}}, 429, "transient", id="429"),
    pytest.param({"status": {"code": 400, "count": 1}}, 400, "permanent", id="400"),
    pytest.param({"status": {"code": 403, "count": 1}}, 403, "permanent", id="403"),
    pytest.param({"status": {"code": 404, "count": 1}}, 404, "permanent", id="404"),
    pytest.param({"status": {"code": 413, "count": 1}}, 413, "permanent", id="413"),
    pytest.param({"garbage": 1}, 200, "transient", id="garbage"),
    pytest.param({"html": 1}, 200, "transient", id="html"),
    pytest.param({"error_in_200": 1}, 200, "transient", id="error in 200: busy"),
    pytest.param({"error_in_200": 1, "error_in_200_code": "invalid"}, 200, "permanent", id="error in 200: invalid"),
    pytest.param(
        {"error_in_200": 1, "error_in_200_code": "unauthorized"}, 200, "permanent", id="error in 200: unauthorized"
    ),
]


@pytest.mark.parametrize(("faults", "http_status", "failure"), FAULTS)
def test_a_spoilt_answer_is_a_failure_of_the_kind_the_protocol_says(fake, faults, http_status, failure):
    fake.set_faults(**faults)
    outcome = send(fake.url, timeout=SHORT if "timeout" in faults else CLIENT_TIMEOUT)

    assert (outcome.http_status, outcome.failure) == (http_status, failure)
    assert outcome.error
    assert outcome.results == {}
    assert fake.state()["faults_left"] == {}
    assert send(fake.url).failure == ""  # one request spoilt, the next one answered


@pytest.mark.parametrize(
    "faults",
    [
        *({name: 2} for name in ("drop", "timeout", "error500", "error503", "garbage", "html", "error_in_200")),
        {"status": {"code": 400, "count": 2}},
    ],
    ids=str,
)
def test_a_fault_before_applying_applies_nothing_and_a_fault_after_applies_everything(fake, faults):
    timeout = SHORT if "timeout" in faults else CLIENT_TIMEOUT
    fake.set_faults(**faults, when="before")
    send(fake.url, timeout=timeout)
    assert fake.state()["applied"] == {}

    fake.set_faults(when="after")
    send(fake.url, timeout=timeout)
    assert fake.state()["applied"] == dict.fromkeys(KEYS, 1)


def test_after_a_timeout_a_resend_is_a_duplicate_with_the_first_receipt_and_is_applied_once(fake):
    fake.set_faults(timeout=1)  # when="after": applied, then the answer is held past the client's timeout

    lost = send(fake.url, timeout=SHORT)
    again = send(fake.url)

    assert (lost.http_status, lost.failure) == (None, "transient")
    assert "timed out" in lost.error
    assert SHORT * 1000 - 20 <= lost.duration_ms < HOLD * 1000
    assert {r.status for r in again.results.values()} == {"duplicate"}
    assert [r.receipt for r in again.results.values()] == ["FAKE-000001", "FAKE-000002", "FAKE-000003", "FAKE-000004"]
    state = fake.state()
    assert state["applied"] == dict.fromkeys(KEYS, 1)
    assert state["received"] == dict.fromkeys(KEYS, 2)


def test_a_duplicate_acknowledgement_is_counted_once(fake):
    fake.set_faults(duplicate_ack=1)
    outcome = send(fake.url)

    assert outcome.body.count(KEYS[0]) == 2
    assert outcome.failure == ""
    assert list(outcome.results) == KEYS
    assert {r.status for r in outcome.results.values()} == {"accepted"}


def test_a_partial_answer_gives_results_for_the_first_half_and_the_rest_are_taken_when_sent_again(fake):
    fake.set_faults(partial=1)
    partial = send(fake.url)
    rest = send(fake.url)

    assert partial.failure == ""
    assert list(partial.results) == KEYS[:2]
    assert [r.status for r in rest.results.values()] == ["duplicate", "duplicate", "accepted", "accepted"]
    assert fake.state()["applied"] == dict.fromkeys(KEYS, 1)


def test_a_partial_answer_to_one_record_answers_nothing_and_is_a_transient_failure(fake):
    fake.set_faults(partial=1)
    outcome = send(fake.url, [record(1)])

    assert (outcome.http_status, outcome.failure, outcome.results) == (200, "transient", {})
    assert fake.state()["applied"] == {}


def test_a_slow_answer_within_the_timeout_is_usable(fake):
    fake.set_faults(slow=1, slow_seconds=0.1)
    outcome = send(fake.url)

    assert outcome.failure == ""
    assert len(outcome.results) == 4
    assert outcome.duration_ms >= 90


def test_a_wrong_token_is_a_permanent_failure(fake):
    outcome = send(fake.url, token="wrong")

    assert (outcome.http_status, outcome.failure) == (401, "permanent")
    assert "unauthorized" in outcome.error
    assert fake.state()["applied"] == {}


def test_a_batch_larger_than_the_upstream_takes_is_a_permanent_failure():
    with FakeUpstream(token=TOKEN, max_batch=3) as upstream:
        outcome = send(upstream.url)

    assert (outcome.http_status, outcome.failure) == (413, "permanent")


@pytest.mark.parametrize(
    "url", ["ftp://127.0.0.1:{port}", "file:///etc/passwd", "127.0.0.1:{port}", "http://", "http://127.0.0.1:x/"]
)
def test_anything_but_an_http_url_is_refused_without_a_request(fake, url):
    port = fake.url.rsplit(":", 1)[1]
    outcome = send(url.format(port=port))

    assert (outcome.http_status, outcome.failure) == (None, "permanent")
    assert outcome.error
    assert fake.state()["requests"] == 0


@pytest.mark.parametrize(("token", "timeout"), [("", 1.0), ("令牌", 1.0), ("a\r\nX-Evil: 1", 1.0), (TOKEN, 0)])
def test_an_endpoint_without_a_usable_token_or_timeout_is_refused_without_a_request(fake, token, timeout):
    outcome = send(fake.url, token=token, timeout=timeout)

    assert (outcome.http_status, outcome.failure) == (None, "permanent")
    assert fake.state()["requests"] == 0


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_refused_connection_is_a_transient_failure(scheme):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there

    outcome = send(f"{scheme}://127.0.0.1:{port}")

    assert (outcome.http_status, outcome.failure) == (None, "transient")
    assert "refused" in outcome.error


def test_a_tls_error_is_a_transient_failure(fake):
    outcome = send(fake.url.replace("http://", "https://"))  # the fake speaks plain HTTP

    assert (outcome.http_status, outcome.failure) == (None, "transient")
    assert "TLS" in outcome.error


def test_random_failures_are_reproducible_from_the_seed(fake):
    def run() -> list[str]:
        fake.reset()
        fake.set_faults(random_failure_rate=0.5, seed=7, hold_seconds=HOLD)
        outcomes = [send(fake.url, timeout=SHORT) for _ in range(12)]
        assert {outcome.failure for outcome in outcomes} == {"", "transient"}
        return fake.state()["faults_used"]

    first = run()
    assert first == run()
    assert "" in first
    assert set(first) - {""} <= set(RANDOM_FAULTS)


def test_with_random_failures_resending_what_was_not_answered_delivers_everything_exactly_once(fake):
    fake.set_faults(random_failure_rate=0.6, seed=20261126, hold_seconds=HOLD)
    records = [record(n) for n in range(40)]
    receipts: dict[str, str] = {}
    for _ in range(40):
        waiting = [r for r in records if r["idempotency_key"] not in receipts]
        if not waiting:
            break
        outcome = send(fake.url, waiting, timeout=SHORT)
        receipts.update({key: result.receipt for key, result in outcome.results.items()})

    state = fake.state()
    assert len(receipts) == 40
    assert receipts == state["receipts"]
    assert set(state["applied"].values()) == {1}
    assert max(state["received"].values()) > 1


def test_stopping_the_fake_does_not_wait_for_a_held_answer():
    upstream = FakeUpstream(token=TOKEN)
    upstream.start()
    upstream.set_faults(timeout=1, hold_seconds=30)
    send(upstream.url, timeout=SHORT)

    started = time.monotonic()
    upstream.stop()

    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "faults",
    [{"nonsense": 1}, {"timeout": -1}, {"timeout": "1"}, {"when": "later"}, {"random_failure_rate": 2}, {"status": 99}],
)
def test_the_fake_refuses_faults_it_does_not_know(fake, faults):
    with pytest.raises(ValueError):
        fake.set_faults(**faults)


# --- answers a real upstream might give, from a server that says exactly what it is told -------------------


class Canned:
    """An HTTP server on 127.0.0.1 that answers every request with the answer it is given, and keeps the requests."""

    def __init__(self) -> None:
        self.answer: tuple[int, bytes, str] = (200, b"{}", "application/json")
        self.hold = 0.0  # seconds to wait in the middle of the body
        self.requests: list[tuple[str, dict, bytes]] = []
        canned = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                canned.requests.append((self.path, dict(self.headers), body))
                status, answer, content_type = canned.answer
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    if canned.hold:
                        self.wfile.write(answer[:10])
                        time.sleep(canned.hold)
                        answer = answer[10:]
                    self.wfile.write(answer)
                except OSError:
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def says(self, status: int, body: str | bytes, content_type: str = "application/json; charset=utf-8") -> None:
        self.answer = (status, body.encode() if isinstance(body, str) else body, content_type)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canned():
    server = Canned()
    yield server
    server.close()


def results(*items: dict) -> str:
    return json.dumps({"results": list(items)}, ensure_ascii=False)


def test_the_request_carries_the_token_json_in_utf8_and_goes_to_batches_under_the_endpoints_path(canned):
    send(canned.url + "/api/")

    path, headers, body = canned.requests[0]
    assert path == "/api/batches"
    assert headers["Authorization"] == "Bearer t"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["User-Agent"] == "gongkai"
    assert "张发改罚〔2026〕1号".encode() in body
    assert json.loads(body) == {"batch_id": "b-1", "mapping_version": "2021-xk-cf-v1", "records": RECORDS}


def test_keys_in_the_answer_that_were_not_sent_are_ignored_and_listed(canned):
    canned.says(
        200,
        results(
            {"idempotency_key": KEYS[0], "status": "accepted", "receipt": "SD-1"},
            {"idempotency_key": "gongkai:penalty:999:1", "status": "accepted", "receipt": "SD-2"},
        ),
    )
    outcome = send(canned.url)

    assert outcome.failure == ""
    assert list(outcome.results) == [KEYS[0]]
    assert outcome.unknown_keys == ("gongkai:penalty:999:1",)


def test_an_answer_naming_only_keys_that_were_not_sent_is_a_transient_failure(canned):
    canned.says(200, results({"idempotency_key": "gongkai:penalty:999:1", "status": "accepted"}))
    outcome = send(canned.url)

    assert (outcome.failure, outcome.results, outcome.unknown_keys) == ("transient", {}, ("gongkai:penalty:999:1",))


def test_with_two_acknowledgements_for_one_key_the_first_counts(canned):
    canned.says(
        200,
        results(
            {"idempotency_key": KEYS[0], "status": "duplicate", "receipt": "SD-1"},
            {"idempotency_key": KEYS[0], "status": "rejected", "error": "?"},
        ),
    )
    outcome = send(canned.url)

    assert outcome.results[KEYS[0]].status == "duplicate"
    assert outcome.results[KEYS[0]].receipt == "SD-1"


def test_malformed_results_are_ignored_and_said_so(canned):
    canned.says(
        200,
        results(
            {"idempotency_key": KEYS[0], "status": "accepted", "receipt": "SD-1"},
            {"idempotency_key": KEYS[1], "status": "maybe"},
            {"status": "accepted"},
            "gongkai:penalty:3:1",
        ),
    )
    outcome = send(canned.url)

    assert (outcome.failure, list(outcome.results)) == ("", [KEYS[0]])
    assert "3 malformed" in outcome.error


def test_a_rejection_without_a_reason_still_says_why_the_record_stopped(canned):
    canned.says(200, results({"idempotency_key": KEYS[0], "status": "rejected"}))
    outcome = send(canned.url)

    assert outcome.results[KEYS[0]].error


@pytest.mark.parametrize(
    ("status", "body", "failure"),
    [
        pytest.param(200, "", "transient", id="empty"),
        pytest.param(200, '{"ok": true}', "transient", id="no results"),
        pytest.param(200, '{"results": "all fine"}', "transient", id="results not a list"),
        pytest.param(200, "[1, 2]", "transient", id="not an object"),
        pytest.param(200, "[" * 100_000 + "]" * 100_000, "transient", id="nested too deep"),
        pytest.param(200, "<html><body>登录</body></html>", "transient", id="html"),
        pytest.param(200, '{"error": {"code": "quota", "message": "配额已满"}}', "transient", id="error: other code"),
        pytest.param(200, '{"error": "busy"}', "transient", id="error: not an object"),
        pytest.param(200, '{"error": {"code": "invalid"}, "results": []}', "permanent", id="error: invalid"),
        pytest.param(204, "", "transient", id="204"),
        pytest.param(301, "moved", "permanent", id="redirect"),
        pytest.param(401, "", "permanent", id="401"),
        pytest.param(504, "<html>Gateway Timeout</html>", "transient", id="504"),
    ],
)
def test_answers_a_real_upstream_might_give_are_classified_by_the_table(canned, status, body, failure):
    canned.says(status, body)
    outcome = send(canned.url)

    assert (outcome.http_status, outcome.failure, outcome.results) == (status, failure, {})
    assert outcome.error


def test_text_to_be_stored_has_no_nul_and_keeps_2000_characters(canned):
    canned.says(200, b"\x00" + "坏".encode() * 3000, "text/plain")
    outcome = send(canned.url)

    assert outcome.failure == "transient"
    assert len(outcome.body) == BODY_KEPT
    assert "\x00" not in outcome.body + outcome.error


def test_an_answer_that_trickles_past_the_timeout_is_a_timeout(canned):
    canned.says(200, results({"idempotency_key": KEYS[0], "status": "accepted"}))
    canned.hold = 2.0
    outcome = send(canned.url, timeout=SHORT)

    assert (outcome.http_status, outcome.failure) == (None, "transient")
    assert outcome.duration_ms < 1500


def test_a_batch_without_idempotency_keys_is_the_callers_mistake():
    with pytest.raises(ValueError):
        send("http://127.0.0.1:9", [{"kind": "penalty"}])
    with pytest.raises(ValueError):
        send("http://127.0.0.1:9", [record(1), record(1)])


# --- backoff ------------------------------------------------------------------------------------------------


@given(
    attempts=st.integers(min_value=1, max_value=5000),
    base=st.floats(min_value=1e-3, max_value=1e6),
    cap=st.floats(min_value=0, max_value=1e7),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_backoff_is_between_zero_and_the_capped_exponential(attempts, base, cap, seed):
    delay = backoff_delay(attempts, base=base, cap=cap, rng=random.Random(seed))

    assert 0 <= delay <= cap
    assert Fraction(delay) <= Fraction(base) * 2 ** (attempts - 1)


class Highest(random.Random):
    def uniform(self, a: float, b: float) -> float:
        return b


def test_backoff_doubles_from_one_second_up_to_an_hour():
    assert [backoff_delay(n, rng=Highest()) for n in range(1, 15)] == [
        1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 3600, 3600,
    ]  # fmt: skip
    assert backoff_delay(10**9, rng=Highest()) == 3600


def test_backoff_counts_attempts_from_one():
    with pytest.raises(ValueError):
        backoff_delay(0)


# --- gongkai fake-upstream ------------------------------------------------------------------------------------


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as answer:
        return json.loads(answer.read())


def _post(url: str, doc: object) -> dict:
    request = urllib.request.Request(url, data=json.dumps(doc).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read())


def test_gongkai_fake_upstream_serves_the_protocol_and_its_control_endpoints():
    from gongkai.cli import usage

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    child = subprocess.Popen(
        [str(Path(sys.executable).parent / "gongkai"), "fake-upstream", "--port", str(port), "--token", "cmd"],
        cwd=REPO,
        env=os.environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(200):
            try:
                _get(url + "/_state")
                break
            except OSError:
                assert child.poll() is None, child.communicate()
                time.sleep(0.05)
        accepted = send(url, token="cmd")
        _post(url + "/_faults", {"error_in_200": 1, "error_in_200_code": "invalid"})
        refused = send(url, token="cmd")
        state = _get(url + "/_state")
        _post(url + "/_reset", {})
        after_reset = _get(url + "/_state")
    finally:
        child.terminate()
        stdout, stderr = child.communicate(timeout=10)

    assert {r.status for r in accepted.results.values()} == {"accepted"}
    assert (refused.http_status, refused.failure) == (200, "permanent")
    assert state["applied"] == dict.fromkeys(KEYS, 1)
    assert state["received"] == dict.fromkeys(KEYS, 2)
    assert state["receipts"][KEYS[0]] == "FAKE-000001"
    assert (state["requests"], state["faults_left"]) == (2, {})
    assert (after_reset["applied"], after_reset["requests"]) == ({}, 0)
    assert child.returncode == 0, stderr
    assert url in stdout
    assert "POST /batches" in stderr  # each request logged
    assert "fake-upstream" in usage()
