"""What a search query means: its normalised text, its terms, and the keys of the exact look-ups.

A query matches a publication when **every term** (the normalised query split at spaces) occurs in its
normalised title, text or metadata, as a plain substring: no operators, no wildcards, no stemming, so
``"``, ``*``, ``NEAR(``, ``AND`` and ``\\`` are characters like any other. Terms never contain spaces,
so a term cannot match across the boundary of two fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai.lib.text import normalize_text

MAX_QUERY_CHARS = 100  # after normalising
# Longer input is cut before normalising, so that a pathological query costs bounded work.
MAX_RAW_QUERY_CHARS = 100_000

_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "【": "〔",
        "(": "〔",
        "{": "〔",
        "〖": "〔",
        "]": "〕",
        "】": "〕",
        ")": "〕",
        "}": "〕",
        "〗": "〕",
        " ": None,
    }
)


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # normalised and cut to MAX_QUERY_CHARS
    terms: tuple[str, ...]  # distinct, in the order typed
    index_no_key: str
    doc_no_key: str

    @property
    def has_short_terms(self) -> bool:
        """Whether a term has fewer than three characters (the trigram index cannot answer it)."""
        return any(len(term) < 3 for term in self.terms)


def index_no_key(normalized: str) -> str:
    """The look-up key of a normalised 索引号: without spaces."""
    return normalized.replace(" ", "")


def doc_no_key(normalized: str) -> str:
    """The look-up key of a normalised 文号: without spaces, every kind of bracket written 〔〕.

    People type 张发改字[2018]12号 or 张发改字（2018）12号 for 张发改字〔2018〕12号.
    """
    return normalized.translate(_BRACKETS)


def parse_query(raw: object) -> ParsedQuery:
    """Never raises: any input, of any length or content, gives a (possibly empty) query."""
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    text = normalize_text(text[:MAX_RAW_QUERY_CHARS])[:MAX_QUERY_CHARS].strip()
    terms = tuple(dict.fromkeys(term for term in text.split(" ") if term))
    return ParsedQuery(text=text, terms=terms, index_no_key=index_no_key(text), doc_no_key=doc_no_key(text))
