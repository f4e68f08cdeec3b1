"""A quiz or campaign in a contest created on the spot: both rows, or neither."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat, ContestLevel
from deltaunion.orgs.models import Organisation
from deltaunion.practice.models import Campaign, Quiz

from .campaigns import campaign_create
from .quizzes import quiz_create

# The level a contest sits at when an organisation of this kind leads it.
LEVEL_OF_KIND = {
    Organisation.Kind.ACFTU: ContestLevel.NATIONAL,
    Organisation.Kind.PROVINCIAL: ContestLevel.PROVINCE,
    Organisation.Kind.CITY: ContestLevel.CITY,
    Organisation.Kind.DISTRICT: ContestLevel.DISTRICT,
    Organisation.Kind.INDUSTRY: ContestLevel.CITY,
    Organisation.Kind.GRASSROOTS: ContestLevel.UNIT,
}


def _new_contest(
    *, title: str, lead: Organisation, format: str, starts_on: dt.date | None, ends_on: dt.date | None, by: Any
) -> Contest:
    return contest_services.contest_create(
        title=title,
        lead_org=lead,
        by=by,
        format=format,
        level=LEVEL_OF_KIND.get(lead.kind, ContestLevel.CITY),
        starts_on=starts_on,
        ends_on=ends_on,
    )


@transaction.atomic
def quiz_create_in_contest(
    *, contest: Contest | None, new_contest_title: str, new_contest_lead: Organisation | None, by: Any, **quiz: Any
) -> Quiz:
    """`quiz_create` in `contest`, or in a new quiz-format contest led by `new_contest_lead`."""
    if contest is None:
        opens, closes = quiz.get("opens_at"), quiz.get("closes_at")
        contest = _new_contest(
            title=new_contest_title,
            lead=new_contest_lead,
            format=ContestFormat.QUIZ,
            starts_on=opens.date() if opens else None,
            ends_on=closes.date() if closes else None,
            by=by,
        )
    return quiz_create(contest=contest, by=by, **quiz)


@transaction.atomic
def campaign_create_in_contest(
    *, contest: Contest | None, new_contest_lead: Organisation | None, by: Any, **campaign: Any
) -> Campaign:
    """`campaign_create` in `contest`, or in a new points-format contest of the same title and dates."""
    if contest is None:
        contest = _new_contest(
            title=campaign["title"],
            lead=new_contest_lead,
            format=ContestFormat.POINTS,
            starts_on=campaign["starts_on"],
            ends_on=campaign["ends_on"],
            by=by,
        )
    return campaign_create(contest=contest, by=by, **campaign)
