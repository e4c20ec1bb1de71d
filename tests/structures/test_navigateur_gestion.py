"""A coordinator updates a site's hours with the per-day editor, in headless Chromium."""

import re

import pytest

from structures.enums import FAMILLES_TYPOLOGIES
from structures.models import Lieu
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinateur_modifie_les_horaires_par_jour(page, comptes, geographie):
    structure = StructureFactory(commune=geographie["le_mans"], pivot="43493312300029")
    lieu = LieuFactory(
        commune=geographie["le_mans"],
        structure=structure,
        nom="Espace Bellevue",
        horaires="Mo-Fr 09:00-12:00,14:00-17:30",
    )
    LieuFactory(commune=geographie["angers_commune"], nom="Maison Angers")
    se_connecter(page, comptes["coordinateur"].email)

    page.goto("/gestion/lieux/")
    assert page.locator("h1").inner_text() == "Gestion des lieux"
    assert "Maison Angers" not in page.locator("table").inner_text()
    verifier_accessibilite(page)

    page.get_by_role("link", name="Modifier « Espace Bellevue »").click()
    page.wait_for_url(re.compile(rf"/gestion/lieux/{lieu.pk}/modifier/$"))
    verifier_accessibilite(page)
    assert page.get_by_label("lundi, début du créneau 1", exact=True).input_value() == "09:00"

    page.get_by_label("lundi, début du créneau 1", exact=True).fill("08:30")
    page.get_by_role("button", name="Copier les horaires du lundi sur toute la semaine").click()
    assert page.get_by_label("samedi, début du créneau 1", exact=True).input_value() == "08:30"
    for borne in ("début", "fin"):
        for rang in (1, 2):
            page.get_by_label(f"dimanche, {borne} du créneau {rang}", exact=True).fill("")
    page.get_by_role("button", name="Enregistrer le lieu").click()

    page.wait_for_url(re.compile(r"/gestion/lieux/$"))
    assert (
        "Le lieu « Espace Bellevue » a été enregistré."
        in page.get_by_role("status").first.inner_text()
    )
    lieu = Lieu.objects.tous().get(pk=lieu.pk)
    assert lieu.horaires == "Mo-Sa 08:30-12:00,14:00-17:30"

    page.goto(f"/lieux/{lieu.pk}/")
    horaires = page.locator("#titre-horaires").locator("xpath=..").inner_text()
    assert "8\u00a0h\u00a030" in horaires  # no-break spaces, as REDACTION.md writes times


def test_erreur_de_creneau_affichee_et_accessible(page, comptes, geographie):
    lieu = LieuFactory(
        commune=geographie["le_mans"],
        structure=StructureFactory(commune=geographie["le_mans"], pivot="43493312300029"),
    )
    se_connecter(page, comptes["coordinateur"].email)
    page.goto(f"/gestion/lieux/{lieu.pk}/modifier/")
    page.get_by_label("mardi, début du créneau 1", exact=True).fill("13:00")
    page.get_by_role("button", name="Enregistrer le lieu").click()
    alerte = page.locator("#erreurs-formulaire")
    assert "Le lieu n'a pas été enregistré" in alerte.inner_text()
    assert "Mardi, créneau 1&nbsp;: l'heure de fin (12:00) doit être après" in page.content()
    verifier_accessibilite(page)
    assert Lieu.objects.tous().get(pk=lieu.pk).horaires == "Mo-Fr 09:00-12:00,14:00-17:30"


def test_code_postal_et_point_hors_commune_signales(page, comptes, geographie, tmp_path):
    """A postal code that Le Mans does not have and a point in Angers: both errors are
    next to their field, in French, with the distance; fixed, the site is saved."""
    lieu = LieuFactory(
        commune=geographie["le_mans"],
        structure=StructureFactory(commune=geographie["le_mans"], pivot="43493312300029"),
        code_postal="72000",
    )
    se_connecter(page, comptes["coordinateur"].email)
    page.goto(f"/gestion/lieux/{lieu.pk}/modifier/")
    page.locator("#id_code_postal").fill("49000")
    page.locator("#id_latitude").fill("47.47")
    page.locator("#id_longitude").fill("-0.55")
    page.get_by_role("button", name="Enregistrer le lieu").click()
    assert "Le lieu n'a pas été enregistré" in page.locator("#erreurs-formulaire").inner_text()
    code_postal = page.locator("#id_code_postal")
    description = page.locator(f"#{code_postal.get_attribute('aria-describedby').split()[-1]}")
    assert (
        "Le code postal 49000 n'est pas celui du Mans (72000, 72100)\u00a0: corrigez le code "
        "postal ou la commune."
    ) in description.inner_text()
    texte = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "Ce point est à 81 km du centre de Le Mans (30 km au plus)" in texte
    verifier_accessibilite(page)
    for largeur in (390, 1280):
        page.set_viewport_size({"width": largeur, "height": 900})
        haut = page.locator("#id_code_postal").bounding_box()["y"] - 150
        bas = page.locator("#id_longitude").bounding_box()["y"] + 150
        page.screenshot(
            path=str(tmp_path / f"lieu-code-postal-{largeur}.png"),
            full_page=True,
            clip={"x": 0, "y": haut, "width": largeur, "height": bas - haut},
        )
    assert Lieu.objects.tous().get(pk=lieu.pk).code_postal == "72000"

    page.locator("#id_code_postal").fill("72100")
    page.locator("#id_latitude").fill("48.0061")
    page.locator("#id_longitude").fill("0.1996")
    page.get_by_role("button", name="Enregistrer le lieu").click()
    page.wait_for_url(re.compile(r"/gestion/lieux/$"))
    assert Lieu.objects.tous().get(pk=lieu.pk).code_postal == "72100"


def test_filtrer_les_typologies_au_clavier(page, comptes, geographie):
    se_connecter(page, comptes["coordinateur"].email)
    page.goto("/gestion/lieux/nouveau/")
    groupe = page.get_by_role("group", name=re.compile("^typologies", re.IGNORECASE))
    cases = groupe.get_by_role("checkbox")
    total = cases.count()
    assert total > 20
    # grouped by family, a fieldset and its legend each
    familles = groupe.locator("fieldset[data-famille]")
    assert familles.count() == len(FAMILLES_TYPOLOGIES)
    emploi = groupe.get_by_role("group", name="Emploi et formation")
    assert emploi.get_by_role("checkbox", name="Mission locale").is_visible()
    filtre = page.get_by_role("searchbox", name=re.compile("Filtrer la liste"))
    filtre.focus()
    page.keyboard.type("mediatheque", delay=20)
    visibles = groupe.locator("input[type=checkbox]:visible")
    assert 0 < visibles.count() < total
    # the families without a match are hidden with their legend
    assert not emploi.is_visible()
    assert groupe.locator("fieldset[data-famille]:visible").count() == 1
    assert all(
        "diath" in t.lower() for t in groupe.locator("[data-choix]:visible").all_inner_texts()
    )
    page.keyboard.press("Tab")  # to the first box still shown
    page.keyboard.press("Space")
    coche = groupe.locator("input[type=checkbox]:checked")
    assert coche.count() == 1
    etat = page.locator("#filtre-cases-0-etat")
    assert etat.inner_text().endswith("1 coché")
    verifier_accessibilite(page)
    filtre.fill("insertion")
    # the ticked box stays shown beside the new matches
    assert coche.first.is_visible()
    filtre.fill("")
    assert visibles.count() == total
