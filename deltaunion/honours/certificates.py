"""The certificate of a named honour: one landscape A4 page with an embedded CJK font and a QR
code to the public verification page (`core.pdf`, the module the contest certificates use)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from deltaunion.core.pdf import cjk_font, qr_png
from deltaunion.honours.models import Award
from deltaunion.honours.selectors import certificate_verify_url


def certificate_pdf(award: Award, *, base_url: str = "") -> bytes:
    """Name, honour, selection, issuing body and date, the code, and a QR code to
    `base_url` + /honours/certificates/<code>/verify/."""
    font = cjk_font()
    url = base_url.rstrip("/") + certificate_verify_url(award.code)
    buf = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buf, pagesize=(width, height))
    pdf.setTitle(f"{_('Certificate of honour')} {award.code}")
    pdf.setFont(font, 36)
    pdf.drawCentredString(width / 2, height - 105, _("Certificate of honour"))
    pdf.setFont(font, 28)
    pdf.drawCentredString(width / 2, height - 180, award.recipient_name)
    pdf.setFont(font, 14)
    if award.employer_name:
        pdf.drawCentredString(width / 2, height - 205, award.employer_name)
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 250, award.selection.title)
    pdf.setFont(font, 26)
    pdf.drawCentredString(width / 2, height - 300, _("Named “%(honour)s”") % {"honour": award.honour.name})
    pdf.setFont(font, 16)
    pdf.drawCentredString(width / 2, height - 345, award.issuing_body)
    pdf.drawCentredString(width / 2, height - 370, award.named_on.strftime("%Y-%m-%d"))
    pdf.setFont(font, 11)
    pdf.drawString(60, 70, f"{_('Certificate code')}{_(': ')}{award.code}")
    pdf.drawString(60, 52, _("Scan the code or open the address to verify the certificate:"))
    pdf.drawString(60, 34, url)
    pdf.drawImage(ImageReader(io.BytesIO(qr_png(url))), width - 170, 30, 120, 120)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()
