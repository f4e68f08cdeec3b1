"""After signing in each role lands on its own home; an empty field or a wrong password is said
on the page."""

from __future__ import annotations

from deltaunion.accounts.tests.factories import PASSWORD, UserFactory
from deltaunion.contests import services
from deltaunion.contests.models import Contest, ContestRole

LOGIN = "/accounts/login/"


def _sign_in(client, username: str) -> str:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_a_worker_lands_on_their_own_space(client, world):
    assert _sign_in(client, "worker_login") == "/me/"


def test_a_judge_lands_on_my_marking(client, world):
    contest = services.contest_create(title="测试竞赛", lead_org=world.hz, by=world.hz_officer)
    judge = UserFactory(username="contest_judge")
    services.contest_role_grant(contest=contest, user=judge, role=ContestRole.Kind.JUDGE, by=world.hz_officer)
    assert Contest.objects.filter(pk=contest.pk).exists()
    assert _sign_in(client, "contest_judge") == "/contests/judge/"


def test_an_officer_lands_on_the_officers_home(client, world):
    assert _sign_in(client, "hz_officer") == "/"


def test_an_officer_who_also_judges_lands_on_the_officers_home(client, world):
    contest = services.contest_create(title="测试竞赛", lead_org=world.hz, by=world.hz_officer)
    services.contest_role_grant(
        contest=contest, user=world.sz_officer, role=ContestRole.Kind.JUDGE, by=world.hz_officer
    )
    assert _sign_in(client, "sz_officer") == "/"


def test_next_still_wins(client, world):
    response = client.post(LOGIN, {"username": "worker_login", "password": PASSWORD, "next": "/contests/"})
    assert response["Location"] == "/contests/"


def test_empty_fields_are_said_on_the_page(client, world):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "请输入用户名。" in html
    assert "请输入密码。" in html
    assert "_auth_user_id" not in client.session


def test_an_empty_password_is_said_on_the_page(client, world):
    html = client.post(LOGIN, {"username": "worker_login", "password": ""}).content.decode()
    assert "请输入密码。" in html
    assert "请输入用户名。" not in html


def test_a_wrong_password_is_said_on_the_page(client, world):
    response = client.post(LOGIN, {"username": "worker_login", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确，请检查后重试。" in response.content.decode()
    assert "_auth_user_id" not in client.session
