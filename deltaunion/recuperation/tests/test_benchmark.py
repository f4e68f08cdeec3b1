"""The draw benchmark at a small scale: every batch over-subscribed, drawn through the
services, full and never over-allocated, and its report has the figures the script prints."""

from __future__ import annotations

import json

import pytest

from deltaunion.recuperation import benchmark
from deltaunion.recuperation.models import Application, Batch

pytestmark = pytest.mark.django_db


def test_the_benchmark_draws_every_batch_without_over_allocating():
    report = benchmark.run(batches=4, applications=160, places=10, workers=60)
    json.dumps(report)
    assert report["applications"] == 160 and report["batches"] == 4
    assert report["over_allocated"] == 0 and report["not_full"] == 0 and report["places_released"] == 4
    assert report["seconds"] > 0
    assert set(Batch.objects.values_list("status", flat=True)) == {"drawn"}
    assert Application.objects.filter(status="waiting").count() == 4 * (40 - 10) - 4
    # The priority reserves were drawn from the groups in the workers' records.
    assert Application.objects.exclude(drawn_for="").exists()
