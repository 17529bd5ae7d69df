"""A SPARQL text is recognised as one of the named queries (QueryLibrary.named) only when it asks nothing
more than the query's own route would: its text as it stands, or bound by a VALUES block of constant terms
for its own parameters. /sparql runs such a text on the API's query threads instead of a worker process."""

import pytest
from rdflib import URIRef

from app.backends.binding import bind_with_values

REGION = "https://w3id.org/iza-kg/id/regio/midden-nederland"


@pytest.fixture(scope="module")
def observations(library):
    return library.get("region-observations")


def bound(query, value="<%s>" % REGION, variables="?__region_iri"):
    return bind_with_values(query.text, {"__region_iri": URIRef(REGION)}).replace(f"<{REGION}>", value).replace(
        "(?__region_iri)", f"({variables})")


def test_every_named_query_is_recognised_as_it_stands_and_as_the_api_binds_it(library):
    with_defaults = [query for query in library if query.parameters and all(p.default for p in query.parameters.values())]
    assert len(with_defaults) > 10
    for query in library:
        assert library.named(query.text) is query
    for query in with_defaults:
        assert library.named(bind_with_values(query.text, query.bind({}))) is query, query.name


def test_a_list_of_values_for_one_parameter_is_recognised(library):
    text, _ = library.get("compare-themes").bind_list("region", [REGION, REGION.replace("midden", "noord")])
    assert library.named(text) is library.get("compare-themes")


@pytest.mark.parametrize("value", ['"Utrecht"', '"Utrecht"@nl', '"2024"^^<http://www.w3.org/2001/XMLSchema#gYear>',
                                   '"""twee\nregels"""', "42", "-1.5e3", "true", '"een \\"quote\\" en }"'])
def test_constant_terms_of_every_kind_are_recognised(library, observations, value):
    assert library.named(bound(observations, value)) is observations


@pytest.mark.parametrize("text", [
    pytest.param(lambda q: q.text + " ", id="changed after the WHERE group"),
    pytest.param(lambda q: bound(q).replace("VALUES", "?s ?p ?o . VALUES"), id="a pattern before the block"),
    pytest.param(lambda q: bound(q, f"<{REGION}>) (<{REGION}/2>"), id="a second row"),
    pytest.param(lambda q: bound(q, "?other"), id="a variable as value"),
    pytest.param(lambda q: bound(q, f"<{REGION}> <{REGION}>"), id="more values than variables"),
    pytest.param(lambda q: bound(q, variables="?s"), id="not a parameter of the query"),
    pytest.param(lambda q: bound(q, '"\\u0022) } ?a ?b ?c . ?d ?e ?f VALUES ?g { (\\u0022"'),
                 id="a unicode escape, which SPARQL reads before parsing"),
    pytest.param(lambda q: bound(q, "STR(<x:y>)"), id="an expression"),
])
def test_a_text_that_asks_more_is_not_a_named_query(library, observations, text):
    assert library.named(text(observations)) is None


def test_a_long_list_is_not_recognised(library):
    query = library.get("compare-themes")
    text, _ = query.bind_list("region", [f"{REGION}-{n}" for n in range(200)])
    assert library.named(text) is query
    longer = text.replace(f"<{REGION}-0>", " ".join(f"<{REGION}-x{n}>" for n in range(2)))
    assert library.named(longer) is None
