"""Bytes of a page or a text file as text: a byte-order mark, a declared ``<meta charset>``, UTF-8, then GB18030
(what Chinese government sites serve, declared or not). Used by the import of saved pages (`catalog.legacy`) and
of published annual reports (`reports.parse`)."""

from __future__ import annotations

import codecs
import re

REPLACEMENT = "\ufffd"

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHINESE_CHARSETS = frozenset({"gbk", "gb2312", "gb_2312-80", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"})


def declared_charset(data: bytes) -> str | None:
    """The encoding a ``<meta charset>`` or ``http-equiv`` in the page's first 4 KB names, if Python knows it.

    Every Chinese national charset is read as GB18030, which contains GB2312 and GBK.
    """
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in _CHINESE_CHARSETS:
        return "gb18030"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes) -> tuple[str, int]:
    """``(text, undecodable)``: the page as text, and how many U+FFFD it holds (replaced bytes and any already there).

    A byte-order mark wins, then a declared charset, then UTF-8 if the bytes are UTF-8, then GB18030. Bytes
    that are neither get the reading with fewer undecodable characters, so one stray byte in a UTF-8 page
    does not turn the whole page into GB18030 mojibake.
    """
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Windows Notepad's "Unicode"
        text = data.decode("utf-16", errors="replace")
    elif encoding := declared_charset(data):
        text = data.decode(encoding, errors="replace")
    else:
        text = _undeclared(data)
    return text, text.count(REPLACEMENT)


def _undeclared(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    readings = [data.decode(encoding, errors="replace") for encoding in ("gb18030", "utf-8")]
    return min(readings, key=lambda text: text.count(REPLACEMENT))  # GB18030 on a tie
