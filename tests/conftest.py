"""Shared fixtures: a small geography, one account per role, the real services."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from hypothesis import settings as reglages_hypothesis

from comptes.enums import Role
from tests.comptes.factories import UserFactory
from tests.gabarits import SyntaxeDeGabaritVisible, verifier_gabarit
from tests.services import EN_CI, SERVICES, manque
from tests.territoires.factories import CommuneFactory, DepartementFactory, EpciFactory, ZoneFactory

RACINE = Path(__file__).resolve().parent.parent

# In continuous integration the property tests replay the same examples (seeded by each
# test's name): a gate must not turn red on a new random draw. Exploring new examples is
# for the developers' runs, where hypothesis draws afresh each time.
# A failure prints the blob that replays it (@reproduce_failure); the header of the run
# prints the seed its examples were drawn from (tests/services.py).
reglages_hypothesis.register_profile("ci", derandomize=True, database=None, print_blob=True)
reglages_hypothesis.register_profile("developpement", print_blob=True)
reglages_hypothesis.load_profile("ci" if EN_CI else "developpement")
SHARED_DATA = RACINE.parent / "shared" / "data"

# Every role the access tests walk through: name -> how to build the account.
ROLES = [
    "anonyme",
    "conseiller",
    "referent",
    "coordinateur",
    "coordinateur_autre_territoire",
    "elu",
    "staff",
]


@pytest.fixture(autouse=True)
def _media_temporaire(settings, tmp_path):
    """Uploaded files (signed conventions…) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _gabarits_sans_syntaxe(monkeypatch):
    """Every page the test client receives is checked for leftover template syntax."""
    from django.test.client import Client

    requete = Client.request

    def request(self, **demande):
        reponse = requete(self, **demande)
        if not getattr(reponse, "streaming", False):
            verifier_gabarit(
                demande.get("PATH_INFO", "?"), reponse.get("Content-Type", ""), reponse.content
            )
        return reponse

    monkeypatch.setattr(Client, "request", request)


@pytest.fixture(autouse=True)
def _cache_vide():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def horloge_des_limites(monkeypatch):
    """django-ratelimit counts in fixed windows of the clock: a test of a limit runs at
    one fixed instant (never across the end of a window), which it may move on
    (``horloge_des_limites["t"] += 3600``)."""
    import types

    import django_ratelimit.core

    instant = {"t": 1_800_000_000.0}
    monkeypatch.setattr(
        django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: instant["t"])
    )
    return instant


@pytest.fixture
def geographie(db):
    """Two EPCI in two départements, with communes and districts."""
    sarthe = DepartementFactory(code="72", nom="Sarthe")
    maine = DepartementFactory(code="49", nom="Maine-et-Loire")
    metropole = EpciFactory(siren="247200132", nom="CU Le Mans Métropole", type="CU")
    angers = EpciFactory(siren="244900015", nom="CU Angers Loire Métropole", type="CU")
    le_mans = CommuneFactory(
        code_insee="72181",
        nom="Le Mans",
        departement=sarthe,
        epci=metropole,
        codes_postaux="72000|72100",
        population=145004,
    )
    yvre = CommuneFactory(
        code_insee="72386",
        nom="Yvré-l'Évêque",
        departement=sarthe,
        epci=metropole,
        codes_postaux="72530",
        population=4181,
    )
    angers_commune = CommuneFactory(
        code_insee="49007",
        nom="Angers",
        departement=maine,
        epci=angers,
        codes_postaux="49000|49100",
        population=157175,
    )
    zones = [
        ZoneFactory(commune=le_mans, nom="Bellevue"),
        ZoneFactory(commune=le_mans, nom="Les Sablons"),
        ZoneFactory(commune=angers_commune, nom="La Roseraie"),
    ]
    return {
        "sarthe": sarthe,
        "maine": maine,
        "metropole": metropole,
        "angers": angers,
        "le_mans": le_mans,
        "yvre": yvre,
        "angers_commune": angers_commune,
        "zones": zones,
    }


@pytest.fixture
def comptes(geographie):
    """One account per role on Le Mans Métropole, plus a coordinator of Angers."""
    metropole = geographie["metropole"]
    return {
        "anonyme": None,
        "conseiller": UserFactory(role=Role.CONSEILLER, territoires=[metropole]),
        "referent": UserFactory(role=Role.REFERENT, territoires=[geographie["le_mans"]]),
        "coordinateur": UserFactory(role=Role.COORDINATEUR, territoires=[metropole]),
        "coordinateur_autre_territoire": UserFactory(
            role=Role.COORDINATEUR, territoires=[geographie["angers"]]
        ),
        "elu": UserFactory(role=Role.ELU, territoires=[metropole]),
        "staff": UserFactory(role="", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def client_de(client, comptes):
    """``client_de("coordinateur")``: the test client logged in as that role."""

    def connecter(role: str):
        user = comptes[role]
        if user is not None:
            client.force_login(user)
        return client

    return connecter


# -- real services -------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_url():
    if not SERVICES.redis_url:
        manque("Redis", SERVICES.raisons.get("redis", "non démarré"))
    return SERVICES.redis_url


@pytest.fixture
def postgres(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        manque("PostgreSQL", SERVICES.raisons.get("postgres", "base de test SQLite"))
    return connection


@pytest.fixture(scope="session")
def worker_celery(django_db_setup, django_db_blocker, redis_url, tmp_path_factory):
    """A real ``celery worker`` process on the test database and the test Redis."""
    from django.db import connection

    if connection.vendor != "postgresql":
        manque("PostgreSQL", "le worker Celery a besoin d'une base partagée entre processus")
    reglages = connection.settings_dict
    boite = tmp_path_factory.mktemp("courriels")
    # the uploaded files the worker reads (imports): a test sets settings.MEDIA_ROOT to it
    media = tmp_path_factory.mktemp("media-worker")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inclusion.settings.test",
        "INCLUSION_WORKER_DE_TEST": "1",
        "DATABASE_URL": (
            f"postgres://{reglages['USER']}@{reglages['HOST']}:{reglages['PORT']}/{reglages['NAME']}"
        ),
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"filemail:///{boite}",
        "MEDIA_ROOT": str(media),
    }
    journal = tmp_path_factory.mktemp("worker") / "worker.log"
    with journal.open("w") as sortie:
        processus = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "inclusion",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                "test@%h",
            ],
            cwd=RACINE,
            env=env,
            stdout=sortie,
            stderr=subprocess.STDOUT,
        )
    fin = time.monotonic() + 60
    while "ready." not in journal.read_text():
        if processus.poll() is not None or time.monotonic() > fin:
            processus.kill()
            pytest.fail(f"le worker Celery n'a pas démarré :\n{journal.read_text()[-3000:]}")
        time.sleep(0.2)
    yield {"processus": processus, "boite": boite, "journal": journal, "media": media}
    processus.terminate()
    try:
        processus.wait(20)
    except subprocess.TimeoutExpired:
        processus.kill()


def reinitialiser_celery(app) -> None:
    """Drop the connections, producers and result backend built from the old settings."""
    app._pool = None
    app._backend_cache = None
    if "amqp" in app.__dict__:
        app.__dict__["amqp"]._producer_pool = None
    if hasattr(app._local, "backend"):
        del app._local.backend


@pytest.fixture
def celery_reel(worker_celery, redis_url):
    """Send tasks to the real worker instead of running them eagerly."""
    from inclusion.celery import app

    avant = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    reinitialiser_celery(app)
    yield worker_celery
    app.conf.update(**avant)
    reinitialiser_celery(app)


# -- browser ---------------------------------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def navigateur():
    if not Path(CHROMIUM).exists():
        manque("Chromium", f"{CHROMIUM} introuvable (paquet Debian chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(navigateur, live_server):
    contexte = navigateur.new_context(base_url=live_server.url, locale="fr-FR")
    page = contexte.new_page()
    page.set_default_timeout(15000)
    fautes: list[str] = []

    def document_charge(reponse):
        # the documents the browser loads (pages and frames), as the user sees them
        if reponse.request.resource_type != "document":
            return
        try:
            verifier_gabarit(reponse.url, reponse.headers.get("content-type", ""), reponse.body())
        except SyntaxeDeGabaritVisible as faute:
            fautes.append(str(faute))
        except Exception:  # noqa: S110 - a body the browser dropped (download, redirect)
            pass

    page.on("response", document_charge)
    yield page
    contexte.close()
    assert not fautes, "\n".join(fautes)


def se_connecter(page, email: str) -> None:
    """Log in through the login page (password of the factories), land on one's space."""
    import re

    from tests.comptes.factories import MOT_DE_PASSE

    page.goto("/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/espace/"))


def _violations_graves(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    resultats = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in resultats.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def verifier_accessibilite(page) -> None:
    """axe-core: no serious or critical violation on the current page, at its width and,
    when it is wider, at a phone's (390×844), where tables scroll and menus fold."""
    graves = _violations_graves(page)
    assert not graves, "\n".join(graves)
    taille = page.viewport_size
    if taille and taille["width"] > 390:
        page.set_viewport_size({"width": 390, "height": 844})
        try:
            graves = _violations_graves(page)
        finally:
            page.set_viewport_size(taille)
        assert not graves, "à 390 px :\n" + "\n".join(graves)


__all__ = ["EN_CI", "ROLES", "SHARED_DATA", "se_connecter", "verifier_accessibilite"]
