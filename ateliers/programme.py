"""The printable quarterly programme of a territory, like a city's leaflet: the public
workshop sessions of the quarter, month by month, then the sites where help is given with
their opening hours (reportlab, built-in fonts only)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from commun.formats import telephone_lisible
from structures import cache_public
from structures.horaires import semaine_lisible
from structures.models import Lieu

from .enums import StatutDemande
from .models import SessionAtelier

MOIS_TRIMESTRE = {1: "1er", 2: "2e", 3: "3e", 4: "4e"}
# moved on by every save or deletion of a session, a request or a sheet's version (apps.py)
CLE_GENERATION = "ateliers-publics:generation"
DUREE_CACHE = 60 * 60 * 24  # keyed by the day ("établi le"), and by the two generations


@dataclass(frozen=True)
class Trimestre:
    annee: int
    numero: int  # 1 to 4

    @classmethod
    def de(cls, jour: dt.date) -> Trimestre:
        return cls(jour.year, (jour.month - 1) // 3 + 1)

    @classmethod
    def lire(cls, code: str) -> Trimestre:
        """``2027-T1`` → Trimestre(2027, 1); ValueError otherwise."""
        annee, _, numero = code.partition("-T")
        trimestre = cls(int(annee), int(numero))
        if not 1 <= trimestre.numero <= 4 or not 2000 <= trimestre.annee <= 2100:
            raise ValueError(code)
        return trimestre

    @property
    def code(self) -> str:
        return f"{self.annee}-T{self.numero}"

    @property
    def libelle(self) -> str:
        return f"{MOIS_TRIMESTRE[self.numero]} trimestre {self.annee}"

    @property
    def premier_jour(self) -> dt.date:
        return dt.date(self.annee, 3 * self.numero - 2, 1)

    def suivant(self) -> Trimestre:
        return (
            Trimestre(self.annee + 1, 1)
            if self.numero == 4
            else Trimestre(self.annee, self.numero + 1)
        )

    def precedent(self) -> Trimestre:
        return (
            Trimestre(self.annee - 1, 4)
            if self.numero == 1
            else Trimestre(self.annee, self.numero - 1)
        )

    def bornes(self) -> tuple[dt.datetime, dt.datetime]:
        zone = timezone.get_current_timezone()
        debut = dt.datetime.combine(self.premier_jour, dt.time(), tzinfo=zone)
        fin = dt.datetime.combine(self.suivant().premier_jour, dt.time(), tzinfo=zone)
        return debut, fin


def trimestres_proposes(jour: dt.date | None = None) -> list[tuple[str, str]]:
    """This quarter, the next two, and the one just ended."""
    courant = Trimestre.de(jour or timezone.localdate())
    liste = [courant, courant.suivant(), courant.suivant().suivant(), courant.precedent()]
    return [(t.code, t.libelle) for t in liste]


@dataclass
class Programme:
    titre: str
    trimestre: Trimestre
    communes: list
    mois: list[tuple[str, list[SessionAtelier]]] = field(default_factory=list)
    lieux: list[tuple[Lieu, list[tuple[str, list[str]]]]] = field(default_factory=list)

    @property
    def nombre_seances(self) -> int:
        return sum(len(sessions) for _, sessions in self.mois)


def programme_de(commune, intercommunalite: bool, trimestre: Trimestre) -> Programme:
    if intercommunalite and commune.epci_id:
        communes = list(commune.epci.communes.order_by("nom"))
        titre = commune.epci.nom
    else:
        communes, titre = [commune], commune.nom
    debut, fin = trimestre.bornes()
    sessions = (
        SessionAtelier.objects.tous()
        .filter(
            publique=True,
            lieu__commune__in=communes,
            debut__gte=debut,
            debut__lt=fin,
            demande__statut__in=(StatutDemande.PLANIFIEE, StatutDemande.REALISEE),
        )
        .select_related("demande__version", "lieu__commune")
        .order_by("debut", "pk")
    )
    programme = Programme(titre=titre, trimestre=trimestre, communes=communes)
    for session in sessions:
        mois = date_format(timezone.localtime(session.debut), "F Y").capitalize()
        if not programme.mois or programme.mois[-1][0] != mois:
            programme.mois.append((mois, []))
        programme.mois[-1][1].append(session)
    lieux = (
        Lieu.objects.publics()
        .filter(commune__in=communes)
        .select_related("commune")
        .order_by("commune__nom", "nom")
    )
    # the regular hours of the quarter's first full week
    lundi = trimestre.premier_jour + dt.timedelta(days=-trimestre.premier_jour.weekday() % 7)
    programme.lieux = [(lieu, semaine_lisible(lieu.horaires, lundi)) for lieu in lieux]
    return programme


def en_pdf(programme: Programme) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    petit = styles["BodyText"].clone("petit", fontSize=8, leading=10)
    titre = f"Ateliers numériques — {programme.titre} — {programme.trimestre.libelle}"
    sortie = io.BytesIO()
    document = SimpleDocTemplate(
        sortie,
        pagesize=A4,
        title=titre,
        author="Portail de l'inclusion numérique",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
    )
    elements = [
        Paragraph(escape(titre), styles["Title"]),
        Paragraph(
            "Des ateliers gratuits pour apprendre à se servir d'un ordinateur, d'un "
            "smartphone et des services en ligne, animés par les conseillers numériques. "
            "Inscription auprès du lieu de l'atelier.",
            styles["Normal"],
        ),
        Spacer(1, 0.4 * cm),
    ]
    style_table = TableStyle(
        [
            ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6f0f3")),
        ]
    )
    if not programme.mois:
        elements.append(
            Paragraph(
                "Aucun atelier public n'est encore annoncé pour ce trimestre.", styles["Normal"]
            )
        )
    for mois, sessions in programme.mois:
        elements.append(Paragraph(escape(mois), styles["Heading2"]))
        lignes = [["Date", "Atelier", "Lieu", "Public"]]
        for session in sessions:
            version = session.demande.version
            themes = escape(", ".join(version.libelles_thematiques()))
            nom = version.titre
            if version.nombre_seances > 1:
                nom += f" (séance {session.numero} sur {version.nombre_seances})"
            debut, fin = timezone.localtime(session.debut), timezone.localtime(session.fin)
            lignes.append(
                [
                    Paragraph(
                        f"{date_format(debut, 'l j F')}<br/>{debut:%H:%M}–{fin:%H:%M}", petit
                    ),
                    Paragraph(
                        f"<b>{escape(nom)}</b><br/>{themes}",
                        petit,
                    ),
                    Paragraph(
                        f"{escape(session.lieu.nom)}<br/>{escape(session.lieu.adresse)}, "
                        f"{escape(session.lieu.commune.nom)}",
                        petit,
                    ),
                    Paragraph(escape(version.public_cible), petit),
                ]
            )
        elements.append(
            Table(
                lignes,
                colWidths=[3.2 * cm, 6 * cm, 5 * cm, 3.8 * cm],
                repeatRows=1,
                style=style_table,
            )
        )
    elements.append(Paragraph("Où se faire aider", styles["Heading2"]))
    if not programme.lieux:
        elements.append(Paragraph("Aucun lieu d'accompagnement enregistré.", styles["Normal"]))
    lignes = [["Lieu", "Adresse", "Horaires"]]
    for lieu, semaine in programme.lieux:
        horaires = "<br/>".join(
            f"{escape(jour)}\u00a0: {escape(', '.join(plages))}"
            for jour, plages in semaine
            if plages
        )
        telephones = ", ".join(telephone_lisible(t) for t in lieu.liste_telephones)
        contact = f"<br/>{escape(telephones)}" if telephones else ""
        lignes.append(
            [
                Paragraph(f"<b>{escape(lieu.nom)}</b>", petit),
                Paragraph(
                    f"{escape(lieu.adresse)}, {escape(lieu.code_postal)} "
                    f"{escape(lieu.commune.nom)}{contact}",
                    petit,
                ),
                Paragraph(horaires or "Horaires non communiqués", petit),
            ]
        )
    if programme.lieux:
        elements.append(
            Table(lignes, colWidths=[5 * cm, 6 * cm, 7 * cm], repeatRows=1, style=style_table)
        )
    elements.append(Spacer(1, 0.4 * cm))
    elements.append(
        Paragraph(
            f"Programme établi le {date_format(timezone.localdate(), 'j F Y')} ; "
            "il peut évoluer\u00a0: l'agenda en ligne fait foi.",
            petit,
        )
    )
    document.build(elements)
    return sortie.getvalue()


def au_changement(sender, **kwargs) -> None:
    """Receiver of the saves and deletions of what a programme prints (apps.py)."""
    cache_public.invalider(CLE_GENERATION)


def pdf_du_programme(commune, intercommunalite: bool, trimestre: Trimestre) -> tuple[bytes, str]:
    """The PDF and its file name, from the cache for the same parameters on the same day
    while neither the workshops' sessions nor the public sites change."""
    etendue = "epci" if intercommunalite and commune.epci_id else "commune"
    cle = cache_public.cle(
        "programme-pdf",
        commune.pk,
        etendue,
        trimestre.code,
        moment="jour",
        generations=(cache_public.CLE_GENERATION, CLE_GENERATION),
    )
    resultat = cache.get(cle)
    if resultat is None:
        contenu = programme_de(commune, intercommunalite, trimestre)
        nom = f"ateliers-{slugify(contenu.titre)}-{contenu.trimestre.code}.pdf"
        resultat = (en_pdf(contenu), nom)
        cache.set(cle, resultat, DUREE_CACHE)
    return resultat
