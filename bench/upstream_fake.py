"""How fast the fake upstream alone takes records: the ceiling for any push benchmark run against it.

`ingest_rate` starts a `FakeUpstream` on 127.0.0.1, builds every batch's body first, then posts the batches
one after another with http.client, a fresh connection per batch as the sender makes them, and reads each
answer. No Gongkai code runs besides the fake, so the rate is the fake's (with the client's share of
loopback HTTP). `python -m bench.upstream_fake` prints it.
"""

from __future__ import annotations

import http.client
import json
import time

from gongkai.upstream.fake import FakeUpstream

TOKEN = "bench"


def penalty_fields(n: int) -> dict:
    """The mapped fields of penalty number ``n``, as the protocol's example has them."""
    return {
        "CF_WSH": f"张发改罚〔2026〕{n}号",
        "CF_XDR_MC": f"淄博某某商贸有限公司{n}",
        "CF_XDR_SHXYM": "91370303MA3C1234XY",
        "CF_SY": "未按规定报送统计资料",
        "CF_YJ": "《中华人民共和国统计法》第四十一条",
        "CF_JG": "罚款人民币伍仟元整",
        "CF_JDRQ": "2026-03-02",
        "CF_GSJZQ": "2027-03-02",
        "CF_XZJG": "张店区发展和改革局",
    }


def batches(records: int, batch: int) -> list[bytes]:
    """Request bodies shaped like the sender's: records of the protocol's example, mapped fields in Chinese."""
    bodies = []
    for start in range(0, records, batch):
        body = {
            "batch_id": f"bench-{start // batch}",
            "mapping_version": "2021-xk-cf-v1",
            "records": [
                {
                    "idempotency_key": f"gongkai:penalty:{n}:1",
                    "kind": "penalty",
                    "action": "upsert",
                    "decision_number": f"张发改罚〔2026〕{n}号",
                    "authority_uscc": "1137030300421716XM",
                    "version": 1,
                    "data": penalty_fields(n),
                }
                for n in range(start, min(start + batch, records))
            ],
        }
        bodies.append(json.dumps(body, ensure_ascii=False).encode("utf-8"))
    return bodies


def ingest_rate(records: int = 20_000, batch: int = 500) -> float:
    """Records per second the fake upstream accepts, over ``records`` new records in batches of ``batch``."""
    bodies = batches(records, batch)
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "gongkai-bench",
    }
    with FakeUpstream(token=TOKEN) as fake:
        host, port = fake.url.removeprefix("http://").rsplit(":", 1)
        started = time.perf_counter()
        for body in bodies:
            conn = http.client.HTTPConnection(host, int(port), timeout=30)
            try:
                conn.request("POST", "/batches", body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
            finally:
                conn.close()
            if response.status != 200:
                raise RuntimeError(f"the fake answered {response.status}: {answer[:200]!r}")
        seconds = time.perf_counter() - started
        applied = len(fake.state()["applied"])
    if applied != records:
        raise RuntimeError(f"the fake applied {applied} of {records} records")
    return records / seconds


if __name__ == "__main__":
    print(f"fake upstream ingest: {ingest_rate():,.0f} records/s")
