"""Conflicts of interest: an expert never scores (nor sees) a nomination of their own employer,
of their own city when the selection says so, or one naming themself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.honours import selectors, services
from deltaunion.honours.eligibility import conflict_reason
from deltaunion.orgs.models import Region

from .factories import accept, build_selection, nominate, to_review

pytestmark = pytest.mark.usefixtures("english")


def _seat(world, built, user, **fields):
    return services.panel_member_add(panel=built.panel, user=user, by=world.zj_admin, **fields)


@pytest.fixture
def setup(world):
    built = build_selection(world, conflict_same_city=True)
    hz = accept(world, nominate(world, built, world.hz_a))
    sz = accept(world, nominate(world, built, world.sz_a))
    to_review(world, built)
    return built, hz, sz


def test_same_employer_is_excluded(world, setup):
    built, hz, sz = setup
    colleague = _seat(world, built, UserFactory(username="colleague"), employer=world.hz_employer)
    assert "employer" in conflict_reason(colleague, hz)
    assert conflict_reason(colleague, sz) == ""
    # The same company named in words (an expert from outside the registry) is the same employer.
    by_name = _seat(world, built, UserFactory(username="by_name"), employer_name="杭州测试机械有限公司")
    assert "employer" in conflict_reason(by_name, hz)
    # Not on the worklist, not visible, and a score is refused.
    items = [i.nomination for i in selectors.expert_worklist(colleague.user)]
    assert items == [sz]
    with pytest.raises(Http404):
        selectors.nomination_for_user_or_404(colleague.user, hz.pk)
    criteria = list(built.category.criteria.all())
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.review_submit(nomination=hz, by=colleague.user, scores={c.pk: 5 for c in criteria})
    assert not hz.reviews.exists()


def test_same_city_only_when_the_selection_says_so(world, setup):
    built, hz, sz = setup
    hangzhou = Region.objects.get(code="330100")
    local = _seat(world, built, UserFactory(username="local"), city=hangzhou)
    assert "city" in conflict_reason(local, hz)
    assert conflict_reason(local, sz) == ""
    built.selection.conflict_same_city = False
    built.selection.save(update_fields=["conflict_same_city"])
    hz.refresh_from_db()
    assert conflict_reason(local, hz) == ""


def test_an_expert_never_scores_themself(world, setup):
    from deltaunion.people.services import worker_link_account

    built, hz, sz = setup
    worker_link_account(worker=world.sz_a, user=world.nobody, by=None)
    sz.refresh_from_db()
    seat = _seat(world, built, world.nobody)
    assert conflict_reason(seat, sz) != ""
    assert [i.nomination for i in selectors.expert_worklist(world.nobody)] == [hz]
