"""Items that take up a national framework item link to it the same way in every region (docs/modelling.md,
"Links to national frameworks"): with iza:addresses, and only where the document names the item."""

from rdflib import URIRef

from app.namespaces import IZA

ID = "https://w3id.org/iza-kg/id/"
FRAMEWORK_ITEMS = ("iza-beweging/", "vng-taak/", "ketenaanpak/", "gala-doel/", "wozo-actielijn/")
REGIONS = {"gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"}


def test_every_ketenaanpak_is_taken_up_in_all_three_regions(run_query):
    rows = run_query("framework-coverage", scheme=ID + "schema/ketenaanpakken")
    regions = {}
    for row in rows:
        regions.setdefault(row["notation"], set()).add(row["regionSlug"])
    # Gooi en Vechtstreek through the collaboration agenda's topics (003); the others through their approaches
    assert regions == {notation: REGIONS for notation in "abcde"}


def test_gooi_en_vechtstreek_collaboration_agenda_topics_address_the_ketenaanpakken(project):
    graph = project.union_graph()
    topic = URIRef(ID + "plan-thema/gv-overgewicht-en-obesitas")
    assert (topic, IZA.addresses, URIRef(ID + "ketenaanpak/overgewicht-kinderen")) in graph
    assert "De ketenaanpak overgewicht en obesitas bij kinderen" in " ".join(map(str, graph.objects(topic, IZA.sourceQuote)))


def test_region_items_link_to_framework_items_only_with_iza_addresses(project):
    graph = project.union_graph()
    national = {s for s, _ in graph.subject_objects(URIRef("http://www.w3.org/2004/02/skos/core#inScheme"))}
    other = sorted({(str(s), str(p)) for s, p, o in graph
                    if isinstance(o, URIRef) and str(o).startswith(ID) and str(o)[len(ID):].startswith(FRAMEWORK_ITEMS)
                    and s not in national and p != IZA.addresses and not str(p).startswith("http://www.w3.org/2004/02/skos/")})
    assert other == []
