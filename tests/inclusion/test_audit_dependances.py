"""``manage.py audit_dependances`` against a PyPI-like index served on loopback: what it
reports and when it fails, for the packages installed in the running environment."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inclusion.management.commands.audit_dependances import paquets_installes
from tests.services import port_libre

INSTALLES = paquets_installes(set())
VULNERABILITE = {
    "id": "PYSEC-2026-9999",
    "aliases": ["CVE-2026-99999", "GHSA-xxxx-yyyy-zzzz"],
    "fixed_in": [],
    "link": "https://osv.dev/vulnerability/PYSEC-2026-9999",
    "details": "Exécution de code à distance.",
}


class Index:
    """Each installed package at its latest release, without vulnerability, unless
    ``projets`` says otherwise (a dict per name, or None for a 404)."""

    def __init__(self):
        self.projets: dict[str, dict | None] = {}
        self.demandes: list[str] = []

    def reponse(self, nom: str):
        if nom in self.projets:
            return self.projets[nom]
        version = INSTALLES.get(nom)
        if version is None:
            return None
        return {
            "info": {"version": version},
            "releases": {version: [{"yanked": False, "yanked_reason": None}]},
            "vulnerabilities": [],
        }


@pytest.fixture
def index():
    etat = Index()

    class Gestionnaire(BaseHTTPRequestHandler):
        def do_GET(self):
            etat.demandes.append(self.path)
            parties = self.path.strip("/").split("/")
            corps = etat.reponse(parties[1]) if len(parties) == 3 else None
            if corps is None:
                self.send_error(404)
                return
            donnees = json.dumps(corps).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(donnees)))
            self.end_headers()
            self.wfile.write(donnees)

        def log_message(self, *args):
            pass

    serveur = ThreadingHTTPServer(("127.0.0.1", port_libre()), Gestionnaire)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    etat.url = f"http://127.0.0.1:{serveur.server_port}"
    yield etat
    serveur.shutdown()
    serveur.server_close()


def auditer(index, tmp_path, configuration: str = "") -> tuple[str, str]:
    fichier = tmp_path / "pyproject.toml"
    fichier.write_text(configuration, encoding="utf-8")
    sortie, erreurs = StringIO(), StringIO()
    call_command(
        "audit_dependances",
        index=index.url,
        delai=5,
        configuration=str(fichier),
        stdout=sortie,
        stderr=erreurs,
    )
    return sortie.getvalue(), erreurs.getvalue()


def test_tous_les_paquets_installes_sont_interroges(index, tmp_path):
    sortie, _ = auditer(index, tmp_path)
    assert {d.split("/")[2] for d in index.demandes} == set(INSTALLES)
    assert f"{len(INSTALLES)} paquets installés : {len(INSTALLES)} audités" in sortie
    assert "0 problème(s)" in sortie


def test_une_vulnerabilite_de_la_version_installee_fait_echouer(index, tmp_path):
    version = INSTALLES["django"]
    index.projets["django"] = {
        "info": {"version": version},
        "releases": {version: [{"yanked": False}]},
        "vulnerabilities": [VULNERABILITE],
    }
    erreurs = StringIO()
    with pytest.raises(CommandError, match="1 problème"):
        call_command(
            "audit_dependances",
            index=index.url,
            configuration=str(tmp_path / "absent.toml"),
            stdout=StringIO(),
            stderr=erreurs,
        )
    assert f"django {version} : PYSEC-2026-9999 (CVE-2026-99999" in erreurs.getvalue()
    assert "aucune version corrective" in erreurs.getvalue()


def test_une_vulnerabilite_ecartee_avec_sa_raison_ne_fait_pas_echouer(index, tmp_path):
    version = INSTALLES["django"]
    index.projets["django"] = {
        "info": {"version": version},
        "releases": {version: []},
        "vulnerabilities": [VULNERABILITE],
    }
    sortie, _ = auditer(
        index,
        tmp_path,
        '[tool.audit-dependances.ignorer]\n"CVE-2026-99999" = "module non utilisé"\n',
    )
    assert "0 problème(s)" in sortie


def test_une_version_retiree_fait_echouer(index, tmp_path):
    version = INSTALLES["redis"]
    index.projets["redis"] = {
        "info": {"version": "99.0"},
        "releases": {version: [{"yanked": True, "yanked_reason": "fuite de connexions"}]},
        "vulnerabilities": [],
    }
    with pytest.raises(CommandError) as erreur:
        auditer(index, tmp_path)
    assert "1 problème" in str(erreur.value)


def test_une_version_anterieure_est_signalee_sans_echec(index, tmp_path):
    """Its own vulnerabilities are not in these data: those of the latest release are
    shown as a warning, and it is counted as not audited."""
    index.projets["gunicorn"] = {
        "info": {"version": "999.0"},
        "releases": {INSTALLES["gunicorn"]: [{"yanked": False}]},
        "vulnerabilities": [VULNERABILITE],
    }
    sortie, erreurs = auditer(index, tmp_path)
    assert f"gunicorn {INSTALLES['gunicorn']} < 999.0" in sortie
    assert f"{len(INSTALLES) - 1} audités à leur dernière version, 1 non vérifiable ici" in sortie
    assert "Attention : gunicorn" in erreurs and "PYSEC-2026-9999" in erreurs


def test_une_version_plus_recente_permise_par_les_bornes_est_signalee(index, tmp_path):
    """Django held on 5.2 LTS: a newer 5.2 release is pointed out (not a yanked one, nor a
    pre-release, nor one outside the bounds)."""
    installee = INSTALLES["django"]
    index.projets["django"] = {
        "info": {"version": "99.0"},
        "releases": {
            installee: [{"yanked": False}],
            "5.2.9999": [{"yanked": False}],
            "5.2.99999": [{"yanked": True}],
            "5.2.99999rc1": [{"yanked": False}],
            "99.0": [{"yanked": False}],
        },
        "vulnerabilities": [],
    }
    configuration = '[project]\nname = "x"\ndependencies = ["Django>=5.2,<5.3"]\n'
    _, erreurs = auditer(index, tmp_path, configuration)
    assert f"django {installee} : la version 5.2.9999, permise par « Django<5.3,>=5.2 »" in erreurs
    index.projets["django"]["releases"].pop("5.2.9999")
    _, erreurs = auditer(index, tmp_path, configuration)
    assert "permise par" not in erreurs


def test_un_paquet_inconnu_de_l_index_fait_echouer(index, tmp_path):
    index.projets["celery"] = None
    with pytest.raises(CommandError, match="1 problème"):
        auditer(index, tmp_path)


def test_le_projet_lui_meme_et_les_exclus_ne_sont_pas_interroges(index, tmp_path):
    auditer(
        index,
        tmp_path,
        '[project]\nname = "Celery"\n[tool.audit-dependances]\nexclure = ["redis"]\n',
    )
    demandes = {d.split("/")[2] for d in index.demandes}
    assert "celery" not in demandes and "redis" not in demandes
    assert "django" in demandes


def test_un_index_injoignable_fait_echouer(tmp_path, monkeypatch):
    monkeypatch.setattr("inclusion.management.commands.audit_dependances.PAUSE", 0)
    with pytest.raises(CommandError, match=f"{len(INSTALLES)} problème"):
        call_command(
            "audit_dependances",
            index=f"http://127.0.0.1:{port_libre()}",
            delai=1,
            configuration=str(tmp_path / "absent.toml"),
            stdout=StringIO(),
            stderr=StringIO(),
        )
