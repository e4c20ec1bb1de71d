"""A public visitor reports an error on a site's page; the coordinator sees it on the
coordination home, opens it, takes it, corrects the site, closes it as fixed with an
answer that is e-mailed to the visitor. Headless Chromium, axe-core at 390 and 1280 px."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.core import mail

from structures.models import Lieu, Signalement
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import LieuFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def captures(tmp_path) -> Path:
    dossier = Path(os.environ.get("CAPTURES_SIGNALEMENTS", tmp_path))
    dossier.mkdir(parents=True, exist_ok=True)
    return dossier


def _verifier(page, dossier: Path, nom: str) -> None:
    """axe-core at 390 px and 1280 px, a screenshot of each, and no horizontal scroll."""
    for largeur in (390, 1280):
        page.set_viewport_size({"width": largeur, "height": 900})
        verifier_accessibilite(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur, (nom, largeur)
        page.screenshot(path=str(dossier / f"{nom}-{largeur}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _sans_tuiles(page) -> None:
    page.route(
        re.compile(r"^https://tile\.openstreetmap\.org/.*"),
        lambda route: route.fulfill(status=204, body=""),
    )


def test_un_signalement_du_public_traite_de_bout_en_bout(
    page, navigateur, live_server, comptes, geographie, captures
):
    lieu = LieuFactory(
        commune=geographie["le_mans"], nom="Médiathèque Aragon", telephone="0243000000"
    )
    mail.outbox.clear()

    # a public visitor, not logged in, reports the error on the site's page
    _sans_tuiles(page)
    page.goto(f"/lieux/{lieu.pk}/")
    page.get_by_label("Quelle information est erronée ou manquante\u202f?").fill(
        "Le numéro de téléphone n'est plus le bon : c'est le 02 43 47 47 47."
    )
    page.get_by_label("Votre adresse électronique").fill("habitant@exemple.fr")
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.get_by_role("status").filter(has_text="Votre signalement est enregistré").wait_for()

    # the coordinator sees it on the coordination home
    coordination = navigateur.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    _sans_tuiles(coordination)
    se_connecter(coordination, comptes["coordinateur"].email)
    coordination.goto("/espace/coordination/")
    a_faire = coordination.locator("#a-faire")
    tache = a_faire.get_by_role("link", name=re.compile("Signalement d'erreur du public à traiter"))
    assert tache.text_content().endswith("\u00a0: 1")
    tache.click()
    coordination.wait_for_url(re.compile(r"/gestion/signalements/\?statut=nouveau$"))
    _verifier(coordination, captures, "signalements-liste")

    # it opens the report and takes it
    coordination.get_by_role("link", name=re.compile("Médiathèque Aragon")).click()
    coordination.wait_for_url(re.compile(r"/gestion/signalements/\d+/$"))
    assert "n'est plus le bon" in coordination.locator("#message-signalement").inner_text()
    _verifier(coordination, captures, "signalement")
    coordination.get_by_label("Statut").select_option("en_cours")
    coordination.get_by_label("Suivi par").select_option(str(comptes["coordinateur"].pk))
    coordination.get_by_label("Note interne").fill("Vérifier auprès de l'accueil")
    # the answer box stays ticked: nothing leaves while the report is open
    assert coordination.get_by_label(re.compile("Envoyer la réponse par courriel")).is_checked()
    coordination.get_by_role("button", name="Enregistrer le suivi").click()
    coordination.get_by_role("status").filter(has_text="est enregistré").wait_for()
    assert coordination.locator("#statut-signalement").inner_text() == "En cours"
    signalement = Signalement.objects.tous().get()
    assert signalement.assigne_a == comptes["coordinateur"]
    assert mail.outbox == []

    # it corrects the site through the site's form
    coordination.get_by_role("link", name=re.compile("Corriger le lieu")).click()
    coordination.wait_for_url(re.compile(rf"/gestion/lieux/{lieu.pk}/modifier/$"))
    coordination.get_by_label("Téléphone", exact=True).fill("02 43 47 47 47")
    coordination.get_by_role("button", name="Enregistrer le lieu").click()
    coordination.wait_for_url(re.compile(r"/gestion/lieux/$"))
    assert Lieu.objects.tous().get(pk=lieu.pk).telephone == "+33243474747"

    # back to the report: fixed, with an answer edited before it is sent
    coordination.goto(f"/gestion/signalements/{signalement.pk}/")
    coordination.get_by_label("Statut").select_option("corrige")
    reponse = coordination.get_by_label("Réponse", exact=True)
    assert "Médiathèque Aragon" in reponse.input_value()
    reponse.fill("Merci : le numéro de la médiathèque est corrigé, c'est le 02 43 47 47 47.")
    coordination.get_by_role("button", name="Enregistrer le suivi").click()
    coordination.get_by_role("status").filter(
        has_text="la réponse envoyée à habitant@exemple.fr"
    ).wait_for()
    assert coordination.locator("#statut-signalement").inner_text().startswith("Corrigé")
    _verifier(coordination, captures, "signalement-corrige")

    (courriel,) = mail.outbox
    assert courriel.to == ["habitant@exemple.fr"]
    assert "le numéro de la médiathèque est corrigé" in courriel.body
    signalement.refresh_from_db()
    assert signalement.statut == "corrige" and signalement.repondu_le is not None

    # the home no longer counts it
    coordination.goto("/espace/coordination/")
    assert tache.text_content().endswith("\u00a0: 0")
