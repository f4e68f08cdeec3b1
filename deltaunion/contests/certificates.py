"""Certificate PDFs: ReportLab, a CJK font embedded when one is installed, and a QR code
pointing to the public verification page."""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from deltaunion.contests.models import Certificate
from deltaunion.contests.selectors import certificate_verify_url
from deltaunion.core.pdf import cjk_font, qr_png


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
