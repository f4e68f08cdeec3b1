"""A worker signs themself up: rules spelled out, every reason when not eligible, a pending
entry for the union holding the places, the officer's approve/refuse, messages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from deltaunion.contests import selectors, services
from deltaunion.contests.models import Contest, Quota, Registration, Stage
from deltaunion.core.models import Notification
from deltaunion.orgs.models import Role
from deltaunion.orgs.services import org_role_grant

from .factories import UserFactory, build_world, officer_for

pytestmark = pytest.mark.django_db


def _open(w):
    """The world's contest, published (a draft is for its organisers only)."""
    services.contest_update(contest=w.contest, by=w.officer, status=Contest.Status.OPEN)
    return w


def _login(w, i: int = 0, **worker_kwargs):
    user = UserFactory()
    worker = w.worker(i, **worker_kwargs)
    worker.user = user
    worker.save(update_fields=["user"])
    org_role_grant(user=user, organisation=worker.organisation, role=Role.WORKER, by=None)
    return user, worker


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_sign_up_is_pending_for_the_union_holding_the_places(django_capture_on_commit_callbacks):
    w = build_world()
    services.quota_set(stage=w.stage, organisation=w.cities[0], places=2, by=w.officer)
    user, worker = _login(w, 0)  # a grassroots union under cities[0]
    with django_capture_on_commit_callbacks(execute=True):
        reg = services.registration_sign_up(stage=w.stage, by=user)
    assert reg.status == Registration.Status.PENDING
    assert reg.organisation == w.cities[0] and reg.worker == worker
    assert Quota.objects.get(stage=w.stage).used == 1
    assert Notification.objects.filter(recipient=user, kind="contests.registration_submitted").exists()
    # Twice is refused.
    with pytest.raises(ValidationError):
        services.registration_sign_up(stage=w.stage, by=user)


def test_officer_refuses_with_a_reason_and_the_worker_is_told(django_capture_on_commit_callbacks):
    w = build_world()
    user, _worker = _login(w, 0)
    reg = services.registration_sign_up(stage=w.stage, by=user)
    city_officer = officer_for(w.cities[0])
    with pytest.raises(ValidationError):
        services.registration_decide(registration=reg, approve=False, by=city_officer, reason=" ")
    # A worker cannot approve their own entry; an officer of another city cannot either.
    with pytest.raises(PermissionDenied):
        services.registration_decide(registration=reg, approve=True, by=user)
    with pytest.raises(PermissionDenied):
        services.registration_decide(registration=reg, approve=True, by=officer_for(w.cities[1]))
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(registration=reg, approve=False, by=city_officer, reason="名额留给一线职工")
    note = Notification.objects.get(recipient=user, kind="contests.registration_refused")
    assert "名额留给一线职工" in note.body
    assert note.url == reverse("me:contests")


def test_not_eligible_is_told_every_reason_and_no_button(english):
    w = _open(build_world(min_age=40, members_only=True))
    services.quota_set(stage=w.stage, organisation=w.cities[1], places=1, by=w.officer)
    user, _worker = _login(w, 0, is_member=False)
    state = selectors.signup_state(w.stage, user)
    text = " ".join(state.problems)
    assert "not a union member" in text and "below the minimum age of 40" in text and "has no places" in text
    assert any("40" in r for r in state.rules) and not state.allowed
    html = _client(user).get(reverse("contests:signup", args=[w.stage.pk])).content.decode()
    assert 'data-testid="not-eligible"' in html and 'data-testid="signup"' not in html
    # The POST is refused by the service with the same rules; nothing is entered.
    _client(user).post(reverse("contests:signup", args=[w.stage.pk]))
    assert not Registration.objects.exists()


def test_full_quota_and_closed_window_are_explained(english):
    w = build_world()
    services.quota_set(stage=w.stage, organisation=w.province, places=1, by=w.officer)
    first, _ = _login(w, 0)
    second, _ = _login(w, 1)
    services.registration_sign_up(stage=w.stage, by=first)
    assert "is full" in " ".join(selectors.signup_state(w.stage, second).problems)
    with pytest.raises(ValidationError):
        services.registration_sign_up(stage=w.stage, by=second)
    services.stage_set_status(stage=w.stage, status=Stage.Status.CHECKIN, by=w.officer)
    w.stage.refresh_from_db()
    assert "closed" in " ".join(selectors.signup_state(w.stage, second).problems)


def test_pages_sign_up_then_officer_approves_from_the_pending_list(django_capture_on_commit_callbacks):
    w = _open(build_world())
    user, worker = _login(w, 0)
    c = _client(user)
    detail = c.get(reverse("contests:detail", args=[w.contest.pk])).content.decode()
    assert reverse("contests:signup", args=[w.stage.pk]) in detail
    page = c.get(reverse("contests:signup", args=[w.stage.pk])).content.decode()
    assert 'data-testid="rules"' in page and 'data-testid="signup"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("contests:signup", args=[w.stage.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("me:contests")
    reg = Registration.objects.get(worker=worker)
    assert reg.status == Registration.Status.PENDING
    officer = _client(officer_for(w.units[0]))
    listing = officer.get(reverse("contests:registrations", args=[w.stage.pk]) + "?status=pending").content.decode()
    assert 'data-testid="pending-signups"' in listing and worker.name[:1] in listing
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("contests:registration_decide", args=[reg.pk]), {"decision": "approve"})
    reg.refresh_from_db()
    assert reg.status == Registration.Status.APPROVED
    assert Notification.objects.filter(recipient=user, kind="contests.registration_approved").exists()


def test_officer_approves_the_selected_sign_ups_at_once(django_capture_on_commit_callbacks):
    w = _open(build_world())
    logins = [_login(w, i) for i in range(3)]
    entries = [services.registration_sign_up(stage=w.stage, by=u) for u, _w in logins]
    # An officer of one city sees and may approve only that city's sign-ups.
    city = officer_for(w.cities[0])
    c = _client(city)
    page = c.get(reverse("contests:registrations", args=[w.stage.pk]) + "?status=pending").content.decode()
    assert 'data-testid="approve-selected"' in page
    mine = [r for r in entries if r.worker.organisation.path.startswith(w.cities[0].path)]
    theirs = [r for r in entries if r not in mine]
    assert mine and theirs
    with django_capture_on_commit_callbacks(execute=True):
        c.post(
            reverse("contests:registrations_approve", args=[w.stage.pk]),
            {"ids": [r.pk for r in entries]},  # the other city's ids are ignored
        )
    for r in entries:
        r.refresh_from_db()
    assert all(r.status == Registration.Status.APPROVED for r in mine)
    assert all(r.status == Registration.Status.PENDING for r in theirs)
    assert Notification.objects.filter(kind="contests.registration_approved").count() == len(mine)
    # A worker posting to it is refused.
    assert _client(logins[0][0]).post(reverse("contests:registrations_approve", args=[w.stage.pk])).status_code in (
        403,
        404,
    )


def test_the_contest_page_shows_the_worker_their_own_entry():
    w = _open(build_world())
    user, _worker = _login(w, 0)
    c = _client(user)
    url = reverse("contests:detail", args=[w.contest.pk])
    assert 'data-testid="my-entry-link"' not in c.get(url).content.decode()
    services.registration_sign_up(stage=w.stage, by=user)
    html = c.get(url).content.decode()
    assert 'data-testid="my-entry-link"' in html and "我的报名：待审核" in html
    assert 'data-testid="signup-link"' not in html


def test_officer_enters_one_competitor_by_id_number_beside_the_import():
    w = _open(build_world())
    worker = w.worker(0)
    other_city_worker = w.worker(1)
    services.quota_set(stage=w.stage, organisation=w.cities[0], places=5, by=w.officer)
    city = officer_for(w.cities[0])
    c = _client(city)
    page = c.get(reverse("contests:registrations", args=[w.stage.pk])).content.decode()
    assert 'data-testid="add-form"' in page
    url = reverse("contests:registration_add", args=[w.stage.pk])
    # A worker of another city is not found (the officer may not see them): nothing entered.
    c.post(url, {"id_number": other_city_worker.id_number})
    assert not Registration.objects.exists()
    c.post(url, {"id_number": worker.id_number.lower()})
    reg = Registration.objects.get()
    assert reg.worker == worker and reg.status == Registration.Status.APPROVED
    # Twice is refused by the same rules as every entry.
    c.post(url, {"id_number": worker.id_number})
    assert Registration.objects.count() == 1
