"""Writes on advisors' data that touch several tables or keep an audit trail.

A function given the acting user (``user=``) checks that user's right first, with the rule
of ``permissions`` the views and the API call, and raises ``PermissionDenied``;
``user=None`` is an import, a job or the demonstration, and is not checked."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from territoires.models import Commune

from . import permissions
from .enums import SourceActivite
from .models import Activite, Beneficiaire, Conseiller


def profil_conseiller(*, user) -> Conseiller | None:
    """The advisor profile of ``user``: linked, found by e-mail among the profiles of its
    own territory (an imported advisor who now has a login), or created in the most
    populous commune of its territory.

    A profile of another territory with the same e-mail is never attached silently (its
    reports would then belong to that territory): the account gets no profile until a
    coordinator of its territory attaches one (``forms.gestion.compte_a_lier``).
    """
    try:
        return user.conseiller
    except Conseiller.DoesNotExist:
        pass
    with transaction.atomic():
        existant = (
            Conseiller.objects.pour(user)
            .select_for_update()
            .filter(email__iexact=user.email, user__isnull=True)
            .first()
        )
        if existant is not None:
            existant.user = user
            existant.prenom = existant.prenom or user.prenom
            existant.nom = existant.nom or user.nom
            existant.save(update_fields=["user", "prenom", "nom", "modifie_le"])
            return existant
        if Conseiller.objects.tous().filter(email__iexact=user.email).exists():
            return None  # the address is another territory's profile, or another account's
        commune = Commune.objects.dans(user.perimetre).order_by("-population", "pk").first()
        if commune is None:
            return None
        return Conseiller.objects.create(
            user=user, email=user.email.lower(), prenom=user.prenom, nom=user.nom, commune=commune
        )


def _exiger(user, regle, activite: Activite) -> None:
    if user is not None and not regle(user, activite):
        raise PermissionDenied("Seul le conseiller qui l'a saisie modifie cette activité.")


def _rafraichir_derniere_activite(beneficiaires: Iterable[int]) -> None:
    """Keep each beneficiary's last visit (the retention clock) in step with the reports."""
    identifiants = sorted(set(beneficiaires))
    if not identifiants:
        return
    dernieres = dict(
        Activite.beneficiaires.through.objects.filter(
            beneficiaire_id__in=identifiants, activite__supprime_le__isnull=True
        )
        .values("beneficiaire_id")
        .annotate(derniere=Max("activite__date"))
        .values_list("beneficiaire_id", "derniere")
    )
    for beneficiaire in Beneficiaire.objects.tous().filter(pk__in=identifiants):
        derniere = dernieres.get(beneficiaire.pk)
        if beneficiaire.derniere_activite != derniere:
            beneficiaire.derniere_activite = derniere
            beneficiaire.save(update_fields=["derniere_activite"])


@transaction.atomic
def enregistrer_activite(
    *,
    activite: Activite,
    user=None,
    beneficiaires: Iterable[Beneficiaire] | None = None,
    source: SourceActivite | None = None,
    raison: str = "",
    verifier_droits: bool = True,
) -> Activite:
    """Validate and save one report (new or edited), its followed beneficiaries and its
    audit trail entry. Raises ``ValidationError`` (French messages) and writes nothing.

    ``verifier_droits=False``: the caller checked its own rule for ``user`` (closing a
    workshop session writes the report of each advisor who ran it)."""
    if verifier_droits:
        _exiger(user, permissions.peut_enregistrer_activite, activite)
    creation = activite._state.adding
    if creation:
        activite.cree_par = activite.cree_par or user
        if source:
            activite.source = source
    activite.deriver_lieu()
    activite.full_clean()
    activite._history_user = user
    activite._change_reason = raison or ("création" if creation else "modification")
    activite.save()
    if beneficiaires is not None:
        anciens = set(activite.beneficiaires.values_list("pk", flat=True))
        nouveaux = {b.pk for b in beneficiaires}
        activite.beneficiaires.set(nouveaux)
        _rafraichir_derniere_activite(anciens | nouveaux)
    return activite


@transaction.atomic
def supprimer_activite(*, activite: Activite, user=None) -> Activite:
    """Soft delete: the report leaves the figures but stays, with who deleted it and when."""
    _exiger(user, permissions.peut_modifier_activite, activite)
    if activite.supprime_le is None:
        activite.supprime_le = timezone.now()
        activite._history_user = user
        activite._change_reason = "suppression"
        activite.save(update_fields=["supprime_le", "modifie_le"])
        _rafraichir_derniere_activite(activite.beneficiaires.values_list("pk", flat=True))
    return activite


@transaction.atomic
def restaurer_activite(*, activite: Activite, user=None) -> Activite:
    _exiger(user, permissions.peut_modifier_activite, activite)
    if activite.supprime_le is not None:
        activite.supprime_le = None
        activite._history_user = user
        activite._change_reason = "restauration"
        activite.save(update_fields=["supprime_le", "modifie_le"])
        _rafraichir_derniere_activite(activite.beneficiaires.values_list("pk", flat=True))
    return activite
