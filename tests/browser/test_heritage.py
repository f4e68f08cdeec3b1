"""Browser test of the heritage map with the network to the outside blocked: every request to a
host other than the live server is aborted and recorded, and none may be attempted. The map
draws its schematic base layer, filters to one province (kept in the URL), draws a route with
numbered stops, opens a venue card, and works on a phone. Screenshots go to test-artifacts/."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from deltaunion.heritage import services
from deltaunion.heritage.tests.factories import HANGZHOU, SHANGHAI, SUZHOU, regions, venue

from .test_smoke import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, _shot

pytestmark = pytest.mark.browser

XIAOSHAN = (120.2646, 30.1850)


def _build(world) -> dict:
    places = regions()
    a = venue(world, "杭州测试纪念馆", position=HANGZHOU, open_days=[2, 3, 4, 5, 6, 7], publish=True)
    b = venue(world, "萧山测试旧址", position=XIAOSHAN, kind="site", publish=True)
    c = venue(world, "苏州测试工业遗产", where="sz", position=SUZHOU, kind="industrial", theme="industry", publish=True)
    d = services.venue_create(
        organisation=world.zj,
        by=world.zj_admin,
        name="上海测试纪念馆",
        kind="memorial",
        theme="party_founding",
        province=places["sh"],
        county=places["huangpu"],
        longitude=SHANGHAI[0],
        latitude=SHANGHAI[1],
        coordinate_system="wgs84",
    )
    services.venue_publish(venue=d, by=world.zj_admin)
    route = services.route_create(
        organisation=world.hz,
        title="杭苏沪测试线路",
        theme="labour_movement",
        days=2,
        by=world.hz_officer,
        stops=[(a, 1), (b, 1), (c, 2), (d, 2)],
    )
    services.route_publish(route=route, by=world.hz_officer)
    return {"route": route.pk}


def test_the_map_works_with_no_internet(transactional_db, live_server, world):
    # All database work happens before the browser starts (Playwright's sync API runs an event loop).
    built = _build(world)
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    base = live_server.url
    own = urlsplit(base).netloc
    blocked: list[str] = []

    def guard(route):
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            desktop = browser.new_context(viewport=DESKTOP, locale="zh-CN")
            desktop.route("**/*", guard)
            page = desktop.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))

            page.goto(f"{base}/heritage/")
            expect(page.locator("nav")).to_contain_text("红色工运地图")
            the_map = page.get_by_test_id("map")
            expect(the_map).to_have_attribute("data-loaded", "true")
            expect(the_map).to_have_attribute("data-basemap", "drawn")
            expect(the_map).to_have_attribute("data-markers", "4")
            expect(page.locator(".hm-badge")).to_contain_text("示意图")
            expect(page.locator(".leaflet-overlay-pane path, .leaflet-hm-base-pane path").first).to_be_attached()

            # Filter to one province: the page reloads with the filter in its URL.
            page.get_by_test_id("filter-province").select_option("330000")
            page.wait_for_url("**province=330000**")
            expect(the_map).to_have_attribute("data-markers", "2")
            rows = page.get_by_test_id("venue-row")
            expect(rows).to_have_count(2)
            for i in range(2):
                expect(rows.nth(i)).to_have_attribute("data-province", "330000")

            # A venue card on click.
            page.locator(".hm-pin").first.click()
            card = page.locator(".leaflet-popup .hm-card")
            expect(card).to_be_visible()
            expect(card.locator(".hm-card-title")).to_contain_text("测试")
            expect(card).to_contain_text("今年寻访的工会团组")
            _shot(page, "heritage-card-desktop")

            # Draw a route: numbered stops on the map and the list beside it.
            page.get_by_test_id("filter-route").select_option(str(built["route"]))
            page.wait_for_url(f"**route={built['route']}**")
            query = parse_qs(urlsplit(page.url).query)
            assert query["province"] == ["330000"] and query["route"] == [str(built["route"])]
            expect(the_map).to_have_attribute("data-route-stops", "4")
            expect(page.locator(".hm-stop")).to_have_count(4)
            expect(page.locator(".hm-stop span").first).to_have_text("1")
            expect(page.get_by_test_id("route-stop")).to_have_count(4)
            expect(page.get_by_test_id("route-stop").first).to_contain_text("杭州测试纪念馆")

            _shot(page, "heritage-map-desktop")

            # The route's own page: stops, length and the open-day check for a Monday start.
            page.goto(f"{base}/heritage/routes/{built['route']}/?start=1")
            expect(page.get_by_test_id("closed-warning")).to_contain_text("杭州测试纪念馆")
            expect(page.get_by_test_id("map")).to_have_attribute("data-route-stops", "4")
            _shot(page, "heritage-route-desktop")

            # A phone: the map above, the list below; then the list view without the map.
            phone = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
            phone.route("**/*", guard)
            phone_page = phone.new_page()
            phone_page.on("pageerror", lambda exc: errors.append(str(exc)))
            phone_page.goto(f"{base}/heritage/?province=330000&route={built['route']}")
            expect(phone_page.get_by_test_id("map")).to_have_attribute("data-route-stops", "4")
            expect(phone_page.get_by_test_id("map")).to_have_attribute("data-basemap", "drawn")
            _shot(phone_page, "heritage-map-phone")
            phone_page.get_by_test_id("list-only").click()
            expect(phone_page.get_by_test_id("venue-row")).to_have_count(2)
            assert phone_page.locator("#heritage-map").count() == 0
            _shot(phone_page, "heritage-list-phone")

            assert not errors, errors
            assert not blocked, f"requests to other hosts were attempted: {blocked}"
        finally:
            browser.close()
