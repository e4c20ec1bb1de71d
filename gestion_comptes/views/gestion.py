"""The accounts of the territory: list, invitation (one or from a file), role and
territories, attachment, deactivation. Coordinators (their territory) and staff; an
account of another territory answers 404, a wider one is shown but refused (403)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commun.historique import journal
from commun.pagination import paginer
from comptes import services as comptes_services
from comptes.models import Invitation, TerritoireUtilisateur

from .. import permissions, services
from ..forms.gestion import (
    CompteForm,
    ImportInvitationsForm,
    InvitationForm,
    RattachementForm,
    RechercheComptesForm,
)

COMPTES_PAR_PAGE = 30
CHAMPS_DU_JOURNAL = ["email", "prenom", "nom", "role", "is_active", "telephone"]


def _erreurs(form, erreur: ValidationError) -> None:
    """A service's refusal, next to its field when it names one."""
    if hasattr(erreur, "error_dict"):
        for champ, liste in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, liste)
    else:
        form.add_error(None, erreur)


@require_GET
def liste(request):
    permissions.exiger_gestion_comptes(request.user)
    user = request.user
    recherche = RechercheComptesForm(request.GET or None)
    comptes = permissions.regles.comptes_visibles(user)
    if recherche.is_valid():
        comptes = recherche.filtrer(comptes)
    comptes = (
        comptes.select_related("conseiller")
        .prefetch_related(
            Prefetch(
                "territoires",
                TerritoireUtilisateur.objects.select_related("commune", "epci", "departement"),
            ),
            "structures",
            Prefetch("invitations", Invitation.objects.ouvertes(), to_attr="invitations_ouvertes"),
        )
        .order_by("nom", "prenom", "email", "pk")
    )
    page = paginer(comptes, request.GET, COMPTES_PAR_PAGE)
    return render(
        request,
        "gestion_comptes/gestion/liste.html",
        {"page": page, "recherche": recherche},
    )


@require_http_methods(["GET", "POST"])
def inviter(request):
    permissions.exiger_gestion_comptes(request.user)
    user = request.user
    form = InvitationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            invitation = services.inviter(
                par=user,
                email=d["email"],
                role=d["role"],
                territoires=d["territoires"],
                prenom=d["prenom"],
                nom=d["nom"],
                structure=d["structure"],
                conseiller=d["conseiller"],
            )
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(
                request, f"Invitation envoyée à {invitation.user.email}.", extra_tags="invitation"
            )
            return redirect("gestion_comptes:compte", invitation.user_id)
    return render(
        request,
        "gestion_comptes/gestion/inviter.html",
        {"form": form, "duree": settings.COMPTES_INVITATION_DUREE_JOURS},
    )


@require_http_methods(["GET", "POST"])
def importer(request):
    """Bulk invitation from a CSV file; all or nothing unless « partiel » is ticked."""
    permissions.exiger_gestion_comptes(request.user)
    user = request.user
    form = ImportInvitationsForm(request.POST or None, request.FILES or None, user=user)
    rapport = None
    if request.method == "POST" and form.is_valid():
        try:
            rapport = services.inviter_depuis_fichier(
                par=user,
                contenu=form.cleaned_data["fichier"].read(),
                territoires=form.cleaned_data["territoires"],
                partiel=form.cleaned_data["partiel"],
            )
        except services.FichierInvalide as erreur:
            form.add_error("fichier", str(erreur))
        else:
            if rapport.ecrit and not rapport.erreurs:
                nombre = len(rapport.invites)
                messages.success(
                    request,
                    f"{nombre} invitation{'s' if nombre > 1 else ''} envoyée"
                    f"{'s' if nombre > 1 else ''}.",
                )
                return redirect("gestion_comptes:liste")
    return render(
        request, "gestion_comptes/gestion/importer.html", {"form": form, "rapport": rapport}
    )


def _profil(compte):
    try:
        return compte.conseiller
    except ObjectDoesNotExist:
        return None


def _page_du_compte(request, compte, *, form=None, rattachement=None, status=200):
    user = request.user
    modifiable = permissions.compte_modifiable(user, compte)
    if form is None and modifiable:
        form = CompteForm(initial=CompteForm.initial_de(compte), user=user)
    if rattachement is None and modifiable:
        rattachement = RattachementForm(user=user, role=compte.role)
    return render(
        request,
        "gestion_comptes/gestion/compte.html",
        {
            "compte": compte,
            "modifiable": modifiable,
            "form": form,
            "rattachement": rattachement,
            "territoires": compte.territoires.select_related("commune", "epci", "departement"),
            "structures": compte.structures.tous().order_by("nom"),
            "profil": _profil(compte),
            "invitation": compte.invitations.ouvertes().first(),
            "journal": journal(compte, CHAMPS_DU_JOURNAL),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def compte(request, pk: int):
    """An account: what it is, its role and territories (POST changes them), its journal."""
    compte = permissions.compte_visible_ou_404(request.user, pk)
    if request.method != "POST":
        return _page_du_compte(request, compte)
    permissions.exiger_compte_modifiable(request.user, compte)
    form = CompteForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            comptes_services.modifier_compte(
                par=request.user,
                cible=compte,
                role=form.cleaned_data["role"],
                territoires=form.cleaned_data["territoires"],
            )
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(request, "Rôle et territoires enregistrés.")
            return redirect("gestion_comptes:compte", compte.pk)
    return _page_du_compte(request, compte, form=form, status=200)


@require_POST
def rattacher(request, pk: int):
    compte = permissions.compte_visible_ou_404(request.user, pk)
    permissions.exiger_compte_modifiable(request.user, compte)
    form = RattachementForm(request.POST, user=request.user, role=compte.role)
    if form.is_valid():
        try:
            services.rattacher(
                par=request.user,
                cible=compte,
                structure=form.cleaned_data.get("structure"),
                conseiller=form.cleaned_data.get("conseiller"),
            )
        except ValidationError as erreur:
            _erreurs(form, erreur)
        else:
            messages.success(request, "Rattachement enregistré.")
            return redirect("gestion_comptes:compte", compte.pk)
    return _page_du_compte(request, compte, rattachement=form)


def _action(request, pk: int, action, message: str):
    compte = permissions.compte_visible_ou_404(request.user, pk)
    permissions.exiger_compte_modifiable(request.user, compte)
    try:
        action(par=request.user, cible=compte)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, message)
    return redirect("gestion_comptes:compte", compte.pk)


@require_POST
def desactiver(request, pk: int):
    return _action(
        request,
        pk,
        comptes_services.desactiver_compte,
        "Compte désactivé\u00a0: ses sessions et ses jetons d'API sont révoqués.",
    )


@require_POST
def reactiver(request, pk: int):
    return _action(request, pk, comptes_services.reactiver_compte, "Compte réactivé.")


@require_POST
def renvoyer_invitation(request, pk: int):
    return _action(
        request, pk, comptes_services.renvoyer_invitation, "Nouvelle invitation envoyée."
    )


@require_POST
def annuler_invitation(request, pk: int):
    return _action(
        request,
        pk,
        comptes_services.annuler_invitation,
        "Invitation annulée\u00a0: son lien ne fonctionne plus.",
    )
