"""Titles and snippets with ``<mark>`` around the matches: escaped text, marks added afterwards.

Matching happens on normalised text; the marks go around the characters *as published*: the title is
aligned character by character with `normalize_aligned`; a snippet is cut from the stored plain text,
which for most documents lines up with its normalised form one character to one (each mark is checked,
and the document is aligned when one does not).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from gongkai.lib.text import normalize_aligned, normalize_text

SNIPPET_CHARS = 120
_BEFORE = 30  # characters of context before the first match


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping or touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _occurrences(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Every occurrence of every term in ``text``, as merged ``[start, end)`` spans in order."""
    spans = []
    for term in terms:
        start = text.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = text.find(term, start + len(term))
    return _merged(spans)


def _marked(text: str, spans: Iterable[tuple[int, int]], start: int = 0, end: int | None = None) -> str:
    end = len(text) if end is None else end
    out, at = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        out.append(escape(text[at:span_start]))
        out.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        at = span_end
    out.append(escape(text[at:end]))
    return "".join(out)


def _aligned_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """The spans in ``text`` of the terms found in its character-by-character normalised form."""
    normalized, origin = normalize_aligned(text)
    return _merged([(origin[start], origin[end - 1] + 1) for start, end in _occurrences(normalized, terms)])


def _lined_up_spans(text: str, normalized: str, terms: tuple[str, ...]) -> list[tuple[int, int]] | None:
    """The spans of the terms in ``normalized`` if they are also the spans in ``text``, else None."""
    if len(text) != len(normalized):
        return None
    spans = _occurrences(normalized, terms)
    if any(normalize_text(text[start:end]) != normalized[start:end] for start, end in spans):
        return None
    return spans


def title_html(title: str, terms: Iterable[str]) -> SafeString:
    """The escaped title with every occurrence of every term marked."""
    terms = tuple(terms)
    spans = _lined_up_spans(title, normalize_text(title), terms)
    if spans is None:
        spans = _aligned_spans(title, terms)
    return mark_safe(_marked(title, spans))


def _window(first: int, length: int, width: int) -> tuple[int, int]:
    start = max(0, first - _BEFORE)
    end = min(length, start + width)
    return max(0, min(start, end - width)), end


def snippet_html(body: str, body_norm: str, terms: Iterable[str], width: int = SNIPPET_CHARS) -> SafeString:
    """About ``width`` characters of ``body`` around the first match, escaped, with the matches marked.

    ``body`` is the stored plain text and ``body_norm`` its normalised form. Without a match in the
    body (the title or the 文号 matched), the beginning of the body.
    """
    terms = tuple(terms)
    spans = _occurrences(body_norm, terms) if len(body) == len(body_norm) else []
    if spans:
        start, end = _window(spans[0][0], len(body), width)
        shown = [(s, e) for s, e in spans if s < end and e > start]
        if any(normalize_text(body[s:e]) != body_norm[s:e] for s, e in shown):
            spans = []  # the two texts do not line up character for character here: align them
    if not spans and any(term in body_norm for term in terms):
        spans = _aligned_spans(body, terms)
    start, end = _window(spans[0][0] if spans else 0, len(body), width)
    html = _marked(body, spans, start, end)
    return mark_safe(("…" if start > 0 else "") + html + ("…" if end < len(body) else ""))
