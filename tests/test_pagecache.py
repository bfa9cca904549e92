"""Public pages from the cache (issue 9): a page is rendered once per change of public content, every change —
publishing, withdrawing, a 双公示 release or end of publicity, an administrator's edit — shows at once, each reader
gets their own CSRF token, and the cache may be local memory or the Redis on 127.0.0.1:6379."""

import io
import re
import uuid
from datetime import date

import pytest
from credit_files import PENALTY_CSV
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from test_catalog_public import staff_of, withdraw

from gongkai.credit import services as credit_services
from gongkai.credit.models import Penalty
from gongkai.orgs.models import User
from gongkai.portal import pagecache
from gongkai.portal.models import PageGeneration

pytestmark = pytest.mark.django_db

CATALOG = "/gongkai/catalog/"


@pytest.fixture
def publish(bureau):
    """Publish one of the bureau's items through the workflow, as its staff do."""
    from gongkai.catalog import services
    from gongkai.catalog.models import Column

    writer, reviewer = staff_of(bureau)

    def publish(title: str):
        draft = services.create_draft(
            by=writer, publisher=bureau, title=title, column=Column.objects.get(code="regulations"),
            issued_on=date(2026, 3, 1),
        )  # fmt: skip
        services.submit(draft, by=writer)
        services.approve(draft, by=reviewer)
        return services.publish(draft, by=reviewer)

    return publish


def fetch(client, url: str, status: int = 200) -> tuple[str, str]:
    """The page's HTML and whether it came from the cache ("hit"), was rendered and kept ("miss") or neither."""
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode(), response.get("X-Page-Cache", "")


def test_the_second_reader_gets_the_page_from_the_cache_without_the_views_queries(
    client, publish, django_assert_max_num_queries
):
    publish("张店区政府投资项目管理办法")
    first, how = fetch(client, CATALOG)
    assert how == "miss"

    with django_assert_max_num_queries(1):  # the generation, nothing else
        again, how = fetch(Client(), CATALOG)

    assert how == "hit"
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert strip.sub("", again) == strip.sub("", first)


def test_a_publication_shows_at_once_everywhere_it_is_listed(client, publish, bureau):
    publish("第一件")
    pages = [CATALOG, f"/gongkai/{bureau.slug}/catalog/", f"/gongkai/{bureau.slug}/", "/gongkai/search/?q=第二件"]
    for url in pages:
        fetch(client, url)
        assert fetch(client, url)[1] == "hit"

    second = publish("第二件")

    for url in pages:
        html, how = fetch(client, url)
        assert how == "miss" and "第二件" in html, url
    assert "第二件" in fetch(client, reverse("catalog:detail", args=[bureau.slug, second.pk]))[0]


def test_a_withdrawn_publication_answers_410_at_once_and_leaves_the_lists(client, publish, bureau):
    item = publish("将被撤回的通知")
    detail = reverse("catalog:detail", args=[bureau.slug, item.pk])
    fetch(client, detail), fetch(client, CATALOG)
    assert fetch(client, detail)[1] == "hit"

    withdraw(item)

    assert fetch(client, detail, status=410)[1] == "miss"
    assert "将被撤回的通知" not in fetch(client, CATALOG)[0]
    assert fetch(client, detail, status=410)[1] == "hit"  # the notice is kept too


def test_a_drafts_edits_change_nothing_public_and_keep_the_cache(client, publish, bureau):
    from gongkai.catalog import services
    from gongkai.catalog.models import Column

    publish("已发布")
    fetch(client, CATALOG)
    services.create_draft(
        by=User.objects.get(username="publisher"),
        publisher=bureau,
        title="草稿",
        column=Column.objects.get(code="regulations"),
        issued_on=date(2026, 3, 1),
    )

    assert fetch(client, CATALOG)[1] == "hit"


def test_a_change_that_rolls_back_keeps_the_cache_and_one_that_commits_ends_it(client, publish):
    publish("已发布")
    fetch(client, CATALOG)

    with pytest.raises(RuntimeError), transaction.atomic():
        pagecache.public_content_changed()
        raise RuntimeError("rolled back")
    assert fetch(client, CATALOG)[1] == "hit"

    pagecache.public_content_changed()
    assert fetch(client, CATALOG)[1] == "miss"


def test_the_generation_is_in_the_database_so_another_process_change_is_seen(client, publish):
    """A worker on another machine publishes: it changes the row, not this process's cache."""
    publish("已发布")
    fetch(client, CATALOG)

    PageGeneration.objects.filter(pk=PageGeneration.DISCLOSURE).update(value=10**6)

    assert fetch(client, CATALOG)[1] == "miss"


def test_an_administrators_edit_of_an_organisation_shows_at_once(client, bureau):
    url = f"/gongkai/{bureau.slug}/"
    fetch(client, url)
    bureau.phone = "0533-9999999"
    bureau.save()

    html, how = fetch(client, url)

    assert how == "miss" and "0533-9999999" in html


def test_credit_records_leave_the_cached_list_when_their_publicity_ends(client, bureau):
    credit_services.import_file(
        io.BytesIO(PENALTY_CSV.encode()), "p.csv", organization=bureau, today=date(2026, 11, 26)
    )
    url = reverse("credit:records") + "?type=penalty"
    assert "王小明" in fetch(client, url)[0] and fetch(client, url)[1] == "hit"

    with transaction.atomic():
        credit_services.end_publicity([Penalty.objects.get()], reason=Penalty.EndReason.EXPIRED)

    html, how = fetch(client, url)
    assert how == "miss" and "王小明" not in html


def test_a_credit_import_renews_the_credit_pages_and_keeps_the_disclosure_pages(client, publish, bureau):
    publish("已发布")
    records = reverse("credit:records") + "?type=penalty"
    for url in (CATALOG, "/", records):
        fetch(client, url)

    with transaction.atomic():
        credit_services.import_file(
            io.BytesIO(PENALTY_CSV.encode()), "p.csv", organization=bureau, today=date(2026, 11, 26)
        )

    html, how = fetch(client, records)
    assert how == "miss" and "王小明" in html
    assert fetch(client, CATALOG)[1] == "hit" and fetch(client, "/")[1] == "hit"


def test_an_organisations_name_is_renewed_in_both_areas(client, publish, bureau):
    publish("已发布")
    records = reverse("credit:records") + "?type=penalty"
    fetch(client, CATALOG)
    fetch(client, records)

    bureau.name = "张店区发展改革局（新名）"
    bureau.save()

    html, how = fetch(client, CATALOG)
    assert how == "miss" and "张店区发展改革局（新名）" in html
    assert fetch(client, records)[1] == "miss"


def test_a_kept_page_holds_nothing_of_a_reader_and_its_switches_work_from_it(publish):
    publish("已发布")
    Client().get(CATALOG)  # someone else's visit fills the cache
    reader = Client(enforce_csrf_checks=True)

    response = reader.get(CATALOG)

    assert response["X-Page-Cache"] == "hit" and not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    switched = reader.post(reverse("set_language"), {"language": "en", "next": CATALOG}, HTTP_ORIGIN="http://testserver")
    assert switched.status_code == 302
    assert fetch(reader, CATALOG)[1] == "miss" and reader.get(CATALOG)["Content-Language"] == "en"


def test_a_kept_page_is_answered_with_the_headers_a_rendered_one_has(publish):
    publish("已发布")
    rendered = Client(HTTP_ACCEPT_LANGUAGE="en").get(CATALOG)
    kept = Client(HTTP_ACCEPT_LANGUAGE="en").get(CATALOG)

    assert (rendered["X-Page-Cache"], kept["X-Page-Cache"]) == ("miss", "hit")
    for name in ("Content-Type", "Content-Length", "Content-Language", "Vary", "X-Frame-Options"):
        assert kept[name] == rendered[name], name
    assert kept["Content-Language"] == "en" and "Accept-Language" in kept["Vary"] and "Cookie" in kept["Vary"]
    assert kept["Content-Security-Policy"] == rendered["Content-Security-Policy"]
    assert int(kept["Content-Length"]) == len(kept.content) and kept.content == rendered.content


def test_a_reader_with_a_session_gets_the_page_rendered(client, publish):
    publish("已发布")
    fetch(client, CATALOG)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-that-may-hold-a-message"

    assert fetch(client, CATALOG)[1] == ""


def test_signed_in_staff_and_readers_with_a_message_get_the_page_rendered(client, publish):
    publish("已发布")
    fetch(client, CATALOG)
    staff = Client()
    staff.force_login(User.objects.get(username="publisher"))
    assert staff.get(CATALOG).get("X-Page-Cache") is None
    client.cookies["messages"] = "anything"
    assert fetch(client, CATALOG)[1] == ""


def test_language_and_display_modes_are_kept_apart(client, publish):
    from gongkai.portal import display

    publish("已发布")
    chinese = fetch(client, CATALOG)[0]
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.cookies["django_language"] = "en"
    assert fetch(english, CATALOG)[1] == "miss"
    large = Client()
    large.cookies[display.COOKIE_NAME] = "large"
    html, how = fetch(large, CATALOG)

    assert how == "miss" and html != chinese and 'class="' in html[: html.index("<head")]


def test_a_redis_cache_shares_pages_between_processes(settings, publish):
    """CACHE_URL=redis://…: one process keeps the page, another (here: a fresh cache connection) serves it."""
    import redis
    from django.core.cache import caches

    prefix = f"gongkai-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        publish("已发布")
        assert fetch(Client(), CATALOG)[1] == "miss"
        assert server.keys(f"{prefix}:*"), "the page is not in Redis"
        del caches["default"]  # as a new process would: connect afresh

        assert fetch(Client(), CATALOG)[1] == "hit"
        publish("第二件")
        html, how = fetch(Client(), CATALOG)
        assert how == "miss" and "第二件" in html
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def test_cache_url_chooses_the_backend_and_refuses_anything_else(tmp_path):
    import os
    import subprocess
    import sys

    def backend(url: str) -> subprocess.CompletedProcess:
        code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
        env = {**os.environ, "CACHE_URL": url, "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=tmp_path)

    assert backend("").stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    assert backend("redis://127.0.0.1:6379/1").stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    refused = backend("memcached://127.0.0.1:11211")
    assert refused.returncode != 0 and "CACHE_URL" in refused.stderr


def test_an_inactive_organisations_site_is_gone_at_once(client, bureau):
    url = f"/gongkai/{bureau.slug}/"
    fetch(client, url)
    bureau.is_active = False
    bureau.save()

    assert fetch(client, url, status=404)[1] == ""  # a 404 raised by the view is never kept


def test_a_zero_lifetime_turns_the_page_cache_off(client, settings, publish):
    settings.GONGKAI_PAGE_CACHE_SECONDS = 0
    publish("已发布")
    fetch(client, CATALOG)

    assert fetch(client, CATALOG)[1] == ""


def test_ping_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/ping/")

    assert response.status_code == 200 and response.json() == {"status": "ok"}
