"""Evidence uploads: type by content (not name), size, a script disguised as an image; stored
outside the web root under a random name; served only through the access-checked view by a
random key, every download logged."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError

from deltaunion.core.models import AuditEntry
from deltaunion.core.permissions import Forbidden
from deltaunion.core.uploads import MB, PrivateStorage
from deltaunion.relations import services
from deltaunion.relations.models import Evidence, ReferralMode
from deltaunion.relations.tests.factories import open_case, party, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    p = party("陈小明", seq=115)
    p["user"] = world.worker
    c = open_case(world, parties=[p])
    services.case_assign(case=c, assignee=world.hz_officer, by=world.hz_officer)
    return c


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


GOOD = [
    ("photo.png", png_bytes(), "image/png"),
    ("pay.pdf", pdf_bytes(), "application/pdf"),
    ("contract.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
]


@pytest.mark.parametrize("name,data,content_type", GOOD)
def test_real_photos_pdfs_and_office_files_are_accepted(world, case, evidence_dir, name, data, content_type):
    item = services.evidence_add(case=case, upload=upload(name, data), kind="photo", by=world.hz_officer)
    assert item.content_type == content_type and item.size == len(data)
    stored = evidence_dir / item.file.name
    assert stored.read_bytes() == data
    # In the kernel's private storage (no URL), outside the web root, under a random name that
    # says nothing of the case or the file.
    assert isinstance(item.file.storage, PrivateStorage)
    with pytest.raises(ValueError):
        item.file.url  # noqa: B018
    for root in (django_settings.MEDIA_ROOT, django_settings.STATIC_ROOT):
        assert not str(stored.resolve()).startswith(str(Path(root).resolve()))
    assert re.fullmatch(r"relations/\d{4}/[\w-]{32}\.(png|pdf|docx)", item.file.name)
    again = services.evidence_add(case=case, upload=upload(name, data), kind="photo", by=world.hz_officer)
    assert again.file.name != item.file.name and again.key != item.key


BAD = {
    "php script named as a photo": ("photo.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg"),
    "shell script named as a photo": ("photo.png", b"#!/bin/sh\nrm -rf /\n", "image/png"),
    "html named as a pdf": ("payslip.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
    "gif polyglot with a script": (
        "chat.gif",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;<script>alert(1)</script>",
        "image/gif",
    ),
    "png with a script appended": ("shot.png", png_bytes() + b"<script>alert(document.cookie)</script>", "image/png"),
    "windows program": ("contract.docx", b"MZ\x90\x00" + b"\x00" * 200, "application/octet-stream"),
    "zip that is not office": ("contract.docx", b"", "application/zip"),
    "macro workbook": ("sheet.xlsx", b"", "application/vnd.ms-excel"),
    "truncated pdf": ("pay.pdf", b"%PDF-1.7\n1 0 obj\n", "application/pdf"),
    "empty": ("empty.png", b"", "image/png"),
}


def _bad_bytes(key: str, data: bytes) -> bytes:
    if key == "zip that is not office":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("readme.txt", "hello")
        return buf.getvalue()
    if key == "macro workbook":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types>application/vnd.ms-excel.sheet.macroEnabled.main+xml</Types>")
            zf.writestr("xl/workbook.xml", "<workbook/>")
            zf.writestr("xl/vbaProject.bin", b"\x00" * 10)
        return buf.getvalue()
    return data


@pytest.mark.parametrize("key", sorted(BAD))
def test_bad_files_are_refused_and_nothing_is_kept(world, case, evidence_dir, key):
    name, data, content_type = BAD[key]
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError):
        services.evidence_add(
            case=case, upload=upload(name, _bad_bytes(key, data), content_type), kind="photo", by=world.hz_officer
        )
    assert not Evidence.objects.exists() and AuditEntry.objects.count() == before
    assert not evidence_dir.exists() or not any(p.is_file() for p in evidence_dir.rglob("*"))


def test_an_oversize_file_is_refused(world, case, settings):
    settings.RELATIONS_EVIDENCE_MAX_BYTES = MB
    data = pdf_bytes()
    data = data[:-2048] + b"\n" * MB + data[-2048:]  # still a well-formed PDF, only too large
    assert len(data) > MB
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(
            case=case, upload=upload("big.pdf", data, "application/pdf"), kind="photo", by=world.hz_officer
        )
    assert "1 MB" in " ".join(exc.value.messages)
    assert not Evidence.objects.exists()


def test_the_shown_name_is_cleaned_and_takes_the_real_type(world, case):
    item = services.evidence_add(
        case=case,
        upload=upload("../../etc/passwd\x00.exe", png_bytes(), "image/png"),
        kind="photo",
        by=world.hz_officer,
    )
    assert item.original_name == "passwd.png"


def test_the_file_is_served_to_those_handling_the_case_and_every_download_is_logged(world, case, client):
    item = services.evidence_add(case=case, upload=upload("site.png", png_bytes()), kind="photo", by=world.worker)
    url = f"/relations/evidence/{item.key}/"
    client.force_login(world.hz_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"] and "no-store" in response["Cache-Control"]
    reads = AuditEntry.objects.filter(action=services.READ_ACTION, object_id=str(case.pk))
    assert reads.count() == 1 and "site.png" in reads.get().note and reads.get().actor == world.hz_officer
    # The worker who uploaded it reads it too (and that is logged).
    client.force_login(world.worker)
    assert client.get(url).status_code == 200
    assert reads.count() == 2


def test_others_cannot_fetch_it_and_the_url_is_not_guessable(world, case, client):
    item = services.evidence_add(case=case, upload=upload("site.png", png_bytes()), kind="photo", by=world.hz_officer)
    url = f"/relations/evidence/{item.key}/"
    for user in (world.sz_officer, world.zj_judge, world.nobody):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    # By id or by the stored name: no such route.
    client.force_login(world.hz_officer)
    assert client.get(f"/relations/evidence/{item.pk}/").status_code == 404
    assert client.get("/media/" + item.file.name).status_code == 404
    # A union deciding on a referral sees the case but not its evidence: 403 with the reason.
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    client.force_login(world.sz_officer)
    response = client.get(url)
    assert response.status_code == 403
    with pytest.raises(Forbidden):
        services.evidence_open(item=item, by=world.sz_officer)


def test_the_worker_attaches_evidence_while_the_case_is_open_only(world, case):
    services.evidence_add(case=case, upload=upload("a.png", png_bytes()), kind="chat", by=world.worker)
    services.case_step(case=case, step="close", by=world.hz_officer, outcome="withdrawn")
    case.refresh_from_db()
    with pytest.raises(Forbidden):
        services.evidence_add(case=case, upload=upload("b.png", png_bytes()), kind="chat", by=world.worker)
    with pytest.raises(Forbidden):
        services.evidence_add(case=case, upload=upload("c.png", png_bytes()), kind="chat", by=world.sz_officer)
