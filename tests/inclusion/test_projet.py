"""The project's wiring: settings, docker-compose, Celery, API schema, health, headers."""

import importlib
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

RACINE = Path(__file__).resolve().parents[2]


def test_check_deploy_sans_avertissement():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "inclusion.settings.base",
        "SECRET_KEY": "k8#Jq2!vR7zLp0@wX5mN3$tY9^cB6&hD1*fG4(sA8)eU-iO_oP=lK+jH~gF`dS",
        "ALLOWED_HOSTS": "inclusion.example.fr",
        "DATABASE_URL": "sqlite:////tmp/inutile.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:1/0",
        "EMAIL_URL": "smtp://smtp.example.fr:587/?tls=True",
        "PORTAIL_HEBERGEUR": "Hébergeur SAS, 1 rue de l'Exemple, 75000 Paris",
        "PORTAIL_DIRECTION_PUBLICATION": "Mme la présidente de Le Mans Métropole",
    }
    resultat = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "WARNINGS" not in resultat.stdout + resultat.stderr
    assert "no issues" in resultat.stdout


def test_collectstatic_de_production(settings, tmp_path):
    """What the Docker image runs: hashed names with their manifest (compression aside, to
    keep the test short); a library's missing source map does not stop it."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "commun.stockage.StockageStatique"},
    }
    settings.WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
        "js", "css", "map", "svg", "html", "txt", "json", "xml", "md", "png", "ico", "woff",
        "woff2", "ttf", "eot", "gif", "jpg", "scss", "less", "ts", "mjs",
    ]  # fmt: skip
    call_command("collectstatic", interactive=False, verbosity=0)
    manifeste = (tmp_path / "staticfiles.json").read_text(encoding="utf-8")
    assert "leaflet-markercluster/leaflet.markercluster.js" in manifeste
    nom = staticfiles_storage.stored_name("bootstrap/css/bootstrap.min.css")
    assert nom != "bootstrap/css/bootstrap.min.css" and (tmp_path / nom).exists()


def test_reglages_de_production_refusent_de_demarrer_sans_secret():
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "inclusion.settings.base"}
    resultat = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=RACINE,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert resultat.returncode != 0
    assert "SECRET_KEY" in resultat.stderr


def test_docker_compose_pointe_vers_le_projet():
    compose = yaml.safe_load((RACINE / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"db", "redis", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for nom in ("web", "worker", "beat"):
        service = services[nom]
        assert service["build"] == "."
        assert service["env_file"] == ".env"
        module = service["environment"]["DJANGO_SETTINGS_MODULE"]
        assert importlib.util.find_spec(module) is not None, module
        commande = service["command"]
        mots = commande if isinstance(commande, list) else shlex.split(commande)
        texte = " ".join(mots)
        if nom == "web":
            cible = re.search(r"gunicorn (\S+):(\S+)", texte)
            module_wsgi, variable = cible.groups()
            assert hasattr(importlib.import_module(module_wsgi), variable)
            assert "migrate" in texte
        else:
            assert mots[:3] == ["celery", "-A", "inclusion"]
            assert mots[3] == nom
            from celery import Celery

            assert isinstance(importlib.import_module("inclusion").celery_app, Celery)
    exemple = (RACINE / ".env.example").read_text()
    for variable in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "EMAIL_URL"):
        assert f"{variable}=" in exemple
    assert '"inclusion.wsgi:application"' in (RACINE / "Dockerfile").read_text()


def test_celery_eager_sans_redis(settings):
    from inclusion.celery import app

    assert app.conf.task_always_eager is True
    assert settings.CELERY_BROKER_URL == "memory://"


@pytest.mark.django_db
def test_sante(client):
    reponse = client.get(reverse("sante"))
    assert reponse.json() == {"statut": "ok", "base": "ok"}


@pytest.mark.django_db
def test_schema_openapi_et_documentation(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    chemins = schema.json()["paths"]
    assert "/api/v1/communes/" in chemins
    assert "/api/v1/moi/" in chemins
    assert {"tokenAuth", "cookieAuth"} <= set(schema.json()["components"]["securitySchemes"])
    documentation = client.get("/api/v1/documentation/")
    assert documentation.status_code == 200
    contenu = documentation.content.decode()
    assert "swagger-ui" in contenu
    assert "cdn" not in contenu.lower()


@pytest.mark.django_db
def test_en_tetes_de_securite_et_csp(client):
    reponse = client.get("/")
    csp = reponse["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert reponse["X-Frame-Options"] == "DENY"
    assert reponse["X-Content-Type-Options"] == "nosniff"
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in reponse.content.decode()


@pytest.mark.django_db
def test_pages_sans_ressource_externe(client):
    contenu = client.get("/").content.decode()
    assert "http://" not in contenu and "https://" not in contenu


@pytest.mark.django_db
def test_couleur_du_territoire(client, settings):
    settings.PORTAIL_COULEUR = "#ffd700"
    settings.PORTAIL_TERRITOIRE = "Ville de Test"
    contenu = client.get("/").content.decode()
    assert "--portail-couleur:#ffd700;--portail-couleur-texte:#1e1e1e" in contenu
    assert "Ville de Test" in contenu


def test_verification_de_la_couleur(settings):
    from inclusion.checks import verifier_portail

    settings.PORTAIL_COULEUR = "rouge"
    assert [e.id for e in verifier_portail(None)] == ["inclusion.E001"]
    settings.PORTAIL_COULEUR = "#777777"
    assert [e.id for e in verifier_portail(None)] == ["inclusion.W001"]
    settings.PORTAIL_COULEUR = "#00607a"
    assert verifier_portail(None) == []


@pytest.mark.django_db
def test_page_404_en_francais(client, settings):
    settings.DEBUG = False
    reponse = client.get("/nexiste-pas/")
    assert reponse.status_code in (302, 404)
    client.force_login(__import__("tests.comptes.factories", fromlist=["x"]).UserFactory())
    reponse = client.get("/nexiste-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


@pytest.mark.django_db
def test_erreurs_de_l_api_en_json(client, settings, monkeypatch):
    """The API answers an unknown address and a crash in JSON, in French, like the
    errors DRF raises itself; the pages keep their HTML error pages."""
    from structures.api import LieuViewSet

    settings.DEBUG = False
    for chemin in ("/api/v1/nexiste-pas/", "/api/nexiste-pas/"):
        reponse = client.get(chemin)
        assert reponse.status_code == 404, chemin
        assert reponse["Content-Type"] == "application/json"
        assert reponse.json() == {"detail": "Ressource introuvable."}

    def panne(self, request, *args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(LieuViewSet, "list", panne)
    client.raise_request_exception = False
    reponse = client.get("/api/v1/lieux/")
    assert reponse.status_code == 500
    assert reponse["Content-Type"] == "application/json"
    assert reponse.json()["detail"].startswith("Erreur interne du serveur")
    assert "panne simulée" not in reponse.content.decode()
    # the public search crashing is still an HTML page
    from structures.views import public as vues_lieux

    monkeypatch.setattr(vues_lieux, "_contenu_de_la_recherche", lambda parametres: 1 / 0)
    reponse = client.get("/lieux/", {"q": "panne"})
    assert reponse.status_code == 500
    assert reponse["Content-Type"].startswith("text/html")
    assert "Erreur du serveur" in reponse.content.decode()
    reponse = client.get("/lieux/nexiste-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


@pytest.mark.django_db
def test_requete_invalide_en_francais(client, settings):
    """An unknown host (and any request Django finds suspicious) gets a French 400."""
    settings.DEBUG = False
    reponse = client.get("/", HTTP_HOST="portail.pirate.example")
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "Requête invalide" in contenu and 'lang="fr"' in contenu


@pytest.mark.django_db
def test_formulaire_sans_jeton_csrf_en_francais(settings):
    """A form sent without its CSRF token: a French page, and nobody is logged in."""
    from django.test import Client

    from tests.comptes.factories import MOT_DE_PASSE, UserFactory

    settings.DEBUG = False
    user = UserFactory()
    donnees = {"username": user.email, "password": MOT_DE_PASSE}
    navigateur = Client(enforce_csrf_checks=True)
    reponse = navigateur.post(reverse("comptes:connexion"), donnees)
    assert reponse.status_code == 403
    contenu = reponse.content.decode()
    assert "Formulaire expiré" in contenu and "Rien n'a été enregistré" in contenu
    assert "CSRF verification failed" not in contenu
    assert "_auth_user_id" not in navigateur.session
    # the same form with its token logs in
    navigateur.get(reverse("comptes:connexion"))
    donnees["csrfmiddlewaretoken"] = navigateur.cookies["csrftoken"].value
    assert navigateur.post(reverse("comptes:connexion"), donnees).status_code == 302
    assert navigateur.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_load_demo(capsys, monkeypatch):
    from django.core.management import call_command

    # the advisors' part has its own tests: two months of reports instead of two years
    monkeypatch.setattr("inclusion.management.commands.load_demo.MOIS_DEMO", 2)

    from comptes.models import User
    from territoires.models import Zone

    call_command("import_territoires", verbosity=0)
    call_command("load_demo")
    call_command("load_demo")
    sortie = capsys.readouterr().out
    assert "coordination@demo.test / demo-inclusion-2026" in sortie
    assert "71 quartiers" in sortie
    assert Zone.objects.tous().filter(commune_id="72181").count() == 71
    assert User.objects.count() == 5
    coordination = User.objects.get(email="coordination@demo.test")
    assert coordination.check_password("demo-inclusion-2026")
    assert Zone.objects.pour(coordination).count() == 71
    assert Zone.objects.tous().filter(nom="Christ Sauveur").exists()
    _verifier_lieux_demo(sortie, coordination)
    _verifier_donnees_demo(sortie)
    from reseau.models import Contact, Groupe

    # run twice, the network's demo is there once
    assert "réseau\u00a0: 6 contacts des structures" in sortie
    assert Contact.objects.pour(coordination).count() == 6
    assert Groupe.objects.pour(coordination).count() == 2


def _verifier_donnees_demo(sortie):
    from django.test import Client

    from donnees.models import OrigineIntegration, PublicationStatistiques

    assert "statistiques de CU Le Mans Métropole publiées" in sortie
    publication = PublicationStatistiques.objects.get()  # not twice after two runs
    assert OrigineIntegration.objects.count() == 1
    page = Client().get(f"/statistiques/{publication.pk}/")
    assert page.status_code == 200
    # the demo's reports of the last months are published, not an empty table
    assert page.context["donnees"].lignes[1].total


def _verifier_lieux_demo(sortie, coordination):
    from structures.models import Lieu, Structure

    assert "21 lieux (fictifs)" in sortie
    lieux = Lieu.objects.tous()
    assert lieux.count() == 21
    assert all("fictif" in nom for nom in lieux.values_list("nom", flat=True))
    assert lieux.order_by().values("commune").distinct().count() == 11
    assert Lieu.objects.pour(coordination).count() == 21
    bus = lieux.get(identifiant="demo-bus-numerique")
    assert bus.est_itinerant and bus.arrets.count() == 5
    assert lieux.filter(zone__isnull=False).count() == 9
    assert lieux.filter(creneaux__isnull=False).distinct().count() == 21
    referent = Structure.objects.tous().get(referents__email="structure@demo.test")
    assert referent.lieux.count() == 1


@pytest.mark.django_db
def test_load_demo_sans_territoires():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="import_territoires"):
        call_command("load_demo")


def test_origine_du_serveur_de_tuiles_dans_la_csp():
    from inclusion.settings.base import _origin

    assert _origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )
    assert _origin("https://{s}.tile.example.fr/{z}/{x}/{y}.png") == "https://*.tile.example.fr"


def test_le_contexte_de_l_image_ne_prend_ni_secrets_ni_donnees(tmp_path):
    """``COPY . .`` after ``make run``: the build context, computed with Docker's own
    .dockerignore rules, holds the code and none of the checkout's local state."""
    import shutil

    from docker.utils.build import exclude_paths

    regles = (RACINE / ".dockerignore").read_text().splitlines()
    motifs = [r for r in regles if r.strip() and not r.startswith("#")]
    locaux = [
        ".venv/bin/python",
        ".venv/lib/python3.11/site-packages/django/__init__.py",
        "db.sqlite3",
        "db.sqlite3-journal",
        "media/conventions/2026/convention-signee.pdf",
        "staticfiles/staticfiles.json",
        ".git/config",
        ".env",
        ".env.production",
        "inclusion/__pycache__/urls.cpython-311.pyc",
        ".pytest_cache/v/cache/lastfailed",
        "bench/resultats/charge.csv",
    ]
    code = ["manage.py", "inclusion/settings/base.py", "fixtures/territoires/communes.csv"]
    for chemin in locaux + code:
        fichier = tmp_path / chemin
        fichier.parent.mkdir(parents=True, exist_ok=True)
        fichier.write_text("x")
    shutil.copy(RACINE / ".dockerignore", tmp_path / ".dockerignore")
    contexte = set(exclude_paths(str(tmp_path), motifs))
    assert not [c for c in locaux if c in contexte]
    assert set(code) <= contexte
    # and the checkout itself: its code is in the context, its virtualenv is not
    reel = set(exclude_paths(str(RACINE), motifs))
    assert "manage.py" in reel and "commun/apps.py" in reel
    assert not [c for c in reel if c.startswith((".venv/", ".git/", "media/")) or c == "db.sqlite3"]


@pytest.mark.django_db
def test_cookies_de_session_et_csrf_inaccessibles_aux_scripts(client, comptes):
    """docs/securite.md says both cookies are HttpOnly: the answers set them so."""
    from tests.comptes.factories import MOT_DE_PASSE

    reponse = client.get("/connexion/")
    assert reponse.cookies["csrftoken"]["httponly"] is True
    reponse = client.post(
        "/connexion/", {"username": comptes["coordinateur"].email, "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 302
    assert reponse.cookies["sessionid"]["httponly"] is True
    assert client.get("/api/v1/documentation/").status_code == 200
