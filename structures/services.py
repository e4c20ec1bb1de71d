"""Writes on sites that touch several tables or send mail."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from comptes.enums import Role
from comptes.models import User
from comptes.tasks import envoyer_courriel_sans_attendre

from . import cache_public, permissions
from . import horaires as horaires_osm
from .models import Creneau, Lieu, Signalement


def recalculer_creneaux(*, lieux, debut: dt.date | None = None) -> int:
    """Rebuild the open slots of ``lieux`` (a scoped queryset or a list) for this week."""
    debut = debut or timezone.localdate()
    lieux = list(lieux)
    nouveaux = []
    semaines: dict[str, list[horaires_osm.Plage]] = {}  # many sites share the same hours
    for lieu in lieux:
        if lieu.horaires not in semaines:
            semaines[lieu.horaires] = horaires_osm.plages_de_la_semaine(lieu.horaires, debut)
        for plage in semaines[lieu.horaires]:
            nouveaux.append(
                Creneau(lieu_id=lieu.pk, jour=plage.jour, debut=plage.debut, fin=plage.fin)
            )
    with transaction.atomic():
        Creneau.objects.filter(lieu__in=[lieu.pk for lieu in lieux]).delete()
        Creneau.objects.bulk_create(nouveaux, batch_size=2000)
        cache_public.invalider()  # an import ends here too
    return len(nouveaux)


def recalculer_tous_les_creneaux(*, debut: dt.date | None = None, lot: int = 2000) -> int:
    total = 0
    identifiants = list(Lieu.objects.tous().order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(identifiants), lot):
        lieux = Lieu.objects.tous().filter(pk__in=identifiants[i : i + lot]).only("pk", "horaires")
        total += recalculer_creneaux(lieux=lieux, debut=debut)
    return total


@transaction.atomic
def enregistrer_lieu(*, lieu: Lieu, arrets_formset=None, par=None) -> Lieu:
    """Save a site edited in the back-office, its stops, and its week's slots.

    ``par``, the acting user, must be allowed to (``permissions.peut_enregistrer_lieu``);
    None is not checked (a job, a test)."""
    if par is not None and not permissions.peut_enregistrer_lieu(par, lieu):
        raise PermissionDenied("Vous ne pouvez pas modifier ce lieu.")
    lieu.date_maj = timezone.localdate()
    lieu.save()
    if arrets_formset is not None:
        arrets_formset.instance = lieu
        arrets_formset.save()
    recalculer_creneaux(lieux=[lieu])
    return lieu


def coordinateurs_du_lieu(lieu: Lieu) -> list[str]:
    """E-mail addresses of the active coordinators whose territory holds the site."""
    commune = lieu.commune
    comptes = User.objects.actifs().du_role(Role.COORDINATEUR).filter(
        territoires__commune=commune
    ) | User.objects.actifs().du_role(Role.COORDINATEUR).filter(
        territoires__departement=commune.departement_id
    )
    if commune.epci_id:
        comptes |= (
            User.objects.actifs()
            .du_role(Role.COORDINATEUR)
            .filter(territoires__epci=commune.epci_id)
        )
    return sorted(set(comptes.values_list("email", flat=True)))


def signaler_erreur(*, lieu: Lieu, message: str, courriel: str = "", url: str = "") -> Signalement:
    """Store the report and e-mail the territory's coordinators once it is committed."""
    with transaction.atomic():
        signalement = Signalement.objects.create(lieu=lieu, message=message, courriel=courriel)
        destinataires = coordinateurs_du_lieu(lieu)
        if destinataires:
            contexte = {"signalement": signalement, "lieu": lieu, "url": url}
            texte = render_to_string("structures/courriels/signalement.txt", contexte)
            transaction.on_commit(
                lambda: envoyer_courriel_sans_attendre(
                    sujet=f"Erreur signalée sur « {lieu.nom} »",
                    texte=texte,
                    destinataires=destinataires,
                )
            )
    return signalement
