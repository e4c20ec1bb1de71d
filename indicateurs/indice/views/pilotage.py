"""Steering figures of the fragility index: the ranking and its map, a unit's detail, the
CSV and XLSX exports (readers: see ``indicateurs.indice.views``)."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from commun.carte import carte
from commun.exports import csv_des_tables, parametres_invalides, xlsx_des_tables
from commun.formats import nombre
from indicateurs.champs import NIVEAUX
from indicateurs.enums import Axe, Indicateur, Methode, Niveau
from indicateurs.permissions import (
    peut_calculer_indice,
    peut_importer_contours,
    territoires_analysables,
)
from indicateurs.territoire import Territoire
from territoires.models import Commune

from .. import classement as cl
from ..forms.pilotage import ClassementForm
from ..models import IndiceUnite
from . import exiger_lecteur, territoires_du_lecteur

NIVEAUX_UN = {Niveau.COMMUNE: "commune", Niveau.QUARTIER: "quartier", Niveau.IRIS: "IRIS"}

# -- ranking ---------------------------------------------------------------------------------


def _classer(request):
    """The form and, when valid, the ranking it asks for."""
    exiger_lecteur(request)
    territoires = territoires_du_lecteur(request)
    demande = request.GET.get("territoire")
    if demande and demande not in territoires:
        raise PermissionDenied("Vous ne pouvez consulter que vos propres territoires.")
    formulaire = ClassementForm(
        request.GET, territoires=[(t.code, t.nom) for t in territoires.values()]
    )
    territoire = territoires.get(formulaire.data["territoire"])
    niveau = formulaire.data["niveau"]
    versions = []
    if territoire and niveau in Niveau.values:
        versions = list(cl.resultats_du_territoire(territoire, niveau))
    formulaire.proposer_resultats([(str(r.pk), cl.libelle_resultat(r)) for r in versions])
    if not formulaire.is_valid():
        return formulaire, None
    p = formulaire.cleaned_data
    territoire = territoires[p["territoire"]]
    resultat = None
    if p["resultat"]:
        resultat = cl.resultats_du_territoire(territoire, p["niveau"]).get(pk=p["resultat"])
    return formulaire, cl.classer(territoire, p["niveau"], resultat)


@require_GET
def classement(request):
    formulaire, classement_ = _classer(request)
    contexte = {
        "formulaire": formulaire,
        "carte": carte(donnees="donnees-indice"),
        "peut_calculer": peut_calculer_indice(request.user, None)
        or any(
            peut_calculer_indice(request.user, t) for t in territoires_du_lecteur(request).values()
        ),
        "peut_importer_contours": peut_importer_contours(request.user),
    }
    if classement_ is not None:
        niveau = classement_.niveau
        contexte.update(
            classement=classement_,
            territoire=classement_.territoire,
            resultat=classement_.resultat,
            libelle_resultat=cl.libelle_resultat(classement_.resultat)
            if classement_.resultat
            else "",
            methode_libelle=Methode(classement_.resultat.methode).label
            if classement_.resultat
            else "",
            unites=_enregistrements(classement_),
            axes=[(str(a), a.label) for a in Axe],
            globaux=cl.GLOBAUX,
            lecture_publiee=cl.lecture_publiee(classement_.resultat),
            zones=niveau != Niveau.COMMUNE,
            niveau_libelle=dict(NIVEAUX)[niveau],
            # « 1 commune », « 2 communes » (French: 0 and 1 are singular)
            nombre_unites=nombre(len(classement_.unites))
            + " "
            + (dict(NIVEAUX)[niveau] if len(classement_.unites) > 1 else NIVEAUX_UN[niveau]),
            legende=cl.legende(classement_.bornes),
            sans_point=cl.unites_sans_point(classement_),
            parametres=request.GET.urlencode(),
            donnees_carte=cl.donnees_carte(
                classement_,
                url_unite=reverse("indicateurs:indice_unite", args=[0]),
                url_lieu=reverse("structures:lieu", args=[0]),
            ),
        )
    return render(request, "indicateurs/indice/classement.html", contexte)


def _enregistrements(classement_: cl.Classement) -> list[dict]:
    unites = classement_.unites
    return unites.astype(object).where(unites.notna(), None).to_dict("records")


def _valeur(v, decimales: int = 2):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return round(float(v), decimales)


def tables_classement(classement_: cl.Classement) -> list[tuple[str, list[str], list[list]]]:
    """The ranking as exported: one row per unit, axes and indicator scores when known."""
    zones = classement_.niveau != Niveau.COMMUNE
    avec_axes = classement_.avec_axes
    avec_globaux = classement_.avec_globaux
    avec_scores = avec_axes and classement_.avec_scores
    entete = ["Rang", "Code", "Unité"]
    if zones:
        entete.append("Commune")
    entete += ["Population", "Indice"]
    if avec_axes:
        entete += [a.label for a in Axe]
    if avec_globaux:
        entete += [libelle.capitalize() for _, libelle in cl.GLOBAUX]
    if avec_scores:
        entete += [f"Score\u00a0: {i.label}" for i in Indicateur]
    scores = {}
    if avec_scores:
        scores = dict(
            IndiceUnite.objects.tous()
            .filter(pk__in=classement_.unites["pk"].tolist())
            .values_list("pk", "scores")
        )
    lignes = []
    for u in _enregistrements(classement_):
        ligne = ["" if u["rang"] is None else int(u["rang"]), u["code"], u["nom"]]
        if zones:
            ligne.append(u["commune"])
        ligne += [
            "" if u["population"] is None else int(u["population"]),
            _valeur(u["indice"], 4),
        ]
        if avec_axes:
            ligne += [_valeur(u[str(a)], 4) for a in Axe]
        if avec_globaux:
            ligne += [_valeur(u[champ], 4) for champ, _ in cl.GLOBAUX]
        if avec_scores:
            ligne += [_valeur(scores.get(u["pk"], {}).get(str(i)), 4) for i in Indicateur]
        lignes.append(ligne)
    return [("Classement", entete, lignes)]


def _titre_export(classement_: cl.Classement) -> str:
    resultat = classement_.resultat
    version = cl.libelle_resultat(resultat) if resultat else "aucun indice"
    niveau = dict(NIVEAUX)[classement_.niveau]
    return f"Indice de fragilité numérique, {niveau} de {classement_.territoire.nom} ({version})"


def _export(request, format_: str):
    formulaire, classement_ = _classer(request)
    if classement_ is None:
        return parametres_invalides(formulaire)
    tables, titre = tables_classement(classement_), _titre_export(classement_)
    if format_ == "csv":
        contenu, type_ = csv_des_tables(tables, titre), "text/csv; charset=utf-8"
    else:
        contenu = xlsx_des_tables(tables, titre)
        type_ = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    nom = (
        f"indice-{classement_.territoire.code}-{classement_.niveau}-"
        f"{timezone.localdate():%Y-%m-%d}.{format_}"
    )
    reponse = HttpResponse(contenu, content_type=type_)
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@require_GET
def classement_csv(request):
    return _export(request, "csv")


@require_GET
def classement_xlsx(request):
    return _export(request, "xlsx")


# -- one unit --------------------------------------------------------------------------------


@require_GET
def unite(request, pk: int):
    exiger_lecteur(request)
    unite_ = get_object_or_404(
        IndiceUnite.objects.pour(request.user).select_related("resultat", "commune", "zone"),
        pk=pk,
    )
    detail = cl.detailler(unite_)
    retour = f"?niveau={detail.resultat.niveau}"
    territoire = _territoire_de(request, unite_.commune_id)
    if territoire is not None:
        retour += f"&territoire={territoire.code}&resultat={detail.resultat.pk}"
    return render(
        request,
        "indicateurs/indice/unite.html",
        {
            "detail": detail,
            "unite": unite_,
            "resultat": detail.resultat,
            "libelle_resultat": cl.libelle_resultat(detail.resultat),
            "publie": detail.resultat.methode == Methode.PUBLIE,
            "rangs": detail.resultat.methode == Methode.RANGS,
            "niveau_libelle": dict(NIVEAUX)[detail.resultat.niveau],
            "source": (detail.resultat.parametres or {}).get("source", ""),
            "retour": reverse("indicateurs:indice") + retour,
        },
    )


def _territoire_de(request, commune_id: str | None):
    """The reader's territory holding the commune, for the link back to the ranking."""
    if commune_id is None:
        return None
    if request.user.is_staff:
        commune = Commune.objects.filter(pk=commune_id).first()
        return Territoire("departement", commune.departement_id, "") if commune else None
    for territoire in territoires_analysables(request.user):
        if territoire.communes().filter(pk=commune_id).exists():
            return territoire
    return None
