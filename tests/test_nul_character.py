"""A NUL character in an address or a form is refused with 400 and a bilingual message naming where it is, before
any view reads it: PostgreSQL answers a look-up holding a NUL with an error, which readers saw as a server error
(found by schemathesis on /api/v1/publications/?publisher=…%00 and on the 双公示 search). SQLite runs these too, where
the look-ups would have been answered 200 — the refusal is the same on both."""

from urllib.parse import urlencode

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path, data, named",
    [
        ("/gongkai/catalog/", {"publisher": "qu\x00"}, "publisher"),
        ("/gongkai/search/", {"q": "\x00"}, "q"),
        ("/gongkai/feeds/zcwj.atom", {"publisher": "\x00"}, "publisher"),
        ("/xinyong/shuanggongshi/", {"q": "淄博\x00", "type": "penalty"}, "q"),
        ("/staff/credit/penalties/", {"number": "\x00"}, "number"),
        ("/gongkai/catalog/", {"x\x00": "1"}, "x\\0"),
    ],
)
def test_a_nul_in_a_parameter_is_refused_naming_the_parameter(client, path, data, named):
    response = client.get(path, data)

    assert response.status_code == 400
    text = response.content.decode()
    assert f"参数“{named}”含有空字符（NUL）" in text and f"the parameter '{named}' contains a NUL character" in text


def test_the_api_says_it_in_json(client):
    response = client.get("/api/v1/publications/", {"publisher": "a\x00", "column": "b"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "参数“publisher”含有空字符（NUL） / the parameter 'publisher' contains a NUL character"
    }


@pytest.mark.parametrize("path", ["/api/v1/requests/ab%00cd/", "/xinyong/xiufu/ab%00/"])
def test_a_nul_in_the_path_is_refused(client, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "地址的路径含有空字符（NUL） / the path contains a NUL character" in response.content.decode()


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_nul_in_a_form_field_is_refused_naming_the_field(client, encoding):
    fields = {"code": "AB\x00CD", "contact": "13800000000"}
    if encoding == "urlencoded":
        response = client.post(
            "/xinyong/xiufu/track/materials/", urlencode(fields), content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.post("/xinyong/xiufu/track/materials/", fields)

    assert response.status_code == 400
    text = response.content.decode()
    assert "表单字段“code”含有空字符（NUL） / the form field 'code' contains a NUL character" in text


def test_an_address_without_a_nul_is_answered_as_before(client, demo):
    response = client.get("/gongkai/catalog/", {"publisher": "nobody"})

    assert response.status_code == 200
    assert "没有站点路径为“nobody”的发布机构" in response.content.decode()
