"""Text normalisation for search: one function for the documents and the queries, so they meet halfway.

`normalize_text` turns what people type and what agencies publish into one comparable form:

1. invisible characters are dropped: control characters other than whitespace, lone surrogates (which
   cannot be encoded, and a stray NUL or U+D800 in a query must not reach the database) and format
   characters such as U+200B ZERO WIDTH SPACE and U+00AD SOFT HYPHEN that word processors leave in text;
2. NFKC: full-width letters, digits and punctuation become half-width (``ＡＢＣ１２３`` → ``ABC123``,
   ``，`` → ``,``), and the ideographic space U+3000 becomes a space;
3. OpenCC ``t2s``: traditional characters become simplified (``張店區`` → ``张店区``);
4. ASCII letters become lower case (only ASCII: Unicode lower-casing can change a string's length);
5. every run of whitespace becomes one space, and the ends are trimmed.

`normalize_aligned` does the same but also says, for each character of the result, which character of
the input it came from; highlighting uses it to put ``<mark>`` around the original text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import opencc

__all__ = ["normalize_aligned", "normalize_text", "to_simplified", "visible_text"]

# Unicode 15 general categories Cc (minus whitespace), Cs and Cf. tests/test_text.py checks this class
# against unicodedata so that a new Unicode version cannot silently widen the gap.
_INVISIBLE = (
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"  # Cc that are not whitespace (\t\n\v\f\r, \x1c-\x1f, \x85 are)
    "\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
    "\ud800-\udfff"  # lone surrogates (Cs)
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_converter: opencc.OpenCC | None = None
_converter_lock = threading.Lock()


def _t2s() -> opencc.OpenCC:
    """The process's one OpenCC converter, built on first use (loading its dictionaries takes ~20 ms).

    OpenCC's C++ converter is immutable once built, so threads share it; the lock only guards creation.
    """
    global _converter
    if _converter is None:
        with _converter_lock:
            if _converter is None:
                _converter = opencc.OpenCC("t2s")
    return _converter


def to_simplified(s: str) -> str:
    """``s`` with traditional characters converted to simplified (OpenCC ``t2s``), nothing else changed."""
    return _t2s().convert(s) if s else ""


def normalize_text(s: str) -> str:
    """The search form of ``s``: visible characters, NFKC, simplified, ASCII lower case, single spaces."""
    if not s:
        return ""
    s = _INVISIBLE_RE.sub("", s)
    s = unicodedata.normalize("NFKC", s)
    s = _t2s().convert(s)
    s = s.translate(_ASCII_LOWER)
    return " ".join(s.split())


def visible_text(s: str) -> str:
    """``s`` as written, without invisible characters and with single spaces: the form snippets show.

    For most text it has exactly the length of ``normalize_text(s)``, character for character.
    """
    return " ".join(_INVISIBLE_RE.sub("", s).split()) if s else ""


@lru_cache(maxsize=4096)
def _nfkc_char(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch)


def normalize_aligned(s: str) -> tuple[str, list[int]]:
    """``(normalized, origin)``: ``origin[i]`` is the index in ``s`` of the character that gave
    ``normalized[i]``.

    The result equals ``normalize_text(s)`` except where NFKC combines characters across a boundary
    (a base letter and a combining accent) or OpenCC converts a phrase differently from its characters
    one by one; both are rare in Chinese government text, and only highlighting uses this function.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(s):
        if _INVISIBLE_CHAR.match(ch):
            continue
        for out in _nfkc_char(ch):
            chars.append(out)
            origin.append(index)
    converted = _t2s().convert("".join(chars))
    if len(converted) == len(chars):
        chars = list(converted)
    else:  # a phrase conversion changed the length: convert character by character to keep the mapping
        expanded_chars: list[str] = []
        expanded_origin: list[int] = []
        for ch, index in zip(chars, origin, strict=True):
            for out in _t2s().convert(ch):
                expanded_chars.append(out)
                expanded_origin.append(index)
        chars, origin = expanded_chars, expanded_origin
    result: list[str] = []
    result_origin: list[int] = []
    space_at: int | None = None  # where the run of whitespace before the next character began
    for ch, index in zip(chars, origin, strict=True):
        if ch.isspace():
            if space_at is None and result:
                space_at = index
            continue
        if space_at is not None:
            result.append(" ")
            result_origin.append(space_at)
            space_at = None
        result.append(ch.translate(_ASCII_LOWER))
        result_origin.append(index)
    return "".join(result), result_origin
