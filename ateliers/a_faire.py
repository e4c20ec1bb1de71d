"""The coordination's workshop tasks of the day (see ``comptes.a_faire``)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from comptes.a_faire import Tache

from . import permissions
from .enums import StatutDemande

ECHEANCE_JOURS = 60


def conventions_a_echeance(conventions, jours: int = ECHEANCE_JOURS, le: dt.date | None = None):
    """Signed conventions in force that end within ``jours`` days: to renew."""
    le = le or timezone.localdate()
    return conventions.filter(
        signee_le__isnull=False, debut__lte=le, fin__gte=le, fin__lte=le + dt.timedelta(days=jours)
    )


def taches(user):
    if not permissions.est_coordination(user):
        return []
    demandes = permissions.demandes_visibles(user).aggregate(
        soumises=Count("pk", filter=Q(statut=StatutDemande.SOUMISE)),
        en_etude=Count("pk", filter=Q(statut=StatutDemande.EN_ETUDE)),
    )
    liste = reverse("ateliers:demandes")
    return [
        Tache(
            10,
            demandes["soumises"],
            "demande d'atelier à étudier",
            "demandes d'atelier à étudier",
            f"{liste}?statut={StatutDemande.SOUMISE}",
        ),
        Tache(
            20,
            demandes["en_etude"],
            "demande en étude à planifier ou refuser",
            "demandes en étude à planifier ou refuser",
            f"{liste}?statut={StatutDemande.EN_ETUDE}",
        ),
        Tache(
            40,
            conventions_a_echeance(permissions.conventions_visibles(user)).count(),
            f"convention de partenariat échue dans {ECHEANCE_JOURS}\u00a0jours",
            f"conventions de partenariat échues dans {ECHEANCE_JOURS}\u00a0jours",
            f"{reverse('ateliers:conventions')}?echeance={ECHEANCE_JOURS}",
        ),
    ]
