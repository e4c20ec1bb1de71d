"""Embedding, as its users live it: a coordinator allows a partner's website, a partner
builds its code, and a browser shows the embedded map and agenda on the allowed website
and refuses them on any other."""

import os
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ateliers import services
from donnees.models import OrigineIntegration
from tests.ateliers.conftest import prochain
from tests.conftest import se_connecter, verifier_accessibilite
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db(transaction=True)

CAPTURES = Path(os.environ.get("CAPTURES", Path(__file__).resolve().parents[2] / "captures"))


def _capturer(page, nom: str) -> None:
    dossier = CAPTURES / "donnees"
    dossier.mkdir(parents=True, exist_ok=True)
    for largeur, hauteur in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": largeur, "height": hauteur})
        page.screenshot(path=dossier / f"{nom}-{largeur}.png", full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur, (nom, largeur)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_un_coordinateur_autorise_un_site_et_un_partenaire_compose_son_code(
    page, comptes, geographie
):
    LieuFactory(nom="Médiathèque Aragon", commune=geographie["le_mans"])
    se_connecter(page, comptes["coordinateur"].email)
    page.get_by_role("link", name="Sites partenaires qui intègrent la carte").click()
    page.get_by_label("Partenaire").fill("Mairie d'Yvré-l'Évêque")
    page.get_by_label("Adresse du site").fill("https://www.yvre-leveque.fr/vie-pratique")
    page.get_by_role("button", name="Autoriser ce site").click()
    assert "peut intégrer la carte et l'agenda" in page.get_by_role("status").first.inner_text()
    assert page.locator("#nombre-sites").inner_text() == "1 site autorisé."
    assert page.get_by_role("cell", name="https://www.yvre-leveque.fr", exact=True).is_visible()
    verifier_accessibilite(page)
    _capturer(page, "integration-gestion")

    page.goto("/integrer/")
    page.get_by_label("Commune").fill("Le Mans")
    page.get_by_role("radio", name=re.compile("couleurs neutres")).check()
    page.get_by_role("button", name="Obtenir le code").click()
    code = page.get_by_label("Code à copier dans une page de votre site").input_value()
    assert (
        code.startswith('<iframe src="http://localhost:')
        and "/integrer/lieux/?commune=72181" in code
    )
    assert 'title="Lieux d\'aide au numérique — Le Mans"' in code
    # the preview, framed by the portal itself
    apercu = page.frame_locator('iframe[title="Lieux d\'aide au numérique — Le Mans"]')
    assert (
        apercu.get_by_role("heading", level=1).inner_text() == "Lieux d'aide au numérique au Mans"
    )
    assert apercu.get_by_role("link", name=re.compile("Médiathèque Aragon")).is_visible()
    verifier_accessibilite(page)
    _capturer(page, "integrer")


@contextmanager
def _site_partenaire(html: str):
    """A partner's website on another origin (loopback, a port of its own)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            corps = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(corps)))
            self.end_headers()
            self.wfile.write(corps)

        def log_message(self, *args):
            pass

    serveur = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    try:
        yield f"http://127.0.0.1:{serveur.server_address[1]}"
    finally:
        serveur.shutdown()
        serveur.server_close()


def test_la_carte_et_l_agenda_s_affichent_chez_le_partenaire_autorise_seulement(
    page, live_server, geographie, demande, atelier
):
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    LieuFactory(nom="Médiathèque Aragon", commune=geographie["le_mans"])
    html = (
        "<!doctype html><html lang='fr'><head><title>Mairie</title></head><body>"
        "<h1>Mairie partenaire</h1>"
        f"<iframe id='lieux' title='Lieux' src='{live_server.url}/integrer/lieux/?commune=72181' "
        "width='800' height='600'></iframe>"
        f"<iframe id='agenda' title='Ateliers' src='{live_server.url}/integrer/agenda/' "
        "width='800' height='600'></iframe></body></html>"
    )
    with _site_partenaire(html) as autorise, _site_partenaire(html) as inconnu:
        OrigineIntegration.objects.create(origine=autorise, partenaire="Mairie partenaire")

        page.goto(autorise)
        lieux = page.frame_locator("#lieux")
        assert (
            lieux.get_by_role("heading", level=1).inner_text()
            == "Lieux d'aide au numérique au Mans"
        )
        assert lieux.get_by_role("link", name=re.compile("Médiathèque Aragon")).is_visible()
        # the map is drawn inside the frame (Leaflet's markers or clusters)
        lieux.locator(
            "#carte-lieux .leaflet-container, #carte-lieux.leaflet-container"
        ).first.wait_for()
        agenda = page.frame_locator("#agenda")
        assert agenda.get_by_role("heading", level=1).inner_text() == "Ateliers numériques"
        assert agenda.get_by_text(demande.version.titre).first.is_visible()
        page.screenshot(path=CAPTURES / "donnees" / "partenaire-autorise.png", full_page=True)

        page.goto(inconnu)
        page.wait_for_load_state("load")
        page.wait_for_timeout(500)
        # the browser refused both frames: no page of the portal in them
        for cadre in page.frames[1:]:
            assert not cadre.url.startswith(live_server.url), cadre.url
        assert (
            page.frame_locator("#lieux").get_by_role("heading", name=re.compile("Lieux")).count()
            == 0
        )
        page.screenshot(path=CAPTURES / "donnees" / "partenaire-inconnu.png", full_page=True)
