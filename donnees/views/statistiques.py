"""Public statistics: what a coordination publishes for its territory (``/statistiques/``),
what a structure or an advisor shares by a link of its own, and the CSV of the published
figures (``/donnees/statistiques.csv``)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commun import formats
from commun.exports import neutraliser
from comptes.enums import Role
from comptes.permissions import exiger_gestion_comptes
from conseillers.models import Conseiller
from conseillers.statistiques import Barre, Graphique
from structures.models import Structure

from .. import flux
from ..forms.statistiques import PartageForm, PublicationForm
from ..models import PartageStatistiques, PublicationStatistiques
from ..statistiques import SEUIL_PETITS_NOMBRES, chiffres


def _graphique(donnees) -> Graphique | None:
    if not donnees.lignes:
        return None
    premiere = donnees.lignes[0]
    return Graphique(
        "mois",
        f"{premiere.libelle} par mois",
        premiere.libelle,
        [
            Barre(
                mois,
                valeur or 0,
                "moins de 5" if valeur is None else formats.nombre(valeur),
            )
            for mois, valeur in donnees.graphique
        ],
    )


def _page(request, *, titre: str, donnees, sous_titre: str = "", csv_url: str = ""):
    return render(
        request,
        "donnees/public/statistiques.html",
        {
            "titre": titre,
            "sous_titre": sous_titre,
            "donnees": donnees,
            "graphique": _graphique(donnees),
            "seuil": SEUIL_PETITS_NOMBRES,
            "csv_url": csv_url,
        },
    )


@login_not_required
@require_GET
def liste(request):
    publications = PublicationStatistiques.objects.filter(publiee=True)
    return render(request, "donnees/public/statistiques_liste.html", {"publications": publications})


@login_not_required
@require_GET
def publication(request, pk: int):
    publication = get_object_or_404(PublicationStatistiques, pk=pk, publiee=True)
    donnees = chiffres(
        codes=publication.chiffres,
        nombre_mois=publication.nombre_mois,
        territoire=publication.territoire,
    )
    return _page(
        request,
        titre=f"L'inclusion numérique en chiffres — {publication.nom}",
        donnees=donnees,
        csv_url=f"/donnees/statistiques.csv?territoire={publication.territoire}",
    )


@login_not_required
@require_GET
def partage(request, jeton: str):
    partage = (
        PartageStatistiques.objects.select_related("structure", "conseiller")
        .filter(jeton=jeton, revoque_le__isnull=True)
        .first()
    )
    if partage is None:
        raise Http404("Ce lien de partage n'existe pas ou a été révoqué.")
    if partage.structure_id:
        nom, cible = partage.structure.nom, {"structure": partage.structure}
    else:
        nom, cible = str(partage.conseiller), {"conseiller": partage.conseiller}
    donnees = chiffres(
        codes=["personnes_accompagnees", "accompagnements", "ateliers", "participants_ateliers"],
        nombre_mois=12,
        **cible,
    )
    reponse = _page(
        request,
        titre=f"Activité d'inclusion numérique — {nom}",
        sous_titre="Chiffres partagés par un lien personnel, révocable à tout moment.",
        donnees=donnees,
    )
    reponse["X-Robots-Tag"] = "noindex"
    return reponse


@login_not_required
@require_GET
def statistiques_csv(request):
    """Every published figure, one row per territory, figure and month (stable columns)."""
    publications = PublicationStatistiques.objects.filter(publiee=True)
    if code := request.GET.get("territoire", "").strip():
        publications = publications.filter(territoire=code)
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(["territoire", "nom", "indicateur", "libelle", "mois", "valeur"])
    for p in publications:
        donnees = chiffres(codes=p.chiffres, nombre_mois=p.nombre_mois, territoire=p.territoire)
        for ligne in donnees.lignes:
            for mois, valeur in zip(donnees.codes_mois, ligne.mois, strict=True):
                ecrivain.writerow(
                    [
                        p.territoire,
                        neutraliser(p.nom),
                        ligne.code,
                        ligne.libelle,
                        mois,
                        "" if valeur is None else valeur,
                    ]
                )
    corps = flux.empreinte(f"statistiques-{code}", ("\ufeff" + sortie.getvalue()).encode("utf-8"))
    return flux.reponse(
        request, corps, type_="text/csv; charset=utf-8", nom_de_fichier="statistiques.csv"
    )


# -- the coordination: what it publishes ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def publier(request, pk: int | None = None):
    exiger_gestion_comptes(request.user)
    publication = get_object_or_404(PublicationStatistiques, pk=pk) if pk else None
    formulaire = PublicationForm(request.POST or None, instance=publication, user=request.user)
    if publication is not None and not formulaire.territoire_permis(publication.territoire):
        raise Http404("Publication d'un autre territoire.")
    if request.method == "POST" and formulaire.is_valid():
        with transaction.atomic():
            objet = formulaire.save(commit=False)
            objet.modifiee_par = request.user
            objet.save()
        messages.success(
            request,
            f"Les statistiques de {objet.nom} sont "
            + ("publiées." if objet.publiee else "enregistrées, sans être publiées."),
        )
        return redirect("donnees:statistiques_publiees")
    publications = [
        p
        for p in PublicationStatistiques.objects.all()
        if formulaire.territoire_permis(p.territoire)
    ]
    return render(
        request,
        "donnees/gestion/statistiques.html",
        {"formulaire": formulaire, "publication": publication, "publications": publications},
        status=400 if formulaire.errors else 200,
    )


# -- structures and advisors: their share links -------------------------------------------


def _cibles(user) -> dict[str, list]:
    """What ``user`` may share: its structures (referent), its advisor profile (advisor)."""
    if not (user.is_authenticated and user.is_active):
        return {"structures": [], "conseillers": []}
    structures = (
        list(Structure.objects.tous().filter(referents=user)) if user.role == Role.REFERENT else []
    )
    conseillers = (
        list(Conseiller.objects.tous().filter(user=user)) if user.role == Role.CONSEILLER else []
    )
    return {"structures": structures, "conseillers": conseillers}


def _exiger_partage(user) -> dict[str, list]:
    """Advisors and referents share their own figures (the technical team sees the page)."""
    from django.core.exceptions import PermissionDenied

    if not (
        user.is_authenticated
        and user.is_active
        and (user.role in (Role.CONSEILLER, Role.REFERENT) or user.is_staff)
    ):
        raise PermissionDenied(
            "Seuls les conseillers et les référents de structure partagent leurs chiffres."
        )
    return _cibles(user)


@require_http_methods(["GET", "POST"])
def partages(request):
    cibles = _exiger_partage(request.user)
    formulaire = PartageForm(request.POST or None, **cibles)
    if request.method == "POST" and formulaire.is_valid():
        with transaction.atomic():
            nouveau = PartageStatistiques.objects.create(
                cree_par=request.user, **formulaire.objet_choisi()
            )
        messages.success(request, "Le lien de partage est créé\u00a0: copiez-le ci-dessous.")
        return redirect(f"{request.path}#partage-{nouveau.pk}")
    liens = PartageStatistiques.objects.filter(revoque_le__isnull=True).filter(
        structure__in=cibles["structures"]
    ) | PartageStatistiques.objects.filter(
        revoque_le__isnull=True, conseiller__in=cibles["conseillers"]
    )
    return render(
        request,
        "donnees/espace/partages.html",
        {"formulaire": formulaire, "liens": liens.select_related("structure", "conseiller")},
        status=400 if formulaire.errors else 200,
    )


@require_POST
def revoquer(request, pk: int):
    cibles = _exiger_partage(request.user)
    lien = get_object_or_404(
        PartageStatistiques.objects.filter(revoque_le__isnull=True).filter(
            structure__in=cibles["structures"]
        )
        | PartageStatistiques.objects.filter(
            revoque_le__isnull=True, conseiller__in=cibles["conseillers"]
        ),
        pk=pk,
    )
    with transaction.atomic():
        lien.revoque_le = timezone.now()
        lien.save(update_fields=["revoque_le"])
    messages.success(request, "Le lien est révoqué\u00a0: il ne montre plus rien.")
    return redirect("donnees:partages")
