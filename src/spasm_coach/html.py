"""Self-contained HTML pages for paper: escaping, the page shell and the print styles they share.

Everything a page needs is inline (no fonts, scripts, images or styles from elsewhere), so a page
opens the same offline, leaks nothing when opened, and prints alike on A4 and on Letter: the page
size is left to the printer and the margins fit both. Every piece of text from a file, the log or
the person goes through `esc`, so it always shows as text and never becomes markup, and no
control character in it reaches the page.
"""

from __future__ import annotations

from html import escape

from spasm_coach.guard import safe_text

BASE_CSS = """
@page { size: auto; margin: 12mm 14mm; }
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { background: #fff; }
body {
  margin: 0 auto; max-width: 180mm; padding: 8mm 0;
  color: #000; background: #fff;
  font: 11.5pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
}
@media print { body { max-width: none; padding: 0; } }
h1 { font-size: 19pt; margin: 0 0 2mm; line-height: 1.2; }
h2 { font-size: 14pt; margin: 6mm 0 2mm; border-bottom: 1.5pt solid #000; padding-bottom: 1mm; }
h3 { font-size: 12.5pt; margin: 0 0 1.5mm; }
h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p, li, dd { orphans: 3; widows: 3; }
p { margin: 0 0 2mm; }
ul, ol { margin: 0 0 2mm; padding-left: 6mm; }
li { margin: 0 0 0.5mm; }
pre, code { font-family: "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace; }
code { font-size: 10.5pt; }
table { border-collapse: collapse; margin: 0 0 3mm; }
th, td { border: 0.75pt solid #444; padding: 1mm 2.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.number, th.number { text-align: right; }
.muted { color: #333; }
.keep { break-inside: avoid; page-break-inside: avoid; }
svg { display: block; max-width: 100%; height: auto; }
"""


def esc(text: object) -> str:
    """Text as HTML text, through the text guard (no control character reaches the page):
    quotes escaped too, so it is safe in attributes as well."""
    return escape(safe_text(str(text)), quote=True)


def paragraphs(text: str) -> str:
    """Text with blank lines between paragraphs, as escaped <p> elements."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br>".join(esc(line) for line in block.splitlines()) + "</p>"
        for block in blocks
        if block
    )


def page(title: str, body: str, css: str = "") -> str:
    """A whole HTML document: `title` is escaped here; `body` must already be escaped HTML."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f"<style>{BASE_CSS}{css}</style>\n"
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
