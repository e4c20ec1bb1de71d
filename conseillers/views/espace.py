"""The advisor's own space: activity reports (entry, history, edit, duplicate, delete,
audit trail), profile, planning, statistics, followed beneficiaries.

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
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from simple_history.models import ModelChange

from commun.pagination import paginer
from structures import horaires as horaires_osm
from structures.fields import ListeChoixField
from territoires.text import normaliser

from .. import beneficiaires as services_beneficiaires
from .. import permissions, saisie, services
from ..enums import Jour, SourceActivite, Thematique
from ..forms.espace import (
    ActiviteForm,
    BeneficiaireForm,
    FiltresHistoriqueForm,
    FusionForm,
    NouveauBeneficiaireForm,
    PeriodeForm,
    ProfilForm,
    RechercheBeneficiairesForm,
    libelle_duree,
    periodes_rapides,
)
from ..models import Activite, MiseADisposition
from ..permissions import beneficiaires_du_conseiller, exiger_conseiller
from ..statistiques import duree
from ..statistiques import statistiques as calculer_statistiques

ACTIVITES_PAR_PAGE = 50
BENEFICIAIRES_PAR_PAGE = 50


# -- activity reports -------------------------------------------------------------------


@require_GET
def activites(request):
    """History of the advisor's reports, newest first, with filters and their totals."""
    conseiller = permissions.exiger_conseiller(request.user)
    filtres = FiltresHistoriqueForm(request.GET, user=request.user)
    filtres.is_valid()
    supprimees = bool(filtres.cleaned_data.get("supprimees"))
    base = filtres.filtrer(
        Activite.objects.consultables_par(request.user).filter(conseiller=conseiller)
    )
    if supprimees:
        liste = base.filter(supprime_le__isnull=False).order_by("-supprime_le", "-pk")
        chiffres = None
    else:
        liste = base.visibles().order_by("-date", "-cree_le", "-pk")
        chiffres = base.visibles().chiffres()
    liste = liste.select_related("lieu", "commune", "arret")
    page = paginer(liste, request.GET, ACTIVITES_PAR_PAGE)
    etiquettes = dict(Thematique.choices)
    lignes = [
        {
            "activite": activite,
            "duree": libelle_duree(activite.duree_minutes),
            "thematiques": ", ".join(etiquettes.get(t, t) for t in activite.thematiques),
        }
        for activite in page
    ]
    return render(
        request,
        "conseillers/espace/historique.html",
        {
            "conseiller": conseiller,
            "filtres": filtres,
            "page": page,
            "lignes": lignes,
            "chiffres": chiffres,
            "duree_totale": libelle_duree(chiffres["duree_minutes"]) if chiffres else "",
            "supprimees": supprimees,
            "filtre_actif": any(
                v for k, v in request.GET.items() if k not in ("page", "supprimees")
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def nouvelle_activite(request):
    conseiller = permissions.exiger_conseiller(request.user)
    lieu_demande = None
    if request.method == "GET" and request.GET.get("lieu", "").isdecimal():
        lieu_demande = (
            conseiller.lieux_d_activite().filter(pk=request.GET["lieu"]).only("pk").first()
        )
    initiales = saisie.valeurs_initiales(conseiller, lieu_demande=lieu_demande)
    return _saisir(request, conseiller, Activite(conseiller=conseiller), initiales)


@require_http_methods(["GET", "POST"])
def dupliquer_activite(request, pk: int):
    conseiller = permissions.exiger_conseiller(request.user)
    source = permissions.activite_modifiable_ou_404(request.user, pk)
    return _saisir(
        request,
        conseiller,
        Activite(conseiller=conseiller),
        saisie.valeurs_dupliquees(source),
        source=source,
    )


@require_http_methods(["GET", "POST"])
def modifier_activite(request, pk: int):
    conseiller = permissions.exiger_conseiller(request.user)
    activite = permissions.activite_modifiable_ou_404(request.user, pk)
    if activite.est_supprimee:
        messages.error(
            request, "Cette activité est supprimée\u00a0: restaurez-la pour la modifier."
        )
        return redirect(f"{reverse('conseillers:activites')}?supprimees=on")
    return _saisir(request, conseiller, activite, {})


def _saisir(request, conseiller, activite: Activite, initiales: dict, source=None):
    creation = activite.pk is None
    if request.method == "POST":
        formulaire = ActiviteForm(
            request.POST, instance=activite, conseiller=conseiller, user=request.user
        )
        if formulaire.is_valid():
            raison = f"duplication de l'activité n° {source.pk}" if source else ""
            try:
                activite = services.enregistrer_activite(
                    activite=formulaire.save(commit=False),
                    user=request.user,
                    beneficiaires=formulaire.cleaned_data["beneficiaires"],
                    source=SourceActivite.SAISIE,
                    raison=raison,
                )
            except ValidationError as erreur:
                formulaire.ajouter_erreurs(erreur)
            else:
                resume = f"{activite.get_type_display()} du {date_format(activite.date, 'j F Y')}"
                if creation:
                    messages.success(
                        request,
                        f"Activité enregistrée\u00a0: {resume}. Vous pouvez saisir la suivante.",
                    )
                    return redirect("conseillers:nouvelle_activite")
                messages.success(request, f"Activité modifiée\u00a0: {resume}.")
                return redirect("conseillers:activites")
    else:
        formulaire = ActiviteForm(
            instance=activite, initial=initiales, conseiller=conseiller, user=request.user
        )
    return render(
        request,
        "conseillers/espace/activite_formulaire.html",
        {
            "formulaire": formulaire,
            "activite": activite,
            "creation": creation,
            "source": source,
        },
    )


@require_http_methods(["GET", "POST"])
def supprimer_activite(request, pk: int):
    permissions.exiger_conseiller(request.user)
    activite = permissions.activite_modifiable_ou_404(request.user, pk)
    if request.method == "POST":
        services.supprimer_activite(activite=activite, user=request.user)
        messages.success(
            request,
            f"Activité du {date_format(activite.date, 'j F Y')} supprimée. Elle reste "
            "restaurable depuis les activités supprimées de l'historique.",
        )
        return redirect("conseillers:activites")
    return render(request, "conseillers/espace/activite_supprimer.html", {"activite": activite})


@require_POST
def restaurer_activite(request, pk: int):
    permissions.exiger_conseiller(request.user)
    activite = permissions.activite_modifiable_ou_404(request.user, pk)
    services.restaurer_activite(activite=activite, user=request.user)
    messages.success(request, f"Activité du {date_format(activite.date, 'j F Y')} restaurée.")
    return redirect("conseillers:activites")


@require_GET
def historique_activite(request, pk: int):
    """The audit trail of one report: each version, who, when, why, what changed."""
    permissions.exiger_conseiller(request.user)
    activite = permissions.activite_modifiable_ou_404(request.user, pk)
    return render(
        request,
        "conseillers/espace/activite_audit.html",
        {"activite": activite, "versions": journal_de(activite)},
    )


# -- the audit trail as the advisor reads it ---------------------------------------------

ACTIONS = {"+": "création", "~": "modification", "-": "effacement"}
CHAMPS_SUIVIS = [
    champ.name
    for champ in Activite._meta.concrete_fields
    if champ.editable and champ.name not in {"id", "modifie_le", "cree_par", "source", "zone"}
]


def _ecart(version, precedente) -> list:
    """What changed from ``precedente`` to ``version`` (deletion date included)."""
    changements = version.diff_against(precedente, included_fields=CHAMPS_SUIVIS).changes
    if version.supprime_le != precedente.supprime_le:
        changements = [
            ModelChange("supprime_le", precedente.supprime_le, version.supprime_le),
            *changements,
        ]
    return changements


def journal_de(activite: Activite) -> list[dict]:
    """Each version of ``activite``, newest first, with the fields it changed (French
    labels and values). One query for the versions and their authors, then one per kind
    of place (lieu, arrêt, commune) some change names."""
    versions = list(
        activite.history.select_related("history_user").order_by("history_date", "history_id")
    )
    ecarts = [
        _ecart(version, precedente) if precedente is not None else []
        for precedente, version in zip([None, *versions], versions, strict=False)
    ]
    noms = _noms_des_references(changement for ecart in ecarts for changement in ecart)
    journal = []
    for version, ecart in zip(versions, ecarts, strict=True):
        changements = []
        for changement in ecart:
            champ = Activite._meta.get_field(changement.field)
            changements.append(
                {
                    "champ": champ.verbose_name,
                    "avant": _valeur(champ, changement.old, noms),
                    "apres": _valeur(champ, changement.new, noms),
                }
            )
        journal.append(
            {
                "version": version,
                "action": version.history_change_reason or ACTIONS.get(version.history_type, ""),
                "auteur": version.history_user,
                "changements": changements,
            }
        )
    journal.reverse()
    return journal


def _noms_des_references(changements) -> dict:
    from structures.models import Arret, Lieu
    from territoires.models import Commune

    modeles = {
        "lieu": Lieu.objects.tous(),
        "arret": Arret.objects.all(),
        "commune": Commune.objects.all(),
    }
    cles: dict[str, set] = {}
    for changement in changements:
        if changement.field in modeles:
            cles.setdefault(changement.field, set()).update(
                {changement.old, changement.new} - {None}
            )
    return {
        champ: dict(modeles[champ].filter(pk__in=valeurs).values_list("pk", "nom"))
        for champ, valeurs in cles.items()
        if valeurs
    }


def _valeur(champ, valeur, noms) -> str:
    if valeur in (None, "", []):
        return "—"
    if champ.is_relation:
        return noms.get(champ.name, {}).get(valeur, f"n° {valeur}")
    if isinstance(champ, ListeChoixField):
        etiquettes = dict(champ.choix.choices) if champ.choix else {}
        return ", ".join(etiquettes.get(v, v) for v in ListeChoixField.en_liste(valeur))
    if champ.choices:
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if champ.name == "duree_minutes":
        return libelle_duree(valeur)
    if champ.name == "date":
        return date_format(valeur, "j F Y")
    if champ.name == "supprime_le":
        return date_format(valeur, "j F Y à H:i")
    return str(valeur)


# -- profile ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
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


@require_GET
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


@require_GET
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


@require_GET
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


@require_http_methods(["GET", "POST"])
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


@require_http_methods(["GET", "POST"])
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


@require_http_methods(["GET", "POST"])
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


@require_GET
def exporter_beneficiaire(request, pk: int):
    """Right of access and portability: the person's data, as a JSON file to hand over."""
    conseiller = exiger_conseiller(request.user)
    personne = get_object_or_404(beneficiaires_du_conseiller(conseiller), pk=pk)
    donnees = services_beneficiaires.donnees_de(personne)
    reponse = JsonResponse(donnees, json_dumps_params={"ensure_ascii": False, "indent": 2})
    nom = f"donnees-beneficiaire-{personne.pk}-{timezone.localdate():%Y%m%d}.json"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@require_GET
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
