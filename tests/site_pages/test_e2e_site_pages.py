"""The home page and a site page in a real browser, as the demo shows them: the footer's
links lead to the site pages, which fit a phone; shots kept in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.faqs.test_e2e import open_page
from tests.faqs.test_e2e_roles import screenshot
from wordpress.demo import load_demo

pytestmark = pytest.mark.browser


def test_a_reader_goes_from_the_home_hubs_to_the_editorial_policy_by_the_footer(site, browser):
    load_demo()
    page, failures = open_page(browser, viewport={"width": 1280, "height": 800})
    assert page.goto(site).status == 200
    hubs = page.locator(".hub")
    expect(hubs).to_have_count(4)  # the demo's four exams; CMA Retakes is named in CMA Exam's
    expect(hubs.first.locator(".hub__questions li")).to_have_count(3)
    screenshot(page, "site-pages-home")

    footer = page.get_by_role("contentinfo").get_by_role("navigation", name="Site")
    expect(footer.get_by_role("link")).to_have_text(
        ["About Certilyst", "Editorial policy", "Contact", "Privacy", "Disclaimer"]
    )
    footer.get_by_role("link", name="Editorial policy").click()
    page.wait_for_url(f"{site}editorial-policy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Editorial policy")
    screenshot(page, "site-pages-editorial-policy")
    for width in (320, 360):
        page.set_viewport_size({"width": width, "height": 800})
        for path in ("", "editorial-policy/"):
            page.goto(site + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
    assert failures == []
