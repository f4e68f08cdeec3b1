"""The officers' practice pages: who may see them, banks and their Excel import, quizzes,
their state machine and history, and statistics."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.contests.models import Contest, ContestFormat
from deltaunion.practice import services
from deltaunion.practice.models import Question, QuestionBank, Quiz
from deltaunion.practice.tests.factories import build_practice_world

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ("题型", "主题", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析")


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are matched by their English source text; the Chinese pages are checked by
    test_every_page_renders_for_the_managing_officer."""
    client.cookies["django_language"] = "en"


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pw(world):
    return build_practice_world(world, n_workers=2)


def _xlsx(rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "questions.xlsx"
    return buf


def _pages(pw) -> list[str]:
    bank, quiz = pw.bank, pw.quiz
    return [
        reverse("practice:manage"),
        reverse("practice:manage_banks"),
        reverse("practice:manage_bank_create"),
        reverse("practice:manage_bank", args=[bank.pk]),
        reverse("practice:manage_question_add", args=[bank.pk]),
        reverse("practice:manage_bank_import", args=[bank.pk]),
        reverse("practice:manage_quizzes"),
        reverse("practice:manage_quiz_create"),
        reverse("practice:manage_quiz", args=[quiz.pk]),
        reverse("practice:manage_stats"),
        reverse("practice:manage_stats") + f"?quiz={quiz.pk}",
        reverse("practice:manage_stats") + f"?subject=quiz:{quiz.pk}",
    ]


def _exports(pw) -> list[str]:
    return [
        reverse("practice:manage_banks_export"),
        reverse("practice:manage_bank_export", args=[pw.bank.pk]),
        reverse("core:import_template", args=["practice.questions"]),
        reverse("practice:manage_quizzes_export"),
        reverse("practice:manage_stats_export") + f"?quiz={pw.quiz.pk}",
    ]


# --- who may see the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_renders_for_the_managing_officer(client, pw, language):
    client.cookies["django_language"] = language
    client.force_login(pw.officer)
    for url in _pages(pw):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'data-testid="manage-nav"' in response.content, url
    for url in _exports(pw):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == XLSX, url


def test_pages_are_404_for_a_user_who_manages_nothing(client, pw, world):
    for user in (world.nobody, pw.workers[0]):
        client.force_login(user)
        for url in [*_pages(pw), *_exports(pw)]:
            if url.startswith("/imports/template/"):
                continue  # an empty template is public
            assert client.get(url).status_code == 404, url


def test_pages_need_a_login(client, pw):
    response = client.get(reverse("practice:manage"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_organisations_objects_are_404(client, pw, world):
    """The Suzhou officer manages an organisation, but not Zhejiang's bank or quiz — even though
    the bank is published and the quiz is open to every worker."""
    assert pw.bank.published and pw.quiz.status == Quiz.Status.OPEN
    client.force_login(world.sz_officer)
    assert client.get(reverse("practice:manage")).status_code == 200
    specific = [
        u for u in [*_pages(pw), *_exports(pw)] if any(str(o.pk) in u for o in (pw.bank, pw.quiz)) and "/manage/" in u
    ]
    specific = [u for u in specific if not u.endswith("/manage/stats/")]
    assert len(specific) >= 7
    for url in specific:
        assert client.get(url).status_code == 404, url
    # Lists do not show them either.
    assert pw.bank.name.encode() not in client.get(reverse("practice:manage_banks")).content
    assert pw.quiz.title.encode() not in client.get(reverse("practice:manage_quizzes")).content
    # Writes are 404 too.
    assert client.post(reverse("practice:manage_quiz_feed", args=[pw.quiz.pk])).status_code == 404
    assert client.get(reverse("practice:manage_stats") + f"?org={world.zj.pk}").status_code == 404


# --- banks -----------------------------------------------------------------------------------------------


def test_bank_create(client, pw, world):
    client.force_login(world.hz_officer)
    response = client.post(
        reverse("practice:manage_bank_create"),
        {"owner": world.hz.pk, "name": "电工题库", "trade": "电工", "published": "on"},
    )
    bank = QuestionBank.objects.get(name="电工题库")
    assert response.status_code == 302 and response["Location"] == reverse("practice:manage_bank", args=[bank.pk])
    assert bank.owner == world.hz and bank.trade == "电工"
    # An organisation the officer does not manage is not a choice.
    response = client.post(reverse("practice:manage_bank_create"), {"owner": world.sz.pk, "name": "别人的"})
    assert response.status_code == 200 and not QuestionBank.objects.filter(name="别人的").exists()


def test_bank_detail_filters_questions(client, pw):
    client.force_login(pw.officer)
    url = reverse("practice:manage_bank", args=[pw.bank.pk])
    assert client.get(url).content.count(b'data-testid="question-row"') == 12
    assert client.get(url + "?difficulty=1").content.count(b'data-testid="question-row"') == 4
    assert client.get(url + "?topic=无此主题").content.count(b'data-testid="question-row"') == 0
    assert client.get(url + "?q=测试题1").content.count(b'data-testid="question-row"') == 3  # 1, 10, 11


def test_question_add(client, pw):
    client.force_login(pw.officer)
    url = reverse("practice:manage_question_add", args=[pw.bank.pk])
    data = {"kind": "multiple", "topic": "消防", "difficulty": "2", "stem": "灭火的方法有", "answer": "AB"}
    data |= {"option_A": "冷却", "option_B": "窒息", "option_C": "助燃"}
    response = client.post(url, data)
    assert response.status_code == 302
    q = Question.objects.get(stem="灭火的方法有")
    assert (q.kind, q.options, q.answer, q.difficulty) == ("multiple", ["冷却", "窒息", "助燃"], [0, 1], 2)
    # A gap between options is refused and nothing is added.
    data |= {"stem": "另一题", "option_B": ""}
    response = client.post(url, data)
    assert response.status_code == 200 and not Question.objects.filter(stem="另一题").exists()
    # A service refusal (a duplicate) becomes a message.
    data = {"kind": "truefalse", "topic": "消防", "difficulty": "1", "stem": "安全测试题0", "answer": "对"}
    client.get(client.post(url, data)["Location"])  # added; the follow-up page shows the success message
    response = client.post(url, data)
    assert _messages(response)[-1] == "This question is already in the bank"
    assert Question.objects.filter(stem="安全测试题0").count() == 2  # the factory's single choice + the new one


def test_bank_import_success(client, pw):
    client.force_login(pw.officer)
    before = Question.objects.filter(bank=pw.bank).count()
    rows = [
        ("单选", "安全", "1", "安全帽的作用", "防护", "装饰", "", "", "A", "防坠物"),
        ("判断", "法规", "易", "劳动合同应书面订立", "", "", "", "", "对", ""),
        ("填空", "法规", "3", "最低就业年龄___周岁", "", "", "", "", "16|十六", ""),
    ]
    response = client.post(reverse("practice:manage_bank_import", args=[pw.bank.pk]), {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert Question.objects.filter(bank=pw.bank).count() == before + 3
    assert Question.objects.get(stem="最低就业年龄___周岁").answer == ["16", "十六"]


def test_bank_import_is_all_or_nothing_with_row_errors_and_duplicates(client, pw):
    client.force_login(pw.officer)
    before = Question.objects.filter(bank=pw.bank).count()
    rows = [
        ("单选", "安全", "1", "新题一", "甲", "乙", "", "", "A", ""),  # row 2: fine
        ("问答", "安全", "1", "新题二", "", "", "", "", "略", ""),  # row 3: unknown type
        ("单选", "安全", "1", "安全测试题0", "错误甲0", "right", "错误乙0", "错误丙0", "B", ""),  # row 4: in the bank
        ("单选", "安全", "1", " 新题一 ", "甲", "乙", "", "", "B", ""),  # row 5: same as row 2
        ("单选", "安全", "5", "新题三", "甲", "乙", "", "", "A", ""),  # row 6: bad difficulty
    ]
    response = client.post(reverse("practice:manage_bank_import", args=[pw.bank.pk]), {"file": _xlsx(rows)})
    assert response.status_code == 200
    assert Question.objects.filter(bank=pw.bank).count() == before
    html = response.content.decode()
    assert html.count('data-testid="error-row"') == 4
    assert "This question is already in the bank" in html
    assert "The same question as in row 2" in html
    errors = response.context["result"].errors
    assert sorted(e.row for e in errors) == [3, 4, 5, 6]
    # The error report downloads as Excel, for this officer only.
    report_url = reverse("core:import_report", args=[response.context["job"].pk])
    assert report_url in html
    download = client.get(report_url)
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet.max_row == 5
    client.force_login(UserFactory())
    assert client.get(report_url).status_code == 404


def test_bank_export_has_the_import_columns_and_reimports(client, pw, world):
    client.force_login(pw.officer)
    response = client.get(reverse("practice:manage_bank_export", args=[pw.bank.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["题型", "主题", "难度", "题干"] and headers[-2:] == ["答案", "解析"]
    assert sheet.max_row == 13
    other = services.bank_create(owner=world.zj, name="副本", by=pw.officer)
    buf = io.BytesIO(response.content)
    buf.name = "copy.xlsx"
    assert client.post(reverse("practice:manage_bank_import", args=[other.pk]), {"file": buf}).status_code == 302
    assert Question.objects.filter(bank=other).count() == 12
    template = client.get(reverse("core:import_template", args=["practice.questions"]))
    tsheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in tsheet[1]] == headers


# --- quizzes ------------------------------------------------------------------------------------------------


def _quiz_post(pw, **extra):
    data = {
        "new_contest_title": "新的知识竞赛",
        "new_contest_lead": "",
        "bank": pw.bank.pk,
        "title": "安全知识答题",
        "points_per_question": "5",
        "time_limit_seconds": "300",
        "attempts_per_day": "2",
        "status": "open",
        "rule_topic": ["安全", ""],
        "rule_difficulty": ["1", ""],
        "rule_count": ["3", ""],
    }
    data.update(extra)
    return data


def test_quiz_create_with_a_new_contest(client, pw, world):
    client.force_login(pw.officer)
    response = client.post(reverse("practice:manage_quiz_create"), _quiz_post(pw, new_contest_lead=world.zj.pk))
    quiz = Quiz.objects.get(title="安全知识答题")
    assert response.status_code == 302 and response["Location"] == reverse("practice:manage_quiz", args=[quiz.pk])
    assert quiz.contest.title == "新的知识竞赛" and quiz.contest.format == ContestFormat.QUIZ
    assert quiz.draw_rules == [{"topic": "安全", "difficulty": 1, "count": 3}]
    assert (quiz.points_per_question, quiz.time_limit_seconds, quiz.attempts_per_day) == (5, 300, 2)


def test_quiz_create_with_bad_rules_shows_the_message_and_creates_nothing(client, pw, world):
    client.force_login(pw.officer)
    quizzes, contests = Quiz.objects.count(), Contest.objects.count()
    data = _quiz_post(pw, new_contest_lead=world.zj.pk, rule_count=["100", ""])
    response = client.post(reverse("practice:manage_quiz_create"), data)
    assert response.status_code == 200
    assert "The bank has only 4 questions" in response.content.decode()
    assert (Quiz.objects.count(), Contest.objects.count()) == (quizzes, contests)
    # No rule at all.
    response = client.post(
        reverse("practice:manage_quiz_create"),
        _quiz_post(pw, contest=pw.contest.pk, rule_count=["", ""]),
    )
    assert "A paper needs at least one rule" in response.content.decode()
    assert Quiz.objects.count() == quizzes
    # Neither an existing contest nor a new one.
    response = client.post(reverse("practice:manage_quiz_create"), _quiz_post(pw, new_contest_title=""))
    assert response.status_code == 200 and Quiz.objects.count() == quizzes


def test_quiz_edit_and_theory_feed_needs_a_stage(client, pw):
    client.force_login(pw.officer)
    url = reverse("practice:manage_quiz", args=[pw.quiz.pk])
    data = {
        "title": "改名后的答题",
        "points_per_question": "10",
        "time_limit_seconds": "300",
        "attempts_per_day": "3",
        "status": "closed",
        "rule_topic": [""],
        "rule_difficulty": [""],
        "rule_count": ["5"],
    }
    assert client.post(url, data).status_code == 302
    pw.quiz.refresh_from_db()
    assert (pw.quiz.title, pw.quiz.status, pw.quiz.attempts_per_day) == ("改名后的答题", "closed", 3)
    response = client.post(reverse("practice:manage_quiz_feed", args=[pw.quiz.pk]))
    assert response.status_code == 302
    assert _messages(response)[-1] == "This quiz does not feed a stage"


def test_quiz_rules_cannot_change_after_attempts(client, pw):
    services.quiz_start(quiz=pw.quiz, by=pw.workers[0])
    client.force_login(pw.officer)
    data = {
        "title": pw.quiz.title,
        "points_per_question": "10",
        "time_limit_seconds": "300",
        "attempts_per_day": "2",
        "status": "open",
        "rule_topic": [""],
        "rule_difficulty": [""],
        "rule_count": ["6"],
    }
    response = client.post(reverse("practice:manage_quiz", args=[pw.quiz.pk]), data)
    assert "its paper rules can no longer change" in response.content.decode()
    pw.quiz.refresh_from_db()
    assert pw.quiz.question_count == 5
    # Unchanged rules are not a change: other settings still save.
    data["rule_count"] = ["5"]
    data["attempts_per_day"] = "4"
    assert client.post(reverse("practice:manage_quiz", args=[pw.quiz.pk]), data).status_code == 302
    pw.quiz.refresh_from_db()
    assert pw.quiz.attempts_per_day == 4


def test_quiz_list_counts_participants_and_attempts(client, pw):
    services.quiz_start(quiz=pw.quiz, by=pw.workers[0])
    services.quiz_start(quiz=pw.quiz, by=pw.workers[1])
    client.force_login(pw.officer)
    response = client.get(reverse("practice:manage_quizzes"))
    quiz = next(z for z in response.context["page"] if z.pk == pw.quiz.pk)
    assert (quiz.n_participants, quiz.n_attempts) == (2, 2)


# --- statistics ---------------------------------------------------------------------------------------------------------


def test_stats_page_has_chart_data_and_vendored_echarts(client, pw):
    services.quiz_start(quiz=pw.quiz, by=pw.workers[0])
    client.force_login(pw.officer)
    response = client.get(reverse("practice:manage_stats") + f"?quiz={pw.quiz.pk}")
    html = response.content.decode()
    assert "vendor/charts/charts.min.js" in html
    assert not re.search(r'src="(https?:)?//', html)  # every script is served by us, none from a CDN
    assert 'id="stats-chart"' in html and 'id="chart-ownership"' in html
    rep = response.context["rep"]
    assert (rep.participants, rep.attempts, rep.units) == (1, 1, 1)
    export = client.get(reverse("practice:manage_stats_export") + f"?subject=quiz:{pw.quiz.pk}")
    assert len(load_workbook(io.BytesIO(export.content)).sheetnames) == 5
