"""A coordinator reads La Mednum's published index (rows of the real file for Le Mans and
Yvré-l'Évêque): the IRIS ranking with the published axes, the communes' map, one IRIS's
page; in headless Chromium, axe-core at phone and desktop width."""

import csv
import io

import pytest

from indicateurs.indice.publication import importer_indice_publie
from territoires.models import Zone
from tests.conftest import se_connecter, verifier_accessibilite
from tests.indicateurs.indice.test_indice_publie import FICHIER_MEDNUM
from tests.indicateurs.indice.test_pages_indice import METROPOLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def extrait_du_fichier_reel(communes: set[str]) -> str:
    """The real file's header and its rows for these communes, unchanged."""
    with FICHIER_MEDNUM.open(encoding="utf-8-sig", newline="") as fichier:
        lignes = fichier.read().splitlines()
    garder = [lignes[0]]
    colonne = next(csv.reader([lignes[0]], delimiter=";")).index("Insee Com")
    garder += [ligne for ligne in lignes[1:] if ligne.split(";")[colonne] in communes]
    return "\n".join(garder) + "\n"


def test_coordinateur_lit_l_indice_publie_par_la_mednum(page, comptes, geographie, tmp_path):
    if not FICHIER_MEDNUM.is_file():
        pytest.skip("fichier réel absent (../shared/data/realdata)")
    Zone.objects.tous().filter(pk=geographie["zones"][0].pk).update(code="721812001", type="iris")
    rapport = importer_indice_publie(
        flux=io.StringIO(extrait_du_fichier_reel({"72181", "72386"})),
        millesime=2020,
        reference="departement",
    )
    assert (rapport.iris, rapport.communes, rapport.rattachees_a_une_zone) == (72, 1, 1)
    se_connecter(page, comptes["coordinateur"].email)

    page.goto(f"/indicateurs/indice/?territoire={METROPOLE}&niveau=iris")
    assert "La Mednum, base 100 par département" in page.locator("#version").inner_text()
    lecture = page.locator("#lecture-publiee").inner_text()
    assert "100 est la moyenne de son département" in lecture
    assert "sans les valeurs des indicateurs" in lecture
    lignes = page.locator("#table-classement tbody tr")
    assert lignes.count() == 72
    assert "72 IRIS du territoire." in page.locator("#version").inner_text()
    entetes = page.locator("#table-classement thead th").all_inner_texts()
    assert entetes[-2:] == ["Accès (global)", "Compétences (global)"]
    assert "Accès à l'information" in entetes
    assert not any(e.startswith("Score") for e in entetes)
    # the district of the portal holding the IRIS code keeps its name
    assert page.locator("#unite-721812001 th").inner_text() == "Bellevue"
    verifier_accessibilite(page)
    page.screenshot(path=str(tmp_path / "classement-iris-1280.png"), full_page=True)

    # the communes not split into IRIS: a version at commune level, drawn on the map
    page.goto(f"/indicateurs/indice/?territoire={METROPOLE}&niveau=commune")
    assert page.locator("#table-classement tbody tr").count() == 1
    assert "1 commune du territoire." in page.locator("#version").inner_text()
    assert page.locator("#unite-72386 th").inner_text() == "Yvré-l'Évêque"
    assert "88,50" in page.locator("#unite-72386").inner_text()
    carte = page.locator("#carte-indice")
    carte.locator(".leaflet-interactive").first.wait_for()
    assert carte.get_attribute("data-cercles-affiches") == "1"
    verifier_accessibilite(page)
    page.screenshot(path=str(tmp_path / "carte-communes-1280.png"), full_page=True)

    # one IRIS: its published axes, no indicator table
    page.goto(f"/indicateurs/indice/?territoire={METROPOLE}&niveau=iris")
    page.locator("#unite-721812001").get_by_role("link").click()
    assert page.locator("h1").inner_text().startswith("Bellevue")
    assert "100 est la moyenne de son département" in page.locator("#lecture-publiee").inner_text()
    axes = page.locator("#table-axes-publies").inner_text()
    assert "Accès (global)" in axes and "Compétences (global)" in axes
    assert page.locator("#table-indicateurs").count() == 0
    assert page.locator("#axe-principal").is_visible()
    verifier_accessibilite(page)
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    verifier_accessibilite(page)
    page.screenshot(path=str(tmp_path / "unite-iris-390.png"), full_page=True)
    page.goto(f"/indicateurs/indice/?territoire={METROPOLE}&niveau=iris")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#table-classement").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "classement-iris-390.png"), full_page=False)
