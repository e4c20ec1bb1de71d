"""Faults: Redis stopped, PostgreSQL connections cut, a computation killed mid-way.

- With Redis (cache and Celery broker) stopped, the public pages, logging in and entering a
  report keep working, the rate limits let requests through; an e-mail that should have
  been queued is sent directly; the monthly
  statistics missed meanwhile are computed once the hourly catch-up runs again.
- When PostgreSQL drops the portal's connections (what a restart does to its clients), the
  next request reconnects: no restart of the portal.
- A monthly computation killed in the middle of writing its rows leaves the previous
  snapshot whole and no journal row: nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as reglages
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from conseillers.services import profil_conseiller
from indicateurs.statistiques.calcul import calculer_mois, dernier_mois_clos, rattraper_mois_ecoule
from indicateurs.statistiques.models import CalculStatistiques, MotifCalcul, StatistiqueMensuelle
from tests.comptes.factories import MOT_DE_PASSE, UserFactory
from tests.conseillers.factories import ActiviteFactory
from tests.services import _attendre_port, manque, port_libre
from tests.structures.factories import LieuFactory

RACINE = Path(__file__).resolve().parents[2]


# -- Redis stopped ---------------------------------------------------------------------------


@pytest.fixture
def redis_a_arreter():
    """A Redis of the test's own, to be stopped by it (the suite's keeps running)."""
    binaire = shutil.which("redis-server")
    if not binaire:
        manque("Redis", "redis-server introuvable (paquet Debian redis-server)")
    port = port_libre()
    processus = subprocess.Popen(
        [binaire, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _attendre_port(port)
    yield processus, f"redis://127.0.0.1:{port}/0"
    if processus.poll() is None:
        processus.terminate()
        processus.wait(timeout=10)


@pytest.fixture
def celery_sur(redis_a_arreter):
    """Celery publishing to that Redis, as in production (not eagerly)."""
    from inclusion.celery import app
    from tests.conftest import reinitialiser_celery

    _processus, url = redis_a_arreter
    avant = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    reinitialiser_celery(app)
    yield app
    app.conf.update(**avant)
    reinitialiser_celery(app)


@pytest.mark.integration
@pytest.mark.django_db
def test_redis_arrete_les_pages_et_la_saisie_continuent(
    settings, redis_a_arreter, celery_sur, geographie, django_capture_on_commit_callbacks
):
    from inclusion.settings.base import caches_redis

    processus, url = redis_a_arreter
    settings.CACHES = caches_redis(url)
    cache.set("panne", "non")
    assert cache.get("panne") == "non"  # Redis answers before the fault
    lieu = LieuFactory(commune=geographie["le_mans"], nom="Médiathèque Aragon")
    coordinateur = UserFactory(role=Role.COORDINATEUR, territoires=[geographie["metropole"]])
    conseiller = UserFactory(role=Role.CONSEILLER, territoires=[geographie["metropole"]])
    profil_conseiller(user=conseiller)

    processus.terminate()
    processus.wait(timeout=10)

    public = Client()
    debut = time.perf_counter()
    assert public.get("/").status_code == 200
    assert public.get(reverse("structures:lieux")).status_code == 200
    assert public.get(reverse("structures:lieux_carte")).status_code == 200
    assert public.get(reverse("structures:lieu", args=[lieu.pk])).status_code == 200
    assert cache.get("panne") is None  # a miss, not an error
    # an advisor logs in and records a report
    saisie = Client()
    reponse = saisie.post(
        reverse("comptes:connexion"), {"username": conseiller.email, "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 302  # sessions and the lockout counter live in PostgreSQL
    reponse = saisie.post(
        "/api/v1/activites/",
        {
            "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "duree_minutes": 30,
            "type": "individuel",
            "canal": "distance",
            "thematiques": ["email"],
        },
        content_type="application/json",
    )
    assert reponse.status_code == 201, reponse.content
    # the public's report is stored for the morning's digest: its limits, counted in
    # Redis, let it through (RATELIMIT_FAIL_OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = public.post(
            reverse("structures:signaler", args=[lieu.pk]),
            {"message": "Le lieu est fermé le lundi matin."},
        )
    assert reponse.status_code == 302
    assert lieu.signalements.count() == 1
    assert not mail.outbox
    # an e-mail meant for the queue goes directly (the forgotten-password link)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = public.post(reverse("comptes:reinitialisation"), {"email": coordinateur.email})
    assert reponse.status_code == 302
    assert [m.to for m in mail.outbox] == [[coordinateur.email]]
    # bounded waits: the whole visit took seconds, not the broker's retry loops
    assert time.perf_counter() - debut < 60


@pytest.mark.django_db
def test_le_calcul_mensuel_manque_est_rattrape(geographie):
    mois = dernier_mois_clos()
    ActiviteFactory(date=mois + dt.timedelta(days=3))
    premier = timezone.make_aware(
        dt.datetime.combine(timezone.localdate().replace(day=1), dt.time(2))
    )
    assert rattraper_mois_ecoule(maintenant=premier) is None  # 3:15 has not come yet
    calcul = rattraper_mois_ecoule()
    assert (calcul.mois, calcul.motif) == (mois, MotifCalcul.MENSUEL)
    assert StatistiqueMensuelle.objects.tous().filter(mois=mois).exists()
    assert rattraper_mois_ecoule() is None  # done once
    taches = {e["task"] for e in reglages.CELERY_BEAT_SCHEDULE.values()}
    assert "indicateurs.tasks.rattraper_statistiques" in taches


# -- PostgreSQL connections cut --------------------------------------------------------------


def _requete(chemin: str) -> int:
    """One request through Django's WSGI handler, as gunicorn makes it (the test client
    leaves out the connection checks made at the start of each request)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import RequestFactory

    statut = []
    environ = RequestFactory()._base_environ(PATH_INFO=chemin, REQUEST_METHOD="GET")
    reponse = WSGIHandler()(environ, lambda s, _entetes: statut.append(int(s.split()[0])))
    b"".join(reponse)
    reponse.close()  # request_finished: persistent connections stay open
    return statut[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_le_portail_se_reconnecte_apres_une_coupure_de_postgresql(postgres, geographie):
    lieu = LieuFactory(commune=geographie["le_mans"])
    url = reverse("structures:lieu", args=[lieu.pk])
    reglage = connection.settings_dict
    ancien = (reglage["CONN_MAX_AGE"], reglage["CONN_HEALTH_CHECKS"])
    connection.close()
    reglage["CONN_MAX_AGE"], reglage["CONN_HEALTH_CHECKS"] = 60, True  # as in production
    try:
        assert _requete(url) == 200
        pid = connection.connection.info.backend_pid  # kept open between requests
        with psycopg.connect(
            host=reglage["HOST"], port=reglage["PORT"], user=reglage["USER"], dbname="postgres"
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        time.sleep(0.2)
        cache.clear()  # the page must be read from the database again, not from the cache
        assert _requete(url) == 200  # the dead connection is noticed and replaced
        assert connection.connection.info.backend_pid != pid
    finally:
        connection.close()
        reglage["CONN_MAX_AGE"], reglage["CONN_HEALTH_CHECKS"] = ancien


# -- a computation killed mid-way ------------------------------------------------------------

INTERROMPU = """
import os, sys, time
import django
django.setup()
from indicateurs.statistiques import calcul as statistiques
ecrire = statistiques._ecrire

def ecrire_puis_mourir(lignes, mois, maintenant):
    ecrire(lignes[: len(lignes) // 2], mois, maintenant)  # half of the rows are written
    open(sys.argv[1], "w").close()
    time.sleep(60)  # killed here

statistiques._ecrire = ecrire_puis_mourir
statistiques.calculer_mois(statistiques.lire_mois(sys.argv[2]), motif="mensuel")
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_un_calcul_tue_en_plein_travail_ne_laisse_rien_a_moitie(postgres, geographie, tmp_path):
    mois = dt.date(2026, 3, 1)
    for jour in (2, 9, 16):
        ActiviteFactory(date=mois + dt.timedelta(days=jour), commune=geographie["le_mans"])
    ActiviteFactory(date=mois + dt.timedelta(days=5), commune=geographie["yvre"])
    calculer_mois(mois)
    avant = sorted(
        StatistiqueMensuelle.objects.tous().filter(mois=mois).values_list("axe", "cle", "activites")
    )
    journal_avant = CalculStatistiques.objects.count()
    # a late report, then a computation that dies halfway through writing
    ActiviteFactory(date=mois + dt.timedelta(days=20), commune=geographie["le_mans"])
    reglage = connection.settings_dict
    marqueur = tmp_path / "a-moitie"
    processus = subprocess.Popen(
        [sys.executable, "-c", INTERROMPU, str(marqueur), "2026-03"],
        cwd=RACINE,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "inclusion.settings.test",
            "DATABASE_URL": (
                f"postgres://{reglage['USER']}@{reglage['HOST']}:{reglage['PORT']}/"
                f"{reglage['NAME']}"
            ),
        },
    )
    try:
        for _ in range(600):
            if marqueur.exists() or processus.poll() is not None:
                break
            time.sleep(0.1)
        assert marqueur.exists(), "le calcul n'a pas atteint l'écriture"
        processus.send_signal(signal.SIGKILL)  # as a worker lost mid-task
    finally:
        processus.wait(timeout=30)
    apres = sorted(
        StatistiqueMensuelle.objects.tous().filter(mois=mois).values_list("axe", "cle", "activites")
    )
    assert apres == avant
    assert CalculStatistiques.objects.count() == journal_avant
    # run again (the task is acknowledged late, so the broker gives it back): complete
    calculer_mois(mois)
    territoire = StatistiqueMensuelle.objects.tous().filter(mois=mois, axe="territoire")
    assert (
        sum(territoire.values_list("activites", flat=True))
        == sum(n for axe, _cle, n in avant if axe == "territoire") + 1
    )
