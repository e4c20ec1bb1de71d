"""A coordinator of the Sarthe imports a slice of the real France Services list: chooses the
kind of file, uploads it, reads the preview (rows to create, rows refused outside its
territory, ignored columns), keeps the valid rows, follows the import run by the real
Celery worker, reads the result and downloads the refused rows. Headless Chromium, axe-core
on every page, at phone and desktop widths."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from comptes.enums import Role
from imports.enums import EtatImport
from imports.models import Import
from structures.models import Lieu
from territoires.models import Departement
from tests.comptes.factories import UserFactory
from tests.conftest import SHARED_DATA, se_connecter, verifier_accessibilite
from tests.imports.factories import ImportFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRANCE_SERVICES = SHARED_DATA / "realdata" / "france-services-liste-20221201.csv"


def _verifier(page, dossier: Path, nom: str) -> None:
    """axe-core at 390 px and 1280 px, a screenshot of each, and no horizontal scroll."""
    for largeur in (390, 1280):
        page.set_viewport_size({"width": largeur, "height": 900})
        verifier_accessibilite(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur, (nom, largeur)
        page.screenshot(path=str(dossier / f"{nom}-{largeur}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def captures(tmp_path) -> Path:
    dossier = Path(os.environ.get("CAPTURES_IMPORTS", tmp_path))
    dossier.mkdir(parents=True, exist_ok=True)
    return dossier


def tranche(dossier: Path) -> Path:
    """The Sarthe's 26 France Services and the file's first 3 (Ain, Aisne), as it has them."""
    with FRANCE_SERVICES.open(encoding="utf-8", newline="") as source:
        lecteur = csv.DictReader(source)
        rangees = list(lecteur)
        colonnes = lecteur.fieldnames
    gardees = rangees[:3] + [r for r in rangees if r["insee_dep"] == "72"]
    flux = io.StringIO()
    ecrivain = csv.DictWriter(flux, fieldnames=colonnes, quoting=csv.QUOTE_NONNUMERIC)
    ecrivain.writeheader()
    ecrivain.writerows(gardees)
    chemin = dossier / "france-services-sarthe.csv"
    chemin.write_text(flux.getvalue(), encoding="utf-8")
    return chemin


def test_importer_la_liste_des_france_services(
    page, live_server, celery_reel, settings, tmp_path, captures
):
    settings.MEDIA_ROOT = celery_reel["media"]  # the worker reads the uploaded file there
    call_command("import_territoires", verbosity=0)
    coordinateur = UserFactory(
        role=Role.COORDINATEUR, territoires=[Departement.objects.get(pk="72")]
    )
    fichier = tranche(tmp_path)

    se_connecter(page, coordinateur.email)
    page.get_by_role("link", name="Imports de fichiers").click()
    page.wait_for_url(re.compile(r"/gestion/imports/$"))
    assert "0 import" in page.locator("#nombre-imports").inner_text()
    _verifier(page, captures, "liste-vide")

    page.get_by_role("link", name="Importer un fichier").click()
    _verifier(page, captures, "types")
    page.get_by_role("link", name="Lieux de médiation numérique").click()
    page.get_by_role("button", name="Analyser le fichier").click()
    assert page.get_by_label("Fichier").get_attribute("aria-invalid") == "true"
    assert "Choisissez le fichier à importer." in page.content()
    _verifier(page, captures, "depot-erreur")

    page.get_by_label("Fichier").set_input_files(str(fichier))
    page.get_by_role("button", name="Analyser le fichier").click()
    page.wait_for_url(re.compile(r"/gestion/imports/\d+/$"))
    apercu = page.locator("#apercu")
    assert apercu.locator("[data-compte=crees]").inner_text() == "26"
    assert apercu.locator("[data-compte=refusees]").inner_text() == "3"
    erreurs = page.locator(".erreurs-import li").all_inner_texts()
    assert erreurs[0].startswith("Ligne 2, colonne code_insee\u00a0: la commune 01033")
    assert "hors de votre territoire" in erreurs[0]
    assert "Colonnes ignorées" in page.content()
    assert not Lieu.objects.tous().exists()
    _verifier(page, captures, "apercu")

    page.get_by_label("Garder les lignes valides").check()
    page.get_by_role("button", name="Lancer l'import").click()
    page.wait_for_url(re.compile(r"/gestion/imports/\d+/$"))
    # the progress page while the worker runs, then the result (test_suivi_… below)
    page.locator("#resultat-import").wait_for(timeout=60000)
    assert "Import terminé" in page.locator("#resultat-import").inner_text()
    resultat = page.locator("#resultat")
    assert resultat.locator("[data-compte=crees]").inner_text() == "26"
    assert Lieu.objects.tous().count() == 26
    _verifier(page, captures, "resultat")

    with page.expect_download() as attente:
        page.get_by_role("link", name="Télécharger les lignes refusées (CSV)").click()
    telecharge = attente.value
    assert telecharge.suggested_filename.startswith("lignes-refusees-")
    texte = Path(telecharge.path()).read_text(encoding="utf-8-sig")
    rangees = list(csv.DictReader(io.StringIO(texte), delimiter=";"))
    assert len(rangees) == 3
    assert {r["insee_dep"] for r in rangees} == {"01", "02"}
    assert all("hors de votre territoire" in r["motifs_du_refus"] for r in rangees)

    page.get_by_role("link", name="Retour aux imports").click()
    assert "1 import" in page.locator("#nombre-imports").inner_text()
    assert "Terminé" in page.locator("#table-imports").inner_text()
    assert Import.objects.tous().get().tache.startswith("celery:")
    _verifier(page, captures, "liste")


def test_suivi_d_un_import_en_cours(page, live_server, comptes, captures):
    """The progress page says the import runs (a polite live region) with the rows checked
    on a progress bar that follows the task, then turns into the result by itself once the
    state it polls says the import is over."""
    import_ = ImportFactory(
        cree_par=comptes["coordinateur"],
        etat=EtatImport.EN_COURS,
        progression={"etape": "verification", "fait": 12000, "total": 20000},
    )
    se_connecter(page, comptes["coordinateur"].email)
    page.goto(reverse("imports:import", args=[import_.pk]))
    suivi = page.locator("#suivi")
    assert suivi.get_attribute("aria-live") == "polite"
    assert suivi.get_attribute("role") == "status"
    assert "Import en cours" in suivi.inner_text()
    texte = page.locator("#texte-progression").inner_text()
    # thousands grouped by a no-break space (the portal's intcomma, then the browser's)
    assert re.sub(r"[\u00a0\u202f]", " ", texte) == "12 000 lignes vérifiées sur 20 000"
    barre = page.get_by_label(re.compile("lignes vérifiées sur"))
    assert (barre.get_attribute("value"), barre.get_attribute("max")) == ("12000", "20000")
    _verifier(page, captures, "en-cours")
    # the task moves on: the bar follows without reloading the page
    Import.objects.tous().filter(pk=import_.pk).update(
        progression={"etape": "ecriture", "fait": 20000, "total": 20000}
    )
    page.get_by_text("écriture en cours").wait_for(timeout=10000)
    assert page.locator("#barre-progression").get_attribute("value") == "20000"
    Import.objects.tous().filter(pk=import_.pk).update(etat=EtatImport.TERMINE, crees=2)
    page.locator("#resultat-import").wait_for(timeout=15000)
    assert "Import terminé" in page.locator("#resultat-import").inner_text()
