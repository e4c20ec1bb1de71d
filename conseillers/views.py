"""The advisor's activity reports: entry, history, edit, duplicate, delete, audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST
from simple_history.models import ModelChange

from commun.pagination import paginer
from structures.fields import ListeChoixField

from . import permissions, saisie, services
from .enums import SourceActivite, Thematique
from .forms import ActiviteForm, FiltresHistoriqueForm, libelle_duree
from .models import Activite

ACTIVITES_PAR_PAGE = 50


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
        "conseillers/saisie/historique.html",
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


def nouvelle_activite(request):
    conseiller = permissions.exiger_conseiller(request.user)
    lieu_demande = None
    if request.method == "GET" and request.GET.get("lieu", "").isdecimal():
        lieu_demande = (
            conseiller.lieux_d_activite().filter(pk=request.GET["lieu"]).only("pk").first()
        )
    initiales = saisie.valeurs_initiales(conseiller, lieu_demande=lieu_demande)
    return _saisir(request, conseiller, Activite(conseiller=conseiller), initiales)


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


def modifier_activite(request, pk: int):
    conseiller = permissions.exiger_conseiller(request.user)
    activite = permissions.activite_modifiable_ou_404(request.user, pk)
    if activite.est_supprimee:
        messages.error(request, "Cette activité est supprimée : restaurez-la pour la modifier.")
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
                        request, f"Activité enregistrée : {resume}. Vous pouvez saisir la suivante."
                    )
                    return redirect("conseillers:nouvelle_activite")
                messages.success(request, f"Activité modifiée : {resume}.")
                return redirect("conseillers:activites")
    else:
        formulaire = ActiviteForm(
            instance=activite, initial=initiales, conseiller=conseiller, user=request.user
        )
    return render(
        request,
        "conseillers/saisie/formulaire.html",
        {
            "formulaire": formulaire,
            "activite": activite,
            "creation": creation,
            "source": source,
        },
    )


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
    return render(request, "conseillers/saisie/supprimer.html", {"activite": activite})


@require_POST
def restaurer_activite(request, pk: int):
    permissions.exiger_conseiller(request.user)
    activite = permissions.activite_modifiable_ou_404(request.user, pk)
    services.restaurer_activite(activite=activite, user=request.user)
    messages.success(request, f"Activité du {date_format(activite.date, 'j F Y')} restaurée.")
    return redirect("conseillers:activites")


def historique_activite(request, pk: int):
    """The audit trail of one report: each version, who, when, why, what changed."""
    permissions.exiger_conseiller(request.user)
    activite = permissions.activite_modifiable_ou_404(request.user, pk)
    return render(
        request,
        "conseillers/saisie/audit.html",
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
