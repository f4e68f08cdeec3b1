"""Issue 11: users never see developer vocabulary. On the demo data, the main pages of every app
(its menu pages and the pages they link to, as anonymous, a worker and an officer) show no seed
file path (`seeds/004`: sources are cited as readers cite them) and no raw SHA-256. The hashes
stay on the verification pages made for them: the contest results chain, and the recuperation
draw, which publishes its seed's fingerprint before the draw so anyone can check it after."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.urls import reverse

from deltaunion.accounts.models import User
from deltaunion.core.citations import cite, without_paths
from deltaunion.core.registry import nav_items

pytestmark = pytest.mark.django_db

SEED_PATH = re.compile(r"seeds/\d")
SHA256 = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
# Pages made to show hashes for checking.
HASH_PAGES = (re.compile(r"^/contests/\d+/chain/$"), re.compile(r"^/recuperation/batches/\d+/(draw/)?$"))
SKIP = ("/static/", "/admin/", "/api/", "/i18n/", "/accounts/logout/", "/media/")
PER_PATTERN = 2
LIMIT = 120


def _crawl(client, start: list[str]) -> dict[str, str]:
    pages: dict[str, str] = {}
    queue, per_pattern = list(start), Counter()
    while queue and len(pages) < LIMIT:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            pages[url] = ""
            continue
        html = response.content.decode()
        pages[url] = html
        for href in re.findall(r'href="(/[^"#?]*)', html):
            if href.startswith(SKIP) or re.search(r"\.(xlsx|pdf|csv|png|ics|json)$", href):
                continue
            pattern = re.sub(r"\d+", "N", href)
            if per_pattern[pattern] < PER_PATTERN and href not in pages:
                per_pattern[pattern] += 1
                queue.append(href)
    return pages


@pytest.mark.parametrize("username", [None, "worker", "zj_admin"])
def test_no_seed_paths_or_hashes_on_the_pages(client, demo_data, username):
    user = User.objects.get(username=username) if username else None
    if user is not None:
        client.force_login(user)
    start = ["/", *(reverse(item.url_name) for item in nav_items(user))]
    # The pages that show sources and results, whatever the crawl reaches first.
    start += ["/contests/?page=2", "/contests/?page=3", "/orgs/", "/honours/studios/alliance/"]
    pages = _crawl(client, start)
    shown = [url for url, html in pages.items() if html]
    assert len(shown) >= 25, shown
    assert any(u.startswith("/contests/") for u in shown) and any(u.startswith("/plans/") for u in shown)
    for url, html in pages.items():
        assert not SEED_PATH.search(html), (url, html[max(0, SEED_PATH.search(html).start() - 200) :][:300])
        if not any(p.match(url) for p in HASH_PAGES):
            assert not SHA256.search(html), url
        assert "数据来源:数据库" not in html and "数据来源：数据库" not in html, url


def test_results_and_certificates_say_on_record_with_a_verify_link(client, demo_data):
    from deltaunion.contests.models import Certificate, Contest, ResultSet

    contest = Contest.objects.get(title="长三角地区工业机器人虚拟仿真职业技能竞赛")
    rs = ResultSet.objects.filter(contest=contest, status=ResultSet.Status.FINAL).first()
    chain = reverse("contests:chain", args=[contest.pk])
    html = client.get(reverse("contests:results", args=[rs.stage_id])).content.decode()
    assert "成绩已存证" in html and chain in html and rs.content_hash not in html
    code = Certificate.objects.filter(award__contest=contest).first().code
    html = client.get(reverse("contests:certificate_verify", args=[code])).content.decode()
    assert "成绩已存证" in html and chain in html and rs.content_hash not in html
    # The chain page keeps the hashes.
    assert rs.content_hash in client.get(chain).content.decode()


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("seeds/001 （工人日报，长三角高质量一体化发展工会工作联席会召开，2021-04-06）", "工人日报 2021-04-06"),
        ("seeds/003", "浙江工人日报 2020-11-09"),
        ("seeds/000, seeds/003", "人民网 2022-09-09；浙江工人日报 2020-11-09"),
        ("seeds/000, seeds/002; G60科创走廊九城市名单为公开信息", None),
        ("公开资料（场馆官方介绍及新闻报道）", "公开资料（场馆官方介绍及新闻报道）"),
        ("", ""),
    ],
)
def test_cite(source, shown):
    out = cite(source)
    assert "seeds" not in out
    if shown is not None:
        assert out == shown
    else:
        assert out.startswith("人民网 2022-09-09；工人日报") and out.endswith("G60科创走廊九城市名单为公开信息")


def test_without_paths_keeps_the_prose():
    assert without_paths("据seeds/003：嘉善县总工会") == "据浙江工人日报 2020-11-09：嘉善县总工会"
