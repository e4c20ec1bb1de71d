"""The API against requests generated from its own OpenAPI schema (schemathesis), sent
with the token of every role and without one: never a server error; a refused write
writes nothing, and a read writes nothing at all.

Every operation is covered, writes (``POST``, ``PUT``, ``PATCH``, ``DELETE``) and reads
(``GET``, with their generated filters and pages); the identifiers in the paths point at
real objects (an activity report of the advisor, a site of the territory, a commune...),
so that the requests reach the validation and the permissions rather than a 404. Who may
read what is the access matrix's (``tests/test_acces.py``).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings

from comptes.services import creer_jeton
from tests.conftest import ROLES
from tests.conseillers.factories import ActiviteFactory, ConseillerFactory
from tests.structures.factories import LieuFactory
from tests.test_formulaires_hostiles import _ecarts, _etat

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.timeout(600)]


@pytest.fixture
def schema_api(db):
    # as Django's test client does: the requests share the test's connection and
    # transaction, so the end of a request must not close it
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


ECRITURES = [
    ("POST", "/api/v1/activites/"),
    ("PUT", "/api/v1/activites/{id}/"),
    ("PATCH", "/api/v1/activites/{id}/"),
    ("DELETE", "/api/v1/activites/{id}/"),
    ("POST", "/api/v1/jeton/"),
    ("POST", "/api/v1/lieux/"),
    ("PUT", "/api/v1/lieux/{id}/"),
    ("PATCH", "/api/v1/lieux/{id}/"),
    ("DELETE", "/api/v1/lieux/{id}/"),
]


LECTURES = [
    "/api/v1/activites/",
    "/api/v1/activites/{id}/",
    "/api/v1/communes/",
    "/api/v1/communes/{code_insee}/",
    "/api/v1/conseillers/",
    "/api/v1/conseillers/{id}/",
    "/api/v1/departements/",
    "/api/v1/departements/{code}/",
    "/api/v1/epci/",
    "/api/v1/epci/{siren}/",
    "/api/v1/indices/",
    "/api/v1/lieux/",
    "/api/v1/lieux/{id}/",
    "/api/v1/moi/",
    "/api/v1/regions/",
    "/api/v1/regions/{code}/",
    "/api/v1/statistiques/mensuelles/",
    "/api/v1/zones/",
    "/api/v1/zones/{id}/",
]


def _operations(schema_api, methodes: set[str]) -> set[tuple[str, str]]:
    return {
        (operation.method.upper(), operation.path)
        for resultat in schema_api.get_all_operations()
        for operation in [resultat.ok()]
        if operation.method.upper() in methodes
    }


def test_chaque_operation_du_schema_est_couverte(schema_api):
    """A new operation of the API must be added to ECRITURES or LECTURES."""
    assert _operations(schema_api, {"POST", "PUT", "PATCH", "DELETE"}) == set(ECRITURES)
    assert _operations(schema_api, {"GET"}) == {("GET", chemin) for chemin in LECTURES}


@pytest.fixture
def objets(comptes, geographie):
    """A site of the territory and a report of its advisor; one token per role."""
    lieu = LieuFactory(commune=geographie["le_mans"])
    conseiller = ConseillerFactory(
        user=comptes["conseiller"], commune=geographie["le_mans"], lieux=[lieu]
    )
    activite = ActiviteFactory(conseiller=conseiller)
    jetons = {
        role: creer_jeton(user, libelle="schemathesis")[1]
        for role, user in comptes.items()
        if user is not None
    }
    return {
        "comptes": list(comptes.values()),
        "jetons": jetons,
        # the real object behind each path's identifier
        "chemins": {
            "/api/v1/activites/": activite.pk,
            "/api/v1/lieux/": lieu.pk,
            "/api/v1/conseillers/": conseiller.pk,
            "/api/v1/communes/": geographie["le_mans"].code_insee,
            "/api/v1/departements/": geographie["sarthe"].code,
            "/api/v1/epci/": geographie["metropole"].siren,
            "/api/v1/regions/": geographie["sarthe"].region_id,
            "/api/v1/zones/": geographie["zones"][0].pk,
        },
    }


def _ecarts_hors_usage(avant: dict, apres: dict) -> dict[str, int]:
    """The changes, less the last use noted on a token (an update, not a new row): the one
    write that a read, or a refused write, may make."""
    ecarts = _ecarts(avant, apres)
    if ecarts.get("comptes.JetonApi") == 0:
        del ecarts["comptes.JetonApi"]
    return ecarts


def _viser_un_objet_reel(case, objets) -> None:
    for nom in case.path_parameters or {}:
        prefixe = case.operation.path.split("{", 1)[0]
        case.path_parameters[nom] = objets["chemins"][prefixe]


def _verifier(case, objets) -> None:
    _viser_un_objet_reel(case, objets)
    for role in ROLES:
        entetes = {}
        if role != "anonyme":
            entetes["Authorization"] = f"Token {objets['jetons'][role]}"
        avant = _etat()
        reponse = case.call(headers=entetes)
        contexte = (role, case.method, case.path, reponse.status_code, reponse.text[:300])
        assert reponse.status_code < 500, contexte
        if reponse.status_code >= 400:
            # the login throttle keeps its own records; the project's tables stay as they were
            assert _ecarts_hors_usage(avant, _etat()) == {}, contexte
        if role == "anonyme" and case.path != "/api/v1/jeton/":
            assert reponse.status_code in (401, 403), contexte


@pytest.mark.parametrize(("methode", "chemin"), ECRITURES)
def test_ecritures_hostiles_de_chaque_role(schema_api, objets, methode, chemin):
    operation = schema_api[chemin][methode]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def verifier(case):
        _verifier(case, objets)

    verifier()


@pytest.mark.parametrize("chemin", LECTURES)
def test_lectures_hostiles_de_chaque_role(schema_api, objets, chemin):
    """Generated filters, pages and formats: no server error, and nothing written."""
    operation = schema_api[chemin]["GET"]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=5,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def verifier(case):
        _viser_un_objet_reel(case, objets)
        for role in ROLES:
            entetes = {}
            if role != "anonyme":
                entetes["Authorization"] = f"Token {objets['jetons'][role]}"
            avant = _etat()
            reponse = case.call(headers=entetes)
            contexte = (role, case.path, case.query, reponse.status_code, reponse.text[:300])
            assert reponse.status_code < 500, contexte
            assert _ecarts_hors_usage(avant, _etat()) == {}, contexte

    verifier()


@pytest.mark.parametrize(
    ("methode", "chemin"), [ecriture for ecriture in ECRITURES if ecriture[0] != "DELETE"]
)
def test_ecritures_piegees_de_chaque_role(schema_api, objets, methode, chemin):
    """The generated writes with one text field replaced by a trap of issue 20: a formula
    for spreadsheets, a javascript: or data: link, a CR/LF header injection, control
    characters, or a case variant of an identifier (the token's e-mail among them)."""
    from hypothesis import strategies as st

    from tests.test_formulaires_hostiles import CONTROLES, PIEGES

    operation = schema_api[chemin][methode]
    courriels = sorted({u.email for u in objets["comptes"] if u is not None})
    variantes = st.sampled_from([c.upper() for c in courriels] + [c.title() for c in courriels])

    @given(case=operation.as_strategy(), piege=PIEGES | CONTROLES | variantes, tirage=st.data())
    @settings(
        max_examples=8,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def verifier(case, piege, tirage):
        if isinstance(case.body, dict):
            textes = sorted(k for k, v in case.body.items() if isinstance(v, str))
            if textes:
                case.body[tirage.draw(st.sampled_from(textes))] = piege
        _verifier(case, objets)

    verifier()
