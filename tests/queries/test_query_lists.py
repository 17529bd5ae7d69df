"""A named query asked once for a list of values of one parameter (NamedQuery.bind_list, GraphService.run_each)."""

import pytest

from app.api.service import GraphService
from app.queries import ParameterError, QueryLibrary, projected_variables

REGIONS = [f"https://w3id.org/iza-kg/id/regio/{slug}"
           for slug in ("gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg", "amsterdam")]
COMPARE = ("compare-themes", "compare-funding", "compare-kpis", "compare-partners", "compare-governance", "compare-frameworks")


@pytest.fixture(scope="module")
def themes_query(library):
    return library.get("compare-themes")


def test_the_values_become_one_values_block_of_checked_terms(themes_query):
    text, bindings = themes_query.bind_list("region", REGIONS[:2])
    block = f"VALUES ?__region_iri {{ <{REGIONS[0]}> <{REGIONS[1]}> }}"
    assert block in text
    assert text.index(block) < text.index("?plan iza:forRegion ?__region_iri")  # first in the WHERE group
    assert bindings == {}  # the region is not bound a second time (its default)


def test_a_repeated_value_is_asked_once(themes_query):
    text, _ = themes_query.bind_list("region", [REGIONS[0], REGIONS[0]])
    assert text.count(f"<{REGIONS[0]}>") == 1


@pytest.mark.parametrize("value", ["not an iri", "https://x.org/a> } ; DROP ALL ; { <b", "https://x.org/a b", ""])
def test_a_malformed_value_is_refused_not_pasted(themes_query, value):
    with pytest.raises(ParameterError):
        themes_query.bind_list("region", [REGIONS[0], value])


def test_a_query_must_project_the_parameter_it_is_asked_a_list_of(library):
    with pytest.raises(ParameterError, match="does not project"):
        library.get("region-plans").bind_list("region", REGIONS[:2])


def test_unknown_parameter_and_empty_list_are_refused(themes_query):
    with pytest.raises(ParameterError):
        themes_query.bind_list("theme", REGIONS[:1])
    with pytest.raises(ParameterError):
        themes_query.bind_list("region", [])


def test_the_other_parameters_are_bound_as_usual(library):
    query = library.get("region-municipalities")
    _, bindings = query.bind_list("area", REGIONS[:2])
    assert bindings == {}
    assert "area" in query.projected


def test_projected_variables_reads_as_names_and_skips_expressions():
    text = "SELECT DISTINCT (?__region_iri AS ?region) ?a (MIN(?q) AS ?quote) ?b WHERE { ?a ?p ?b }"
    assert projected_variables(text) == ["region", "a", "quote", "b"]


@pytest.mark.parametrize("name", COMPARE)
def test_a_list_answers_what_each_value_answers_alone(backend, library, name):
    """The rows for each region of one query over all regions are the rows of the query for that region."""
    service = GraphService(backend, library)
    together = service.run_each(name, "region", REGIONS)
    assert list(together) == REGIONS
    for region in REGIONS:
        alone = GraphService(backend, library).run(name, region=region)
        assert all(row.pop("region") == region for row in alone)
        assert together[region] == alone, region
    assert any(together[region] for region in REGIONS[:3])


def test_every_compare_query_can_be_asked_for_a_list():
    library = QueryLibrary.load()
    for name in COMPARE:
        assert "region" in library.get(name).projected, name
