"""Large imports run as a background task with a progress page: queued by the upload page, run by
the database worker (`manage.py db_worker`, which `make demo` starts), their outcome on the page."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings

from deltaunion.core.models import ImportJob
from deltaunion.core.testing import make_xlsx
from deltaunion.people.models import Worker
from deltaunion.people.tests.test_import import good_rows
from deltaunion.people.tests.xlsx import COLUMNS

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
SMALL = {"PAGE_SIZE": 20, "IMPORT_MAX_ROWS": 20000, "IMPORT_BACKGROUND_ROWS": 2}


def _upload(client, world, rows):
    data = make_xlsx(rows, COLUMNS)
    return client.post(
        "/people/import/", {"organisation": world.hz_unit.pk, "file": SimpleUploadedFile("workers.xlsx", data)}
    )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS, DELTAUNION=SMALL)
def test_a_large_import_is_queued_and_the_database_worker_runs_it(client, world):
    client.force_login(world.hz_officer)
    before = Worker.objects.count()
    response = _upload(client, world, good_rows())
    assert response.status_code == 302
    job_url = response["Location"]
    job = ImportJob.objects.get(pk=re.search(r"/imports/jobs/([0-9a-f-]+)/", job_url).group(1))
    assert job.status == ImportJob.Status.QUEUED
    page = client.get(job_url).content.decode()
    assert 'data-status="queued"' in page and 'hx-trigger="every 1s"' in page
    assert Worker.objects.count() == before  # nothing until the worker runs

    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0.1, verbosity=0)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.counts == {"created": 3} and job.percent == 100 and job.data is None
    assert Worker.objects.count() == before + 3
    done = client.get(job_url).content.decode()
    assert 'data-status="done"' in done and "every 1s" not in done
    # Another officer cannot follow the job.
    client.force_login(world.sz_officer)
    assert client.get(job_url).status_code == 404


@override_settings(DELTAUNION=SMALL)
def test_a_large_import_with_errors_ends_with_the_report_and_writes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.hz_officer)
    rows = good_rows()
    rows[1]["身份证号"] = "110101199003070000"  # a wrong check character
    before = Worker.objects.count()
    with django_capture_on_commit_callbacks(execute=True):  # the task runs at once (immediate backend)
        response = _upload(client, world, rows)
    job_url = response["Location"]
    page = client.get(job_url).content.decode()
    assert 'data-status="failed"' in page
    assert "/report.xlsx" in page
    assert Worker.objects.count() == before
