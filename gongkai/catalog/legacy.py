"""Import from an old site: saved pages (HTML, or text saved from one) become drafts.

A page of an old government site carries the usual metadata block (标题, 索引号, 文号, 发文日期, 发布机构 — a
table on most sites, ``标题：…`` lines in saved text) followed by the body. Reading one goes in three steps:

1. :func:`decode`: the page's declared charset, else UTF-8 if it decodes strictly, else GB18030. Bytes that
   cannot be decoded become U+FFFD, kept visible for the reviewer, never dropped.
2. :func:`parse_page`: the text, line by line, is cleaned of what saved pages carry (leftover tags, pinyin
   annotations, traditional characters, odd spaces) and split into the metadata block and the body.
3. :func:`import_page`: a draft through :func:`gongkai.catalog.services.create_draft`, never a publication;
   the drafts are screened and reviewed like any other.
"""

from __future__ import annotations

import codecs
import datetime
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Q

from gongkai import audit
from gongkai.catalog import services
from gongkai.catalog.models import Column, Publication
from gongkai.lib.encoding import REPLACEMENT, decode
from gongkai.lib.errors import Refused
from gongkai.lib.html import sanitize
from gongkai.lib.text import to_simplified
from gongkai.orgs.models import Organization

__all__ = [
    "CLEANING_KINDS",
    "LegacyImportError",
    "LegacyPage",
    "clean_line",
    "decode",
    "import_page",
    "index_no_to_keep",
    "parse_date",
    "parse_page",
    "read_page",
]

CLEANING_KINDS = ("tags", "pinyin", "traditional", "spaces", "undecodable")

# Metadata labels and their synonyms → the field they fill.
LABELS = {
    "标题": "title", "名称": "title", "信息名称": "title",
    "索引号": "index_no",
    "文号": "doc_no", "发文字号": "doc_no",
    "发文日期": "issued_on", "成文日期": "issued_on", "生成日期": "issued_on",
    "发布机构": "publisher", "发布单位": "publisher", "发文机关": "publisher", "信息来源": "publisher",
}  # fmt: skip
# Labels that are read but not imported (the draft gets its own 发布日期 and classification); reported only.
REPORTED = ("发布日期", "主题分类", "体裁分类")

# Where the body ends: the page furniture below it.
FOOTER_MARKERS = ("打印本页", "关闭窗口", "【打印】", "【关闭】", "版权所有", "主办单位", "ICP备", "网站标识码")

TITLE_MAX, DOC_NO_MAX, INDEX_NO_MAX = 300, 100, 80  # the lengths of the Publication fields


class LegacyImportError(Refused):
    """A page that cannot be imported: not a page, metadata missing, or already imported."""


_error = LegacyImportError.because


# --- 1. decoding ------------------------------------------------------------------------------------

# --- 2. cleaning ------------------------------------------------------------------------------------

# A tag left in the text: escaped in the page (&lt;/span&gt;) or saved as text from the page source.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_TONE_MARKED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_SYLLABLE = re.compile(rf"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv{_TONE_MARKED}]{{1,3}}(?:ng|n|r)?", re.I)
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# 区(qū), 发（fā）: a bracket right after a Chinese character. Whether it holds pinyin is decided below.
_BRACKETED = re.compile(rf"(?<=[{_HAN}])[(（]([^()（）\s]{{1,7}})[)）]")
# Non-breaking, en, em and ideographic spaces, also as entities left in saved text.
_ODD_SPACE = re.compile(r"[\u00a0\u2002\u2003\u3000]|&(?:nbsp|ensp|emsp);|&#160;", re.I)


def _is_pinyin(text: str) -> bool:
    """One pinyin syllable with a tone mark or ü: ``qū``, ``lǜ``; not ``PM2.5``, ``一`` or ``de``."""
    text = unicodedata.normalize("NFC", text)
    return bool(_SYLLABLE.fullmatch(text)) and any(ch in _TONE_MARKED for ch in text.lower())


def _strip_pinyin(line: str) -> tuple[str, int]:
    removed = 0

    def drop(match: re.Match) -> str:
        nonlocal removed
        if not _is_pinyin(match.group(1)):
            return match.group(0)
        removed += 1
        return ""

    return _BRACKETED.sub(drop, line), removed


def _simplify(line: str) -> tuple[str, int]:
    """``line`` in simplified characters (OpenCC t2s, the converter search uses) and how many characters changed."""
    converted = to_simplified(line)
    if converted == line:
        return line, 0
    if len(converted) == len(line):
        return converted, sum(a != b for a, b in zip(line, converted, strict=True))
    return converted, sum(to_simplified(ch) != ch for ch in line)  # a phrase changed length: count by character


def clean_line(line: str) -> tuple[str, Counter]:
    """One line of a saved page, cleaned, and how many of each kind of thing were cleaned (see CLEANING_KINDS).

    Runs of white space become one space and the ends are trimmed; U+FFFD is counted, never removed.
    """
    counts: Counter = Counter()
    line, counts["tags"] = _TAG.subn("", line)
    line, counts["pinyin"] = _strip_pinyin(line)
    line, counts["spaces"] = _ODD_SPACE.subn(" ", line)
    line, counts["traditional"] = _simplify(line)
    counts["undecodable"] = line.count(REPLACEMENT)
    return " ".join(line.split()), counts


# --- 2. parsing -------------------------------------------------------------------------------------

_LOOKS_LIKE_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|br|td)\b", re.I)
_BLOCKS = frozenset(
    {
        "p", "div", "br", "hr", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd",
        "pre", "blockquote", "section", "article", "header", "footer", "nav", "center", "form", "body",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_SKIPPED = frozenset({"script", "style", "title", "noscript", "template", "iframe", "select", "textarea", "button"})


class _PageLines(HTMLParser):
    """The lines of text a browser would show; spaces other than ASCII white space are kept for counting."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        self._boundary(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1
        self._boundary(tag)

    def _boundary(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def _raw_lines(text: str) -> list[str]:
    if _LOOKS_LIKE_HTML.search(text):
        parser = _PageLines()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    return text.splitlines()


_CJK = "\u4e00-\u9fff"
# A label and its colon: 2–8 characters, or characters spaced out for alignment (索 引 号：), at the start of the
# line or after a space (several pairs share a table row).
_LABEL = re.compile(rf"(?:^|(?<=\s))([{_CJK}]{{2,8}}|[{_CJK}](?: [{_CJK}]){{1,4}}) ?[:：]")


def _pairs(line: str) -> list[tuple[str, str]]:
    """``[(label, value), ...]`` of a metadata line, or ``[]`` when the line does not start with a label."""
    matches = list(_LABEL.finditer(line))
    if not matches or matches[0].start() != 0:
        return []
    ends = [m.start() for m in matches[1:]] + [len(line)]
    return [(m.group(1).replace(" ", ""), line[m.end() : end].strip()) for m, end in zip(matches, ends, strict=True)]


def _is_metadata(pairs: list[tuple[str, str]], *, started: bool) -> bool:
    if not pairs:
        return False
    label, value = pairs[0]
    if label in LABELS or label in REPORTED:
        return True
    # Inside the block an unknown label with a value (主题词：…) is metadata too; "各有关单位：" opens the body.
    return started and bool(value)


_DATE = re.compile(r"(\d{4}) ?[-/.年] ?(\d{1,2}) ?[-/.月] ?(\d{1,2}) ?日?(?: \d{1,2}:\d{2}(?::\d{2})?)?")


def parse_date(value: str) -> datetime.date:
    """2018-03-28, 2018年3月28日, 2018/3/28 and 2018.03.28 (full-width digits too; a time after it is ignored)."""
    text = " ".join(unicodedata.normalize("NFKC", value).split())
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError(value)
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise _error(f"发文日期“{value}”无法识别", f"cannot read the date of issue '{value}'") from None


@dataclass
class LegacyPage:
    """What an old page says: its metadata, its body as sanitised HTML paragraphs, and what was cleaned."""

    title: str
    issued_on: datetime.date
    index_no: str = ""
    doc_no: str = ""
    publisher: str = ""
    ignored: dict[str, str] = field(default_factory=dict)  # 发布日期, 主题分类 … as the page gives them
    body: str = ""
    cleaning: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CLEANING_KINDS, 0))

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "index_no": self.index_no,
            "doc_no": self.doc_no,
            "issued_on": self.issued_on.isoformat(),
            "publisher": self.publisher,
            "cleaning": self.cleaning,
            "ignored": self.ignored,
        }


def parse_page(text: str) -> LegacyPage:
    """Parse a saved page (HTML, or text saved from one). Raises :class:`LegacyImportError`.

    The metadata block starts at the first line that begins with a known label and runs while lines begin
    with labels; what precedes it (the site's navigation) is dropped. The body follows, up to the page's
    footer; a first line that repeats the title is dropped. The counts cover the block and the body.
    """
    lines = []
    for raw in _raw_lines(text):
        line, counts = clean_line(raw)
        if line:
            lines.append((line, counts))
    start = next((i for i, (line, _) in enumerate(lines) if _is_metadata(_pairs(line), started=False)), None)
    if start is None:
        raise _error("页面中没有标题、发文日期等元数据", "the page has no metadata block (标题, 发文日期 …)")
    end = start
    values: dict[str, str] = {}
    ignored: dict[str, str] = {}
    while end < len(lines) and _is_metadata(pairs := _pairs(lines[end][0]), started=True):
        for label, value in pairs:
            if label in LABELS:
                values.setdefault(LABELS[label], value)
            else:
                ignored.setdefault(label, value)
        end += 1
    body_end = next((i for i in range(end, len(lines)) if any(m in lines[i][0] for m in FOOTER_MARKERS)), len(lines))
    body = [line for line, _ in lines[end:body_end]]
    total: Counter = sum((counts for _, counts in lines[start:body_end]), Counter())

    title = values.get("title", "")
    if not title:
        raise _error("缺少标题", "the title (标题) is missing")
    if len(title) > TITLE_MAX:
        raise _error(f"标题超过{TITLE_MAX}字", f"the title is longer than {TITLE_MAX} characters")
    if not values.get("issued_on"):
        raise _error("缺少发文日期", "the date of issue (发文日期) is missing")
    doc_no = values.get("doc_no", "")
    if len(doc_no) > DOC_NO_MAX:
        raise _error(f"文号超过{DOC_NO_MAX}字", f"the document number is longer than {DOC_NO_MAX} characters")
    if body and body[0] == title:
        body = body[1:]
    return LegacyPage(
        title=title,
        issued_on=parse_date(values["issued_on"]),
        index_no=values.get("index_no", ""),
        doc_no=doc_no,
        publisher=values.get("publisher", ""),
        ignored=ignored,
        body=sanitize("".join(f"<p>{escape(line, quote=False)}</p>" for line in body)),
        cleaning={kind: total[kind] for kind in CLEANING_KINDS},
    )


def read_page(data: bytes) -> LegacyPage:
    """Decode and parse the bytes of a saved page; refuse what is not a page at all (empty, PDF, binary)."""
    if not data.strip():
        raise _error("文件为空", "the file is empty")
    if data.startswith(b"%PDF"):
        raise _error("这是PDF文件，不是保存的网页", "this is a PDF, not a saved page")
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _error("这是二进制文件，不是保存的网页或文本", "this is a binary file, not a saved page or text")
    text, _undecodable = decode(data)
    return parse_page(text)


# --- 3. importing -----------------------------------------------------------------------------------

_INDEX_NO = re.compile(r"([0-9A-Z]{18})/\S+")


def index_no_to_keep(index_no: str, organization: Organization) -> tuple[str, str]:
    """``(index number to keep, warning)``: a legacy 索引号 is kept only as ``<USCC>/<…>`` of ``organization``."""
    value = "".join(unicodedata.normalize("NFKC", index_no).split())
    if not value:
        return "", ""
    match = _INDEX_NO.fullmatch(value)
    if match is None or len(value) > INDEX_NO_MAX:
        return "", (
            f"索引号 {value} 不是“统一社会信用代码/编号”的格式，未保留 / "
            f"the index number {value} is not of the form USCC/number; not kept"
        )
    if match.group(1) != organization.uscc:
        return "", (
            f"索引号 {value} 属于其他机构（{match.group(1)}），未保留 / "
            f"the index number {value} belongs to another organisation ({match.group(1)}); not kept"
        )
    return value, ""


def organization_named(name: str) -> Organization:
    """The organisation whose name or short name is the page's 发布机构."""
    if not name:
        raise _error("页面没有发布机构，请指定机构", "the page names no publishing organisation; name one")
    matches = list(Organization.objects.filter(Q(name=name) | Q(short_name=name))[:2])
    if not matches:
        raise _error(f"没有名为“{name}”的机构，请指定机构", f"no organisation is called {name}; name one")
    if len(matches) > 1:
        raise _error(f"有多个机构名为“{name}”，请指定机构", f"several organisations are called {name}; name one")
    return matches[0]


def _already_imported(index_no: str) -> LegacyImportError:
    return _error(f"已导入过（索引号 {index_no}）", f"already imported (index number {index_no})")


@transaction.atomic
def import_page(
    page: LegacyPage | bytes | Path,
    *,
    by,
    column: Column,
    publisher: Organization | None = None,
    source: str = "",
) -> Publication:
    """Create a draft from a saved page (parsed, or its bytes, or its path) and record where it came from.

    The publisher is ``publisher``, else the organisation the page names. The legacy 索引号 is kept on the
    draft when it is the publisher's (see :func:`index_no_to_keep`); it is unique, so a page imported twice
    is refused. Raises :class:`LegacyImportError`, or the errors of ``services.create_draft``.
    """
    if isinstance(page, Path):
        source = source or page.name
        page = page.read_bytes()
    if isinstance(page, bytes):
        page = read_page(page)
    publisher = publisher or organization_named(page.publisher)
    index_no, _warning = index_no_to_keep(page.index_no, publisher)
    if index_no and Publication.objects.filter(index_no=index_no).exists():
        raise _already_imported(index_no)
    publication = services.create_draft(
        by=by,
        publisher=publisher,
        title=page.title,
        doc_no=page.doc_no,
        issued_on=page.issued_on,
        body=page.body,
        column=column,
    )
    if index_no:
        publication.index_no = index_no
        try:
            with transaction.atomic():
                publication.save(update_fields=["index_no", "updated_at"])
        except IntegrityError:  # imported at the same moment by someone else
            raise _already_imported(index_no) from None
    audit.record(by, "publication.imported", publication, summary=page.title, source=source, cleaning=page.cleaning)
    return publication
