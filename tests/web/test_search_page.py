"""The search box on every page and the results page (/zoeken), in Chromium: with and without
JavaScript, grouped by region, filtered by facets, and checked with axe-core."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.web.conftest import MODELLED
from tests.web.test_pages import axe_serious


@pytest.mark.parametrize("path", ["/", "/regio/midden-nederland", "/kaders", "/sparql-editor"])
def test_every_page_has_the_search_box(page, path):
    page.goto(path)
    box = page.get_by_role("search").first.get_by_label("Zoek in alle plannen")
    expect(box).to_be_visible()


def test_searching_from_the_header_shows_hits_grouped_by_region(page, screenshot):
    page.goto("/regio/gooi-en-vechtstreek")
    page.get_by_role("search").first.get_by_label("Zoek in alle plannen").fill("valpreventie")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken?q=valpreventie")
    expect(page.locator("#search-count")).to_contain_text("valpreventie")
    groups = page.locator(".hit-group")
    region_links = groups.locator("h2 a")
    assert region_links.count() >= 2  # valpreventie is in at least two regions' plans
    for i in range(region_links.count()):
        assert region_links.nth(i).get_attribute("href").split("/regio/")[1] in MODELLED
    for hit in page.locator(".hit").all():
        expect(hit.locator("mark").first).to_contain_text("alpreventie")
        assert hit.locator("h3 a").get_attribute("href").startswith("/id/")
    documents = page.locator(".hit .source a")
    assert documents.count() >= 1 and documents.first.get_attribute("href").startswith("/id/brondocument/")
    screenshot(page, "search")
    assert axe_serious(page) == []


def test_a_facet_narrows_the_hits_to_one_region(page):
    page.goto("/zoeken?q=zorg")
    page.locator("#facet-region input[value='midden-nederland']").check()
    page.get_by_role("button", name="Toepassen").click()
    page.wait_for_url("**regio=midden-nederland**")
    headings = page.locator(".hit-group h2")
    expect(headings).to_have_count(1)
    expect(headings.first).to_contain_text("Midden-Nederland")
    expect(page.locator("#facet-region input[value='midden-nederland']")).to_be_checked()


def test_paging_through_the_hits(page):
    page.goto("/zoeken?q=zorg")
    first = page.locator(".hit h3 a").first.get_attribute("href")
    page.get_by_role("link", name="Volgende").click()
    expect(page.locator(".pager")).to_contain_text("Pagina 2")
    assert page.locator(".hit h3 a").first.get_attribute("href") != first


def test_a_bad_query_says_what_is_wrong(page):
    response = page.goto("/zoeken?q=%22positieve+gezondheid")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text('is not closed')
    assert axe_serious(page) == []


def test_search_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False, base_url=server.base_url)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("search").first.get_by_label("Zoek in alle plannen").fill("wachtlijsten")
        page.get_by_role("search").first.get_by_role("button", name="Zoek").click()
        page.wait_for_url("**/zoeken?q=wachtlijsten")
        marks = page.locator(".hit mark")
        assert marks.count() >= 3
        assert all(text.lower().startswith("wachtlijst") for text in marks.all_inner_texts())
        assert urlsplit(page.url).path == "/zoeken"
    finally:
        context.close()


def test_the_english_results_page(page):
    page.goto("/zoeken?q=wachtlijsten&lang=en")
    expect(page.locator("#search-count")).to_contain_text("results for")
    expect(page.get_by_role("search").first.locator("input[name=lang]")).to_have_value("en")
    assert axe_serious(page) == []


def test_a_hit_leads_to_its_passage_in_the_source_document(page):
    page.goto("/zoeken?q=wachtlijsten")
    hit = page.locator(".hit").filter(has=page.locator("a.passage")).first
    passage = hit.locator("a.passage").first
    expect(passage).to_contain_text("passage op regel")
    resource_page = hit.locator("h3 a").get_attribute("href")
    passage.click()
    page.wait_for_url("**/sources/**#s-*")
    sentence = page.locator(f"#{urlsplit(page.url).fragment}")
    expect(sentence).to_have_class("s s-cited")
    expect(sentence).to_be_in_viewport()
    assert "wachtlijst" in sentence.inner_text().lower()
    expect(sentence.locator(f"sup.cites a[href='{resource_page}']")).to_have_count(1)
