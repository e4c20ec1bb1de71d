"""The index's back office: computing a new version (coordinators on a reference territory
of their own, staff) and loading outlines (coordinators on their communes, staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from kombu.exceptions import OperationalError

from indicateurs.champs import NIVEAUX
from indicateurs.enums import Methode, Niveau
from indicateurs.permissions import peut_calculer_indice, peut_importer_contours
from indicateurs.territoire import CalculImpossible
from territoires.models import Commune
from territoires.perimetres import perimetre_de

from ..forms.gestion import CalculIndiceForm, ContoursForm
from ..models import ValeurIndicateur
from ..services import verifier_parametres
from . import exiger_lecteur, territoires_du_lecteur

# -- computing a new version -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def calculer(request):
    exiger_lecteur(request)
    territoires = territoires_du_lecteur(request)
    permis = {c: t for c, t in territoires.items() if peut_calculer_indice(request.user, t)}
    if not permis:
        raise PermissionDenied("Le calcul de l'indice est réservé aux coordinateurs.")
    choix = [(t.code, t.nom) for t in permis.values()]
    if request.method == "GET":
        formulaire = CalculIndiceForm(
            initial={
                "reference": choix[0][0],
                "niveau": Niveau.COMMUNE,
                "methode": Methode.RANGS,
                "millesime": _dernier_millesime(permis[choix[0][0]]),
            },
            territoires=choix,
        )
        return _page_calcul(request, formulaire, permis)
    if request.POST.get("reference") and request.POST["reference"] not in permis:
        raise PermissionDenied("Vous ne pouvez calculer l'indice que sur vos territoires.")
    formulaire = CalculIndiceForm(request.POST, territoires=choix)
    if formulaire.is_valid():
        p = formulaire.cleaned_data
        territoire = permis[p["reference"]]
        try:
            verifier_parametres(
                niveau=p["niveau"],
                millesime=p["millesime"],
                methode=p["methode"],
                echelle=p["echelle"],
            )
            if (
                not ValeurIndicateur.objects.tous()
                .filter(territoire.q(), niveau=p["niveau"], millesime=p["millesime"])
                .exists()
            ):
                raise CalculImpossible(
                    f"Aucune valeur d'indicateur n'a été importée pour les "
                    f"{dict(NIVEAUX)[p['niveau']]} de {territoire.nom} en {p['millesime']}."
                )
        except CalculImpossible as erreur:
            formulaire.add_error(None, str(erreur))
        else:
            return _lancer_calcul(request, p, territoire)
    return _page_calcul(request, formulaire, permis, status=400)


def _lancer_calcul(request, p: dict, territoire):
    from ..tasks import calculer_indice

    try:
        tache = calculer_indice.delay(
            niveau=p["niveau"],
            millesime=p["millesime"],
            methode=p["methode"],
            echelle=p["echelle"],
            reference=territoire.code,
            par_id=request.user.pk,
        )
    except CalculImpossible as erreur:  # run eagerly (development, tests): the same message
        messages.error(request, f"Le calcul n'a pas pu être fait\u00a0: {erreur}")
        return redirect(reverse("indicateurs:indice_calculer"))
    except OperationalError:  # the broker (Redis) is down: nothing was queued
        messages.error(
            request,
            "Le service de calcul est momentanément indisponible\u00a0: rien n'a été lancé. "
            "Réessayez dans quelques minutes.",
        )
        return redirect(reverse("indicateurs:indice_calculer"))
    if tache.ready() and tache.successful():
        message = "Le nouvel indice est calculé\u00a0: c'est la version affichée."
    else:
        message = (
            "Le calcul est lancé\u00a0; la nouvelle version apparaîtra dans la liste des "
            "versions dans quelques instants (rechargez la page)."
        )
    messages.success(request, message)
    suite = f"?territoire={territoire.code}&niveau={p['niveau']}"
    return redirect(reverse("indicateurs:indice") + suite)


def _dernier_millesime(territoire) -> int | None:
    return (
        ValeurIndicateur.objects.tous()
        .filter(territoire.q())
        .order_by("-millesime")
        .values_list("millesime", flat=True)
        .first()
    )


def _page_calcul(request, formulaire, permis: dict, status: int = 200):
    disponibles = []
    for territoire in permis.values():
        lignes = (
            ValeurIndicateur.objects.tous()
            .filter(territoire.q())
            .values_list("niveau", "millesime")
            .distinct()
            .order_by("niveau", "-millesime")
        )
        for niveau, millesime in lignes:
            disponibles.append((territoire.nom, dict(NIVEAUX)[niveau], millesime))
    return render(
        request,
        "indicateurs/indice/calculer.html",
        {"formulaire": formulaire, "disponibles": disponibles},
        status=status,
    )


# -- outlines --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def importer_contours(request):
    if not peut_importer_contours(request.user):
        raise PermissionDenied("Le chargement des contours est réservé aux coordinateurs.")
    from ..contours import GeoJSONInvalide, enregistrer_contours, lire_geojson

    erreurs: list[str] = []
    if request.method == "POST":
        formulaire = ContoursForm(request.POST, request.FILES)
        if formulaire.is_valid():
            p = formulaire.cleaned_data
            autorisees = None
            if not request.user.is_staff:
                autorisees = set(
                    Commune.objects.dans(perimetre_de(request.user)).values_list("pk", flat=True)
                )
            try:  # all or nothing: enregistrer_contours writes in one transaction
                contours = lire_geojson(p["fichier"].read(), niveau=p["niveau"])
                nombre = enregistrer_contours(
                    contours,
                    niveau=p["niveau"],
                    source=p["source"] or p["fichier"].name,
                    communes_autorisees=autorisees,
                )
            except GeoJSONInvalide as erreur:
                erreurs = erreur.erreurs
            else:
                messages.success(
                    request,
                    f"{nombre} contour{'s' if nombre > 1 else ''} enregistré"
                    f"{'s' if nombre > 1 else ''}\u00a0; la carte de l'indice les dessine.",
                )
                return redirect(reverse("indicateurs:indice") + f"?niveau={p['niveau']}")
        status = 400
    else:
        formulaire = ContoursForm(initial={"niveau": Niveau.QUARTIER})
        status = 200
    return render(
        request,
        "indicateurs/indice/contours.html",
        {"formulaire": formulaire, "erreurs": erreurs},
        status=status,
    )
