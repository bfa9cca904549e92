"""Upstream platforms (信用淄博, 信用山东, 信用中国, 市政府门户网站): the outbox, the sender and reconciliation.

STATUTES §3.6: each department records the decision, the district platform publishes it, and pushes it up.
The protocol is in docs/upstream-protocol.md.
"""
