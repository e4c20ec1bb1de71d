"""What the entry form proposes before the advisor types anything.

Defaults come from the advisor's last report, the assignment of the day and the site the
planning page sends (``?lieu=``); the duration presets are ordered by the advisor's habits.
Every figure is read by the database (one query each), never by a loop over reports.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Count, Q, Value, When
from django.utils import timezone

from .enums import CHAMPS_AGE, CHAMPS_STATUT, DUREES_PROPOSEES, Canal, TypeActivite
from .models import Activite, Conseiller, MiseADisposition

CHAMPS_REPRIS = ("type", "canal", "lieu", "arret", "commune", "duree_minutes")
"""What a new report takes from the advisor's last one."""

CHAMPS_DUPLIQUES = (
    *CHAMPS_REPRIS,
    "nb_participants",
    "nb_participants_recurrents",
    "thematiques",
    "materiel",
    "autonomie",
    "a_poursuivre",
    "orientation",
    "oriente_par_travailleur_social",
    "titre_atelier",
    "niveau_atelier",
)
"""What "dupliquer" copies (never the notes nor the followed beneficiaries: another person)."""


# how many of an advisor's most used durations come first
DUREES_FREQUENTES = 3


def durees_ordonnees(conseiller: Conseiller) -> list[int]:
    """The preset durations: the advisor's (up to) three most used first, most used first,
    then the others from the shortest to the longest."""
    frequences = dict(
        Activite.objects.tous()
        .visibles()
        .filter(conseiller=conseiller, duree_minutes__in=DUREES_PROPOSEES)
        .order_by()
        .values("duree_minutes")
        .annotate(nombre=Count("pk"))
        .values_list("duree_minutes", "nombre")
    )
    utilisees = [d for d in DUREES_PROPOSEES if frequences.get(d)]
    frequentes = sorted(utilisees, key=lambda duree: -frequences[duree])[:DUREES_FREQUENTES]
    return [*frequentes, *(d for d in DUREES_PROPOSEES if d not in frequentes)]


def derniere_activite(conseiller: Conseiller) -> Activite | None:
    return (
        Activite.objects.tous()
        .visibles()
        .filter(conseiller=conseiller)
        .order_by("-date", "-cree_le")
        .only(
            *(
                f"{champ}_id" if champ in ("lieu", "arret", "commune") else champ
                for champ in CHAMPS_REPRIS
            )
        )
        .first()
    )


def mise_a_disposition_du_moment(conseiller: Conseiller, moment: dt.datetime | None = None):
    """The assignment the advisor is at today, the one whose hours hold ``moment`` first."""
    moment = timezone.localtime(moment or timezone.now())
    heure = moment.time()
    return (
        MiseADisposition.objects.tous()
        .le_jour(moment.date())
        .filter(conseillers=conseiller)
        .annotate(
            en_ce_moment=Case(
                When(Q(heure_debut__lte=heure, heure_fin__gt=heure), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-en_ce_moment", "heure_debut", "pk")
        .only("lieu_id")
        .first()
    )


def valeurs_initiales(conseiller: Conseiller, *, lieu_demande=None) -> dict:
    """Initial data of a new report: ``lieu_demande`` (a site the advisor works at, sent by
    the planning page) wins over the assignment of the day, which wins over the last report."""
    initiales: dict = {"date": timezone.localdate(), "type": TypeActivite.INDIVIDUEL}
    derniere = derniere_activite(conseiller)
    if derniere is not None:
        initiales.update(
            type=derniere.type,
            canal=derniere.canal,
            lieu=derniere.lieu_id,
            arret=derniere.arret_id,
            commune=derniere.commune_id,
            duree_minutes=derniere.duree_minutes,
        )
    lieu = lieu_demande
    if lieu is None:
        mise_a_disposition = mise_a_disposition_du_moment(conseiller)
        lieu = mise_a_disposition.lieu_id if mise_a_disposition else None
    else:
        lieu = lieu.pk
    if lieu is not None and lieu != initiales.get("lieu"):
        initiales.update(canal=Canal.LIEU_ACTIVITE, lieu=lieu, arret=None, commune=None)
    return initiales


def valeurs_dupliquees(activite: Activite) -> dict:
    """Initial data of a copy of ``activite``, dated today."""
    initiales = {
        champ: getattr(activite, f"{champ}_id" if champ in ("lieu", "arret", "commune") else champ)
        for champ in CHAMPS_DUPLIQUES
    }
    for champ in (*CHAMPS_AGE, *CHAMPS_STATUT):
        initiales[champ] = getattr(activite, champ)
    initiales["date"] = timezone.localdate()
    return initiales


def beneficiaire_deja_accompagne(beneficiaires, *, sauf_activite: int | None = None) -> bool:
    """Whether one of ``beneficiaires`` already has a (non-deleted) report besides
    ``sauf_activite``: then an individual report counts a returning person."""
    identifiants = [b.pk for b in beneficiaires or ()]
    if not identifiants:
        return False
    liens = Activite.beneficiaires.through.objects.filter(
        beneficiaire_id__in=identifiants, activite__supprime_le__isnull=True
    )
    if sauf_activite is not None:
        liens = liens.exclude(activite_id=sauf_activite)
    return liens.exists()
