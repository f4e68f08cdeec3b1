"""Certificate PDFs: ReportLab, a CJK font embedded when one is installed, and a QR code
pointing to the public verification page."""

from __future__ import annotations

import io
from pathlib import Path

import qrcode
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from deltaunion.contests.models import Certificate
from deltaunion.contests.selectors import certificate_verify_url

# TrueType CJK fonts embedded in the PDF so any viewer shows Chinese (first found wins).
CJK_FONT_CANDIDATES = (
    ("WenQuanYiMicroHei", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ("WenQuanYiZenHei", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    ("NotoSansCJK", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
CID_FALLBACK = "STSong-Light"  # not embedded: the viewer must have a CJK font


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


def certificate_pdf(certificate: Certificate, *, base_url: str = "") -> bytes:
    """One landscape A4 page: title, name, wording, contest, code and a QR code to
    `base_url` + /contests/certificates/<code>/verify/."""
    award = certificate.award
    font = cjk_font()
    url = base_url.rstrip("/") + certificate_verify_url(certificate.code)
    buf = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buf, pagesize=(width, height))
    pdf.setTitle(f"{_('Certificate')} {certificate.code}")
    pdf.setFont(font, 36)
    pdf.drawCentredString(width / 2, height - 110, _("Certificate"))
    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 190, award.worker.name)
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 240, award.contest.title)
    pdf.drawCentredString(width / 2, height - 275, award.result_set.stage.name)
    pdf.setFont(font, 22)
    pdf.drawCentredString(width / 2, height - 325, certificate.text)
    pdf.setFont(font, 12)
    issued = timezone.localtime(certificate.issued_at).strftime("%Y-%m-%d")
    pdf.drawString(60, 70, f"{_('Certificate code')}: {certificate.code}")
    pdf.drawString(60, 52, f"{_('Issued on')}: {issued}")
    pdf.drawString(60, 34, url)
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), width - 170, 30, 120, 120)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
