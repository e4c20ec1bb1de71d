"""The API's write operations against requests generated from its own OpenAPI schema
(schemathesis), sent with the token of every role and without one: never a server error,
and a refused request writes nothing.

Every operation that writes (``POST``, ``PUT``, ``PATCH``, ``DELETE``) is covered; the
identifiers in the paths point at real objects (an activity report of the advisor, a site
of the territory), so that the bodies reach the validation and the permissions rather than
a 404. The reads are covered by the access matrix (``tests/test_acces.py``).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token

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


def test_chaque_ecriture_du_schema_est_couverte(schema_api):
    """A new write operation of the API must be added to ECRITURES."""
    ecritures = {
        (operation.method.upper(), operation.path)
        for resultat in schema_api.get_all_operations()
        for operation in [resultat.ok()]
        if operation.method.upper() in {"POST", "PUT", "PATCH", "DELETE"}
    }
    assert ecritures == set(ECRITURES)


@pytest.fixture
def objets(comptes, geographie):
    """A site of the territory and a report of its advisor; one token per role."""
    lieu = LieuFactory(commune=geographie["le_mans"])
    conseiller = ConseillerFactory(
        user=comptes["conseiller"], commune=geographie["le_mans"], lieux=[lieu]
    )
    activite = ActiviteFactory(conseiller=conseiller)
    jetons = {
        role: Token.objects.get_or_create(user=user)[0].key
        for role, user in comptes.items()
        if user is not None
    }
    return {"lieu": lieu.pk, "activite": activite.pk, "jetons": jetons}


def _verifier(case, objets) -> None:
    if case.path_parameters and "id" in case.path_parameters:
        # a real object behind {id}: the report for /activites/, the site for /lieux/
        cle = "activite" if "/activites/" in case.operation.path else "lieu"
        case.path_parameters["id"] = objets[cle]
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
            assert _ecarts(avant, _etat()) == {}, contexte
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
