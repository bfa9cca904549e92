"""Rich-text bodies of publications: sanitising the HTML a publisher pastes, and its plain text.

:func:`sanitize` keeps the structure of a government document (headings, paragraphs, lists, tables, links,
same-site images) and removes everything that runs code or loads something from elsewhere: scripts,
styles, frames, forms, event handlers, ``style`` attributes, ``javascript:``/``data:`` URLs and images
from other sites (a third-party image tracks every reader of the page). The parsing and escaping are
nh3's (the Rust ammonia sanitiser); this module only states the policy.
"""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

import nh3

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "replace_text", "sanitize", "text_with_sources", "to_text"]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "div", "span", "pre", "code", "blockquote",
        "h2", "h3", "h4", "h5", "h6",
        "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "ul", "ol", "li",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "a", "img",
    }
)  # fmt: skip

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}

# Removed together with everything inside them (the others lose only their tags).
_DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template"}
    | {"svg", "math", "audio", "video", "canvas", "select", "textarea", "button", "head", "title"}
)

_NUMERIC_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan", "start"})
_SCOPES = frozenset({"row", "col", "rowgroup", "colgroup"})
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers delete these anywhere in a URL
_C0_AND_SPACE = "".join(chr(code) for code in range(0x21))  # and strip these from both ends


def _same_site(url: str) -> bool:
    """True for a relative URL or a path on this site; False for anything that names a scheme or host."""
    url = _URL_NOISE.sub("", url).strip(_C0_AND_SPACE)
    if not url or _SCHEME.match(url):
        return False
    # "//host/x" and "/\host/x" are another host to a browser; so is "\\host".
    return not url.startswith(("//", "/\\", "\\"))


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _same_site(value) else None
    if attribute in _NUMERIC_ATTRIBUTES:
        value = value.strip()
        return value if value.isascii() and value.isdigit() and len(value) <= 4 else None
    if attribute == "scope":
        return value if value in _SCOPES else None
    return value


# nh3's output is serialised by html5ever: attribute values are always double-quoted with '"' escaped, so
# a tag can be matched whole even when a value contains '>'.
_IMG_TAG = re.compile(r'<img(?:\s+[a-z]+(?:="[^"]*")?)*\s*/?>')
_JAVASCRIPT = re.compile(r"(?i)((?:java|vb)script):")
_HANDLER = re.compile(r"(?i)(?<!\w)(on\w+)=")


def sanitize(html: str) -> str:
    """Sanitised HTML for a publication body (an HTML fragment; the input may be any text).

    Links keep http, https, mailto and relative URLs and get ``rel="noopener noreferrer"``; an image is kept
    only when its ``src`` is on this site. As a second line of defence the text and attribute values never
    contain ``javascript:`` or ``on…=`` literally (they are written as character references, which read
    the same), so the output stays inert even if a later step mishandles it.
    """
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        # "*" replaces ammonia's default of title and lang on every element: only the list above.
        attributes={"*": set()} | {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_filter_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    cleaned = _IMG_TAG.sub(lambda tag: tag.group(0) if ' src="' in tag.group(0) else "", cleaned)
    cleaned = _JAVASCRIPT.sub(r"\1&#58;", cleaned)
    return _HANDLER.sub(r"\1&#61;", cleaned)


_BLOCKS = frozenset(
    {
        "p", "div", "br", "hr", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "li", "table", "caption", "thead", "tbody", "tfoot", "tr",
    }
)  # fmt: skip
_CELLS = frozenset({"td", "th"})
_SPACES = re.compile(r"\s+")


class _TextCollector(HTMLParser):
    """Text as a browser lays it out: white space in text is one space, except in <pre>; blocks break lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._boundary(tag)
        if tag == "pre":
            self.in_pre += 1

    def handle_endtag(self, tag: str) -> None:
        self._boundary(tag)
        if tag == "pre" and self.in_pre:
            self.in_pre -= 1

    def _boundary(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data if self.in_pre else _SPACES.sub(" ", data))


def to_text(html: str) -> str:
    """Plain text of a body for search and summaries: one line per block, entities decoded, spaces collapsed."""
    collector = _TextCollector()
    collector.feed(sanitize(html))
    collector.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


_TOKEN = re.compile(
    r'<!--.*?-->|<[^>"]*(?:"[^"]*"[^>"]*)*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|[^<&]+|[<&]', re.S
)
_TAG_NAME = re.compile(r"</?\s*([A-Za-z][A-Za-z0-9]*)")


def text_with_sources(html: str) -> tuple[str, list[tuple[int, int] | None]]:
    """The text of an HTML fragment and, for each of its characters, the span of ``html`` it came from.

    Screening reads the text (so a number is found whatever tags surround it) and masking writes back into
    the HTML through the spans. Tags add nothing, except that block tags give a line break and table cells a
    space, with no span; a character reference gives its character(s), each with the reference's span.
    White space is kept as written, so every character of a text run has a span of its own.
    """
    chars: list[str] = []
    sources: list[tuple[int, int] | None] = []
    for token in _TOKEN.finditer(html):
        piece, start = token.group(0), token.start()
        if piece.startswith("<") and len(piece) > 1:
            name = _TAG_NAME.match(piece)
            tag = name.group(1).lower() if name else ""
            if tag in _BLOCKS or tag in _CELLS:
                chars.append("\n" if tag in _BLOCKS else " ")
                sources.append(None)
        elif piece.startswith("&") and len(piece) > 1:
            for ch in unescape(piece):
                chars.append(ch)
                sources.append((start, token.end()))
        else:
            for offset, ch in enumerate(piece):
                chars.append(ch)
                sources.append((start + offset, start + offset + 1))
    return "".join(chars), sources


def replace_text(html: str, sources: list[tuple[int, int] | None], changes: dict[int, str]) -> str:
    """``html`` with the characters of its text (see :func:`text_with_sources`) at the given positions replaced.

    ``changes`` maps a position in the text to its new character, which is written escaped in place of the
    source span. Positions without a span (the breaks that tags give) cannot be changed and are ignored.
    """
    spans: dict[tuple[int, int], str] = {}
    for position, new in changes.items():
        span = sources[position]
        if span is not None:
            spans[span] = escape(new)
    out, last = [], 0
    for (start, end), new in sorted(spans.items()):
        out.append(html[last:start])
        out.append(new)
        last = end
    out.append(html[last:])
    return "".join(out)
