"""Issue 7, item 6: after faults stop and the outbox drains, every change is applied upstream exactly once.

Real `gongkai worker` processes (two at once) push 1,000 changes to the fake upstream while it fails over a
third of the requests at random (mostly after applying them: the hard case), and workers are killed with
SIGKILL ten times; then the faults stop and the outbox drains (bench/upstream_faults.py). The fake upstream
is the judge: every committed change applied once, none twice, none of the rolled-back ones received.
"""

import pytest

from bench.upstream_faults import fault_run


@pytest.mark.django_db(transaction=True)
def test_every_change_is_applied_once_despite_faults_and_killed_workers():
    report = fault_run(changes=1_000, kills=10, workers=2, failure_rate=0.35)
    print("\n".join(report.lines()))
    assert report.changes >= 1_000  # more are queued during the kills if the workers run ahead
    assert report.kills == 10 and report.delivered_at_last_kill < report.changes
    assert (report.delivered, report.lost, report.applied_twice, report.phantoms) == (report.changes, 0, 0, 0)
    assert report.resent > 0  # re-sends happened, each answered under its own key
    assert report.receipts_match
    assert report.failure_share >= 0.2
