"""Coverage analysis pages: where the need is, where the offer is missing, where to go next.

Read by coordinators and élus on their own territories, and by staff on any département or
EPCI (``peut_analyser_couverture``); advisors and structure referents get a 403, and asking
for a territory that is not one's own too. The computation is
:mod:`indicateurs.couverture.analyse`; this module only reads the form, calls it and shapes
the result for the template, the map (``json_script``) and the CSV export.
"""

from __future__ import annotations

import math

import pandas as pd
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commun.carte import carte
from commun.exports import csv_du_tableau, parametres_invalides
from indicateurs.champs import NIVEAUX
from indicateurs.enums import Methode, Niveau
from indicateurs.indice.classement import bornes_des_classes, classes, legende
from indicateurs.permissions import peut_analyser_couverture, territoires_analysables
from structures.enums import Service

from .. import analyse as couverture
from ..forms.pilotage import COLONNES_TRI, TRI_PAR_DEFAUT, CouvertureForm

DECIMALES_CARTE = 5


# -- access ------------------------------------------------------------------------------


# -- shaping -------------------------------------------------------------------------------


def _lignes(cadre: pd.DataFrame) -> list[dict]:
    """Records with NaN as None (the template shows "—")."""
    return cadre.astype(object).where(cadre.notna(), None).to_dict("records")


def _trier(unites: pd.DataFrame, tri: str, ordre: str) -> pd.DataFrame:
    croissant = ordre == "asc"
    if tri == "nom":
        return unites.sort_values(["nom", "code"], ascending=croissant, kind="stable")
    return unites.sort_values("code", kind="stable").sort_values(
        tri, ascending=croissant, na_position="last", kind="stable"
    )


def _arrondi(valeur) -> float | None:
    if valeur is None or (isinstance(valeur, float) and math.isnan(valeur)):
        return None
    return round(float(valeur), DECIMALES_CARTE)


def donnees_carte(analyse: couverture.Analyse, offres: pd.DataFrame, bornes) -> dict:
    unites = analyse.unites.copy()
    unites["classe"] = classes(unites["indice"], bornes)
    points = unites[unites["statut"] != couverture.SANS_POINT]
    return {
        "rayon_km": analyse.rayon_km,
        "unites": [
            [
                u["code"],
                u["nom"],
                _arrondi(u["latitude"]),
                _arrondi(u["longitude"]),
                None if u["population"] is None else int(u["population"]),
                u["indice"],
                int(u["classe"]),
                u["statut"],
                bool(u["fragile"]),
            ]
            for u in _lignes(points)
        ],
        "offres": [
            [o["nom"], _arrondi(o["latitude"]), _arrondi(o["longitude"]), o["type"]]
            for o in _lignes(offres)
        ],
        "suggestions": [
            [s.rang, s.nom, _arrondi(s.latitude), _arrondi(s.longitude), int(s.population)]
            for s in analyse.suggestions
        ],
    }


def entetes(parametres, tri: str, ordre: str) -> list[dict]:
    """The sortable column headers: a click sorts by the column, a second click reverses."""
    colonnes = []
    for cle, libelle in COLONNES_TRI.items():
        actif = cle == tri
        suivant = ("asc" if ordre == "desc" else "desc") if actif else "desc"
        if not actif and cle == "nom":
            suivant = "asc"
        lien = parametres.copy()
        lien["tri"], lien["ordre"] = cle, suivant
        colonnes.append(
            {
                "cle": cle,
                "libelle": libelle,
                "parametres": lien.urlencode(),
                "aria_sort": ("ascending" if ordre == "asc" else "descending") if actif else "",
            }
        )
    return colonnes


# -- views -----------------------------------------------------------------------------------


def _analyser(request):
    """The form, and when it is valid the territory, the data read and the analysis."""
    if not peut_analyser_couverture(request.user):
        raise PermissionDenied("L'analyse de couverture est réservée aux coordinateurs et élus.")
    territoires = {t.code: t for t in territoires_analysables(request.user)}
    demande = request.GET.get("territoire")
    if demande and demande not in territoires and not request.user.is_staff:
        raise PermissionDenied("Vous ne pouvez analyser que vos propres territoires.")
    formulaire = CouvertureForm(
        request.GET, territoires=[(t.code, t.nom) for t in territoires.values()]
    )
    if not formulaire.is_valid():
        return formulaire, None, None, None
    p = formulaire.cleaned_data
    territoire = territoires[p["territoire"]]
    donnees = couverture.lire_donnees(
        territoire=territoire, niveau=p["niveau"], service=p["service"], rayon_km=p["rayon"]
    )
    analyse = couverture.analyser(
        donnees.unites,
        donnees.offres,
        rayon_km=p["rayon"],
        k=p["k"],
        seuil=p["seuil"],
        candidats=donnees.candidats,
        portee_km=donnees.portee_km,
    )
    return formulaire, territoire, donnees, analyse


@require_GET
def couverture_territoire(request):
    formulaire, territoire, donnees, analyse = _analyser(request)
    contexte = {"formulaire": formulaire, "carte": carte(donnees="donnees-couverture")}
    if analyse is not None:
        p = formulaire.cleaned_data
        bornes = bornes_des_classes(analyse.unites["indice"])
        unites = analyse.unites.copy()
        unites["classe"] = classes(unites["indice"], bornes)
        tri = p["tri"] or TRI_PAR_DEFAUT
        ordre = p["ordre"] or "desc"
        parametres = request.GET.copy()
        for cle in ("tri", "ordre"):
            parametres.pop(cle, None)
        resultat = donnees.resultat
        contexte.update(
            territoire=territoire,
            donnees=donnees,
            analyse=analyse,
            unites=_lignes(_trier(unites, tri, ordre)),
            sans_offre=_lignes(analyse.sans_offre),
            sans_point=_lignes(analyse.sans_point),
            suggestions=[
                {"suggestion": s, "unites": _lignes(s.unites)} for s in analyse.suggestions
            ],
            offres=_lignes(donnees.offres.sort_values(["nom", "cle"])),
            nombre_fragiles=len(analyse.fragiles),
            nombre_toutes_sans_offre=len(analyse.toutes_sans_offre),
            population_totale=float(analyse.unites["population"].fillna(0).sum()),
            bornes=bornes,
            tri=tri,
            ordre=ordre,
            colonnes_tri=COLONNES_TRI,
            parametres_tri=parametres.urlencode(),
            parametres=request.GET.urlencode(),
            niveau_libelle=dict(NIVEAUX)[p["niveau"]],
            service_libelle=Service(p["service"]).label if p["service"] else "",
            resultat=resultat,
            methode_libelle=Methode(resultat.methode).label if resultat else "",
            zones=p["niveau"] != Niveau.COMMUNE,
            donnees_carte=donnees_carte(analyse, donnees.offres, bornes),
            entetes=entetes(parametres, tri, ordre),
            legende=legende(bornes),
        )
    return render(request, "indicateurs/couverture/analyse.html", contexte)


ENTETE_CSV = [
    "code",
    "unite",
    "population",
    "indice",
    "fragile",
    "lieux",
    "lieux_pour_10000_habitants",
    "heures_conseillers_par_semaine",
    "heures_pour_10000_habitants",
    "distance_offre_km",
    "offre_la_plus_proche",
    "statut",
]
STATUTS_CSV = {
    couverture.SANS_OFFRE: "sans offre",
    couverture.SANS_POINT: "sans point représentatif",
}


def statut_csv(statut: str, rayon_km: float) -> str:
    """« offre à moins de 5 km » (the radius asked for), « sans offre »…"""
    if statut == couverture.COUVERTE:
        rayon = f"{rayon_km:g}".replace(".", ",")
        return f"offre à moins de {rayon}\u00a0km"
    return STATUTS_CSV[statut]


@require_GET
def couverture_csv(request):
    """One row per unit (semicolons, decimal commas, BOM: :func:`commun.exports.csv_du_tableau`)."""
    formulaire, territoire, _, analyse = _analyser(request)
    if analyse is None:
        return parametres_invalides(formulaire)
    p = formulaire.cleaned_data
    nom = f"couverture-{territoire.code}-{p['niveau']}-{timezone.localdate():%Y-%m-%d}.csv"
    unites = _trier(analyse.unites, p["tri"] or TRI_PAR_DEFAUT, p["ordre"] or "desc")

    def nombre(valeur, decimales: int = 2):
        return None if valeur is None else round(float(valeur), decimales)

    lignes = [
        [
            u["code"],
            u["nom"],
            None if u["population"] is None else int(u["population"]),
            nombre(u["indice"], 4),
            "oui" if u["fragile"] else "non",
            u["lieux"],
            nombre(u["lieux_pour_10000"]),
            nombre(u["heures"]),
            nombre(u["heures_pour_10000"]),
            nombre(u["distance_km"], 3),
            u["offre_proche"] or "",
            statut_csv(u["statut"], analyse.rayon_km),
        ]
        for u in _lignes(unites)
    ]
    reponse = HttpResponse(
        csv_du_tableau(ENTETE_CSV, lignes), content_type="text/csv; charset=utf-8"
    )
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse
