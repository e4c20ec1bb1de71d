"""The advisor's own space: profile, planning, statistics, followed beneficiaries.

Every view starts with ``exiger_conseiller`` (403 for any other role, staff included) and
reaches beneficiaries only through ``beneficiaires_du_conseiller`` (another's: 404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from commun.pagination import paginer
from structures import horaires as horaires_osm
from territoires.text import normaliser

from . import beneficiaires as services_beneficiaires
from .enums import Jour
from .forms_espace import (
    BeneficiaireForm,
    FusionForm,
    NouveauBeneficiaireForm,
    PeriodeForm,
    ProfilForm,
    RechercheBeneficiairesForm,
    periodes_rapides,
)
from .models import Activite, MiseADisposition
from .permissions import beneficiaires_du_conseiller, exiger_conseiller
from .statistiques import duree
from .statistiques import statistiques as calculer_statistiques

BENEFICIAIRES_PAR_PAGE = 50


# -- profile ----------------------------------------------------------------------------


def profil(request):
    conseiller = exiger_conseiller(request.user)
    if request.method == "POST":
        formulaire = ProfilForm(request.POST, instance=conseiller, user=request.user)
        if formulaire.is_valid():
            formulaire.save()
            messages.success(request, "Votre profil a été enregistré.")
            return redirect("conseillers:profil")
    else:
        formulaire = ProfilForm(instance=conseiller, user=request.user)
    return render(
        request,
        "conseillers/espace/profil.html",
        {
            "conseiller": conseiller,
            "formulaire": formulaire,
            "structure": conseiller.structure,
            "commune": conseiller.commune,
        },
    )


# -- planning ---------------------------------------------------------------------------


def lundi_de(semaine: str | None) -> dt.date | None:
    """``"2026-W48"`` → the Monday of that ISO week; ``None`` when unreadable."""
    try:
        annee, numero = (semaine or "").upper().split("-W")
        return dt.date.fromisocalendar(int(annee), int(numero), 1)
    except ValueError:
        return None


def iso_semaine(jour: dt.date) -> str:
    annee, numero, _ = jour.isocalendar()
    return f"{annee}-W{numero:02d}"


@dataclass
class JourDuPlanning:
    date: dt.date
    nom: str
    presences: list = field(default_factory=list)
    ouvertures: list = field(default_factory=list)


def planning(request):
    conseiller = exiger_conseiller(request.user)
    aujourd_hui = timezone.localdate()
    demandee = request.GET.get("semaine")
    lundi = lundi_de(demandee)
    semaine_inconnue = bool(demandee) and lundi is None
    lundi = lundi or aujourd_hui - dt.timedelta(days=aujourd_hui.weekday())
    dimanche = lundi + dt.timedelta(days=6)

    mises = list(
        MiseADisposition.objects.tous()
        .filter(conseillers=conseiller, date_debut__lte=dimanche)
        .filter(Q(date_fin__isnull=True) | Q(date_fin__gte=lundi))
        .select_related("structure", "lieu", "lieu__commune")
        .order_by("heure_debut", "pk")
    )
    lieux = list(conseiller.lieux.select_related("commune").order_by("nom"))
    saisie = reverse("conseillers:nouvelle_activite")
    jours = [
        JourDuPlanning(date=lundi + dt.timedelta(days=n), nom=horaires_osm.JOURS[n])
        for n in range(7)
    ]
    minutes = 0
    for mise in mises:
        for jour in jours:
            code = list(Jour)[jour.date.weekday()].value
            en_vigueur = mise.date_debut <= jour.date and (
                mise.date_fin is None or jour.date <= mise.date_fin
            )
            if en_vigueur and code in mise.jours:
                jour.presences.append((mise, f"{saisie}?lieu={mise.lieu_id}"))
                minutes += mise.minutes_par_semaine // len(mise.jours)
    for lieu in lieux:
        try:
            plages = horaires_osm.plages_de_la_semaine(lieu.horaires, lundi)
        except ValidationError:
            plages = []
        for jour in jours:
            libelles = [p.libelle for p in plages if p.jour == jour.date.weekday()]
            if libelles:
                jour.ouvertures.append((lieu, ", ".join(libelles), f"{saisie}?lieu={lieu.pk}"))
    return render(
        request,
        "conseillers/espace/planning.html",
        {
            "conseiller": conseiller,
            "jours": jours,
            "mises": mises,
            "lieux": lieux,
            "lundi": lundi,
            "dimanche": dimanche,
            "semaine": iso_semaine(lundi),
            "precedente": iso_semaine(lundi - dt.timedelta(days=7)),
            "suivante": iso_semaine(lundi + dt.timedelta(days=7)),
            "cette_semaine": iso_semaine(aujourd_hui),
            "semaine_inconnue": semaine_inconnue,
            "presence": duree(minutes) if minutes else "aucune",
            "saisie": saisie,
        },
    )


# -- statistics -------------------------------------------------------------------------


def statistiques(request):
    conseiller = exiger_conseiller(request.user)
    aujourd_hui = timezone.localdate()
    debut_mois = aujourd_hui.replace(day=1)
    periode = PeriodeForm(request.GET or None)
    du, au = debut_mois, aujourd_hui
    if periode.is_valid():
        du = periode.cleaned_data["du"] or du
        au = periode.cleaned_data["au"] or max(du, au)
    activites = (
        Activite.objects.consultables_par(request.user).visibles().filter(conseiller=conseiller)
    )
    return render(
        request,
        "conseillers/espace/statistiques.html",
        {
            "periode": periode,
            "du": du,
            "au": au,
            "periodes_rapides": periodes_rapides(aujourd_hui),
            **calculer_statistiques(activites, du=du, au=au),
        },
    )


# -- followed beneficiaries -------------------------------------------------------------


def beneficiaires(request):
    conseiller = exiger_conseiller(request.user)
    personnes = beneficiaires_du_conseiller(conseiller)
    recherche = RechercheBeneficiairesForm(request.GET or None)
    if recherche.is_valid() and recherche.cleaned_data["q"]:
        personnes = personnes.filter(
            prenom_recherche__contains=normaliser(recherche.cleaned_data["q"])
        )
    personnes = (
        personnes.select_related("commune")
        .annotate(nb_activites=Count("activites", filter=Q(activites__supprime_le__isnull=True)))
        .order_by("prenom_recherche", "annee_naissance", "pk")
    )
    page = paginer(personnes, request.GET, BENEFICIAIRES_PAR_PAGE)
    return render(
        request,
        "conseillers/espace/beneficiaires.html",
        {
            "page": page,
            "recherche": recherche,
            "doublons": services_beneficiaires.avec_doublons(conseiller).exists(),
            "conservation_mois": settings.BENEFICIAIRES_CONSERVATION_MOIS,
        },
    )


def nouveau_beneficiaire(request):
    conseiller = exiger_conseiller(request.user)
    doublons = []
    if request.method == "POST":
        formulaire = NouveauBeneficiaireForm(request.POST, user=request.user)
        if formulaire.is_valid():
            donnees = formulaire.cleaned_data
            doublons = list(
                services_beneficiaires.doublons_probables(
                    conseiller=conseiller,
                    prenom=donnees["prenom"],
                    annee_naissance=donnees["annee_naissance"],
                    commune=donnees["commune"],
                ).annotate(nb_activites=Count("activites"))
            )
            if not doublons or donnees["confirmer_doublon"]:
                try:
                    personne = services_beneficiaires.creer_beneficiaire(
                        conseiller=conseiller,
                        prenom=donnees["prenom"],
                        annee_naissance=donnees["annee_naissance"],
                        commune=donnees["commune"],
                        genre=donnees["genre"],
                        consentement=donnees["consentement"],
                    )
                except ValidationError as erreur:
                    formulaire.add_error(None, erreur)
                else:
                    messages.success(request, f"La fiche de suivi « {personne} » a été créée.")
                    return redirect("conseillers:beneficiaires")
    else:
        formulaire = NouveauBeneficiaireForm(user=request.user)
    return render(
        request,
        "conseillers/espace/beneficiaire_formulaire.html",
        {
            "formulaire": formulaire,
            "creation": True,
            "doublons": doublons,
            "texte_consentement": services_beneficiaires.texte_consentement(),
        },
    )


def modifier_beneficiaire(request, pk: int):
    conseiller = exiger_conseiller(request.user)
    personne = get_object_or_404(beneficiaires_du_conseiller(conseiller), pk=pk)
    if request.method == "POST":
        formulaire = BeneficiaireForm(request.POST, instance=personne, user=request.user)
        if formulaire.is_valid():
            personne = formulaire.save()
            messages.success(request, f"La fiche « {personne} » a été enregistrée.")
            return redirect("conseillers:beneficiaires")
    else:
        formulaire = BeneficiaireForm(instance=personne, user=request.user)
    return render(
        request,
        "conseillers/espace/beneficiaire_formulaire.html",
        {"formulaire": formulaire, "creation": False, "personne": personne},
    )


def supprimer_beneficiaire(request, pk: int):
    conseiller = exiger_conseiller(request.user)
    personne = get_object_or_404(
        beneficiaires_du_conseiller(conseiller).annotate(nb_activites=Count("activites")), pk=pk
    )
    if request.method == "POST":
        libelle = str(personne)
        services_beneficiaires.supprimer_beneficiaire(beneficiaire=personne)
        messages.success(
            request,
            f"La fiche « {libelle} » a été supprimée ; ses activités restent comptées, "
            "sans lien avec la personne.",
        )
        return redirect("conseillers:beneficiaires")
    return render(request, "conseillers/espace/beneficiaire_supprimer.html", {"personne": personne})


def exporter_beneficiaire(request, pk: int):
    """Right of access and portability: the person's data, as a JSON file to hand over."""
    conseiller = exiger_conseiller(request.user)
    personne = get_object_or_404(beneficiaires_du_conseiller(conseiller), pk=pk)
    donnees = services_beneficiaires.donnees_de(personne)
    reponse = JsonResponse(donnees, json_dumps_params={"ensure_ascii": False, "indent": 2})
    nom = f"donnees-beneficiaire-{personne.pk}-{timezone.localdate():%Y%m%d}.json"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


def doublons_beneficiaires(request):
    conseiller = exiger_conseiller(request.user)
    paires = services_beneficiaires.paires_de_doublons(conseiller)
    return render(request, "conseillers/espace/doublons.html", {"paires": paires})


def fusionner_beneficiaires(request):
    conseiller = exiger_conseiller(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    formulaire = FusionForm(request.POST)
    if not formulaire.is_valid():
        for erreur in formulaire.non_field_errors() or [
            "Choisissez la fiche à garder et celle à fusionner."
        ]:
            messages.error(request, erreur)
        return redirect("conseillers:doublons_beneficiaires")
    fiches = beneficiaires_du_conseiller(conseiller)
    conserve = get_object_or_404(fiches, pk=formulaire.cleaned_data["conserve"])
    doublon = get_object_or_404(fiches, pk=formulaire.cleaned_data["doublon"])
    libelle = str(doublon)
    try:
        conserve = services_beneficiaires.fusionner_beneficiaires(
            conserve=conserve, doublon=doublon
        )
    except ValidationError as erreur:
        for message in erreur.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"La fiche « {libelle} » a été fusionnée dans « {conserve} ».")
    return redirect("conseillers:doublons_beneficiaires")
