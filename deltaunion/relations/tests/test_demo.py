"""The demo: signals, cases and unpaid-wage cases over the four provinces and two years, synthetic
and marked, idempotent, so the situation report shows trends."""

from __future__ import annotations

import pytest

from deltaunion.relations import report
from deltaunion.relations.models import PROVINCE_CODES, Case, CaseKind, CaseParty, Evidence, Project, Signal
from deltaunion.relations.tests.demo_loader import load_relations_demo

pytestmark = pytest.mark.django_db


def test_the_demo_covers_four_provinces_and_two_years_marked_and_idempotent(evidence_dir):
    load_relations_demo()
    signals, cases = Signal.objects.all(), Case.objects.all()
    for year in (2022, 2023):
        assert {s.province_code for s in signals.filter(occurred_on__year=year)} == set(PROVINCE_CODES)
        assert {c.province_code for c in cases.filter(opened_on__year=year)} == set(PROVINCE_CODES)
        assert cases.filter(opened_on__year=year, kind=CaseKind.UNPAID_WAGES).exists()
        assert cases.filter(opened_on__year=year, referrals__isnull=False).exists()
    # Synthetic and marked.
    assert not signals.filter(is_demo=False).exists() and not cases.filter(is_demo=False).exists()
    assert all(s.employer_name.startswith("演示") for s in signals)
    assert all(c.employer_name.startswith("演示") for c in cases)
    assert all(p.name.startswith("演示") for p in Project.objects.all())
    assert all("演示" in p.name for p in CaseParty.objects.filter(worker=None))
    # The worker's own case with evidence in private storage; the measures' files too.
    assert Case.objects.filter(applicant__username="worker").exists()
    assert Evidence.objects.filter(case__isnull=False).exists() and Evidence.objects.filter(measure__isnull=False)
    assert all((evidence_dir / e.file.name).is_file() for e in Evidence.objects.all())
    # Trends: 2023 against 2022, unpaid wages peaking around the Spring Festival.
    trend = report.trend(2023)
    assert sum(trend["this"]["cases"]) > sum(trend["previous"]["cases"]) > 0
    assert report.total(report.rows(2023, "province"))["owed"] > 0
    counts = (Signal.objects.count(), Case.objects.count(), Evidence.objects.count())
    load_relations_demo()
    assert (Signal.objects.count(), Case.objects.count(), Evidence.objects.count()) == counts
