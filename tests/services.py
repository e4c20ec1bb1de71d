"""Test set-up: throwaway PostgreSQL and Redis servers on free loopback ports.

Loaded as a pytest plugin (``-p tests.services`` in pyproject.toml), before Django reads
its settings, so that the whole suite runs on PostgreSQL when its binaries exist. On a
developer's machine without them the suite falls back to SQLite and the tests that need a
missing service are skipped; with ``CI=true`` a missing service is a failure.

``TEST_DATABASE=sqlite`` runs the suite on SQLite on purpose.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

import pytest

EN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class Services:
    postgres_url: str | None = None
    redis_url: str | None = None
    raisons: dict[str, str] = field(default_factory=dict)
    _arrets: list = field(default_factory=list)

    def arreter(self):
        while self._arrets:
            with contextlib.suppress(Exception):
                self._arrets.pop()()


SERVICES = Services()


def port_libre() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binaire(nom: str) -> str | None:
    candidats = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{nom}"), reverse=True)
    return shutil.which(nom) or (candidats[0] if candidats else None)


def _attendre_port(port: int, delai: float = 30.0) -> None:
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"rien n'écoute sur 127.0.0.1:{port} après {delai} s")


def demarrer_postgres() -> str:
    initdb, pg_ctl = binaire("initdb"), binaire("pg_ctl")
    if not initdb or not pg_ctl:
        raise FileNotFoundError("initdb/pg_ctl introuvables (paquet Debian postgresql)")
    dossier = tempfile.mkdtemp(prefix="inclusion-pg-")
    donnees = os.path.join(dossier, "data")
    utilisateur = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        utilisateur = pwd.getpwnam("postgres" if _existe("postgres") else "nobody")
        os.chown(dossier, utilisateur.pw_uid, utilisateur.pw_gid)
    options = {"user": utilisateur.pw_uid, "group": utilisateur.pw_gid} if utilisateur else {}
    port = port_libre()
    subprocess.run(
        [initdb, "-D", donnees, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale"],
        check=True,
        capture_output=True,
        cwd=dossier,
        **options,
    )
    reglages = (
        f"-p {port} -k {dossier} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [pg_ctl, "-D", donnees, "-o", reglages, "-l", os.path.join(dossier, "log"), "-w", "start"],
        check=True,
        capture_output=True,
        cwd=dossier,
        **options,
    )

    def arreter():
        subprocess.run(
            [pg_ctl, "-D", donnees, "-m", "immediate", "stop"],
            capture_output=True,
            cwd=dossier,
            check=False,
            **options,
        )
        shutil.rmtree(dossier, ignore_errors=True)

    SERVICES._arrets.append(arreter)
    _attendre_port(port)
    return f"postgres://postgres@127.0.0.1:{port}/inclusion"


def _existe(nom: str) -> bool:
    try:
        pwd.getpwnam(nom)
    except KeyError:
        return False
    return True


def demarrer_redis() -> str:
    serveur = shutil.which("redis-server")
    if not serveur:
        raise FileNotFoundError("redis-server introuvable (paquet Debian redis-server)")
    port = port_libre()
    processus = subprocess.Popen(
        [
            serveur,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def arreter():
        processus.terminate()
        processus.wait(10)

    SERVICES._arrets.append(arreter)
    _attendre_port(port)
    return f"redis://127.0.0.1:{port}/0"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API
    if "--help" in args or "--version" in args or "--collect-only" in args:
        return
    if os.environ.get("TEST_DATABASE", "").lower() == "sqlite":
        SERVICES.raisons["postgres"] = "TEST_DATABASE=sqlite demandé"
        os.environ["DATABASE_URL"] = "sqlite:///:memory:"
    else:
        try:
            SERVICES.postgres_url = demarrer_postgres()
            os.environ["DATABASE_URL"] = SERVICES.postgres_url
        except (OSError, subprocess.CalledProcessError, TimeoutError, KeyError) as exc:
            detail = getattr(exc, "stderr", b"") or b""
            SERVICES.raisons["postgres"] = f"{exc} {detail.decode(errors='replace')}".strip()
            if EN_CI:
                raise pytest.UsageError(
                    f"PostgreSQL n'a pas démarré : {SERVICES.raisons['postgres']}"
                ) from exc
            os.environ["DATABASE_URL"] = "sqlite:///:memory:"
    try:
        SERVICES.redis_url = demarrer_redis()
    except (OSError, TimeoutError) as exc:
        SERVICES.raisons["redis"] = str(exc)
        if EN_CI:
            raise pytest.UsageError(f"Redis n'a pas démarré : {exc}") from exc


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    """Property tests: a developer's run draws new examples from a seed printed in the
    header (``--hypothesis-seed=N`` replays it); CI replays fixed examples (profile "ci")."""
    from hypothesis import core

    if core.global_force_seed is None and not EN_CI:
        core.global_force_seed = secrets.randbits(32)


def pytest_report_header(config):
    from hypothesis import core

    postgres = SERVICES.postgres_url or f"absent ({SERVICES.raisons.get('postgres', '?')})"
    redis = SERVICES.redis_url or f"absent ({SERVICES.raisons.get('redis', '?')})"
    if EN_CI:
        hypothesis = "exemples fixes (profil ci)"
    else:
        graine = core.global_force_seed
        hypothesis = f"graine {graine}, à rejouer avec --hypothesis-seed={graine}"
    return [
        f"services : PostgreSQL {postgres}, Redis {redis}, CI={'oui' if EN_CI else 'non'}",
        f"tests de propriétés (hypothesis) : {hypothesis}",
    ]


def pytest_unconfigure(config):
    SERVICES.arreter()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With CI=true, a skipped test is a failure: CI must prove every service ran."""
    resultat = yield
    rapport = resultat.get_result()
    if EN_CI and rapport.skipped and not hasattr(rapport, "wasxfail"):
        rapport.outcome = "failed"
        raison = rapport.longrepr[2] if isinstance(rapport.longrepr, tuple) else rapport.longrepr
        rapport.longrepr = f"Test sauté en CI (interdit) : {raison}"


def manque(service: str, raison: str):
    """Skip on a developer's machine, fail in CI."""
    message = f"{service} indisponible : {raison}"
    if EN_CI:
        pytest.fail(message)
    pytest.skip(message)
