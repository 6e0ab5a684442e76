"""Markdown reader: a converter's Markdown -> HTML (markdown-it-py) -> the HTML path.

Handles the seed's style (pipe tables with ``<br>``, ``<u>``, ``<input checked>``,
``<sup>``, ``\\$``), pandoc's (raw HTML tables for complex layouts, pipe tables
otherwise) and markdownify's (nested tables flattened into very long rows).

One quirk is fixed before parsing: GFM drops every cell past the header row's
width, and markdownify writes rows much wider than their header when it
flattens nested tables, which would silently lose boxes 2 and 5. So each pipe
table's header and delimiter rows are widened to its widest row first.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ..ir import Source
from .detect import decode
from .html import read_html_text
from .limits import check_lines

NAME = "markdown"
_DELIM = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
_PIPE = re.compile(r"(?<!\\)\|")
_RULE_ONLY = re.compile(r"(?<=>)\s*-{3,}\s*(?=<)")
_parser = MarkdownIt("commonmark", {"html": True}).enable("table")


def _cells(line: str) -> int:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return len(_PIPE.split(body))


def widen_tables(text: str) -> str:
    """Pad each pipe table's header to its widest row so no cell is dropped."""
    lines = text.split("\n")
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and _DELIM.match(lines[i + 1]) and "-" in lines[i + 1]:
            j = i + 2
            while j < len(lines) and lines[j].strip() and "|" in lines[j]:
                j += 1
            header = _cells(lines[i])
            widest = max((_cells(line) for line in lines[i + 2:j]), default=header)
            if widest > header:
                extra = widest - header
                lines[i] = lines[i].rstrip().rstrip("|") + "|" + "  |" * extra
                lines[i + 1] = lines[i + 1].rstrip().rstrip("|") + "|" + " --- |" * extra
            i = j
        else:
            i += 1
    return "\n".join(lines)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:[A-Za-z_][\w-]*:.*\n|[ \t]+.*\n)*---[ \t]*\n")


_SUPERSCRIPT = re.compile(r"\^([^\s^]{1,12})\^")  # pandoc's and MultiMarkdown's "^(1)^"


def read(data: bytes, name: str) -> Source:
    text = _FRONT_MATTER.sub("", decode(data, name), count=1)  # a converter's YAML header (title: ...)
    check_lines(text, name, "|")  # before the table widening and the Markdown parser
    text = _SUPERSCRIPT.sub(r"<sup>\1</sup>", text)
    html = _parser.render(widen_tables(text))
    # markdownify renders a nested table's <hr> and delimiter rows as bare "---" cells
    html = _RULE_ONLY.sub("", html)
    return read_html_text(html, name, reader=NAME, gaps=False)
