"""Every page type in a real browser: the documented facts are on screen, the forms and downloads work,
the SPARQL editor runs a saved query, axe finds nothing serious, and no request leaves the app."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import MODELLED

GV, MN, NML = MODELLED
SERIOUS = {"serious", "critical"}
COMPLIANCE_TIMEOUT_MS = 300_000  # pySHACL over the whole graph; see docs/pages.md


def axe_serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


# ------------------------------------------------------------------------------------------- home


def test_home_lists_modelled_regions_first_and_the_others_as_not_modelled(page, screenshot):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    rows = page.locator("#modelled-regions tbody tr")
    expect(rows).to_have_count(3)
    links = [rows.nth(i).locator("th a").get_attribute("href") for i in range(3)]
    assert sorted(links) == sorted(f"/regio/{slug}" for slug in MODELLED)
    names = sorted(rows.locator("th a").all_inner_texts())
    assert names == ["Gooi en Vechtstreek", "Midden-Nederland", "Noord- en Midden-Limburg"]  # the plans' names
    others = page.locator("#other-regions li")
    expect(others).to_have_count(28)
    expect(others.filter(has_text="zorgkantoorregio Amsterdam")).to_have_count(1)
    expect(others.first).to_contain_text("plan nog niet gemodelleerd")
    for name in ("Vergelijken", "Naleving IZA-criteria", "Kaders en thema's", "SPARQL-editor"):
        expect(page.get_by_role("navigation").get_by_role("link", name=name)).to_be_visible()
    expect(page.get_by_role("link", name="/id/regio/gooi-en-vechtstreek")).to_be_visible()  # linked-data view
    screenshot(page, "home")
    assert axe_serious(page) == []


def test_language_switch_and_keyboard(page):
    page.goto("/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.get_by_role("link", name="Switch to English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=2, name="Modelled regions")).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Compare").click()
    assert page.url.endswith("lang=en")


# --------------------------------------------------------------------------------------- profiles


@pytest.mark.parametrize("slug", MODELLED)
def test_region_profile(page, screenshot, slug):
    page.goto(f"/regio/{slug}")
    for heading in ("Plannen", "Gemeenten", "Partners", "KPI's", "Kerncijfers en prognoses"):
        expect(page.get_by_role("heading", level=2, name=heading, exact=True)).to_be_visible()
    # every item has its source excerpt behind a disclosure, opened by keyboard too
    summary = page.locator("details.src > summary").first
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details.src[open] blockquote").first).to_be_visible()
    screenshot(page, f"region-{slug}")
    assert axe_serious(page) == []


def test_gooi_five_transformations_in_order_with_solution_directions_and_timeline(page):
    page.goto(f"/regio/{GV}")
    transformations = page.locator("#transformations-list > li")
    expect(transformations).to_have_count(5)
    notations = [transformations.nth(i).locator("h3 .notation").inner_text() for i in range(5)]
    labels = [transformations.nth(i).locator("h3 .label").inner_text() for i in range(5)]
    assert notations == ["A", "B", "C", "D", "E"]
    assert labels == ["Zelf- en Samenredzame inwoner", "Krachtige gemeenschap", "Ondersteuning nabij", "Passend aanbod",
                      "Het mogelijk maken van de beweging"]
    c = transformations.nth(2).locator("ol.children > li")
    expect(c).to_have_count(2)
    expect(c.nth(0)).to_contain_text("07")
    expect(c.nth(0)).to_contain_text("Wijkgericht werken")
    expect(c.nth(1)).to_contain_text("Aanvullende expertisenetwerken")
    row = page.locator("#timeline tbody tr", has_text="Voorloperwijken identificeren")
    expect(row).to_have_count(1)
    quarters = page.locator("#timeline thead th").all_inner_texts()
    cells = row.locator("td.on .sr").all_inner_texts()
    assert cells and cells[-1] == "Q2 2024", (quarters, cells)
    expect(page.locator("#allocations")).to_contain_text("€ 1.750.000 per jaar")


def test_noord_en_midden_limburg_nine_budget_lines_and_their_total(page):
    page.goto(f"/regio/{NML}")
    budget = page.locator("table.budget").first
    expect(budget.locator("tbody tr.budget-line")).to_have_count(9)
    expect(budget.locator("tfoot .sum")).to_have_text("€ 4.747.850")
    expect(budget.locator("tfoot .total")).to_have_text("€ 4.747.850")
    expect(budget).to_contain_text("Uitvoeringskosten onderdeel 3 (Ketenaanpakken)")
    expect(budget).to_contain_text("€ 2.000.000")
    expect(page.locator("#municipalities-covered li")).to_have_count(14)
    # the budget chart is an SVG with a title and its data table behind a toggle
    chart = page.locator("#funding figure.chart svg[role=img]").last
    expect(chart.locator("title").first).to_contain_text("Begrotingsposten")
    page.locator("#funding figure.chart details > summary").last.click()
    expect(page.locator("#funding figure.chart details[open] tbody tr")).to_have_count(9)


def test_midden_nederland_numeric_kpis_and_kpis_not_yet_defined(page):
    page.goto(f"/regio/{MN}")
    table = page.locator("#kpi-table")
    expect(table.get_by_role("row", name=re.compile("doorverwijzingen naar de tweede lijn"))).to_contain_text("7%")
    expect(table.get_by_role("row", name=re.compile("reductie administratielasten")).first).to_contain_text("35%")
    expect(table).to_contain_text("nog niet vastgesteld")
    expect(page.locator("#transformations-list > li")).to_have_count(8)
    expect(page.locator("#municipalities-excluded")).to_contain_text("Renswoude")
    expect(page.locator("#kpis figure.chart svg[role=img]").first).to_be_visible()


def test_unknown_region_is_a_404_page(page):
    response = page.goto("/regio/atlantis")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_contain_text("Onbekende regio")


# ------------------------------------------------------------------------------------- comparison


def test_comparison_of_three_regions_with_csv_download(page, screenshot):
    page.goto("/vergelijk")
    for slug in MODELLED:
        page.locator(f"input[name=regio][value={slug}]").check()
    page.get_by_role("button", name="Vergelijk").click()
    matrix = page.locator("#theme-matrix")
    expect(matrix.locator("thead th")).to_have_count(4)
    expect(page.locator("#funding-matrix")).to_contain_text("€ 4.747.850")
    expect(page.locator("#framework-matrix")).to_be_visible()
    expect(page.locator(".side-by-side table.kpis")).to_have_count(1)  # only Midden-Nederland has KPIs yet
    screenshot(page, "compare")
    assert axe_serious(page) == []

    with page.expect_download() as info:
        page.locator("#themes .download a").click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert rows, "the themes CSV is empty"
    assert list(rows[0]) == ["theme", "region", "item", "label", "source", "quote"]
    regions = {row["region"] for row in rows}
    assert len(regions) == 3, regions
    shown = page.locator("#theme-matrix tbody td li").count()
    assert len(rows) == shown

    with page.expect_download() as info:
        page.locator("#funding .download a").click()
    funding = list(csv.DictReader(open(info.value.path(), encoding="utf-8")))
    amounts = {row["label"]: row["amount_eur"] for row in funding if row["amount_eur"]}
    assert amounts.get("SPUK-IZA Noord- en Midden-Limburg") == "4747850"


def test_comparison_needs_two_regions(page):
    page.goto(f"/vergelijk?regio={GV}")
    expect(page.get_by_role("alert")).to_contain_text("ten minste twee")


# ----------------------------------------------------------------------------- other page types


def test_frameworks_and_themes(page, screenshot):
    page.goto("/kaders")
    expect(page.get_by_role("heading", name="Vergelijkingsthema's", level=2)).to_be_visible()
    expect(page.locator("#themes-table tbody tr").first).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Vijf ketenaanpakken")).to_be_visible()
    screenshot(page, "frameworks")
    assert axe_serious(page) == []


def test_sparql_editor_runs_a_saved_query(page, screenshot):
    page.goto("/sparql-editor")
    expect(page.locator(".yasqe .CodeMirror")).to_be_visible()
    page.get_by_label("Opgeslagen query's").select_option("plan-transformations")
    page.get_by_role("button", name="Laad query").click()
    expect(page.locator(".yasqe .CodeMirror")).to_contain_text("iza:hasTransformation")
    page.locator(".yasqe_queryButton").click()
    results = page.locator(".yasr table tbody tr")
    expect(results.first).to_be_visible()
    expect(page.locator(".yasr")).to_contain_text("Zelf- en Samenredzame inwoner")
    expect(page.locator(".yasr_downloadIcon")).to_be_visible()
    screenshot(page, "sparql-editor")
    assert axe_serious(page) == []


# Last, so that the SHACL run the server fixture started has had the other tests' time to finish.
def test_compliance_matrix(page, screenshot):
    page.goto("/naleving")
    expect(page.get_by_role("heading", level=1)).to_have_text("Naleving IZA-criteria")
    table = page.locator("#compliance-matrix")
    expect(table).to_be_visible(timeout=COMPLIANCE_TIMEOUT_MS)  # the page refreshes itself until the run is done
    expect(table.locator("thead th")).to_have_count(4)
    expect(table.locator("tbody tr").first).to_be_visible()
    finding = table.locator("td.cell details > summary").first
    finding.click()
    expect(table.locator("td.cell details[open] .finding").first).to_be_visible()
    expect(table.locator("td.cell details[open] .finding").first).to_contain_text("Melding")
    screenshot(page, "compliance")
    assert axe_serious(page) == []
