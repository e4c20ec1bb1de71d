"""Followed beneficiaries: creation with consent, probable duplicates, merge, retention purge.

A followed beneficiary exists only with the person's recorded consent and holds the minimum
to recognise a returning person. Duplicates are found by the database (same normalised first
name, same year of birth, same commune or a commune missing on one side); a merge keeps one
record and moves the other's reports onto it; inactive records are purged after the
retention period (``settings.BENEFICIAIRES_CONSERVATION_MOIS``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone

from comptes.purge import mois_avant
from territoires.models import Commune
from territoires.text import normaliser

from .enums import Genre, Thematique
from .models import Activite, Beneficiaire, Conseiller
from .services import _rafraichir_derniere_activite

MESSAGE_SANS_CONSENTEMENT = (
    "Sans le consentement de la personne, aucune fiche de suivi n'est créée\u00a0: l'activité "
    "reste comptée de façon anonyme."
)

TEXTE_CONSENTEMENT = (
    "Pour compter vos prochaines visites, je peux noter votre prénom (ou vos initiales), votre "
    "année de naissance, votre commune et votre genre. Rien d'autre n'est noté. Ces "
    "informations ne servent qu'aux statistiques de l'accompagnement, seuls votre conseiller "
    "et son équipe de coordination peuvent les voir, et elles sont effacées après {mois} mois "
    "sans visite. Vous pouvez à tout moment demander à les consulter, à les corriger ou à les "
    "faire supprimer. Êtes-vous d'accord\u202f?"
)


def texte_consentement() -> str:
    """The text the advisor reads to the person before recording their consent."""
    return TEXTE_CONSENTEMENT.format(mois=settings.BENEFICIAIRES_CONSERVATION_MOIS)


# -- duplicates -------------------------------------------------------------------------


def _meme_commune(commune_id) -> Q:
    """Same commune, or a commune missing on one side."""
    if commune_id is None:
        return Q()
    return Q(commune_id=commune_id) | Q(commune__isnull=True)


def doublons_probables(
    *,
    conseiller: Conseiller,
    prenom: str,
    annee_naissance: int | None,
    commune: Commune | None,
    sauf: Beneficiaire | None = None,
):
    """The advisor's beneficiaries who are probably the person described."""
    if not annee_naissance or not normaliser(prenom):
        return Beneficiaire.objects.tous().none()
    queryset = Beneficiaire.objects.tous().filter(
        _meme_commune(commune.pk if commune else None),
        conseiller=conseiller,
        prenom_recherche=normaliser(prenom),
        annee_naissance=annee_naissance,
    )
    if sauf is not None and sauf.pk:
        queryset = queryset.exclude(pk=sauf.pk)
    return queryset.select_related("commune").order_by("cree_le", "pk")


def _semblables(conseiller: Conseiller):
    """Beneficiaries of ``conseiller`` matching the outer row (for subqueries)."""
    return Beneficiaire.objects.tous().filter(
        Q(commune=OuterRef("commune"))
        | Q(commune__isnull=True)
        | Q(IsNull(OuterRef("commune"), True)),
        conseiller=conseiller,
        prenom_recherche=OuterRef("prenom_recherche"),
        annee_naissance=OuterRef("annee_naissance"),
    )


@dataclass(frozen=True)
class PaireDeDoublons:
    premier: Beneficiaire
    second: Beneficiaire

    @property
    def fiches(self) -> list[tuple[Beneficiaire, Beneficiaire]]:
        """``(kept, merged)`` both ways, for the two merge buttons."""
        return [(self.premier, self.second), (self.second, self.premier)]


def paires_de_doublons(conseiller: Conseiller) -> list[PaireDeDoublons]:
    """Pairs of probable duplicates among an advisor's beneficiaries, in two queries.

    Each record with an older look-alike is paired with the oldest one (so a group of three
    gives two pairs, each merged into the oldest record).
    """
    anterieurs = _semblables(conseiller).filter(pk__lt=OuterRef("pk")).order_by("pk")
    seconds = list(
        Beneficiaire.objects.tous()
        .filter(conseiller=conseiller, annee_naissance__isnull=False)
        .annotate(premier_id=Subquery(anterieurs.values("pk")[:1]))
        .filter(premier_id__isnull=False)
        .select_related("commune")
        .order_by("prenom_recherche", "annee_naissance", "pk")
    )
    premiers = (
        Beneficiaire.objects.tous()
        .select_related("commune")
        .in_bulk({b.premier_id for b in seconds})
    )
    return [PaireDeDoublons(premier=premiers[b.premier_id], second=b) for b in seconds]


def avec_doublons(conseiller: Conseiller):
    """The advisor's beneficiaries that have at least one look-alike (one query)."""
    return Beneficiaire.objects.tous().filter(
        Exists(_semblables(conseiller).exclude(pk=OuterRef("pk"))),
        conseiller=conseiller,
        annee_naissance__isnull=False,
    )


# -- writes -----------------------------------------------------------------------------


@transaction.atomic
def creer_beneficiaire(
    *,
    conseiller: Conseiller,
    prenom: str,
    annee_naissance: int | None = None,
    commune: Commune | None = None,
    genre: str = Genre.NON_COMMUNIQUE,
    consentement: bool,
) -> Beneficiaire:
    """Create a followed beneficiary, only with the person's consent (dated now)."""
    if not consentement:
        raise ValidationError({"consentement": MESSAGE_SANS_CONSENTEMENT})
    beneficiaire = Beneficiaire(
        conseiller=conseiller,
        prenom=(prenom or "").strip(),
        annee_naissance=annee_naissance,
        commune=commune,
        genre=genre or Genre.NON_COMMUNIQUE,
        consentement_le=timezone.now(),
    )
    beneficiaire.full_clean()
    beneficiaire.save()
    return beneficiaire


@transaction.atomic
def fusionner_beneficiaires(*, conserve: Beneficiaire, doublon: Beneficiaire) -> Beneficiaire:
    """Merge ``doublon`` into ``conserve``: its reports move over, the earliest consent and
    every known detail are kept, then ``doublon`` is deleted. All or nothing."""
    if conserve.pk == doublon.pk:
        raise ValidationError("Choisissez deux fiches différentes à fusionner.")
    if conserve.conseiller_id != doublon.conseiller_id:
        raise ValidationError("Seules deux fiches du même conseiller peuvent être fusionnées.")
    verrouillees = Beneficiaire.objects.tous().select_for_update().order_by("pk")  # no deadlock
    fiches = verrouillees.in_bulk([conserve.pk, doublon.pk])
    if len(fiches) != 2:
        raise ValidationError(
            "Une des deux fiches vient d'être supprimée\u00a0: rechargez la page."
        )
    conserve, doublon = fiches[conserve.pk], fiches[doublon.pk]
    liens = Activite.beneficiaires.through.objects
    deja = liens.filter(beneficiaire_id=conserve.pk).values("activite_id")
    liens.filter(beneficiaire_id=doublon.pk).exclude(activite_id__in=deja).update(
        beneficiaire_id=conserve.pk
    )
    conserve.consentement_le = min(conserve.consentement_le, doublon.consentement_le)
    conserve.annee_naissance = conserve.annee_naissance or doublon.annee_naissance
    conserve.commune_id = conserve.commune_id or doublon.commune_id
    if conserve.genre == Genre.NON_COMMUNIQUE:
        conserve.genre = doublon.genre
    conserve.save(update_fields=["consentement_le", "annee_naissance", "commune", "genre"])
    doublon.delete()
    _rafraichir_derniere_activite([conserve.pk])
    conserve.refresh_from_db()
    return conserve


@transaction.atomic
def supprimer_beneficiaire(*, beneficiaire: Beneficiaire) -> None:
    """Right to erasure: the record goes; its reports stay, anonymous, with their counts."""
    beneficiaire.delete()


def donnees_de(beneficiaire: Beneficiaire) -> dict:
    """Right of access: everything the portal holds on the person, in plain words — the
    record, and each report they are linked to (no other participant, no note)."""
    activites = (
        beneficiaire.activites.visibles().select_related("lieu", "commune").order_by("date", "pk")
    )
    return {
        "responsable_du_traitement": settings.PORTAIL_TERRITOIRE,
        "genere_le": timezone.now().isoformat(timespec="seconds"),
        "beneficiaire": {
            "prenom_ou_initiales": beneficiaire.prenom,
            "annee_naissance": beneficiaire.annee_naissance,
            "commune_de_residence": beneficiaire.commune.nom if beneficiaire.commune else None,
            "genre": beneficiaire.get_genre_display(),
            "consentement_recueilli_le": beneficiaire.consentement_le.isoformat(timespec="seconds"),
            "fiche_creee_le": beneficiaire.cree_le.isoformat(timespec="seconds"),
            "derniere_activite": (
                beneficiaire.derniere_activite.isoformat()
                if beneficiaire.derniere_activite
                else None
            ),
            "suivi_par": str(beneficiaire.conseiller),
        },
        "conservation": (
            f"La fiche est supprimée {settings.BENEFICIAIRES_CONSERVATION_MOIS} mois après la "
            "dernière activité, ou sur demande ; les activités restent alors comptées, sans lien "
            "avec la personne."
        ),
        "activites": [
            {
                "date": a.date.isoformat(),
                "type": a.get_type_display(),
                "canal": a.get_canal_display(),
                "lieu": a.lieu.nom if a.lieu else None,
                "commune": a.commune.nom if a.commune else None,
                "duree_minutes": a.duree_minutes,
                "thematiques": [Thematique(t).label for t in a.thematiques],
            }
            for a in activites
        ],
    }


# -- retention --------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultatPurge:
    date_limite: dt.date
    nombre: int
    simulation: bool
    mois: int

    def resume(self) -> str:
        s = "s" if self.nombre > 1 else ""
        verbe = f"serai{'en' if s else ''}t supprimé{s}" if self.simulation else f"supprimé{s}"
        texte = (
            f"{self.nombre} bénéficiaire{s} suivi{s} sans activité depuis le "
            f"{self.date_limite:%d/%m/%Y} {verbe} (conservation\u00a0: {self.mois} mois)"
        )
        return texte + (" — simulation, rien n'a été modifié." if self.simulation else ".")


@transaction.atomic
def purger_beneficiaires_inactifs(
    *, le: dt.date | None = None, mois: int | None = None, simulation: bool = False
) -> ResultatPurge:
    """Delete the followed beneficiaries with no activity for longer than the retention
    period; their reports stay, anonymous."""
    mois = settings.BENEFICIAIRES_CONSERVATION_MOIS if mois is None else mois
    if mois < 1:
        raise ValidationError("La durée de conservation doit être d'au moins un mois.")
    date_limite = mois_avant(le or timezone.localdate(), mois)
    inactifs = Beneficiaire.objects.tous().inactifs_depuis(date_limite)
    if simulation:
        nombre = inactifs.count()
    else:
        nombre = inactifs.delete()[1].get(Beneficiaire._meta.label, 0)
    return ResultatPurge(date_limite=date_limite, nombre=nombre, simulation=simulation, mois=mois)
