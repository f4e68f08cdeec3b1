"""Messages to the people an action concerns (站内消息 through `core.notifications.notify`):
results published, certificates issued, appeals and objections answered, and the check-in
reminder the day before a stage. Called inside the services' transactions; `notify` writes
after the commit and never breaks the action."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deltaunion.contests.models import Appeal, Award, Objection, Registration, ResultSet, Stage
from deltaunion.core.audit import log_action
from deltaunion.core.notifications import notify

REMINDER_ACTION = "registration.checkin_reminder"
log = logging.getLogger(__name__)


def _never_breaking(fn: Callable[..., None]) -> Callable[..., None]:
    """Telling people never breaks the action that caused it: a failure while composing the
    messages is logged and rolled back to a savepoint; the action goes on."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            with transaction.atomic():
                fn(*args, **kwargs)
        except Exception:
            log.exception("messages of %s were not written", fn.__name__)

    return wrapper


def _me(name: str, anchor: str = "") -> str:
    try:
        return reverse(name) + anchor
    except NoReverseMatch:  # the worker's space is not installed
        return ""


def _users_of(registration: Registration) -> list[Any]:
    """The logins of an entry's competitors: the worker (the captain of a team) and its members."""
    users = [registration.worker.user]
    users += [m.worker.user for m in registration.members.all()]
    seen: set[int] = set()
    out = []
    for user in users:
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


@_never_breaking
def results_published(result_set: ResultSet) -> None:
    """Each competitor of the published set: their rank and total, a link to the results."""
    stage = result_set.stage
    names = {"contest": result_set.contest.title, "stage": stage.name}
    url = reverse("contests:results", args=[stage.pk])
    until = timezone.localtime(result_set.notice_until).strftime("%Y-%m-%d %H:%M")
    rows = (
        result_set.rows.select_related("registration__worker__user")
        .prefetch_related("registration__members__worker__user")
        .order_by("rank", "number")
    )
    for row in rows:
        for user in _users_of(row.registration):
            notify(
                user,
                kind="contests.results_published",
                title=_("Results of %(contest)s · %(stage)s are published") % names,
                body=_(
                    "You are ranked %(rank)d with a total of %(total)s. The results are on public notice until %(until)s."
                )
                % {"rank": row.rank, "total": row.total, "until": until},
                url=url,
            )


@_never_breaking
def certificates_issued(awards: Iterable[Award]) -> None:
    """Each awarded worker with a certificate: what it says, and where to download and share it."""
    for award in awards:
        certificates = [c for c in award.certificates.all() if not c.revoked]
        if not certificates or award.worker.user is None:
            continue
        notify(
            award.worker.user,
            kind="contests.certificate_issued",
            title=_("Certificate issued: %(contest)s") % {"contest": award.contest.title},
            body=_("%(texts)s. Download the certificate (PDF) in My certificates and share its verification link.")
            % {"texts": "、".join(c.text for c in certificates)},
            url=_me("me:certificates", f"#certificate-{certificates[0].code}"),
        )


@_never_breaking
def appeal_ruled(appeal: Appeal) -> None:
    """The one who filed the appeal: upheld or dismissed, and the ruling."""
    stage = appeal.stage
    names = {"contest": stage.contest.title, "stage": stage.name}
    if appeal.status == Appeal.Status.UPHELD:
        title = _("Your appeal on %(contest)s · %(stage)s is upheld") % names
    else:
        title = _("Your appeal on %(contest)s · %(stage)s is dismissed") % names
    notify(
        appeal.filed_by,
        kind="contests.appeal_ruled",
        title=title,
        body=_("Ruling: %(ruling)s") % {"ruling": appeal.ruling},
        url=reverse("contests:detail", args=[stage.contest_id]),
    )


@_never_breaking
def objection_resolved(objection: Objection) -> None:
    """The signed-in user who objected to published results: the organisers' answer."""
    stage = objection.result_set.stage
    names = {"contest": stage.contest.title, "stage": stage.name}
    if objection.status == Objection.Status.UPHELD:
        title = _("Your objection to the results of %(contest)s · %(stage)s is upheld") % names
    else:
        title = _("Your objection to the results of %(contest)s · %(stage)s is dismissed") % names
    notify(
        objection.filed_by,
        kind="contests.objection_resolved",
        title=title,
        body=_("Answer: %(response)s") % {"response": objection.response},
        url=reverse("contests:results", args=[stage.pk]),
    )


def checkin_reminders(*, today: dt.date | None = None) -> int:
    """Remind every approved competitor of a stage that starts tomorrow (local time), once per
    entry: the reminder is recorded in the entry's history, and an entry already reminded is
    skipped, so running this twice (or on two servers) sends one message. Returns how many."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min), tz)
    end = start + dt.timedelta(days=1)
    stages = Stage.objects.filter(
        starts_at__gte=start,
        starts_at__lt=end,
        status__in=[Stage.Status.REGISTRATION, Stage.Status.CHECKIN],
    ).select_related("contest", "venue")
    sent = 0
    for stage in stages:
        ids = list(
            Registration.objects.filter(
                stage=stage, status=Registration.Status.APPROVED, checked_in_at__isnull=True
            ).values_list("pk", flat=True)
        )
        for pk in ids:
            sent += _remind(stage, pk)
    return sent


def _remind(stage: Stage, registration_id: int) -> int:
    from deltaunion.core.models import AuditEntry

    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("worker__user")
            .prefetch_related("members__worker__user")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None or registration.status != Registration.Status.APPROVED:
            return 0
        label = registration._meta.label_lower
        if AuditEntry.objects.filter(
            action=REMINDER_ACTION, object_type=label, object_id=str(registration.pk)
        ).exists():
            return 0
        starts = timezone.localtime(stage.starts_at).strftime("%Y-%m-%d %H:%M")
        place = stage.venue.name if stage.venue else _("the place your union tells you")
        log_action(actor=None, action=REMINDER_ACTION, obj=registration, after={"stage": stage.pk, "starts_at": starts})
        for user in _users_of(registration):
            notify(
                user,
                kind="contests.checkin_reminder",
                title=_("Tomorrow: %(contest)s · %(stage)s") % {"contest": stage.contest.title, "stage": stage.name},
                body=_("Check in at %(time)s at %(place)s, with your ID card.") % {"time": starts, "place": place},
                url=_me("me:contests"),
            )
    return 1
