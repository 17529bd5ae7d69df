"""What the documents say is not decided yet, in every region at once (the items-by-status query): the
compliance report and the cookbook rely on it."""

ID = "https://w3id.org/iza-kg/id/"


def test_each_region_has_items_its_documents_call_not_yet_decided(run_query):
    rows = run_query("items-by-status")  # default: nog niet vastgesteld
    by_region = {}
    for row in rows:
        by_region.setdefault(row["region"], set()).add(row["item"])
    # Gooi: "Er is nog geen vastgestelde governancestructuur" (000)
    assert ID + "governance/gv-governancestructuur-gezond-gooi" in by_region[ID + "regio/gooi-en-vechtstreek"]
    # Midden-Nederland (M8): KPIs per transformation are still to be drawn up (002)
    assert ID + "kpi/mn-kpis-per-transformatie" in by_region[ID + "regio/midden-nederland"]
    assert by_region[ID + "regio/noord-en-midden-limburg"]
    assert set(by_region) == {ID + "regio/gooi-en-vechtstreek", ID + "regio/midden-nederland",
                              ID + "regio/noord-en-midden-limburg"}
    assert all(row["statusLabel"] == "nog niet vastgesteld" for row in rows)
