"""Pages of the fragility index: the ranking and its map, a unit's detail, the exports,
computing a new version, loading outlines.

Reading is for those who steer a territory (coordinators and élus on their territories,
staff on any: ``peut_analyser_couverture``); computing for coordinators on a reference
territory of their own and for staff (``peut_calculer_indice``); loading outlines for
coordinators (their communes) and staff. Advisors and structure referents get a 403; a unit
of another territory is a 404.
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from kombu.exceptions import OperationalError

from commun.carte import carte
from territoires.models import Commune
from territoires.perimetres import perimetre_de

from . import classement as cl
from .comite import csv_des_tables, xlsx_des_tables
from .enums import Axe, Indicateur, Methode, Niveau
from .forms_couverture import NIVEAUX
from .forms_indice import CalculIndiceForm, ClassementForm, ContoursForm
from .models import IndiceUnite, ValeurIndicateur
from .permissions import peut_analyser_couverture, peut_calculer_indice, territoires_analysables
from .services import CalculImpossible, Territoire, verifier_parametres
from .views_couverture import parametres_invalides

# -- access ----------------------------------------------------------------------------------


def _lecteur(request) -> None:
    if not peut_analyser_couverture(request.user):
        raise PermissionDenied("L'indice de fragilité se consulte par les coordinateurs et élus.")


def _territoires(request) -> dict:
    return {t.code: t for t in territoires_analysables(request.user)}


# -- ranking ---------------------------------------------------------------------------------


def _classer(request):
    """The form and, when valid, the ranking it asks for."""
    _lecteur(request)
    territoires = _territoires(request)
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


def classement(request):
    formulaire, classement_ = _classer(request)
    contexte = {
        "formulaire": formulaire,
        "carte": carte(donnees="donnees-indice"),
        "peut_calculer": peut_calculer_indice(request.user, None)
        or any(peut_calculer_indice(request.user, t) for t in _territoires(request).values()),
        "peut_importer_contours": _peut_importer_contours(request.user),
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
            zones=niveau != Niveau.COMMUNE,
            niveau_libelle=dict(NIVEAUX)[niveau],
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
    entete = ["Rang", "Code", "Unité"]
    if zones:
        entete.append("Commune")
    entete += ["Population", "Indice"]
    if avec_axes:
        entete += [a.label for a in Axe]
        entete += [f"Score\u00a0: {i.label}" for i in Indicateur]
    scores = {}
    if avec_axes and classement_.resultat is not None:
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


def classement_csv(request):
    return _export(request, "csv")


def classement_xlsx(request):
    return _export(request, "xlsx")


# -- one unit --------------------------------------------------------------------------------


def unite(request, pk: int):
    _lecteur(request)
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


# -- computing a new version -----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def calculer(request):
    _lecteur(request)
    territoires = _territoires(request)
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
    from .tasks import calculer_indice

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


def _peut_importer_contours(user) -> bool:
    from comptes.enums import Role

    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_staff or user.role == Role.COORDINATEUR)
    )


@require_http_methods(["GET", "POST"])
def importer_contours(request):
    if not _peut_importer_contours(request.user):
        raise PermissionDenied("Le chargement des contours est réservé aux coordinateurs.")
    from .contours import GeoJSONInvalide, enregistrer_contours, lire_geojson

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
