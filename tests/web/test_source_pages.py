"""The source pages in a real browser: the document's text with cited passages marked and linked to the
resources citing them, uncited ones unmarked, deep links to a passage, and nothing serious for axe."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from app.quotes import Citations
from app.sources import fold
from tests.web.test_pages import axe_serious

POSTER = "regioplan-gooi-en-vechtstreek"
# The document's text as the page shows it, keeping only what is marked as cited by the resource at `href`
# (white space between passages stays white space; any other text becomes "|").
MARKED_TEXT = """href => {
  const root = document.getElementById("source-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let out = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("sup")) continue;
    const mark = node.parentElement.closest("mark");
    const cites = mark && [...mark.nextElementSibling.querySelectorAll("a")].some(a => a.getAttribute("href") === href);
    out += cites ? node.data : (node.data.trim() === "" ? node.data : "|");
  }
  return out;
}"""


def test_the_sources_index_lists_every_document_with_its_coverage(page, server):
    page.goto("/sources")
    rows = page.locator("#source-documents tbody tr")
    expect(rows).to_have_count(5)
    summary = httpx.get(f"{server.base_url}/sources/{POSTER}/coverage.json").json()
    row = rows.filter(has=page.get_by_role("link", name="Regioplan Gooi- en Vechtstreek (poster)"))
    expect(row.locator("td.num").nth(0)).to_have_text(str(summary["counted"]))
    expect(row.locator("td.num").nth(1)).to_have_text(str(summary["cited"]))
    expect(page.get_by_role("navigation").get_by_role("link", name="Bronnen")).to_have_attribute("aria-current", "page")
    assert axe_serious(page) == []


def test_a_document_page_marks_what_the_graph_cites(page, server, project, screenshot):
    summary = httpx.get(f"{server.base_url}/sources/{POSTER}/coverage.json").json()
    page.goto(f"/sources/{POSTER}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Regioplan Gooi- en Vechtstreek (poster)")
    expect(page.locator("#coverage")).to_contain_text(f"{summary['cited']} zinnen van de {summary['counted']} getelde")
    # uncited substantive sentences are on the page, unmarked
    uncited = page.locator("#source-text .s-uncited")
    expect(uncited).to_have_count(len(summary["uncited"]))
    assert uncited.first.locator("mark").count() == 0
    # every quote of the graph from this document is inside a marked passage, linked to its resource
    citations = Citations.from_project(project)
    poster = citations.document(POSTER)
    quotes = [q for q in citations.quotes if poster in citations.documents_of(q) and poster.text.find_all(q.text)]
    assert len(quotes) > 20
    links = {a.get_attribute("href") for a in page.locator("#source-text sup.cites a").all()}
    assert {"/" + q.resource.split("/iza-kg/", 1)[1] for q in quotes} == links
    for quote in quotes:
        marked = page.evaluate(MARKED_TEXT, "/" + quote.resource.split("/iza-kg/", 1)[1])
        assert fold(quote.text) in fold(marked), quote
    screenshot(page, "source-poster")
    assert axe_serious(page) == []


def test_a_cite_link_opens_the_resource_and_a_passage_can_be_deep_linked(page, server):
    summary = httpx.get(f"{server.base_url}/sources/{POSTER}/coverage.json").json()
    anchor = summary["uncited"][0]["anchor"]
    page.goto(f"/sources/{POSTER}#{anchor}")
    target = page.locator(":target")
    expect(target).to_have_attribute("id", anchor)
    expect(target).to_be_in_viewport()
    expect(target).to_have_attribute("data-line", str(summary["uncited"][0]["line"]))
    first = page.locator("#source-text sup.cites a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_load_state()
    assert href.split("/")[-1] in page.url and page.locator("h1").count() == 1


def test_other_names_redirect_and_an_unknown_document_is_a_404_page(page):
    page.goto("/sources/001")
    assert page.url.endswith(f"/sources/{POSTER}")
    response = page.goto("/sources/bestaat-niet?lang=en")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Unknown source document")
