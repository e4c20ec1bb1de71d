"""A referent requests a workshop, a coordinator schedules it, the advisor records attendance
and closes it: the collective activity report exists. Headless Chromium, axe-core on every
page; the public agenda shows the session until then."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ateliers.models import Animation, SessionAtelier
from conseillers.models import Activite
from tests.ateliers.conftest import prochain
from tests.conftest import se_connecter, verifier_accessibilite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_de_la_demande_au_compte_rendu(page, comptes, atelier):
    creneau = prochain(1, 14)

    # the referent asks for a workshop of the catalogue
    se_connecter(page, comptes["referent"].email)
    page.get_by_role("link", name="Demander un atelier").click()
    assert page.locator("h1").inner_text() == "Demander un atelier"
    verifier_accessibilite(page)
    page.get_by_label("Atelier du catalogue").select_option(label=atelier["fiche"].titre)
    page.get_by_label("Lieu").select_option(label="Centre social des Sablons (Le Mans)")
    page.get_by_label("Créneau proposé n° 1").fill(creneau.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Participants attendus").fill("12")
    page.get_by_label("Public", exact=False).first.fill("seniors du quartier")
    page.get_by_role("button", name="Envoyer la demande").click()
    assert (
        "Cet atelier accueille de 3 à 8 participants"
        in page.locator("#erreurs-formulaire").inner_text()
    )
    verifier_accessibilite(page)
    page.get_by_label("Participants attendus").fill("6")
    page.get_by_role("button", name="Envoyer la demande").click()
    page.wait_for_url(re.compile(r"/ateliers/demandes/\d+/$"))
    assert "est envoyée" in page.locator("main").inner_text()
    assert page.locator("#statut").inner_text() == "soumise"
    verifier_accessibilite(page)

    # the coordinator finds it first in the priorities and schedules it
    page.context.clear_cookies()
    se_connecter(page, comptes["coordinateur"].email)
    page.get_by_role("link", name="Planification et plan de charge").click()
    verifier_accessibilite(page)
    page.locator("#table-priorites tbody tr").first.get_by_role("link").click()
    assert page.locator("#plan-de-charge").is_visible()
    verifier_accessibilite(page)
    page.get_by_label("Camille Martin").check()
    page.get_by_role("button", name="Planifier l'atelier").click()
    page.wait_for_url(re.compile(r"/ateliers/demandes/\d+/$"))
    assert page.locator("#statut").inner_text() == "planifiée"
    assert "animée par Camille Martin" in page.locator("#seances").inner_text()
    verifier_accessibilite(page)

    # the public agenda announces it
    page.context.clear_cookies()
    page.goto("/ateliers/agenda/")
    assert atelier["fiche"].titre in page.locator("#liste-seances").inner_text()
    verifier_accessibilite(page)

    # the session takes place; the advisor registers two people and closes it
    session = SessionAtelier.objects.tous().get()
    session.debut = timezone.now() - dt.timedelta(hours=3)
    session.fin = session.debut + dt.timedelta(hours=2)
    session.save()
    Animation.objects.update(debut=session.debut, fin=session.fin)
    se_connecter(page, comptes["conseiller"].email)
    page.get_by_role("link", name="Mes séances d'atelier").click()
    page.locator("#a-cloturer").get_by_role("link").first.click()
    verifier_accessibilite(page)
    for nom in ("Ali B.", "Rose C."):
        page.get_by_label("Prénom et initiale du nom").fill(nom)
        page.get_by_role("button", name="Inscrire", exact=True).click()
        page.wait_for_load_state()
    page.get_by_label("Ali B.").check()
    page.get_by_label("Rose C.").check()
    page.get_by_role("button", name="Enregistrer et clôturer la séance").click()
    assert "Séance clôturée\u00a0: 1 compte rendu" in page.locator("main").inner_text()
    assert "2 participants" in page.locator("#comptes-rendus").inner_text()
    verifier_accessibilite(page)

    activite = Activite.objects.tous().get()
    assert (activite.conseiller, activite.type, activite.nb_participants) == (
        atelier["camille"],
        "collectif",
        2,
    )
    assert activite.titre_atelier == atelier["fiche"].titre
