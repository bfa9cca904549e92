"""The load test (issue 9): public pages under 200 concurrent clients, against `gongkai serve` on PostgreSQL.

Run it with ``.venv/bin/python -m bench.load`` (needs ``wrk``: ``apt install wrk``, and PostgreSQL on
127.0.0.1:5432). What it does, in order:

1. **Data** (skipped with ``--reuse`` when the database exists): the database ``gongkai_bench_load`` made afresh
   and migrated, the demo district, 100,000 published publications (`bench.catalog.load`) with their search index
   (`rebuild_index`), and 1,000,000 public 双公示 penalties written by the import's checks and writer
   (`bench.credit.load_penalties`).
2. **Serving**: `gongkai serve --workers N` (gunicorn, sync workers) with production settings but plain HTTP, its
   access log to a file, once with the page cache off (``GONGKAI_PAGE_CACHE_SECONDS=0``: every request renders
   its page) and once with it on (local memory).
3. **Measuring**: for each page — a constant JSON view (``/ping/``, the baseline), the home page, the catalogue,
   a publication's page, a search, a 双公示 search — ``wrk`` with 200 connections for 60 s (each request takes
   the next address of the page's list, so a search asks for eight different words in turn), reporting
   requests/s, p50 and p99 latency and errors (non-2xx responses, socket errors and timeouts). Each page's
   requests/s is divided by the JSON view's in the same server run.
4. **Under work**: the cached pages again, each page's minute with an import of 100,000 new penalties
   (``gongkai credit import``) started as it starts and a ``gongkai worker`` pushing the changes to a fake
   upstream platform (`gongkai fake-upstream`), all at ``nice -n 10`` as docs/operations.md runs background
   work. Each import commits its 100,000 records and renews the 双公示 pages.

Goals (issue 9): uncached pages ≥ 0.35× and cached pages ≥ 0.7× of the JSON view's requests/s, p99 ≤ 200 ms,
no errors. The results go to stdout as a table; docs/benchmarks.md has the figures of a run.
"""
