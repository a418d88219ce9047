"""Runbook Markdown to HTML: markdown-it-py with raw HTML off, then nh3 keeps only a safe
list of tags and http(s)/mailto links - the one place a runbook becomes HTML."""

from __future__ import annotations

from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from .policy import SAFE_URL_SCHEMES

ALLOWED_TAGS = frozenset(
    {
        "a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
        "del", "img",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}

# Rendering: raw HTML is shown as text, markdown-it drops javascript:/vbscript:/data: links.
_renderer = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
# Checking: the same parser with HTML on and every link kept, so unsafe input can be named.
_checker = MarkdownIt("commonmark", {"html": True})
_checker.validateLink = lambda url: True  # type: ignore[method-assign]


def render(markdown: str) -> str:
    """Sanitised HTML for a runbook's Markdown."""
    return nh3.clean(
        _renderer.render(markdown),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(SAFE_URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
    )


def _walk(tokens: list[Token]) -> list[Token]:
    found = []
    for token in tokens:
        found.append(token)
        found.extend(_walk(token.children or []))
    return found


def unsafe_parts(markdown: str) -> list[str]:
    """What in the Markdown would be unsafe as HTML: raw HTML, links of other schemes."""
    problems = []
    for token in _walk(_checker.parse(markdown)):
        if token.type in ("html_block", "html_inline"):
            problems.append(f"raw HTML {token.content.strip()[:40]!r}")
        url = token.attrGet("href") or token.attrGet("src")
        if isinstance(url, str):
            scheme = urlsplit(url.strip()).scheme.lower()
            if scheme and scheme not in SAFE_URL_SCHEMES:
                problems.append(f"a {scheme}: link")
    return problems
