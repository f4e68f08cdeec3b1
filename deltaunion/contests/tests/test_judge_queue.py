"""Issue 11: the judge's confirmation queue names, for each row, the judge who entered it and the
sub-item; no two rows look the same; "confirm all shown"; a measurement shows its target and
tolerance in its unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import Contest, Mark

from .factories import build_world, register_and_draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def w0():
    world = build_world()
    services.contest_update(contest=world.contest, status=Contest.Status.OPEN, by=world.officer)
    for i, user in enumerate(world.judges):
        user.full_name = f"裁判{'甲乙丙丁'[i]}"
        user.save(update_fields=["full_name"])
    return world


@pytest.fixture
def w(w0):
    world = w0
    world.numbers = register_and_draw(world, 2)
    a1, a2, b1 = world.aspects
    j = world.judges
    number = world.numbers[0]
    services.mark_enter(aspect=a1, number=number, value=20, by=j[0])
    services.mark_enter(aspect=a2, number=number, value=Decimal("5.03"), by=j[0])
    # Three judges score the same judgement of the same competitor: three rows.
    for i, score in enumerate((2, 2, 3)):
        services.mark_enter(aspect=b1, number=number, value=score, by=j[i])
    return world


def _items(html: str) -> list[str]:
    parts = html.split('data-testid="queue-item"')[1:]
    return [p.split("</form>")[0] for p in parts]


def test_each_row_names_the_judge_and_the_sub_item(client, w):
    confirmer = w.judges[3]
    client.force_login(confirmer)
    module_b = w.modules[1]
    html = client.get(reverse("contests:judge_queue", args=[module_b.pk])).content.decode()
    items = _items(html)
    assert len(items) == 3
    for name in ("裁判甲", "裁判乙", "裁判丙"):
        assert sum(f"录入裁判：{name}" in item for item in items) == 1
    assert all("B1" in item and "工艺" in item for item in items)
    # No two rows are the same.
    assert len(set(items)) == len(items)
    html_a = client.get(reverse("contests:judge_queue", args=[w.modules[0].pk])).content.decode()
    assert "测量值 5.03" in html_a and "满分" in html_a and "5.0300" not in html_a


def test_a_judge_never_sees_their_own_mark_to_confirm(client, w):
    client.force_login(w.judges[0])
    html = client.get(reverse("contests:judge_queue", args=[w.modules[1].pk])).content.decode()
    assert "录入裁判：裁判甲" not in html and "录入裁判：裁判乙" in html


def test_confirm_all_shown(client, w):
    confirmer = w.judges[3]
    client.force_login(confirmer)
    url = reverse("contests:judge_queue", args=[w.modules[1].pk])
    shown = [m.pk for m in Mark.objects.filter(aspect__module=w.modules[1], status=Mark.Status.ENTERED)]
    # A mark entered after the page was shown is not confirmed with the others.
    late = services.mark_enter(aspect=w.aspects[2], number=w.numbers[1], value=1, by=w.judges[0])
    response = client.post(url, {"decision": "confirm_all", "marks": [*shown, "x"]}, follow=True)
    assert "已确认 3 条评分" in response.content.decode()
    assert set(Mark.objects.filter(pk__in=shown).values_list("status", flat=True)) == {Mark.Status.CONFIRMED}
    assert set(Mark.objects.filter(pk__in=shown).values_list("confirmed_by", flat=True)) == {confirmer.pk}
    late.refresh_from_db()
    assert late.status == Mark.Status.ENTERED
    # Marks of another module are never confirmed from this page.
    other = Mark.objects.filter(aspect__module=w.modules[0]).values_list("pk", flat=True)
    client.post(url, {"decision": "confirm_all", "marks": list(other)})
    assert set(Mark.objects.filter(pk__in=other).values_list("status", flat=True)) == {Mark.Status.ENTERED}


def test_a_measurement_shows_target_and_tolerance_in_its_unit(client, w0):
    w = w0
    aspect = services.aspect_add(
        module=w.modules[0],
        code="A9",
        description="孔距",
        kind="measurement",
        max_mark="10",
        target="12.5",
        unit="mm",
        bands=[{"tolerance": "0.05", "share": "1"}, {"tolerance": "0.10", "share": "0.5"}],
        by=w.officer,
    )
    assert aspect.target_text == "12.5 mm"
    assert aspect.tolerance_text == "±0.05 mm 满分 · ±0.1 mm 50%"
    w.numbers = register_and_draw(w, 1)
    client.force_login(w.judges[0])
    html = client.get(reverse("contests:judge_mark", args=[w.modules[0].pk]) + f"?number={w.numbers[0]}").content
    html = html.decode()
    assert "目标值 12.5 mm" in html and "±0.05 mm" in html and "12.5000" not in html
    client.force_login(w.officer)
    scheme = client.get(reverse("contests:scheme", args=[w.stage.pk])).content.decode()
    assert "12.5 mm" in scheme and "0.0000" not in scheme


def test_the_scheme_form_takes_a_unit(client, w0):
    w = w0
    client.force_login(w.officer)
    response = client.post(
        reverse("contests:aspect_add", args=[w.modules[0].pk]),
        {"code": "A8", "description": "电压", "kind": "measurement", "max_mark": "10", "target": "220"}
        | {"unit": "V", "tolerance_1": "5", "share_1": "1"},
    )
    assert response.status_code == 302
    aspect = w.modules[0].aspects.get(code="A8")
    assert aspect.unit == "V" and aspect.target_text == "220 V"
