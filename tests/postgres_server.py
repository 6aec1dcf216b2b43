"""A throwaway PostgreSQL server for the tests, from the Debian binaries.

`PostgresServer` runs `initdb` in a temporary folder and starts the server on
127.0.0.1 at a free port, its socket in that folder, with trust
authentication for the `postgres` user (nothing but loopback reaches it, and
it is deleted when the tests end). Durability is switched off: a test
database is thrown away anyway.

As root (CI), the server runs as the `postgres` user that Debian's package
creates, since PostgreSQL refuses to run as root.

Developers can also start one by hand and keep it while they work:

    python -m tests.postgres_server      # prints the URL; Ctrl-C stops and deletes it

and point the tests at it with GUARDIAN_TEST_POSTGRES_URL=that URL.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

BINARIES_ENV = "GUARDIAN_TEST_POSTGRES_BIN"  # a folder holding initdb and pg_ctl


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server would not start: the reason is the message."""


def find_binaries() -> Path:
    """The folder of `initdb` and `pg_ctl`: the env var, Debian's newest, or the PATH."""
    if os.environ.get(BINARIES_ENV):
        folder = Path(os.environ[BINARIES_ENV])
        if (folder / "initdb").exists():
            return folder
        raise PostgresUnavailable(f"{BINARIES_ENV}={folder} holds no initdb")
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                    key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if debian:
        return Path(debian[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl): install Debian's postgresql package, "
        f"set {BINARIES_ENV}, or point GUARDIAN_TEST_POSTGRES_URL at a server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresServer:
    """initdb + pg_ctl start in a temporary folder; `stop()` stops it and deletes the folder."""

    def __init__(self) -> None:
        self.binaries = find_binaries()
        self.root = Path(tempfile.mkdtemp(prefix="guardian-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._user: str | None = None
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.root, ignore_errors=True)
                raise PostgresUnavailable(
                    "running as root and there is no 'postgres' user to run the server as"
                ) from None
            self._user = "postgres"
            os.chown(self.root, entry.pw_uid, entry.pw_gid)

    @property
    def url(self) -> str:
        """An administrator's URL (the `postgres` database), over loopback TCP."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self._user is not None:
            command = ["runuser", "-u", self._user, "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120,
                                cwd=self.root)
        if result.returncode != 0:
            raise PostgresUnavailable(
                f"{args[0]} failed: {(result.stderr or result.stdout).strip()[-800:]}")

    def start(self) -> PostgresServer:
        try:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--no-locale", "--no-sync")
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                       f"-c unix_socket_directories={self.root} -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                      str(self.root / "server.log"), "-w", "-t", "60", "start")
        except Exception:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(PostgresUnavailable):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def main() -> None:
    server = PostgresServer().start()
    print(server.url, flush=True)
    try:
        import time

        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
