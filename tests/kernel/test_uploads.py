"""Uploads are checked by content, bounded, and private files have no URL."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from deltaunion.core.testing import make_xlsx, raw_zip
from deltaunion.core.uploads import MB, PrivateStorage, check_upload, random_name


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buf, format="PNG")
    return buf.getvalue()


def _docx() -> bytes:
    return raw_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(
    ("name", "data", "kinds", "expected"),
    [
        ("photo.png", _png(), {"image"}, ("image", "image/png", ".png")),
        ("scan.jpg", _png(), {"image"}, ("image", "image/png", ".png")),  # the content decides, not the name
        ("contract.pdf", PDF, {"image", "pdf"}, ("pdf", "application/pdf", ".pdf")),
        (
            "pay.docx",
            _docx(),
            {"office"},
            ("office", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
        ),
        (
            "pay.xlsx",
            make_xlsx([["a"]], ["b"]),
            {"office"},
            ("office", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        ),
    ],
)
def test_accepted_by_content(name, data, kinds, expected):
    checked = check_upload(SimpleUploadedFile(name, data), kinds=kinds)
    assert (checked.kind, checked.content_type, checked.suffix) == expected


@pytest.mark.parametrize(
    ("name", "data", "kinds"),
    [
        ("photo.jpg", b"<script>alert(1)</script>", {"image"}),  # a script disguised as an image
        ("photo.png", _png()[:40], {"image"}),  # truncated
        ("doc.pdf", b"<html><body>not a pdf</body></html>", {"pdf"}),
        ("doc.pdf", b"%PDF-1.4 but never ends", {"pdf"}),
        ("macro.docx", raw_zip({"[Content_Types].xml": b"<Types/>", "word/vbaProject.bin": b"x"}), {"office"}),
        ("evil.docx", raw_zip({"[Content_Types].xml": b"<Types/>", "word/run.js": b"x"}), {"office"}),
        ("photo.png", _png(), {"pdf"}),  # a real image where only PDF is accepted
        ("empty.png", b"", {"image"}),
    ],
)
def test_refused_by_content(name, data, kinds):
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile(name, data), kinds=kinds)


def test_size_limit():
    with pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile("big.png", _png() + b"\0" * (2 * MB)), kinds={"image"}, max_bytes=MB)
    assert "1" in exc.value.messages[0]


def test_private_files_have_no_url_and_unguessable_names(tmp_path):
    storage = PrivateStorage(location=str(tmp_path))
    name = storage.save(random_name(".png"), io.BytesIO(_png()))
    assert len(name) > 30 and name.endswith(".png")
    with pytest.raises(ValueError):
        storage.url(name)
    assert random_name(".pdf") != random_name(".pdf")
