"""Publication bodies: pasted HTML keeps a document's structure and loses everything that runs or loads."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.lib.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize, to_text

# --- dangerous input is removed ------------------------------------------------------------------------


def test_script_tags_and_their_content_are_removed():
    assert sanitize("<p>通知<script>alert('张三')</script>正文</p>") == "<p>通知正文</p>"
    assert sanitize("<SCRIPT src=//evil.example/x.js></SCRIPT><p>x</p>") == "<p>x</p>"


@pytest.mark.parametrize(
    "html",
    [
        '<img src="/media/a.png" onerror="alert(1)">',
        '<p onclick="steal()">x</p>',
        "<p ONMOUSEOVER=steal()>x</p>",
        '<a href="/x" onfocus="steal()" autofocus>x</a>',
        '<body onload="steal()"><p>x</p></body>',
    ],
)
def test_event_handlers_are_removed(html):
    cleaned = sanitize(html)
    assert not re.search(r"(?i)\son\w+=", cleaned)
    assert "steal" not in cleaned and "alert" not in cleaned


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "&#106;avascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
    ],
)
def test_links_with_scripts_data_or_other_schemes_lose_their_href(href):
    assert sanitize(f'<a href="{href}">点击</a>') == '<a rel="noopener noreferrer">点击</a>'


def test_style_attributes_and_style_elements_are_removed():
    cleaned = sanitize('<style>p{background:url(https://evil.example/t.gif)}</style><p style="color:red">正文</p>')
    assert cleaned == "<p>正文</p>"


@pytest.mark.parametrize(
    "html",
    [
        '<iframe src="https://evil.example/">后备文字</iframe>',
        '<object data="/x.swf">后备文字</object>',
        '<embed src="/x.swf">',
        '<form action="https://evil.example/"><input name="password"></form>',
        "<svg><script>alert(1)</script></svg>",
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<base href="https://evil.example/">',
        "<!-- 内部批注：不公开 -->",
    ],
)
def test_frames_objects_forms_and_page_level_elements_are_removed(html):
    assert sanitize(f"<p>前</p>{html}<p>后</p>") == "<p>前</p><p>后</p>"


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/track.gif",
        "http://evil.example/track.gif",
        "//evil.example/track.gif",
        "/\\evil.example/track.gif",
        "\\\\evil.example\\track.gif",
        " https://evil.example/track.gif",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "",
    ],
)
def test_images_from_elsewhere_are_dropped_whole(src):
    assert sanitize(f'<p>图<img src="{src}" alt="图表" width="100">表</p>') == "<p>图表</p>"


@pytest.mark.parametrize("src", ["/media/attachments/2026/chart.png", "images/chart.png", "../chart.png?v=2"])
def test_images_on_this_site_are_kept(src):
    cleaned = sanitize(f'<p><img src="{src}" alt="2026年收费统计图" width="640" height="480" title="x"></p>')
    assert cleaned == f'<p><img src="{src}" alt="2026年收费统计图" width="640" height="480"></p>'


def test_size_attributes_must_be_plain_numbers():
    cleaned = sanitize('<table><tr><td colspan="2" rowspan="x">a</td></tr></table><img src="/a.png" width="100%">')
    assert cleaned == '<table><tbody><tr><td colspan="2">a</td></tr></tbody></table><img src="/a.png">'


# --- the structure of a government document is kept ---------------------------------------------------


NOTICE = """
<h2>一、公开范围</h2>
<p>根据<strong>《中华人民共和国政府信息公开条例》</strong>第二十条，现将<em>有关事项</em>公告如下：</p>
<ol start="2"><li>行政许可<sup>1</sup></li><li>行政处罚<sub>2</sub></li></ol>
<ul><li><u>事项</u></li><li><s>已废止</s></li></ul>
<blockquote>引用文字</blockquote>
<table><caption>收费标准</caption>
<thead><tr><th scope="col">项目</th><th scope="col" colspan="2">标准</th></tr></thead>
<tbody><tr><td rowspan="2">工本费</td><td>10</td><td>元</td></tr></tbody>
<tfoot><tr><td colspan="3">合计</td></tr></tfoot></table>
<hr><h3>二、联系方式</h3><h4>地址</h4><h5>电话</h5><h6>邮箱</h6>
<p>详见<a href="https://www.zhangdian.gov.cn/gongkai/" title="公开平台">公开平台</a>、
<a href="mailto:gongkai@zhangdian.gov.cn">邮箱</a>和<a href="/catalog/2026/">目录</a>。<br>
<b>粗</b><i>斜</i><span>行内</span></p>
<div><pre><code>1137030300421716XM/2026-00001</code></pre></div>
"""


def test_the_structure_of_a_government_document_is_kept():
    cleaned = sanitize(NOTICE)
    for fragment in [
        "<h2>一、公开范围</h2>",
        "<strong>《中华人民共和国政府信息公开条例》</strong>",
        "<em>有关事项</em>",
        '<ol start="2"><li>行政许可<sup>1</sup></li><li>行政处罚<sub>2</sub></li></ol>',
        "<ul><li><u>事项</u></li><li><s>已废止</s></li></ul>",
        "<blockquote>引用文字</blockquote>",
        "<caption>收费标准</caption>",
        '<thead><tr><th scope="col">项目</th><th scope="col" colspan="2">标准</th></tr></thead>',
        '<td rowspan="2">工本费</td>',
        '<tfoot><tr><td colspan="3">合计</td></tr></tfoot>',
        "<hr><h3>二、联系方式</h3><h4>地址</h4><h5>电话</h5><h6>邮箱</h6>",
        '<a href="https://www.zhangdian.gov.cn/gongkai/" title="公开平台" rel="noopener noreferrer">公开平台</a>',
        '<a href="mailto:gongkai@zhangdian.gov.cn" rel="noopener noreferrer">邮箱</a>',
        '<a href="/catalog/2026/" rel="noopener noreferrer">目录</a>',
        "<br>\n<b>粗</b><i>斜</i><span>行内</span>",
        "<div><pre><code>1137030300421716XM/2026-00001</code></pre></div>",
    ]:
        assert fragment in cleaned


def test_text_mentioning_code_stays_readable_but_inert():
    cleaned = sanitize("<p>请勿点击 javascript:void(0) 或 onclick=x 之类的链接 &lt;script&gt;</p>")
    assert cleaned == "<p>请勿点击 javascript&#58;void(0) 或 onclick&#61;x 之类的链接 &lt;script&gt;</p>"
    assert to_text(cleaned) == "请勿点击 javascript:void(0) 或 onclick=x 之类的链接 <script>"


# --- plain text --------------------------------------------------------------------------------------


def test_to_text_gives_one_line_per_block_with_entities_decoded_and_spaces_collapsed():
    assert to_text(NOTICE).splitlines() == [
        "一、公开范围",
        "根据《中华人民共和国政府信息公开条例》第二十条，现将有关事项公告如下：",
        "行政许可1",
        "行政处罚2",
        "事项",
        "已废止",
        "引用文字",
        "收费标准",
        "项目 标准",
        "工本费 10 元",
        "合计",
        "二、联系方式",
        "地址",
        "电话",
        "邮箱",
        "详见公开平台、 邮箱和目录。",
        "粗斜行内",
        "1137030300421716XM/2026-00001",
    ]


def test_to_text_leaves_out_scripts_and_styles_and_decodes_entities():
    html = "<p>　　张店区&nbsp;&amp;&nbsp;淄川区</p><script>var secret=1</script><style>p{}</style><p>A&lt;B</p>"
    assert to_text(html) == "张店区 & 淄川区\nA<B"


def test_to_text_reads_line_breaks_in_text_as_a_browser_does_except_in_preformatted_text():
    assert to_text("  现将有关事项\n\n 通知如下  ") == "现将有关事项 通知如下"
    assert to_text("<p>甲</p><pre>第一行\n  第二行</pre><p>乙\n丙</p>") == "甲\n第一行\n第二行\n乙 丙"


# --- properties --------------------------------------------------------------------------------------

FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT>",
    "<scr<script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<img src="https://evil.example/x.png">',
    "<a href='javascript:alert(1)'>",
    '<a href="jav&#x09;ascript:alert(1)">',
    "<p style='x'>",
    '<div onmouseover="x">',
    "<iframe src=//evil.example>",
    "<svg onload=alert(1)>",
    "<math><mtext><script>",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "<",
    ">",
    '"',
    "'",
    "=",
    "&",
    "&#",
    "javascript:",
    " onload=",
    " ONCLICK=",
    "<p>",
    "</p>",
    "<table><tr><td>",
    "<a href='/x' title='",
    "中文",
]
html_soup = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=25).map("".join)


@given(html_soup)
def test_sanitised_output_never_contains_a_script_tag_an_event_handler_or_a_javascript_url(html):
    cleaned = sanitize(html)
    assert not re.search(r"(?i)<script", cleaned)
    assert not re.search(r"(?i) on\w+=", cleaned)
    assert not re.search(r"(?i)javascript:", cleaned)


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


@given(html_soup)
def test_sanitised_output_has_only_allowed_elements_attributes_and_same_site_images(html):
    parser = _Elements()
    parser.feed(sanitize(html))
    parser.close()
    for tag, attributes in parser.found:
        assert tag in ALLOWED_TAGS
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
        assert set(attributes) <= allowed
        if tag == "img":
            src = attributes["src"]
            assert not re.match(r"[a-zA-Z][a-zA-Z0-9+.\-]*:|[/\\]{2}|/\\", src.strip())
        if tag == "a" and "href" in attributes:
            assert not re.match(r"(?i)\s*(javascript|vbscript|data):", attributes["href"])
