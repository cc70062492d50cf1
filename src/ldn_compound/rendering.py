"""One formatter for every display: text, notebook HTML and JSON.

Doses are written safely everywhere (ISMP / Joint Commission, NCPDP): a
leading zero (``0.5 mg``), no trailing zero (``1 mg``, never ``1.0 mg``),
``mcg`` never ``µg``, ``mL`` never ``cc``, a space between number and unit,
and thousands separators from 1,000 up.

Result classes build a :class:`Report`; ``__str__``, ``_repr_html_`` and
``to_json`` are all derived from it or from ``to_dict``, so every display of
a dose says the same thing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from fractions import Fraction

import attrs

from ._exact import exact_text, format_number, format_percent
from ._records import Record
from .errors import InputError

__all__ = [
    "FLAGGED_COLOUR",
    "PAPERS",
    "Rendered",
    "Report",
    "csv_number",
    "format_concentration",
    "format_concentration_exact",
    "format_mass",
    "format_mass_exact",
    "format_mass_range",
    "format_percent",
    "format_volume",
    "format_volume_exact",
    "html_text",
    "join_words",
    "render_html",
    "render_page",
    "render_text",
    "sentence",
]

_MCG_BELOW = Fraction(1, 10)  # below 0.1 mg (or mg/mL), write mcg: 50 mcg, not 0.05 mg


def _exact_or(x: Fraction, sig: int | None) -> str:
    """Display digits (``sig``) or, for JSON (``None``), exact digits where short."""
    if sig is not None:
        return format_number(x, sig)
    text = exact_text(x)
    digits = sum(ch.isdigit() for ch in text.lstrip("0."))
    if "/" in text or digits > 12:
        return format_number(x, 8)
    return format_number(x, 40)


def csv_number(x: Fraction | None) -> str | None:
    """A CSV cell: the number alone (its unit is in the column name), exact digits
    where short, else 8 significant; no thousands separator. None stays None."""
    return None if x is None else _exact_or(x, None).replace(",", "")


def format_mass(mg: Fraction, sig: int | None = 4) -> str:
    """Write a mass given in mg: ``4.5 mg``, ``0.25 mg``, ``50 mcg``, ``0.5 mcg``."""
    if abs(mg) < _MCG_BELOW and mg != 0:
        return f"{_exact_or(mg * 1000, sig)} mcg"
    return f"{_exact_or(mg, sig)} mg"


def format_mass_exact(mg: Fraction) -> str:
    """A mass quoted back with every digit it has: ``409071 mg``, ``450 mcg``, ``1/3 mg``.

    How an error quotes the dose it refuses: never rounded for display (4
    figures would quote 409071 mg as 409,100 mg), leading zero kept, no
    trailing zero, no grouping; mcg below 0.1 mg as :func:`format_mass`.
    """
    return _exact_in(mg, "mg")


def format_volume_exact(ml: Fraction) -> str:
    """A volume quoted back with every digit it has, as :func:`format_mass_exact`."""
    return _exact_in(ml, "mL")


def format_concentration_exact(mg_per_ml: Fraction) -> str:
    """A concentration quoted back with every digit it has, as :func:`format_mass_exact`."""
    return _exact_in(mg_per_ml, "mg/mL")


def _exact_in(x: Fraction, unit: str) -> str:
    if unit != "mL" and abs(x) < _MCG_BELOW and x != 0:
        return f"{exact_text(x * 1000)} mc{unit[1:]}"
    return f"{exact_text(x)} {unit}"


def format_mass_range(low_mg: Fraction, high_mg: Fraction, sig: int | None = 4) -> str:
    """Write a range of masses in one unit: ``3.609 to 5.5 mg``, ``80.2 to 122.2 mcg``."""
    if abs(low_mg) < _MCG_BELOW and low_mg != 0:
        return f"{_exact_or(low_mg * 1000, sig)} to {_exact_or(high_mg * 1000, sig)} mcg"
    return f"{_exact_or(low_mg, sig)} to {_exact_or(high_mg, sig)} mg"


def format_volume(ml: Fraction, sig: int | None = 4) -> str:
    """Write a volume given in mL; always mL (NCPDP: mL only for oral liquids)."""
    return f"{_exact_or(ml, sig)} mL"


def format_concentration(mg_per_ml: Fraction, sig: int | None = 4) -> str:
    """Write a concentration given in mg/mL: ``5 mg/mL`` or ``2 mcg/mL``."""
    if abs(mg_per_ml) < _MCG_BELOW and mg_per_ml != 0:
        return f"{_exact_or(mg_per_ml * 1000, sig)} mcg/mL"
    return f"{_exact_or(mg_per_ml, sig)} mg/mL"


@attrs.frozen
class Report:
    """What a result shows: a title, labelled rows, an optional table, warnings."""

    title: str
    rows: tuple[tuple[str, str], ...] = ()
    table_header: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
    warnings: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    #: indices of ``table`` rows whose verdict is flagged (last column)
    flagged: tuple[int, ...] = ()


def render_text(report: Report) -> str:
    """Plain text: aligned ``label: value`` rows, a table, then warnings."""
    lines = [report.title]
    if report.rows:
        width = max(len(label) for label, _ in report.rows)
        lines += [f"  {label + ':':<{width + 1}} {value}" for label, value in report.rows]
    if report.table:
        cols = [report.table_header, *report.table]
        widths = [max(len(r[i]) for r in cols) for i in range(len(report.table_header))]
        for n, row in enumerate(cols):
            cells = (c.ljust(w) for c, w in zip(row, widths, strict=True))
            lines.append("  " + "  ".join(cells).rstrip())
            if n == 0:
                lines.append("  " + "  ".join("-" * w for w in widths))
    lines += [f"  WARNING: {w}" for w in report.warnings]
    lines += [f"  {f}" for f in report.footer]
    return "\n".join(lines)


#: a number and the unit (or word) after it, kept on one line in HTML
_NUMBER_UNIT = re.compile(r"(\d) (?=(?:mg|mcg|mL|%|x|to|drops?|graduations?|days?|weeks?)\b"
                          r"|\d)")
#: an ISO date, kept on one line in HTML (a browser would break it at its hyphens)
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: the colour of a flagged step in every plot (the HTML row: dark red on pale red)
FLAGGED_COLOUR = "#b00020"
#: a flagged row in notebook HTML, where the page's stylesheet is absent
_FLAGGED_STYLE = "background:#fdecea;color:#8a0000;font-weight:600"


def html_text(text: str) -> str:
    """``text`` escaped for HTML, numbers never split from their units or dates broken.

    ``1.5 mg`` keeps a non-breaking space, ``0 to 13`` stays on one line and an
    ISO date is wrapped in a ``white-space: nowrap`` span; the words are
    unchanged, so copied text reads as the plain-text report.
    """
    escaped = _NUMBER_UNIT.sub("\\1\u00a0", html.escape(text))
    escaped = re.sub(r"(\bto|=) (?=\d)", "\\1\u00a0", escaped)  # "0 to 13", "= 1.5 mg"
    return _DATE.sub(lambda m: f"<span style='white-space:nowrap'>{m[0]}</span>", escaped)


def render_html(report: Report) -> str:
    """Notebook HTML with the same content as :func:`render_text`.

    The step table names each cell's column (``data-label``), so a narrow screen
    can show each row as a card; a flagged row (``Report.flagged``) is marked by
    colour, a warning sign and its verdict word.
    """
    e, t = html.escape, html_text
    parts = [f"<div class='ldn-compound'><p class='title'><strong>{t(report.title)}</strong>"
             "</p>"]
    if report.rows:
        parts.append("<table class='facts'>")
        parts += [f"<tr><th scope='row' style='text-align:left'>{e(k)}</th><td>{t(v)}</td></tr>"
                  for k, v in report.rows]
        parts.append("</table>")
    if report.table:
        parts.append("<table class='steps'><thead><tr>"
                     + "".join(f"<th scope='col'>{e(h)}</th>" for h in report.table_header)
                     + "</tr></thead><tbody>")
        for n, row in enumerate(report.table):
            flagged = n in report.flagged
            cells = [f"<td data-label='{e(h)}'>{t(c)}</td>"
                     for h, c in zip(report.table_header, row, strict=True)]
            if flagged:
                cells[-1] = (f"<td data-label='{e(report.table_header[-1])}' class='verdict'>"
                             f"<span aria-hidden='true'>\u26a0\ufe0e </span>{t(row[-1])}</td>")
                parts.append(f"<tr class='flagged' style='{_FLAGGED_STYLE}'>{''.join(cells)}</tr>")
            else:
                parts.append(f"<tr>{''.join(cells)}</tr>")
        parts.append("</tbody></table>")
    if report.warnings:
        parts.append("<ul class='warnings'>" + "".join(
            f"<li><strong>Warning:</strong> {t(w)}</li>" for w in report.warnings) + "</ul>")
    parts += [f"<p>{t(f)}</p>" for f in report.footer]
    parts.append("</div>")
    return "".join(parts)


#: Paper sizes a printed record is laid out for (CSS ``@page size``).
PAPERS = ("A4", "Letter")


def render_page(report: Report, paper: str = "A4") -> str:
    """A printable HTML page of :func:`render_html`'s content, sized for ``paper``.

    Parameters
    ----------
    report : Report
    paper : {"A4", "Letter"}
    """
    if paper not in PAPERS:
        raise InputError("paper", paper, "'A4' or 'Letter'")
    title = html.escape(report.title)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}"
            f"</title><style>@page {{ size: {paper}; margin: 15mm }} body {{ font: 10pt "
            "sans-serif } table { border-collapse: collapse } td, th { border: 1px solid "
            "#999; padding: 2px 4px; vertical-align: top }</style></head><body>"
            f"{render_html(report)}</body></html>\n")


class Rendered(Record):
    """Mixin: ``__str__``, ``__repr__`` and ``_repr_html_`` from one report; a record.

    The record (``to_dict``/``to_json``/``from_dict``/``from_json``) comes from
    :class:`ldn_compound._records.Record`.
    """

    __slots__ = ()

    def report(self) -> Report:  # pragma: no cover - every subclass overrides
        """The rows, table and warnings every display is derived from (each subclass's own)."""
        raise NotImplementedError

    def __str__(self) -> str:
        return render_text(self.report())

    def __repr__(self) -> str:
        name = type(self).__name__
        title = self.report().title
        return f"<{name}: {title.removeprefix(name + ': ')}>"

    def _repr_html_(self) -> str:
        return render_html(self.report())

    def to_html(self, paper: str = "A4") -> str:
        """A printable HTML page of the same content, for ``paper`` "A4" or "Letter"."""
        return render_page(self.report(), paper)


def sentence(text: str) -> str:
    """Capitalise the first letter only (``str.capitalize`` would turn mL into ml)."""
    return text[:1].upper() + text[1:]


def join_words(items: Sequence[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]




