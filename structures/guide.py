"""The printable digital guide of a territory, as cities hand it out, in PDF (reportlab).

Sites are grouped by commune, then by district when they have one, then in three sections:
Wi-Fi and free access, self-service equipment, sites with a digital mediator.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from commun.formats import telephone_lisible

from . import horaires as horaires_osm

SANS_QUARTIER = ""


@dataclass(frozen=True)
class Rubrique:
    titre: str
    garder: object  # Lieu -> bool


RUBRIQUES = [
    Rubrique(
        "Points d'accès Wi-Fi et libre accès",
        lambda lieu: lieu.wifi_public or lieu.materiel_libre_acces,
    ),
    Rubrique("Matériel en libre-service", lambda lieu: lieu.materiel_libre_acces),
    Rubrique("Lieux avec médiateur numérique", lambda lieu: lieu.mediateur_present),
]


def horaires_compacts(horaires: str, debut: dt.date | None = None) -> str:
    """``lundi – vendredi\u00a0: 9 h – 12 h, 14 h – 17 h 30 ; samedi\u00a0: 9 h – 12 h``."""
    try:
        semaine = horaires_osm.semaine_lisible(horaires, debut)
    except Exception:  # an unreadable string must not break the whole guide
        return ""
    groupes: list[list] = []  # [first day, last day, slots]
    for jour, creneaux in semaine:
        if groupes and groupes[-1][2] == creneaux:
            groupes[-1][1] = jour
        else:
            groupes.append([jour, jour, creneaux])
    morceaux = []
    for premier, dernier, creneaux in groupes:
        if not creneaux:
            continue
        jours = premier if premier == dernier else f"{premier} – {dernier}"
        morceaux.append(f"{jours}\u00a0: {', '.join(creneaux)}")
    return " ; ".join(morceaux)


def _styles():
    base = getSampleStyleSheet()
    return {
        "titre": ParagraphStyle(
            "titre", parent=base["Title"], fontSize=20, leading=24, alignment=TA_CENTER
        ),
        "date": ParagraphStyle(
            "date", parent=base["Normal"], alignment=TA_CENTER, textColor=colors.grey
        ),
        "commune": ParagraphStyle(
            "commune", parent=base["Heading1"], fontSize=16, spaceBefore=10, spaceAfter=4
        ),
        "quartier": ParagraphStyle("quartier", parent=base["Heading2"], fontSize=13),
        "rubrique": ParagraphStyle(
            "rubrique", parent=base["Heading3"], fontSize=11, textColor=colors.HexColor("#00607a")
        ),
        "nom": ParagraphStyle("nom", parent=base["Normal"], fontName="Helvetica-Bold"),
        "texte": ParagraphStyle("texte", parent=base["Normal"], fontSize=9, leading=11),
        "vide": ParagraphStyle(
            "vide", parent=base["Normal"], fontSize=9, textColor=colors.grey, leftIndent=4
        ),
    }


def _fiche(lieu, styles) -> KeepTogether:
    adresse = ", ".join(
        morceau
        for morceau in (
            lieu.adresse,
            lieu.complement_adresse,
            f"{lieu.code_postal} {lieu.commune.nom}",
        )
        if morceau
    )
    lignes = [
        Paragraph(escape(lieu.nom), styles["nom"]),
        Paragraph(escape(adresse), styles["texte"]),
    ]
    horaires = horaires_compacts(lieu.horaires)
    if horaires:
        lignes.append(Paragraph(f"Horaires\u00a0: {escape(horaires)}", styles["texte"]))
    if lieu.liste_telephones:
        telephones = ", ".join(telephone_lisible(t) for t in lieu.liste_telephones)
        lignes.append(Paragraph(f"Téléphone\u00a0: {escape(telephones)}", styles["texte"]))
    services = lieu.libelles("services")
    if services:
        lignes.append(Paragraph(f"Services\u00a0: {escape(', '.join(services))}", styles["texte"]))
    lignes.append(Spacer(1, 2 * mm))
    return KeepTogether(lignes)


def generer_guide(
    *, titre: str, lieux, date: dt.date | None = None, compression: bool = True
) -> bytes:
    """The PDF of ``lieux`` (with ``commune`` and ``zone`` loaded), titled ``titre``."""
    date = date or timezone.localdate()
    styles = _styles()
    tampon = io.BytesIO()
    document = SimpleDocTemplate(
        tampon,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=titre,
        author="Portail de l'inclusion numérique",
        lang="fr-FR",
        pageCompression=1 if compression else 0,
        invariant=0 if compression else 1,
    )
    histoire = [
        Paragraph(escape(titre), styles["titre"]),
        Paragraph(f"Édition du {formats.date_format(date, 'j F Y')}", styles["date"]),
        Spacer(1, 6 * mm),
    ]
    par_commune: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for lieu in lieux:
        quartier = lieu.zone.nom if lieu.zone_id else SANS_QUARTIER
        par_commune[(lieu.commune.nom, lieu.commune_id)][quartier].append(lieu)
    if not par_commune:
        histoire.append(Paragraph("Aucun lieu n'est référencé sur ce territoire.", styles["vide"]))
    for (nom_commune, _code), quartiers in sorted(par_commune.items()):
        histoire.append(Paragraph(escape(nom_commune), styles["commune"]))
        # sites without a district first, then districts in alphabetical order
        for quartier in sorted(quartiers, key=lambda q: (q != SANS_QUARTIER, q)):
            if quartier != SANS_QUARTIER or len(quartiers) > 1:
                intitule = quartier or "Autres quartiers"
                histoire.append(Paragraph(escape(intitule), styles["quartier"]))
            for rubrique in RUBRIQUES:
                retenus = [lieu for lieu in quartiers[quartier] if rubrique.garder(lieu)]
                if not retenus:
                    continue
                histoire.append(Paragraph(escape(rubrique.titre), styles["rubrique"]))
                histoire.extend(_fiche(lieu, styles) for lieu in retenus)

    def numeroter(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"Page {doc.page}")
        canvas.drawString(18 * mm, 10 * mm, titre)
        canvas.restoreState()

    document.build(histoire, onFirstPage=numeroter, onLaterPages=numeroter)
    return tampon.getvalue()
