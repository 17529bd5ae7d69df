"""GET / and the OpenAPI document."""


def test_index_points_to_the_api(client):
    links = client.get("/").json()["links"]
    assert {"docs", "regions", "sparql", "queries"} <= set(links)


def test_openapi_documents_the_response_models(client):
    schema = client.get("/openapi.json").json()
    assert {"/regions", "/regions/{slug}", "/compare", "/sparql", "/queries/{name}"} <= set(schema["paths"])
    assert {"RegionPublic", "RegionsPublic", "Comparison", "QueryInfo"} <= set(schema["components"]["schemas"])
