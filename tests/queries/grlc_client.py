"""Run grlc (PyPI) on queries/ as a user would, in its own process: `python grlc_client.py QUERIES ENDPOINT CALLS`.

grlc reads `config.ini` from the folder it starts in (the caller makes one naming QUERIES as its local
folder), so it cannot share the test process. Its own Flask app answers: the Swagger spec it builds from
the `#+` headers (/api-local/swagger), then each call of CALLS (a JSON list of [name, {param: value},
accept]) through /api-local/{name}, which sends the query with the values pasted in to ENDPOINT. Prints
one JSON object: {"spec": ..., "answers": [[status, body text], ...]}.
"""

import contextlib
import io
import json
import sys

with contextlib.redirect_stdout(io.StringIO()):  # grlc prints where it looks for its config
    from grlc.server import app


def main(endpoint: str, calls: list) -> dict:
    client = app.test_client()
    spec = client.get("/api-local/swagger").get_json()
    answers = []
    for name, params, accept in calls:
        response = client.get(f"/api-local/{name}", query_string={**params, "endpoint": endpoint},
                              headers={"Accept": accept})
        answers.append([response.status_code, response.get_data(as_text=True)])
    return {"spec": spec, "answers": answers}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[2], json.loads(sys.argv[3]))))
