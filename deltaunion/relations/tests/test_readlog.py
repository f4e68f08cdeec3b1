"""Every read of a case's personal data is logged (not only changes), and the case page shows
who read it; masked views are not reads; the history of changes stays apart."""

from __future__ import annotations

import pytest

from deltaunion.core.models import AuditEntry
from deltaunion.relations import selectors, services
from deltaunion.relations.models import ReferralMode
from deltaunion.relations.tests.factories import open_case, party

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    p = party("陈小明", seq=115)
    p["user"] = world.worker
    c = open_case(world, parties=[p])
    services.case_assign(case=c, assignee=world.hz_officer, by=world.hz_officer)
    return c


def _reads(case):
    return AuditEntry.objects.filter(object_type="relations.case", object_id=str(case.pk), action=services.READ_ACTION)


def test_each_page_view_with_personal_data_is_a_read(world, case, client):
    client.force_login(world.hz_officer)
    client.get(f"/relations/cases/{case.pk}/")
    client.get(f"/relations/cases/{case.pk}/")
    assert _reads(case).count() == 2
    client.force_login(world.zj_admin)
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert _reads(case).count() == 3
    # The page lists who read it, newest first, by name.
    section = page[page.index('id="reads"') :]
    assert world.zj_admin.full_name in section and world.hz_officer.full_name in section
    assert [r.who for r in selectors.case_reads(case)][:1] == [world.zj_admin.full_name]


def test_the_worker_reading_their_own_case_is_logged_too(world, case, client):
    client.force_login(world.worker)
    page = client.get(f"/relations/cases/{case.pk}/").content.decode()
    assert _reads(case).filter(actor=world.worker).count() == 1
    # The worker sees progress, not the officers' tools nor the read log.
    assert 'id="reads"' not in page and 'data-testid="step-form"' not in page and 'data-testid="progress"' in page


def test_a_masked_view_is_not_a_read(world, case, client):
    services.case_refer(case=case, to_organisation=world.sz, mode=ReferralMode.REFERRAL, by=world.hz_officer)
    client.force_login(world.sz_officer)
    assert client.get(f"/relations/cases/{case.pk}/").status_code == 200
    assert not _reads(case).filter(actor=world.sz_officer).exists()


def test_reads_stay_out_of_the_history_of_changes(world, case, client):
    client.force_login(world.hz_officer)
    client.get(f"/relations/cases/{case.pk}/")
    actions = [i.entry.action for i in selectors.case_history(case)]
    assert services.READ_ACTION not in actions and "relations_case.assign" in actions
    # No ID number or phone in the audit log itself.
    number = case.parties.get().id_number
    for entry in AuditEntry.objects.filter(object_id=str(case.pk)):
        assert number not in repr(entry.before) + repr(entry.after) + entry.note
