"""The wheel works anywhere: built from this checkout, installed (not editable) into a fresh venv and run
from an empty folder, `iza-kg serve` serves the whole graph, the pages with their static files and YASGUI,
the saved queries, the shapes and the source documents.

Offline and honest: the wheel is built with the test venv's setuptools (no build isolation) and installed
with --no-deps --no-index; its dependencies come from the test venv's site-packages, added to the fresh
venv as a plain path (so the editable iza-kg there is not importable: `app` must come from the wheel)."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
import zipfile

import httpx
import pytest

from app.loader import ROOT
from app.queries import QUERY_DIR
from tests.web.conftest import VENDOR
from tests.web.server import free_port

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    if not VENDOR.exists():
        pytest.fail(f"{VENDOR.relative_to(ROOT)} is missing: run `make assets` (the wheel ships YASGUI)")
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "-w", str(tmp / "dist"), str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    assert build.returncode == 0, build.stderr
    (wheel,) = (tmp / "dist").glob("iza_kg-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(tmp / "venv")], check=True)
    python = tmp / "venv" / "bin" / "python"
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                              "--no-index", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    with open(os.path.join(site, "test-dependencies.pth"), "w", encoding="utf-8") as handle:
        handle.write(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return wheel, tmp / "venv" / "bin", elsewhere


@pytest.fixture(scope="module")
def served(installed):
    _, bin_dir, elsewhere = installed
    env = {k: v for k, v in os.environ.items() if not k.startswith("IZA_")}
    port = free_port()
    process = subprocess.Popen([str(bin_dir / "iza-kg"), "serve", "--port", str(port)], cwd=elsewhere, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(base + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        else:
            pytest.fail(f"the installed iza-kg did not start:\n{process.stdout.read() if process.poll() is not None else ''}")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_wheel_holds_the_project_folders_templates_and_yasgui(installed):
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "data", "shapes", "queries", "sources"):
        tracked = subprocess.run(["git", "ls-files", folder], capture_output=True, text=True, cwd=ROOT, check=True).stdout.split()
        assert tracked and {f"app/project/{name}" for name in tracked} <= names, folder
    assert "app/static/vendor/yasgui/yasgui.min.js" in names and "app/static/css/pages.css" in names
    templates = {p.relative_to(ROOT).as_posix() for p in (ROOT / "app" / "templates").rglob("*.html")}
    assert templates and templates <= names


def test_app_is_imported_from_the_wheel_not_the_checkout(installed):
    _, bin_dir, elsewhere = installed
    where = subprocess.run([str(bin_dir / "python"), "-c", "import app.paths as p; print(p.ROOT)"],
                           capture_output=True, text=True, cwd=elsewhere, check=True).stdout.strip()
    assert where.endswith(os.path.join("site-packages", "app", "project")) and not where.startswith(str(ROOT) + os.sep)


def test_the_installed_command_serves_the_whole_graph_from_another_folder(served, backend, project):
    health = httpx.get(served + "/health").json()
    assert health["backend"] == "embedded" and health["files"] == len([f for f in project.files if not f.inferred])
    answer = httpx.get(served + "/sparql", params={"query": COUNT}, headers={"accept": "application/sparql-results+json"})
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) == int(backend.select(COUNT).rows[0]["n"])
    regions = httpx.get(served + "/regions").json()
    assert {"gooi-en-vechtstreek", "midden-nederland", "noord-en-midden-limburg"} <= {r["slug"] for r in regions["data"]}


def test_the_installed_command_serves_pages_static_files_queries_shapes_and_sources(served):
    home = httpx.get(served + "/", headers={"accept": "text/html"})
    assert home.status_code == 200 and "IZA-kennisgraaf" in home.text
    assert httpx.get(served + "/static/vendor/yasgui/yasgui.min.js").status_code == 200
    assert httpx.get(served + "/static/css/pages.css").status_code == 200
    editor = httpx.get(served + "/sparql-editor")
    assert editor.status_code == 200 and "plan-transformations" in editor.text
    assert httpx.get(served + "/queries").json()["count"] == len(list(QUERY_DIR.glob("*.rq")))
    compliance = httpx.get(served + "/regions/midden-nederland/compliance", timeout=300)
    assert compliance.status_code == 200 and compliance.json()["matrix"]  # the shapes are there
    page = httpx.get(served + "/sources/002", follow_redirects=True)
    assert page.status_code == 200 and "<mark>" in page.text
    assert httpx.get(served + "/sources/002/coverage.json").json()["cited"] > 0
