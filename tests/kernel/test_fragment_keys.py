"""Cached page parts are keyed only by the queries the page reads: a made-up query string is
served, uncached, instead of adding a part to the cache for every variant an outsider invents."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from deltaunion.core import fragments

pytestmark = pytest.mark.django_db

CHECKS = {"year": fragments.digits(4), "kind": fragments.one_of(["contest", "other"])}


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("", ()),
        ("year=2023", (("year", "2023"),)),
        ("kind=contest&year=2023", (("kind", "contest"), ("year", "2023"))),
        ("kind=", (("kind", ""),)),
        ("year=20231", None),  # a value its check refuses
        ("year=abc", None),
        ("kind=unknown", None),
        ("utm_source=x", None),  # a parameter the page does not read
        ("year=2023&year=2022", None),  # given twice
    ],
)
def test_query_key(query, key):
    assert fragments.query_key(QueryDict(query), CHECKS) == key


@pytest.mark.parametrize(
    ("url", "cached"),
    [
        ("/", True),
        ("/?year=2023", True),
        ("/?year=2023&x=1", False),
        ("/contests/", True),
        ("/contests/?status=open&page=2", True),
        ("/contests/?q=焊工", False),
        ("/contests/?page=9" + "9" * 20, False),
    ],
)
def test_pages_cache_only_the_queries_they_read(client, monkeypatch, url, cached):
    calls = []
    real = fragments.cached

    def spy(name, *args, **kwargs):
        calls.append(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(fragments, "cached", spy)
    assert client.get(url).status_code == 200
    assert bool({"home", "contest-list"} & set(calls)) is cached
