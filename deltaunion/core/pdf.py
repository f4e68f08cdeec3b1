"""PDF building blocks for every app (ReportLab): a CJK font embedded so any viewer shows Chinese,
QR codes, and a plain printable table document.

The font is a TrueType CJK font installed on the machine (Debian's WenQuanYi Micro Hei, which
the project installs with Chromium; or Noto CJK), embedded in the file; ReportLab's CID font
STSong-Light is the fallback (not embedded: the viewer then needs a CJK font of its own).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import qrcode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

CJK_FONT_CANDIDATES = (
    ("WenQuanYiMicroHei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ("WenQuanYiZenHei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    ("NotoSansCJK", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
CID_FALLBACK = "STSong-Light"


def cjk_font() -> str:
    """Register and return the name of the best CJK font available."""
    for name, path in CJK_FONT_CANDIDATES:
        if name in pdfmetrics.getRegisteredFontNames():
            return name
        if Path(path).exists():
            try:
                pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
                return name
            except Exception:  # a damaged or unsupported font file: try the next one
                continue
    if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def qr_png(data: str) -> bytes:
    img = qrcode.make(data, box_size=6, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def text(value: Any) -> str:
    """A cell or paragraph as safe ReportLab markup."""
    if value is None:
        return ""
    return escape(str(value))


def table_pdf(
    *,
    title: str,
    subtitle: str = "",
    sections: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]],
    footer: str = "",
    wide: bool = False,
) -> bytes:
    """A printable report: a title, then for each (heading, headers, rows) a heading and a table."""
    font = cjk_font()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=landscape(A4) if wide else A4, leftMargin=36, rightMargin=36, topMargin=36, bottomMargin=36
    )
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    story: list[Any] = [Paragraph(text(title), h1)]
    if subtitle:
        story.append(Paragraph(text(subtitle), body))
    for heading, headers, rows in sections:
        story.append(Paragraph(text(heading), h2))
        data = [[Paragraph(text(h), body) for h in headers]] + [[Paragraph(text(c), body) for c in r] for r in rows]
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    if footer:
        story += [Spacer(1, 10), Paragraph(text(footer), body)]
    doc.build(story)
    return buf.getvalue()
