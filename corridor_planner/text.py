"""The one path that makes text from data safe where it is shown.

Names, notes and ids come from datasets, scenario files and queries, which
may be untrusted. Before any of them reaches

- HTML (a notebook's ``_repr_html_``, a folium web map's popups, tooltips and
  legend), it goes through :func:`html_text`;
- a terminal (the command line's output and error messages), it goes through
  :func:`terminal_text`.

folium embeds popup and tooltip HTML in JavaScript template literals and then
renders the page's script once more as a Jinja template, so :func:`html_text`
neutralises the characters of all three languages: HTML (``<>&"'``),
template literals (`````, ``$``, ``\\``) and Jinja (``{``, ``}``; so no
``{{ }}``, ``{% %}`` or ``{# #}`` survives). Every one becomes a numeric
character reference, which the browser shows as the literal character.
"""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["html_text", "json_terminal_text", "one_line", "shown", "terminal_text"]

_HTML_EXTRA = str.maketrans({"\\": "&#92;", "`": "&#96;", "$": "&#36;", "{": "&#123;", "}": "&#125;"})

# C0 and C1 control characters, DEL, and the Unicode bidirectional overrides and isolates
# (which reorder what a terminal shows); newlines are kept by terminal_text(keep_newlines=True).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_KEEP_NEWLINES = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def html_text(value: Any) -> str:
    """``value`` as text safe inside HTML, a JavaScript template literal and a Jinja template.

    Examples
    --------
    >>> html_text("<script>alert(1)</script> `${x}`")
    '&lt;script&gt;alert(1)&lt;/script&gt; &#96;&#36;&#123;x&#125;&#96;'
    >>> html_text("{{7*7}} {% raw %}")
    '&#123;&#123;7*7&#125;&#125; &#123;% raw %&#125;'
    """
    return html.escape(str(value), quote=True).translate(_HTML_EXTRA)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(value: Any, *, keep_newlines: bool = False) -> str:
    """``value`` as text safe to print: control characters shown as ``\\x1b``-style escapes.

    ESC, BEL, carriage returns, backspaces and the other C0/C1 controls, DEL and
    the bidirectional overrides cannot move the cursor, recolour or retitle the
    terminal, or hide text. With ``keep_newlines``, ``\\n`` is kept (for
    multi-line output such as a table).

    Examples
    --------
    >>> terminal_text("Aktau\\x1b]0;owned\\x07")
    'Aktau\\\\x1b]0;owned\\\\x07'
    >>> terminal_text("a\\nb"), terminal_text("a\\nb", keep_newlines=True)
    ('a\\\\x0ab', 'a\\nb')
    """
    pattern = _CONTROL_KEEP_NEWLINES if keep_newlines else _CONTROL
    return pattern.sub(_escape, str(value))


def json_terminal_text(text: str) -> str:
    """JSON text safe to print: the raw control characters ``json.dumps(ensure_ascii=False)`` leaves become ``\\uXXXX``.

    The result is still valid JSON (``json.dumps`` already escapes C0 controls
    inside strings; C1 controls, DEL and bidi overrides are escaped here).

    Examples
    --------
    >>> json_terminal_text('{"name": "a\\x9bb"}')
    '{"name": "a\\\\u009bb"}'
    """
    return _CONTROL_KEEP_NEWLINES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: Any) -> str:
    """A message on one line, safe to print: runs of white space become one space, controls are escaped.

    Examples
    --------
    >>> one_line("2 problems:\\n  a\\n  b\\x1b[2J")
    '2 problems: a b\\\\x1b[2J'
    """
    return terminal_text(" ".join(str(text).split()))


def shown(value: Any, limit: int = 60) -> str:
    """``value`` quoted for an error message: its ``repr``, cut to ``limit`` characters; huge integers by size.

    A 5,000-digit integer has no ``repr`` (Python refuses to convert it), and a
    message quoting a megabyte of text helps nobody.

    Examples
    --------
    >>> shown("x" * 100, limit=10)
    "'xxxxxx...(100 characters)"
    >>> shown(10**5000)
    'a 5001-digit integer'
    """
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**18:
        digits = len(str(abs(value))) if value.bit_length() < 10_000 else int(value.bit_length() * 0.30103) + 1
        return f"a {digits}-digit integer"
    try:
        text = repr(value)
    except Exception:  # a repr that fails is no reason to fail the message
        text = f"<{type(value).__name__}>"
    if isinstance(value, str) and len(text) > limit:
        return f"{text[: limit - 3]}...({len(value)} characters)"
    return text if len(text) <= limit else text[: limit - 3] + "..."
