"""Rate limits (commun/limites.py): the API's throttles, the forgotten-password form, the
client's address shared with django-axes, the settings and their checks."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from commun import limites
from tests.comptes.factories import MOT_DE_PASSE
from tests.structures.factories import LieuFactory

RACINE = Path(__file__).resolve().parents[2]
AUTRE_ADRESSE = "198.51.100.23"


def _taux_de_l_api(settings, **taux) -> None:
    # a new dict: DRF reloads its settings when REST_FRAMEWORK itself is replaced
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **taux},
    }


def _texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


# -- the API -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_des_lieux_limitee_par_adresse_et_par_compte(client, comptes, geographie, settings):
    _taux_de_l_api(settings, lieux="3/h")
    LieuFactory(commune=geographie["le_mans"])
    for _ in range(3):
        assert client.get("/api/v1/lieux/").status_code == 200
    reponse = client.get("/api/v1/lieux/")
    assert reponse.status_code == 429
    assert reponse["Content-Type"] == "application/json"
    detail = reponse.json()["detail"]
    assert detail.startswith("Trop de requêtes en peu de temps\u00a0: réessayez dans ")
    assert detail.endswith(("\u00a0min.", "\u00a0h."))
    assert 1 <= int(reponse["Retry-After"]) <= 3600
    # another address, and an account from the same address, count on their own
    assert client.get("/api/v1/lieux/", REMOTE_ADDR=AUTRE_ADRESSE).status_code == 200
    from comptes.services import creer_jeton

    jeton = creer_jeton(comptes["coordinateur"], libelle="essai")[1]
    entetes = {"HTTP_AUTHORIZATION": f"Token {jeton}"}
    assert client.get("/api/v1/lieux/", **entetes).status_code == 200
    # the other operations of the API are not in this scope
    assert client.get("/api/v1/communes/").status_code == 200


@pytest.mark.django_db
def test_jeton_de_l_api_limite_par_adresse(client, comptes, settings):
    """Before django-axes locks an account (5 failures), one address trying many
    accounts is stopped."""
    _taux_de_l_api(settings, jeton="2/h")
    for user in (comptes["elu"], comptes["referent"]):
        reponse = client.post("/api/v1/jeton/", {"username": user.email, "password": "faux"})
        assert reponse.status_code == 400
    bon = {"username": comptes["conseiller"].email, "password": MOT_DE_PASSE}
    reponse = client.post("/api/v1/jeton/", bon)
    assert reponse.status_code == 429
    assert "réessayez dans" in reponse.json()["detail"]
    from comptes.models import JetonApi

    assert not JetonApi.objects.exists()
    assert client.post("/api/v1/jeton/", bon, REMOTE_ADDR=AUTRE_ADRESSE).status_code == 200


@pytest.mark.django_db
def test_les_limites_de_drf_lisent_aussi_l_adresse_du_mandataire(client, geographie, monkeypatch):
    """The reference data's anonymous throttle (territoires): a client that writes
    X-Forwarded-For itself does not get a new counter with each value."""
    from rest_framework.throttling import AnonRateThrottle

    # DRF's own classes keep the rates they were imported with
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/h"})
    for i in range(2):
        reponse = client.get("/api/v1/communes/", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        assert reponse.status_code == 200
    reponse = client.get("/api/v1/communes/", HTTP_X_FORWARDED_FOR="192.0.2.77")
    assert reponse.status_code == 429
    assert reponse.json()["detail"].startswith("Trop de requêtes en peu de temps")


# -- the forgotten-password form -----------------------------------------------------------


@pytest.mark.django_db
def test_reinitialisation_limitee_par_adresse(client, comptes, settings, horloge_des_limites):
    settings.LIMITE_REINITIALISATION_PAR_ADRESSE = "2/h"
    url = reverse("comptes:reinitialisation")
    for user in (comptes["elu"], comptes["referent"]):
        assert client.post(url, {"email": user.email}).status_code == 302
    assert client.get(url).status_code == 200  # showing the form does not count
    reponse = client.post(url, {"email": comptes["conseiller"].email})
    assert reponse.status_code == 429
    texte = _texte(reponse)
    assert "Vous avez demandé beaucoup de liens de réinitialisation" in texte
    assert "Réessayez dans" in texte
    assert len(mail.outbox) == 2
    assert client.post(url, {"email": comptes["conseiller"].email}, REMOTE_ADDR=AUTRE_ADRESSE)
    assert len(mail.outbox) == 3
    horloge_des_limites["t"] += 3600
    assert client.post(url, {"email": comptes["conseiller"].email}).status_code == 302


@pytest.mark.django_db
def test_reinitialisation_limitee_par_adresse_visee_sans_rien_reveler(
    client, comptes, settings, horloge_des_limites
):
    """One address asked for from several places, in several spellings: one e-mail. An
    address without an account is limited the same way, with the same page."""
    settings.LIMITE_REINITIALISATION_PAR_COURRIEL = "1/h"
    url = reverse("comptes:reinitialisation")
    email = comptes["elu"].email
    assert client.post(url, {"email": email}, REMOTE_ADDR="192.0.2.1").status_code == 302
    refus = [
        client.post(url, {"email": f" {email.upper()} "}, REMOTE_ADDR="192.0.2.2"),
        client.post(url, {"email": email.replace("e", "\uff45", 1)}, REMOTE_ADDR="192.0.2.3"),
    ]
    assert [r.status_code for r in refus] == [429, 429]
    assert len(mail.outbox) == 1
    inconnue = "personne-inconnue@exemple.test"
    assert client.post(url, {"email": inconnue}, REMOTE_ADDR="192.0.2.4").status_code == 302
    refus_inconnue = client.post(url, {"email": inconnue}, REMOTE_ADDR="192.0.2.5")
    assert refus_inconnue.status_code == 429
    message = [re.search(r"<h1>.*?</p>", _texte(r), re.S)[0] for r in (refus[0], refus_inconnue)]
    assert message[0] == message[1]
    assert len(mail.outbox) == 1


# -- the client's address -------------------------------------------------------------------


def test_adresse_du_client(settings):
    requetes = RequestFactory()
    settings.AXES_IPWARE_PROXY_COUNT = 0
    directe = requetes.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert limites.adresse_ip(directe) == "203.0.113.5"
    settings.AXES_IPWARE_PROXY_COUNT = 2
    for transmises, attendue in [
        ("1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        ("198.51.100.7, 10.0.0.2", "198.51.100.7"),
        ("198.51.100.7", "198.51.100.7"),  # fewer hops than announced: the farthest
        ("pas-une-adresse, 10.0.0.2", "10.0.0.1"),
        ("", "10.0.0.1"),
    ]:
        requete = requetes.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=transmises)
        assert limites.adresse_ip(requete) == attendue, transmises
    v6 = requetes.get("/", REMOTE_ADDR="2001:db8:aa:bb:1:2:3:4")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert limites.adresse_du_client("", v6) == "2001:db8:aa:bb::/64"


@pytest.mark.django_db
def test_django_axes_enregistre_la_meme_adresse(client, comptes, settings):
    from axes.models import AccessAttempt

    settings.AXES_IPWARE_PROXY_COUNT = 1
    client.post(
        reverse("comptes:connexion"),
        {"username": comptes["elu"].email, "password": "faux"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1",
    )
    assert AccessAttempt.objects.get().ip_address == "198.51.100.1"


def test_attente_en_clair():
    assert [limites.en_clair(s) for s in (1, 60, 61, 3599, 3600, 5400, 86400)] == [
        "1\u00a0min",
        "1\u00a0min",
        "2\u00a0min",
        "1\u00a0h",
        "1\u00a0h",
        "1\u00a0h 30",
        "24\u00a0h",
    ]


# -- settings and checks ----------------------------------------------------------------------


def test_verification_des_limites(settings):
    from inclusion.checks import verifier_limites
    from inclusion.settings.base import caches_redis

    settings.CACHES = caches_redis("redis://127.0.0.1:1/0")
    assert verifier_limites(None) == []
    settings.LIMITE_PDF_PAR_ADRESSE = "30 par heure"
    assert [e.id for e in verifier_limites(None)] == ["inclusion.E003"]
    settings.LIMITE_PDF_PAR_ADRESSE = "30/h"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DEBUG = False
    assert [e.id for e in verifier_limites(None)] == ["inclusion.W003"]
    settings.DEBUG = True  # runserver: one process, its memory counts right
    assert verifier_limites(None) == []


def _reglages(module: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *env.pop("commande")],
        cwd=RACINE,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_limites_lues_dans_l_environnement_et_check_propre_en_developpement():
    """The development settings (no Redis, the cache in memory): ``manage.py check`` says
    nothing (django-ratelimit's E003 and W001 left out there, see limites_en_memoire_locale);
    every limit comes from the environment."""
    resultat = _reglages("inclusion.settings.dev", commande=["check"])
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "no issues" in resultat.stdout
    env = {
        "LIMITE_SIGNALEMENTS_PAR_ADRESSE": "7/h",
        "LIMITE_SIGNALEMENTS_PAR_LIEU": "30/d",
        "LIMITE_PDF_PAR_ADRESSE": "9/m",
        "LIMITE_REINITIALISATION_PAR_ADRESSE": "4/h",
        "LIMITE_REINITIALISATION_PAR_COURRIEL": "2/d",
        "LIMITE_API_LIEUX": "50/m",
        "LIMITE_API_JETON": "6/h",
    }
    code = (
        "from django.conf import settings as s; r = s.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'];"
        "print(s.LIMITE_SIGNALEMENTS_PAR_ADRESSE, s.LIMITE_SIGNALEMENTS_PAR_LIEU,"
        " s.LIMITE_PDF_PAR_ADRESSE, s.LIMITE_REINITIALISATION_PAR_ADRESSE,"
        " s.LIMITE_REINITIALISATION_PAR_COURRIEL, r['lieux'], r['jeton'])"
    )
    resultat = _reglages("inclusion.settings.dev", commande=["shell", "-v", "0", "-c", code], **env)
    assert resultat.stdout.split() == list(env.values()), resultat.stderr
    lisez_moi = (RACINE / "README.md").read_text()
    exemple = (RACINE / ".env.example").read_text()
    for variable in env:
        assert f"| `{variable}` |" in lisez_moi and f"\n{variable}=" in exemple, variable
