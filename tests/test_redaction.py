"""Writing as ../shared/REDACTION.md says, checked by machine on what users read: every
HTML page of the access matrix (as the first role that may see it) and the documents
(e-mails, CSV headers, the council PDF's text).

The rules a machine can check: times « 14 h 30 » (never 14h00, 14h or 09:00 in prose),
no « à Le Mans » / « de Les Sables » (articles contract: au Mans, des Sables), no plural
after 0 or 1 (« 0 habitant »), « 1er » for the first of a month, no ordinary space
before « ; ! ? » (narrow no-break space) nor before « : » (no-break space)."""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

import pytest

from tests.ateliers.conftest import atelier  # noqa: F401 (fixture)
from tests.indicateurs.statistiques.test_comite import calcule  # noqa: F401 (fixture)
from tests.indicateurs.statistiques.test_statistiques import donnees  # noqa: F401 (fixture)
from tests.test_acces import MATRICE

pytestmark = pytest.mark.django_db

MOIS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
PLURIELS = (
    "habitants|lieux|activités|conseillers|conseillères|demandes|séances|signalements|"
    "communes|participants|structures|conventions|bénéficiaires|jours|comptes|ateliers|"
    "personnes|suggestions|résultats|inscrits|inscrites"
)
REGLES = {
    "heure « 14h30 » au lieu de « 14 h 30 »": re.compile(r"\b\d{1,2}h(?:\d{2})?\b"),
    # not the ranges of OSM opening hours (« Mo-Fr 09:00-12:00 »), data shown as it is
    "heure « 09:00 » au lieu de « 9 h »": re.compile(r"(?<![\d:.-])\d{1,2}:\d{2}(?![\d:-])"),
    # « de Le Mans Métropole » names the institution, as it names itself
    "article non contracté « à Le », « de Les »": re.compile(
        r"\b(?:à|de) L(?:e|es) [A-ZÉ][\w'-]*\b(?! Métropole)"
    ),
    "pluriel après 0 ou 1": re.compile(rf"(?<![\d,\u202f.]){{1}}\b[01]\s(?:{PLURIELS})\b"),
    "« 1 décembre » au lieu de « 1er décembre »": re.compile(rf"(?<![\d\u202f])\b1\s(?:{MOIS})\b"),
    "espace ordinaire avant « ; ! ? »": re.compile(r"\S [;!?](?:\s|$)"),
    "espace ordinaire avant « : »": re.compile(r"\S :(?:\s|$)"),
}
# what is not prose: code, addresses, data shown as it is stored (OSM opening hours)
IGNORES = {"script", "style", "code", "pre", "textarea", "option", "svg"}


class _Texte(HTMLParser):
    """The text a user reads, element by element (not scripts, nor form values)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pile: list[str] = []
        self.morceaux: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            self.pile.append(tag)
        self.morceaux.append("\n")

    def handle_endtag(self, tag):
        if tag in self.pile:
            while self.pile and self.pile.pop() != tag:
                pass
        self.morceaux.append("\n")

    def handle_data(self, data):
        if not IGNORES.intersection(self.pile):
            self.morceaux.append(data)


def texte_lu(contenu: str) -> str:
    lecteur = _Texte()
    lecteur.feed(contenu)
    return "".join(lecteur.morceaux)


def fautes(texte: str) -> list[str]:
    trouvees = []
    for ligne in texte.splitlines():
        ligne = " ".join(ligne.replace("\t", " ").split(" "))
        for regle, motif in REGLES.items():
            for m in motif.finditer(ligne):
                debut = max(0, m.start() - 30)
                trouvees.append(f"{regle} : …{ligne[debut : m.end() + 30].strip()}…")
    return trouvees


def _pages():
    preferes = ["coordinateur", "referent", "conseiller", "elu", "anonyme", "staff"]
    for nom, (_construire, attendus) in sorted(MATRICE.items()):
        if nom.startswith(("api:", "admin:")):
            continue
        role = next((r for r in preferes if attendus.get(r) == 200), None)
        if role is not None:
            yield pytest.param(nom, role, id=f"{nom}-{role}")


@pytest.mark.parametrize(("nom", "role"), list(_pages()))
def test_pages(client_de, geographie, nom, role):
    construire, _ = MATRICE[nom]
    reponse = client_de(role).get(construire(geographie))
    assert reponse.status_code == 200
    if not reponse["Content-Type"].startswith("text/html"):
        return  # the documents have their own tests below
    trouvees = fautes(texte_lu(reponse.content.decode()))
    assert not trouvees, "\n".join(trouvees)


@pytest.mark.parametrize(
    ("texte", "regle"),
    [
        ("Ouvert de 14h00 à 17h", "heure « 14h30 »"),
        ("Permanence à 09:00 le mardi", "heure « 09:00 »"),
        ("Les lieux à Le Mans", "article non contracté"),
        ("0 habitants", "pluriel après 0 ou 1"),
        ("le 1 décembre 2026", "« 1 décembre »"),
        ("Vraiment ?", "espace ordinaire avant « ; ! ? »"),
        ("Statut : soumise", "espace ordinaire avant « : »"),
        ("Télécharger :", "espace ordinaire avant « : »"),
    ],
)
def test_les_regles_trouvent_les_fautes(texte, regle):
    assert any(f.startswith(regle) for f in fautes(texte)), fautes(texte)


@pytest.mark.parametrize(
    "texte",
    [
        "de 14\u00a0h\u00a030 à 17\u00a0h",
        "au Mans, à La Milesse",
        "0 habitant, 10 habitants, 2,1 habitants",
        "mardi 1er décembre 2026, 11 décembre",
        "Vraiment\u202f? Statut\u00a0: soumise\u202f; fin\u202f!",
        "10\u202f557 habitants",
    ],
)
def test_les_regles_laissent_le_bon_texte(texte):
    assert fautes(texte) == []


def test_texte_lu_sans_scripts_ni_valeurs():
    contenu = (
        "<p>Statut&nbsp;: ok</p><script>var a = 1 ? 2 : 3;</script>"
        "<textarea>Mo-Fr 09:00-12:00</textarea><option>x : y</option>"
    )
    assert fautes(texte_lu(contenu)) == []
    assert html.unescape("&nbsp;") in texte_lu(contenu)


# -- documents ------------------------------------------------------------------------------


# pypdf reads a PDF's no-break spaces as spaces: its text is checked on the other rules
def _fautes_sans_espaces(texte: str) -> list[str]:
    return [f for f in fautes(texte) if not f.startswith("espace")]


def test_courriels(
    client_de,
    comptes,
    geographie,
    atelier,  # noqa: F811
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    from ateliers import services as services_ateliers
    from structures.models import Signalement
    from structures.services import envoyer_resume_des_signalements
    from tests.ateliers.conftest import prochain

    Signalement.objects.create(lieu=atelier["lieu"], message="Fermé le lundi")
    assert envoyer_resume_des_signalements() >= 1
    with django_capture_on_commit_callbacks(execute=True):
        demande_ = services_ateliers.deposer_demande(
            services_ateliers.NouvelleDemande(
                structure=atelier["structure"],
                version=atelier["version"],
                lieu=atelier["lieu"],
                creneaux=[prochain(1, 14)],
                participants_attendus=4,
                public="seniors",
            ),
            par=comptes["referent"],
        )
        services_ateliers.etudier(demande_, par=comptes["coordinateur"])
        services_ateliers.refuser(demande_, motif="Salle prise.", par=comptes["coordinateur"])
    assert len(mailoutbox) >= 3
    trouvees = [f for m in mailoutbox for f in fautes(f"{m.subject}\n{m.body}")]
    assert not trouvees, "\n".join(trouvees)


def test_entetes_des_csv(client_de, geographie):
    from django.urls import reverse

    lus = 0
    for nom, parametres in (
        ("indicateurs:tableau_de_bord_csv", {}),
        ("indicateurs:couverture_csv", {}),
        ("indicateurs:indice_csv", {}),
    ):
        reponse = client_de("coordinateur").get(reverse(nom), parametres)
        if reponse.status_code != 200:
            continue  # nothing computed for this territory: no document
        entete = reponse.content.decode("utf-8-sig").splitlines()[0]
        assert not fautes(entete.replace(";", "\n")), (nom, fautes(entete))
        lus += 1
    assert lus >= 2


def test_rapport_du_comite_en_pdf(calcule, client_de):  # noqa: F811
    from pypdf import PdfReader

    reponse = client_de("elu").get("/tableau-de-bord.pdf", {"du": "2026-01", "au": "2026-12"})
    assert reponse["Content-Type"] == "application/pdf"
    lecteur = PdfReader(io.BytesIO(reponse.content))
    texte = "\n".join(page.extract_text() for page in lecteur.pages)
    assert "janvier 2026" in texte
    trouvees = _fautes_sans_espaces(texte)
    assert not trouvees, "\n".join(trouvees)
