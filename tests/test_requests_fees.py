"""信息处理费 on an application: computed by the system, the clock stopped from notice to payment; and the
行政复议 / 行政诉讼 records of annual-report table 四."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from request_files import APPLICANT

from gongkai.requests import services
from gongkai.requests.models import Remedy

pytestmark = pytest.mark.django_db

PERSON = {
    **APPLICANT,
    "description": "2019年以来全部项目的批复文件",
    "delivery": "post",
    "address": "淄博市张店区共青团西路1号",
}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(datetime(2026, 11, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def registered(bureau, handler, received_on=date(2026, 3, 2), **values):
    return services.register(
        organization=bureau, by=handler, channel="post", received_on=received_on, **{**PERSON, **values}
    )


def test_a_fee_by_volume_is_computed_and_stops_the_clock_until_payment(bureau, handler):
    request = registered(bureau, handler)
    fee = services.send_fee_notice(request, by=handler, method="by_volume", quantity=120, on=date(2026, 3, 10))
    assert fee.amount == 70 * 10 + 20 * 20  # pages 31–100 at 10 元, 101–120 at 20 元
    assert services.clock_of(request, today=date(2026, 3, 12)).paused
    services.record_payment(request, by=handler, on=date(2026, 3, 13))
    clock = services.clock_of(request)
    assert not clock.paused and clock.due == date(2026, 4, 2)  # 2026-03-30 + 3 working days not counted


def test_by_item_counts_the_applicants_earlier_items_this_month(bureau, handler):
    first = registered(bureau, handler)
    assert services.send_fee_notice(first, by=handler, method="by_item", quantity=12, on=date(2026, 3, 5)).amount == 200
    second = registered(bureau, handler, received_on=date(2026, 3, 3))
    fee = services.send_fee_notice(second, by=handler, method="by_item", quantity=20, on=date(2026, 3, 20))
    assert fee.earlier_items == 12
    assert fee.amount == 18 * 100 + 2 * 200  # items 13–30 at 100 元, 31–32 at 200 元
    april = registered(bureau, handler, received_on=date(2026, 4, 1))
    with pytest.raises(services.RequestError, match="无需收费"):
        services.send_fee_notice(april, by=handler, method="by_item", quantity=10, on=date(2026, 4, 2))


def test_one_fee_per_application_and_only_the_head_waives_it(bureau, handler, head):
    request = registered(bureau, handler)
    services.send_fee_notice(request, by=handler, method="by_volume", quantity=40, on=date(2026, 3, 10))
    with pytest.raises(services.RequestError, match="一种计收方式"):
        services.send_fee_notice(request, by=handler, method="by_item", quantity=40, on=date(2026, 3, 11))
    with pytest.raises(services.RequestError, match="负责人"):
        services.waive_fee(request, by=handler, on=date(2026, 3, 12), reason="困难群众")
    fee = services.waive_fee(request, by=head, on=date(2026, 3, 12), reason="困难群众")
    assert fee.waived and not services.clock_of(request).paused


def test_reconsideration_and_litigation_are_recorded_with_their_results(bureau, handler):
    request = registered(bureau, handler)
    services.close(request, by=handler, outcome="3.4", on=date(2026, 3, 20), reasons="商业秘密")
    remedy = services.record_remedy(request, by=handler, kind="reconsideration", filed_on=date(2026, 4, 10))
    assert remedy.result == Remedy.Result.PENDING
    with pytest.raises(services.RequestInvalid):
        services.decide_remedy(remedy, by=handler, result="pending", decided_on=date(2026, 6, 1))
    services.decide_remedy(remedy, by=handler, result="upheld", decided_on=date(2026, 6, 1))
    services.record_remedy(request, by=handler, kind="after_reconsideration", filed_on=date(2026, 6, 20))
    assert list(request.remedies.values_list("kind", "result")) == [
        ("reconsideration", "upheld"),
        ("after_reconsideration", "pending"),
    ]
