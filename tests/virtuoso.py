"""A private OpenLink Virtuoso (Debian's virtuoso-opensource-7-bin, `virtuoso-t`) for the tests: its own ini
file and database folder in a temporary folder, loopback ports, stopped afterwards.

Its row cap (`ResultSetMaxRows`) is set below the size of the project graph, so every test on it also
checks that the remote backend pages through a cut answer instead of serving part of it. The account is
Virtuoso's default `dba`/`dba`, fine for an instance that lives as long as the test session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.web.server import free_port

USER, PASSWORD = "dba", "dba"  # the default administrator of a new database
ROW_CAP = 5_000  # below the project graph's ~13,000 triples

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
DirsAllowed = {db}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
ServerThreads = 8

[SPARQL]
ResultSetMaxRows = {row_cap}
MaxQueryExecutionTime = 60
"""


class Virtuoso:
    def __init__(self, folder: Path, row_cap: int = ROW_CAP):
        self.folder = folder
        self.http_port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.http_port}/sparql"
        ini = folder / "virtuoso.ini"
        ini.write_text(INI.format(db=folder, sql_port=free_port(), http_port=self.http_port, row_cap=row_cap))
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise RuntimeError("virtuoso-t is not installed: apt-get install virtuoso-opensource-7-bin (.ci/run does)")
        self.process = subprocess.Popen([binary, "+foreground", "-c", str(ini)], cwd=folder,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def wait(self, timeout_s: float = 60) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.endpoint, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        log = self.folder / "virtuoso.log"
        raise RuntimeError(f"virtuoso did not start: {log.read_text()[-800:] if log.exists() else 'no log'}")

    def publish(self) -> str:
        """Load the project with `iza-kg publish`, credentials from the environment (digest auth); its output."""
        environment = {**os.environ, "IZA_STORE_USER": USER, "IZA_STORE_PASSWORD": PASSWORD}
        command = [str(Path(sys.executable).parent / "iza-kg"), "publish", "--endpoint", self.endpoint]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"iza-kg publish failed: {done.stderr[-800:]}")
        return done.stdout

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
