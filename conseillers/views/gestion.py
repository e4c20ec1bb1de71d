"""Coordination back-office: the territory's advisors, their skills and their assignments.

Coordinators (their territory) and staff; every row comes from
``permissions.conseillers_geres`` / ``permissions.mises_a_disposition_gerees``, so another
territory's advisor or assignment answers 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from commun.pagination import paginer
from territoires.models import Commune

from .. import permissions
from ..enums import Thematique
from ..forms.gestion import (
    JOURS_SANS_ACTIVITE,
    ConseillerForm,
    MiseADispositionForm,
    RechercheCompetencesForm,
    RechercheConseillersForm,
)
from ..models import Activite, Conseiller, MiseADisposition

CONSEILLERS_PAR_PAGE = 25
HISTORIQUE_MAXIMUM = 30
OPERATIONS = {"+": "création", "~": "modification", "-": "suppression"}


# -- advisors ---------------------------------------------------------------------------


@require_GET
def gestion_conseillers(request):
    permissions.exiger_gestion_conseillers(request.user)
    user = request.user
    tous = permissions.conseillers_geres(user)
    communes = Commune.objects.dans(user.perimetre).order_by("nom")
    recherche = RechercheConseillersForm(request.GET or None, communes=communes)
    conseillers = tous
    if recherche.is_valid():
        conseillers = recherche.filtrer(conseillers)
    conseillers = (
        conseillers.avec_derniere_activite()
        .select_related("commune", "structure")
        .only(
            "prenom",
            "nom",
            "email",
            "programme",
            "competences",
            "thematiques_favorites",
            "date_debut_contrat",
            "date_fin_contrat",
            "user_id",
            "commune__nom",
            "structure__nom",
        )
        .order_by("nom", "prenom", "pk")
    )
    page = paginer(conseillers, request.GET, CONSEILLERS_PAR_PAGE)
    return render(
        request,
        "conseillers/gestion/liste.html",
        {
            "page": page,
            "recherche": recherche,
            "sans_activite": tous.actifs().sans_activite_depuis(JOURS_SANS_ACTIVITE).count(),
            "jours_sans_activite": JOURS_SANS_ACTIVITE,
        },
    )


@require_GET
def competences_conseillers(request):
    """The network's skills: per theme, the advisors under contract who master it."""
    permissions.exiger_gestion_conseillers(request.user)
    recherche = RechercheCompetencesForm(request.GET or None)
    thematiques = recherche.thematiques() if recherche.is_valid() else list(Thematique)
    codes = [t.value for t in thematiques]
    conseillers = (
        permissions.conseillers_geres(request.user)
        .actifs()
        .avec_competence(*codes)
        .only("prenom", "nom", "email", "competences", "thematiques_favorites")
        .order_by("nom", "prenom", "pk")
        if codes
        else []
    )
    par_thematique = {code: [] for code in codes}
    for conseiller in conseillers:
        for code in dict.fromkeys([*conseiller.competences, *conseiller.thematiques_favorites]):
            if code in par_thematique:
                favorite = code not in conseiller.competences
                par_thematique[code].append((conseiller, favorite))
    lignes = [{"thematique": t, "conseillers": par_thematique[t.value]} for t in thematiques]
    return render(
        request,
        "conseillers/gestion/competences.html",
        {
            "recherche": recherche,
            "lignes": lignes,
            "sans_personne": sum(1 for ligne in lignes if not ligne["conseillers"]),
        },
    )


ACTIVITES_PAR_PAGE = 20


@require_GET
def conseiller(request, pk: int):
    fiche = permissions.conseiller_gere_ou_404(request.user, pk)
    user = request.user
    aujourd_hui = timezone.localdate()
    activites = Activite.objects.consultables_par(user).visibles().filter(conseiller=fiche)
    derniere = activites.order_by("-date").values_list("date", flat=True).first()
    recentes = (
        activites.entre(du=aujourd_hui - dt.timedelta(days=JOURS_SANS_ACTIVITE - 1))
        .select_related("lieu", "commune")
        .order_by("-date", "-cree_le")
    )
    mises = (
        permissions.mises_a_disposition_gerees(user)
        .filter(conseillers=fiche)
        .select_related("structure", "lieu")
        .order_by("-date_debut", "pk")
    )
    en_cours, passees = _en_cours_et_passees(mises, aujourd_hui)
    return render(
        request,
        "conseillers/gestion/conseiller.html",
        {
            "conseiller": fiche,
            "lieux": fiche.lieux.select_related("commune").order_by("nom"),
            "mises_en_cours": en_cours,
            "mises_passees": passees,
            "recentes": paginer(recentes, request.GET, ACTIVITES_PAR_PAGE),
            "derniere_activite": derniere,
            "chiffres_du_mois": activites.entre(du=aujourd_hui.replace(day=1)).chiffres(),
            "aujourd_hui": aujourd_hui,
            "jours_sans_activite": JOURS_SANS_ACTIVITE,
        },
    )


@require_http_methods(["GET", "POST"])
def creer_conseiller(request):
    permissions.exiger_gestion_conseillers(request.user)
    return _editer_conseiller(request, Conseiller())


@require_http_methods(["GET", "POST"])
def modifier_conseiller(request, pk: int):
    return _editer_conseiller(request, permissions.conseiller_gere_ou_404(request.user, pk))


def _editer_conseiller(request, fiche: Conseiller):
    creation = fiche.pk is None
    formulaire = ConseillerForm(request.POST or None, instance=fiche, user=request.user)
    if request.method == "POST" and formulaire.is_valid():
        with transaction.atomic():
            fiche = formulaire.save()
        lien = " Son compte de connexion y est relié." if fiche.user_id else ""
        messages.success(
            request,
            f"Le profil de {fiche} a été {'créé' if creation else 'enregistré'}.{lien}",
        )
        return redirect("conseillers:conseiller", pk=fiche.pk)
    return render(
        request,
        "conseillers/gestion/formulaire_conseiller.html",
        {"conseiller": fiche, "creation": creation, "formulaire": formulaire},
    )


# -- assignments ------------------------------------------------------------------------


def _en_cours_et_passees(mises, aujourd_hui: dt.date) -> tuple[list, list]:
    """Current and coming assignments, then finished ones (one query, split in memory)."""
    en_cours, passees = [], []
    for mise in mises:
        (passees if mise.date_fin and mise.date_fin < aujourd_hui else en_cours).append(mise)
    return en_cours, passees


@require_GET
def mises_a_disposition(request):
    permissions.exiger_gestion_conseillers(request.user)
    aujourd_hui = timezone.localdate()
    toutes = (
        permissions.mises_a_disposition_gerees(request.user)
        .select_related("structure", "lieu")
        .prefetch_related(
            Prefetch("conseillers", queryset=Conseiller.objects.tous().only("prenom", "nom"))
        )
        .order_by("structure__nom", "structure__pk", "-date_debut", "pk")
    )
    en_cours, passees = _en_cours_et_passees(toutes, aujourd_hui)
    return render(
        request,
        "conseillers/gestion/mises_a_disposition.html",
        {
            "en_cours": en_cours,
            "passees": passees,
            "aujourd_hui": aujourd_hui,
        },
    )


@require_http_methods(["GET", "POST"])
def creer_mise_a_disposition(request):
    permissions.exiger_gestion_conseillers(request.user)
    return _editer_mise_a_disposition(request, MiseADisposition())


@require_http_methods(["GET", "POST"])
def modifier_mise_a_disposition(request, pk: int):
    mise = permissions.mise_a_disposition_geree_ou_404(request.user, pk)
    return _editer_mise_a_disposition(request, mise)


def _editer_mise_a_disposition(request, mise: MiseADisposition):
    creation = mise.pk is None
    formulaire = MiseADispositionForm(request.POST or None, instance=mise, user=request.user)
    if request.method == "POST" and formulaire.is_valid():
        with transaction.atomic():
            mise = formulaire.save(commit=False)
            mise._history_user = request.user
            mise._change_reason = "création" if creation else "modification"
            mise.save()
            formulaire.save_m2m()
        messages.success(
            request,
            f"La mise à disposition « {mise.convention} » a été "
            f"{'créée' if creation else 'enregistrée'}.",
        )
        return redirect("conseillers:mises_a_disposition")
    return render(
        request,
        "conseillers/gestion/formulaire_mise_a_disposition.html",
        {
            "mise": mise,
            "creation": creation,
            "formulaire": formulaire,
            "historique": [] if creation else _historique(mise),
        },
    )


def _historique(mise: MiseADisposition) -> list[dict]:
    """Who changed what and when, newest first (consecutive records compared in memory)."""
    enregistrements = list(
        mise.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORIQUE_MAXIMUM + 1
        ]
    )
    lignes = []
    for recent, ancien in zip(enregistrements, [*enregistrements[1:], None], strict=True):
        if len(lignes) == HISTORIQUE_MAXIMUM:
            break
        champs = []
        if ancien is not None:
            champs = [
                str(MiseADisposition._meta.get_field(c.field).verbose_name)
                for c in recent.diff_against(ancien).changes
            ]
        lignes.append(
            {
                "enregistrement": recent,
                "operation": OPERATIONS.get(recent.history_type, recent.history_type),
                "champs": champs,
            }
        )
    return lignes
