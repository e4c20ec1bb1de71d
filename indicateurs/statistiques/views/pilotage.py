"""Steering figures: the officials' dashboard ``/tableau-de-bord/`` and its CSV, XLSX and
PDF exports, for élus and coordinators on their territories and staff."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from indicateurs.permissions import peut_lire_tableau_de_bord, territoires_analysables

from .. import comite
from ..calcul import Filtres, dernier_calcul, lire_filtres


def _acces(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not peut_lire_tableau_de_bord(request.user):
        raise PermissionDenied("Le tableau de bord est réservé aux élus et aux coordinateurs.")
    return None


def _filtres(request) -> tuple[Filtres, str | None]:
    """The filters of the query string, or the defaults with the French error."""
    try:
        return lire_filtres(request.GET), None
    except ValueError as erreur:
        return lire_filtres({}), str(erreur)


def _nom_territoire(request, filtres: Filtres) -> str:
    if filtres.territoire is not None:
        return filtres.territoire.nom
    noms = (
        [t.nom for t in territoires_analysables(request.user)] if not request.user.is_staff else []
    )
    return ", ".join(noms) or "tous les territoires"


def _periode(filtres: Filtres) -> str:
    du = comite.libelle_mois(f"{filtres.du:%Y-%m}")
    au = comite.libelle_mois(f"{filtres.au:%Y-%m}")
    return du if du == au else f"de {du} à {au}"


@require_GET
def tableau_de_bord(request):
    if refus := _acces(request):
        return refus
    filtres, erreur = _filtres(request)
    contenu = comite.donnees(request.user, filtres)
    territoires = [] if request.user.is_staff else territoires_analysables(request.user)
    return render(
        request,
        "indicateurs/comite/tableau_de_bord.html",
        {
            **contenu,
            "filtres": filtres,
            "erreur": erreur,
            "territoires": territoires,
            "territoire_choisi": request.GET.get("territoire", "") if not erreur else "",
            "nom_territoire": _nom_territoire(request, filtres),
            "periode": _periode(filtres),
            "calcul": dernier_calcul(),
            "definitions": comite.DEFINITIONS,
            "requete": request.GET.urlencode() if not erreur else "",
        },
    )


def _export(request, format_: str):
    if refus := _acces(request):
        return refus
    filtres, erreur = _filtres(request)
    if erreur:
        return HttpResponse(erreur, status=400, content_type="text/plain; charset=utf-8")
    contenu = comite.donnees(request.user, filtres)
    nom_territoire = _nom_territoire(request, filtres)
    periode = _periode(filtres)
    titre = f"Activité de la médiation numérique — {nom_territoire} — {periode}"
    nom = f"tableau-de-bord-{filtres.du:%Y-%m}-{filtres.au:%Y-%m}"
    if format_ == "csv":
        corps, type_ = comite.en_csv(contenu, titre), "text/csv; charset=utf-8"
    elif format_ == "xlsx":
        corps = comite.en_xlsx(contenu, titre)
        type_ = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        titre = "Rapport d'activité de la médiation numérique"
        corps, type_ = comite.en_pdf(contenu, titre, nom_territoire, periode), "application/pdf"
    reponse = HttpResponse(corps, content_type=type_)
    reponse["Content-Disposition"] = f'attachment; filename="{nom}.{format_}"'
    return reponse


@require_GET
def tableau_de_bord_csv(request):
    return _export(request, "csv")


@require_GET
def tableau_de_bord_xlsx(request):
    return _export(request, "xlsx")


@require_GET
def tableau_de_bord_pdf(request):
    return _export(request, "pdf")
