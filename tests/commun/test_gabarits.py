"""The template-syntax guard of the test suite, and the templates themselves."""

from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from tests.gabarits import SyntaxeDeGabaritVisible, restes_de_gabarit, verifier_gabarit

RACINE = Path(__file__).resolve().parents[2]


@login_not_required
def page_qui_fuit(request):
    gabarit = engines["django"].from_string(
        "<p>Bonjour</p>{# une remarque\n sur deux lignes #}<p>{{ oubli }</p>"
    )
    return HttpResponse(gabarit.render({}, request))


@login_not_required
def flux_json(request):
    return HttpResponse('{"a": {"b": [1, {"c": "%"}]}}', content_type="application/json")


urlpatterns = [path("fuite/", page_qui_fuit), path("flux/", flux_json)]


def test_une_page_qui_montre_un_commentaire_fait_echouer_le_test(client, settings):
    settings.ROOT_URLCONF = __name__
    with pytest.raises(SyntaxeDeGabaritVisible, match=r"(?s)/fuite/.*\{# une remarque"):
        client.get("/fuite/")


@pytest.mark.django_db
def test_le_json_n_est_pas_pris_pour_du_gabarit(client, settings):
    settings.ROOT_URLCONF = __name__
    assert client.get("/flux/").json() == {"a": {"b": [1, {"c": "%"}]}}
    verifier_gabarit(
        "/flux/", "text/html", '<script type="application/json">{"a": {"b": 1}}</script>'
    )
    assert restes_de_gabarit("<p>{% if %}</p><p>{{ x }}</p><p>#}</p>") == [
        "<p>{% if %}</p><p>{{ x }}</p><p>#}</p>",
        "<p>{% if %}</p><p>{{ x }}</p><p>#}</p>",
        "<p>{% if %}</p><p>{{ x }}</p><p>#}</p>",
        "<p>{% if %}</p><p>{{ x }}</p><p>#}</p>",
    ]


def gabarits_du_projet():
    for dossier in ("templates", "*/templates", "indicateurs/*/templates"):
        yield from sorted(RACINE.glob(f"{dossier}/**/*.html"))


@pytest.mark.parametrize(
    "chemin", list(gabarits_du_projet()), ids=lambda p: str(p.relative_to(RACINE))
)
def test_aucun_commentaire_de_gabarit_sur_plusieurs_lignes(chemin):
    """``{# #}`` ends on its own line: a longer comment is ``{% comment %}``."""
    for numero, ligne in enumerate(chemin.read_text().splitlines(), start=1):
        if "{#" in ligne:
            assert "#}" in ligne[ligne.index("{#") :], f"{chemin}:{numero}\u00a0: {ligne.strip()}"
