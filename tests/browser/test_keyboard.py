"""Keyboard only (issue 12): a worker signs up for an open contest stage and an officer imports
an Excel file of workers with Tab, Shift+Tab, Enter and Space, never the mouse. Every stop on
the way shows a focus ring (outline or box-shadow) with a contrast of at least 3:1 against the
background behind it, and after each page load focus lands on what the page says (the message
or the error report), not on <body>. (The quiz and the judge's marking have their own keyboard
tests in test_practice.py and test_judge.py.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from .chromium import DESKTOP, PHONE, _shot, chromium

pytestmark = pytest.mark.browser

# What the focused element looks like: its ring (outline, else box-shadow) and the colour behind
# the ring — an outline is drawn outside the element, so the first opaque background from the
# parent up, with translucent layers composed over it (white at the top).
_FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const layers = [];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const bg = getComputedStyle(n).backgroundColor;
    layers.push(bg);
  }
  return {
    tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim().slice(0, 40),
    outlineStyle: cs.outlineStyle, outlineWidth: cs.outlineWidth, outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow, layers: layers,
  };
}"""

_RGBA = re.compile(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)")


def _rgba(css: str) -> tuple[float, float, float, float]:
    m = _RGBA.search(css)
    assert m, f"not a colour: {css}"
    r, g, b, a = m.groups()
    return float(r), float(g), float(b), float(a) if a is not None else 1.0


def _over(top: tuple[float, float, float, float], below: tuple[float, float, float]) -> tuple[float, float, float]:
    a = top[3]
    return tuple(top[i] * a + below[i] * (1 - a) for i in range(3))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _background(layers: list[str]) -> tuple[float, float, float]:
    colour: tuple[float, float, float] = (255.0, 255.0, 255.0)  # the canvas
    for css in reversed(layers):  # from <html> down to the parent
        colour = _over(_rgba(css), colour)
    return colour


def assert_focus_ring(page, what: str) -> dict:
    """The focused element (not <body>) shows a ring of at least 2 px with a 3:1 contrast."""
    info = page.evaluate(_FOCUS_JS)
    assert info is not None, f"{what}: focus is lost to <body>"
    behind = _background(info["layers"])
    if info["outlineStyle"] != "none" and float(info["outlineWidth"].removesuffix("px")) >= 2:
        ring = _over(_rgba(info["outlineColor"]), behind)
    else:
        assert info["boxShadow"] != "none", f"{what}: no focus ring on {info}"
        ring = _over(_rgba(info["boxShadow"]), behind)
    ratio = contrast(ring, behind)
    assert ratio >= 3, f"{what}: focus ring {ring} on {behind} is {ratio:.2f}:1 ({info})"
    return info


def tab_to(page, selector: str, *, limit: int = 80, back: bool = False) -> None:
    """Tab (or Shift+Tab) until the focused element matches `selector`, checking the focus ring
    at every stop on the way."""
    key = "Shift+Tab" if back else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        assert_focus_ring(page, f"{key} towards {selector}")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{key} never reached {selector}")


def test_contrast_of_known_colours():
    # The figures of WCAG's own examples: black on white 21:1, #767676 on white 4.54:1.
    assert round(contrast((0, 0, 0), (255, 255, 255)), 1) == 21.0
    assert round(contrast((118, 118, 118), (255, 255, 255)), 2) == 4.54
    assert _background(["rgba(0, 0, 0, 0)", "rgb(248, 249, 250)"]) == (248.0, 249.0, 250.0)
    assert _background(["rgba(0, 0, 0, 0.5)", "rgb(255, 255, 255)"]) == (127.5, 127.5, 127.5)


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_worker_signs_up_for_a_stage_by_keyboard_only(transactional_db, live_server, viewport):
    from deltaunion.contests import services
    from deltaunion.contests.models import Contest, Registration
    from deltaunion.contests.tests.factories import UserFactory, build_world
    from deltaunion.orgs.models import Role
    from deltaunion.orgs.services import org_role_grant

    # All database work happens before the browser starts (Playwright's sync API runs an event loop).
    w = build_world()
    services.contest_update(contest=w.contest, by=w.officer, status=Contest.Status.OPEN)
    services.quota_set(stage=w.stage, organisation=w.cities[0], places=2, by=w.officer)
    user = UserFactory()
    user.set_password("signup-pass-123")
    user.save()
    worker = w.worker(0)
    worker.user = user
    worker.save(update_fields=["user"])
    org_role_grant(user=user, organisation=worker.organisation, role=Role.WORKER, by=None)
    detail = reverse("contests:detail", args=[w.contest.pk])
    signup = reverse("contests:signup", args=[w.stage.pk])
    from playwright.sync_api import expect

    base = live_server.url
    dialogs: list[str] = []
    with chromium() as browser:
        page = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=viewport is PHONE).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # A confirmation dialog, if the page asks one, is answered OK (Enter in the dialog).
        page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
        _sign_in(page, base, user.username, "signup-pass-123")

        # From the start of the contest page to the stage's 报名 link.
        page.goto(f"{base}{detail}")
        tab_to(page, "[data-testid=signup-link]")
        expect(page.locator(":focus")).to_have_text("报名")
        # One stop too far and back again with Shift+Tab.
        page.keyboard.press("Tab")
        tab_to(page, "[data-testid=signup-link]", back=True, limit=5)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}{signup}")

        # The sign-up page: its rules, then the 报名 button, pressed with Space.
        expect(page.get_by_role("heading", level=1)).to_contain_text("报名")
        tab_to(page, "[data-testid=signup]")
        page.keyboard.press("Space")
        page.wait_for_load_state()

        # The confirmation is shown, said (role=alert) and holds the focus, with a ring.
        said = page.get_by_role("alert").filter(has_text="报名已提交")
        expect(said).to_be_visible()
        expect(said).to_be_focused()
        assert_focus_ring(page, "the confirmation after signing up")
        # Tab goes on from the message into the page, not back to the top of the menu.
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
        _shot(page, f"contest-signup-keyboard-{'phone' if viewport is PHONE else 'desktop'}")
        assert not errors, errors
    reg = Registration.objects.get(stage=w.stage, worker=worker)
    assert reg.status == Registration.Status.PENDING


def _workers_file(world) -> tuple[bytes, bytes, str]:
    """A good file of two workers and the same file with a wrong ID number in row 3."""
    from deltaunion.core.idnumber import make_id_number
    from deltaunion.core.testing import make_xlsx

    birth = dt.date(1988, 3, 9)
    rows = [
        {"姓名": "键盘甲", "身份证号": make_id_number("330106", birth, 11), "用人单位": world.hz_employer.name},
        {"姓名": "键盘乙", "身份证号": make_id_number("330106", birth, 12), "用人单位": world.hz_employer.name},
    ]
    headers = ("姓名", "身份证号", "用人单位")
    good = make_xlsx(rows, headers)
    wrong = rows[1]["身份证号"][:-1] + ("0" if rows[1]["身份证号"][-1] != "0" else "1")
    bad = make_xlsx([rows[0], {**rows[1], "身份证号": wrong}], headers)
    return good, bad, rows[0]["身份证号"]


def test_an_officer_imports_workers_by_keyboard_only(transactional_db, live_server, world, tmp_path):
    from deltaunion.people.models import Worker

    world.hz_officer.set_password("import-pass-123")
    world.hz_officer.save()
    good, bad, first_id = _workers_file(world)
    (tmp_path / "坏的职工名单.xlsx").write_bytes(bad)
    (tmp_path / "职工名单.xlsx").write_bytes(good)
    before = Worker.objects.count()
    unit = str(world.hz_unit.pk)
    from playwright.sync_api import expect

    base = live_server.url
    with chromium() as browser:
        page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        _sign_in(page, base, "hz_officer", "import-pass-123")

        def upload(name: str) -> None:
            page.goto(f"{base}/people/import/")
            # The union: Tab to the list, choose with the arrow keys.
            tab_to(page, "select[name=organisation]")
            for _ in range(20):
                if page.evaluate("() => document.activeElement.value") == unit:
                    break
                page.keyboard.press("ArrowDown")
            assert page.evaluate("() => document.activeElement.value") == unit
            assert_focus_ring(page, "the union list after choosing")
            # The file: Tab to the input; the operating system's file dialog is stood in for
            # by setting the file on the focused element.
            tab_to(page, "input[type=file]", limit=5)
            page.locator(":focus").set_input_files(str(tmp_path / name))
            assert_focus_ring(page, "the file input after choosing a file")
            tab_to(page, "[data-testid=import-form] button[type=submit]", limit=5)
            page.keyboard.press("Enter")
            page.wait_for_load_state()

        # A file with a wrong ID number: nothing imported; focus on the error report, whose
        # row-by-row Excel report is the next Tab stop.
        upload("坏的职工名单.xlsx")
        report = page.get_by_test_id("import-errors")
        expect(report).to_be_visible()
        expect(report).to_be_focused()
        expect(report).to_have_attribute("role", "alert")
        assert_focus_ring(page, "the error report")
        expect(page.get_by_test_id("error-row")).to_have_count(1)
        expect(page.get_by_test_id("error-row").first).to_contain_text("3")
        tab_to(page, "[data-testid=import-report]", limit=3)
        _shot(page, "people-import-errors-keyboard-desktop")

        # The good file: imported; back on the list with the summary focused.
        upload("职工名单.xlsx")
        expect(page).to_have_url(f"{base}/people/")
        done = page.get_by_role("alert").filter(has_text="导入完成")
        expect(done).to_contain_text("新增 2 条记录")
        expect(done).to_be_focused()
        assert_focus_ring(page, "the import summary")
        assert not errors, errors
    assert Worker.objects.count() == before + 2
    assert Worker.objects.filter(id_number=first_id, organisation=world.hz_unit).exists()
