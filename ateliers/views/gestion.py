"""Coordination's workshop back-office: the planning of open requests, the catalogue
(sheets, their versions, publishing) and the partnership conventions (signed PDF, status,
reminder).

Other accounts read the catalogue, and referents their structures' conventions, through
these same pages, read-only: what they read is managed here.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from commun.historique import journal
from structures.models import Structure
from territoires.models import Commune
from territoires.perimetres import perimetre_de

from .. import permissions, services
from ..a_faire import ECHEANCE_JOURS, conventions_a_echeance
from ..enums import OUVERTES, StatutFiche
from ..forms.espace import debut_de_semaine
from ..forms.gestion import ConventionForm, FicheForm
from ..models import Convention, FicheAtelier

STATUTS_CONVENTION = ["brouillon", "à venir", "signée", "expirée"]


def _coordination(request):
    if not permissions.est_coordination(request.user):
        raise PermissionDenied("Le catalogue et les conventions sont gérés par la coordination.")


def _communes_de(user):
    if user.is_staff:  # not the 35,000 communes of France: those with a partner structure
        return Commune.objects.filter(structures__isnull=False).distinct().order_by("nom")
    return Commune.objects.dans(perimetre_de(user)).order_by("nom")


# -- catalogue -----------------------------------------------------------------------------


@require_GET
def catalogue(request):
    if not permissions.peut_lire_catalogue(request.user):
        raise PermissionDenied("Le catalogue des ateliers est réservé aux comptes du portail.")
    statut = request.GET.get("statut", "")
    fiches = permissions.fiches_visibles(request.user).select_related("commune")
    if statut in StatutFiche.values:
        fiches = fiches.filter(statut=statut)
    fiches = fiches.annotate(nombre_demandes=Count("versions__demandes", distinct=True)).order_by(
        "titre", "pk"
    )
    return render(
        request,
        "ateliers/gestion/catalogue.html",
        {
            "fiches": fiches,
            "statut": statut,
            "statuts": StatutFiche.choices,
            "coordination": permissions.est_coordination(request.user),
            "referent": permissions.est_referent(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def fiche_nouvelle(request):
    _coordination(request)
    return _editer_fiche(request, FicheAtelier())


@require_http_methods(["GET", "POST"])
def fiche_modifier(request, pk: int):
    _coordination(request)
    fiche = get_object_or_404(permissions.fiches_visibles(request.user), pk=pk)
    if fiche.statut == StatutFiche.ARCHIVEE:
        messages.warning(request, "Cette fiche est archivée\u00a0: republiez-la pour la modifier.")
        return redirect("ateliers:fiche", pk=fiche.pk)
    return _editer_fiche(request, fiche)


def _editer_fiche(request, fiche: FicheAtelier):
    formulaire = FicheForm(
        request.POST or None, instance=fiche, communes=_communes_de(request.user)
    )
    if request.method == "POST" and formulaire.is_valid():
        publier = request.POST.get("action") == "publier"
        with transaction.atomic():
            fiche = formulaire.save()
            version = services.publier_fiche(fiche, par=request.user) if publier else None
        if version:
            messages.success(
                request,
                f"Fiche publiée (version {version.numero})\u00a0: les structures peuvent la "
                "demander. "
                "Les demandes déjà faites gardent la version qu'elles ont demandée.",
            )
        elif fiche.statut == StatutFiche.PUBLIEE:
            messages.success(
                request,
                "Modifications enregistrées, non publiées\u00a0: les structures voient la version "
                f"{fiche.version} jusqu'à la prochaine publication.",
            )
        else:
            messages.success(request, "Brouillon enregistré.")
        return redirect("ateliers:fiche", pk=fiche.pk)
    return render(
        request,
        "ateliers/gestion/fiche_formulaire.html",
        {"formulaire": formulaire, "fiche": fiche},
        status=400 if formulaire.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def fiche(request, pk: int):
    if not permissions.peut_lire_catalogue(request.user):
        raise PermissionDenied("Le catalogue des ateliers est réservé aux comptes du portail.")
    fiche_ = get_object_or_404(
        permissions.fiches_visibles(request.user).select_related("commune"), pk=pk
    )
    coordination = permissions.est_coordination(request.user)
    courante = services.version_courante(fiche_)
    if request.method == "POST":
        if not coordination:
            raise PermissionDenied("Seule la coordination publie ou archive une fiche.")
        action = request.POST.get("action")
        if action == "publier":
            version = services.publier_fiche(fiche_, par=request.user)
            messages.success(request, f"Fiche publiée (version {version.numero}).")
        elif action == "archiver":
            services.archiver_fiche(fiche_, par=request.user)
            messages.success(
                request,
                "Fiche archivée\u00a0: elle n'est plus proposée ; les demandes en cours "
                "continuent.",
            )
        else:
            return HttpResponse("Action inconnue.", status=400)
        return redirect("ateliers:fiche", pk=fiche_.pk)
    # what others read is the published version, not the sheet being edited
    affichee = fiche_ if coordination or courante is None else courante
    versions = (
        fiche_.versions.annotate(nombre_demandes=Count("demandes")).order_by("-numero")
        if coordination
        else []
    )
    return render(
        request,
        "ateliers/gestion/fiche.html",
        {
            "fiche": fiche_,
            "affichee": affichee,
            "courante": courante,
            "coordination": coordination,
            "referent": permissions.est_referent(request.user),
            "versions": versions,
            "non_publiee": coordination
            and fiche_.statut != StatutFiche.ARCHIVEE
            and (courante is None or courante.donnees != fiche_.instantane()),
        },
    )


# -- conventions ---------------------------------------------------------------------------


@require_GET
def conventions(request):
    if not permissions.peut_lire_conventions(request.user):
        raise PermissionDenied(
            "Les conventions sont suivies par la coordination et les structures."
        )
    liste = list(
        permissions.conventions_visibles(request.user)
        .select_related("structure__commune")
        .annotate(nombre_demandes=Count("demandes"))
        .order_by("structure__nom", "-fin")
    )
    statut = request.GET.get("statut", "")
    if statut in STATUTS_CONVENTION:
        liste = [c for c in liste if c.statut == statut]
    echeance = request.GET.get("echeance", "")
    if echeance == str(ECHEANCE_JOURS):
        a_echeance = set(
            conventions_a_echeance(permissions.conventions_visibles(request.user)).values_list(
                "pk", flat=True
            )
        )
        liste = [c for c in liste if c.pk in a_echeance]
    return render(
        request,
        "ateliers/gestion/conventions.html",
        {
            "conventions": liste,
            "statut": statut,
            "statuts": STATUTS_CONVENTION,
            "echeance": echeance == str(ECHEANCE_JOURS),
            "echeance_jours": ECHEANCE_JOURS,
            "coordination": permissions.est_coordination(request.user),
            "a_rappeler": {c.pk for c in services.conventions_a_rappeler()}
            | {c.pk for c in liste if c.rappel_envoye_le},
        },
    )


def _structures_de(user):
    structures = Structure.objects.tous() if user.is_staff else Structure.objects.pour(user)
    return structures.select_related("commune").order_by("nom")


@require_http_methods(["GET", "POST"])
def convention_nouvelle(request):
    _coordination(request)
    return _editer_convention(request, Convention(cree_par=request.user))


@require_http_methods(["GET", "POST"])
def convention(request, pk: int):
    if not permissions.peut_lire_conventions(request.user):
        raise PermissionDenied(
            "Les conventions sont suivies par la coordination et les structures."
        )
    convention_ = get_object_or_404(
        permissions.conventions_visibles(request.user).select_related("structure"), pk=pk
    )
    if permissions.est_coordination(request.user):
        return _editer_convention(request, convention_)
    if request.method == "POST":
        raise PermissionDenied("Seule la coordination modifie une convention.")
    return render(request, "ateliers/gestion/convention.html", {"convention": convention_})


# the fields whose changes the convention's audit trail lists
CHAMPS_JOURNAL = ["structure", "debut", "fin", "signee_le", "document", "obligations"]


def _editer_convention(request, convention_: Convention):
    ancien_document = convention_.document.name if convention_.pk else ""
    formulaire = ConventionForm(
        request.POST or None,
        request.FILES or None,
        instance=convention_,
        structures=_structures_de(request.user),
    )
    if request.method == "POST" and formulaire.is_valid():
        nouveau = "document" in formulaire.changed_data
        try:
            with transaction.atomic():
                if formulaire.cleaned_data["fin"] != formulaire.initial.get("fin"):
                    convention_.rappel_envoye_le = None  # a new end date, a new reminder
                convention_ = formulaire.save()
        except Exception:
            # nothing half-written: the uploaded file goes with the failed save
            if nouveau and convention_.document and convention_.document.name != ancien_document:
                convention_.document.delete(save=False)
            raise
        if nouveau and ancien_document and ancien_document != convention_.document.name:
            convention_.document.storage.delete(ancien_document)
        messages.success(request, f"Convention enregistrée ({convention_.statut}).")
        return redirect("ateliers:convention", pk=convention_.pk)
    return render(
        request,
        "ateliers/gestion/convention_formulaire.html",
        {
            "formulaire": formulaire,
            "convention": convention_,
            "journal": journal(convention_, CHAMPS_JOURNAL) if convention_.pk else [],
        },
        status=400 if formulaire.errors else 200,
    )


@require_GET
def convention_document(request, pk: int):
    """The signed PDF, to those who may read the convention only (not a public media URL)."""
    if not permissions.peut_lire_conventions(request.user):
        raise PermissionDenied(
            "Les conventions sont suivies par la coordination et les structures."
        )
    convention_ = get_object_or_404(permissions.conventions_visibles(request.user), pk=pk)
    if not convention_.document:
        raise Http404("Aucun document joint.")
    try:
        with convention_.document.open("rb") as fichier:
            contenu = fichier.read()  # 5 MB at most, checked on upload
    except FileNotFoundError as absent:
        raise Http404("Le document n'est plus disponible.") from absent
    nom = f"convention-{slugify(convention_.structure.nom)}-{convention_.debut:%Y}.pdf"
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


# -- planning ------------------------------------------------------------------------------


@require_GET
def planification(request):
    if not permissions.est_coordination(request.user):
        raise PermissionDenied("La planification des ateliers est réservée à la coordination.")
    ouvertes = (
        permissions.demandes_visibles(request.user)
        .filter(statut__in=OUVERTES)
        .select_related("version", "structure", "lieu__commune", "lieu__zone")
    )
    lundi = debut_de_semaine(request.GET.get("semaine"))
    conseillers = permissions.conseillers_planifiables(request.user).order_by("nom", "prenom")
    return render(
        request,
        "ateliers/gestion/planification.html",
        {
            "priorites": services.classer_demandes(ouvertes),
            "charge": services.plan_de_charge(conseillers, lundi),
            "jours": [lundi + dt.timedelta(days=i) for i in range(7)],
            "lundi": lundi,
            "semaine_precedente": (lundi - dt.timedelta(days=7)).isoformat(),
            "semaine_suivante": (lundi + dt.timedelta(days=7)).isoformat(),
            "demande_a_reprogrammer": services.demande_a_reprogrammer(
                permissions.demandes_visibles(request.user)
            ),
        },
    )
