"""Back-office of the sites (coordinators, and referents for their own structures), and
the printable guide: open to everyone, it is linked from the back-office list.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commun import autocompletion, limites
from commun.exports import csv_du_tableau
from commun.historique import journal
from commun.pagination import paginer
from territoires.models import Commune, Epci

from .. import cache_public, permissions, services
from ..enums import StatutSignalement
from ..forms.autocompletion import libelle_structure, rechercher_communes, rechercher_structures
from ..forms.gestion import (
    SAISIE_AVANCEE,
    SAISIE_PAR_JOUR,
    ArretFormSet,
    FusionForm,
    HorairesSemaineFormSet,
    LieuForm,
    RechercheLieuxForm,
    RechercheStructuresForm,
    StructureForm,
    initial_horaires,
    plages_hebdomadaires,
)
from ..forms.signalements import SuiviSignalementForm, reponse_proposee
from ..guide import generer_guide
from ..models import Lieu, Structure

LIEUX_PAR_PAGE = 25
# the fields whose changes the site's audit trail lists (all but the derived ones)
CHAMPS_JOURNAL = [
    champ.name
    for champ in Lieu._meta.concrete_fields
    if champ.editable and champ.name not in {"id", "nom_recherche", "cree_le", "modifie_le"}
]


@require_GET
def gestion_lieux(request):
    permissions.exiger_gestion_lieux(request.user)
    user = request.user
    lieux = permissions.lieux_modifiables(user)
    communes = Commune.objects.filter(pk__in=lieux.values("commune")).order_by("nom")
    recherche = RechercheLieuxForm(request.GET or None, communes=communes)
    if recherche.is_valid():
        if recherche.cleaned_data["q"]:
            lieux = lieux.recherche(recherche.cleaned_data["q"])
        if recherche.cleaned_data["commune"]:
            lieux = lieux.filter(commune=recherche.cleaned_data["commune"])
    lieux = lieux.select_related("commune", "structure").only(
        "nom",
        "date_maj",
        "itinerance",
        "commune__nom",
        "commune__code_insee",
        "structure__nom",
    )
    page = paginer(lieux.order_by("nom", "pk"), request.GET, LIEUX_PAR_PAGE)
    return render(
        request,
        "structures/gestion/liste.html",
        {
            "page": page,
            "recherche": recherche,
            "guide_parametres": _territoire_du_guide(user),
        },
    )


# -- the directory of structures ----------------------------------------------------------

STRUCTURES_PAR_PAGE = 30
# the fields whose changes the structure's audit trail lists: those its form edits;
# archiving and merging are named by the entry itself (« archivage », « fusion : … »)
CHAMPS_JOURNAL_STRUCTURE = list(StructureForm.Meta.fields)
ENTETE_EXPORT = [
    "identifiant",
    "nom",
    "siret_ou_rna",
    "typologies",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "telephone",
    "courriel",
    "site_web",
    "structure_parente",
    "programmes",
    "labels",
    "lieux",
    "referents",
    "conseillers",
    "archivee_le",
]


def _annuaire_filtre(request):
    """The directory's structures narrowed by the query string, and its search form."""
    user = request.user
    structures = permissions.structures_de_l_annuaire(user)
    communes = permissions.communes_de_l_annuaire(user).filter(pk__in=structures.values("commune"))
    recherche = RechercheStructuresForm(request.GET or None, communes=communes.order_by("nom"))
    return recherche.filtrer(structures).avec_nombres(), recherche


@require_GET
def annuaire(request):
    """The territory's structures: search by name, typology, commune; active by default."""
    permissions.exiger_gestion_structures(request.user)
    structures, recherche = _annuaire_filtre(request)
    structures = structures.select_related("commune").only(
        "nom", "pivot", "typologies", "archivee_le", "commune__nom", "commune__code_insee"
    )
    page = paginer(structures.order_by("nom", "pk"), request.GET, STRUCTURES_PAR_PAGE)
    return render(
        request,
        "structures/gestion/annuaire.html",
        {"page": page, "recherche": recherche, "export": request.GET.urlencode()},
    )


def _libelles(structure, champ: str) -> str:
    return " | ".join(structure.libelles(champ))


@require_GET
def export_annuaire(request):
    """The filtered directory as CSV (semicolons, BOM, formula-safe cells)."""
    permissions.exiger_gestion_structures(request.user)
    structures, _recherche = _annuaire_filtre(request)
    structures = structures.select_related("commune", "parente").order_by("nom", "pk")
    lignes = [
        [
            s.pk,
            s.nom,
            s.pivot,
            _libelles(s, "typologies"),
            s.adresse,
            s.code_postal,
            s.commune.nom,
            s.commune_id,
            s.telephone,
            s.courriel,
            s.site_web,
            s.parente.nom if s.parente else "",
            _libelles(s, "programmes"),
            _libelles(s, "labels"),
            s.nombre_lieux,
            s.nombre_referents,
            s.nombre_conseillers,
            timezone.localtime(s.archivee_le).strftime("%d/%m/%Y") if s.archivee_le else "",
        ]
        for s in structures
    ]
    reponse = HttpResponse(
        csv_du_tableau(ENTETE_EXPORT, lignes), content_type="text/csv; charset=utf-8"
    )
    reponse["Content-Disposition"] = (
        f'attachment; filename="structures-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return reponse


@require_GET
def structure(request, pk: int):
    """A structure and all it carries: referents, sites, advisors employed or assigned,
    conventions, workshop requests and their sessions, and its audit trail."""
    user = request.user
    structure = permissions.structure_de_l_annuaire_ou_404(user, pk)
    return render(
        request,
        "structures/gestion/structure.html",
        {
            "structure": structure,
            "filles": structure.filles.select_related("commune").order_by("nom", "pk"),
            "fusionnees": structure.fusionnees.order_by("nom", "pk"),
            "referents": structure.referents.order_by("nom", "prenom", "pk"),
            "lieux": structure.lieux.select_related("commune").order_by("nom", "pk"),
            # reverse relations of the apps above (conseillers, ateliers), by their names:
            # structures reads them without importing those apps
            "conseillers": structure.conseillers.order_by("nom", "prenom", "pk"),
            "mises_a_disposition": structure.mises_a_disposition.select_related("lieu")
            .prefetch_related("conseillers")
            .order_by("-date_debut", "pk"),
            "conventions": structure.conventions.order_by("-fin", "pk"),
            "demandes": structure.demandes.select_related("version", "lieu")
            .annotate(nombre_seances=Count("sessions"))
            .order_by("-cree_le", "-pk"),
            "journal": journal(structure, CHAMPS_JOURNAL_STRUCTURE),
        },
    )


def _editer_structure(request, structure: Structure):
    user = request.user
    creation = structure.pk is None
    formulaire = StructureForm(request.POST or None, instance=structure, user=user)
    if request.method == "POST" and formulaire.is_valid():
        try:
            structure = services.enregistrer_structure(
                structure=formulaire.save(commit=False), par=user
            )
        except ValidationError as erreur:
            formulaire.add_error(None, erreur)
        else:
            messages.success(
                request,
                f"La structure «\u202f{structure.nom}\u202f» a été "
                f"{'créée' if creation else 'enregistrée'}.",
            )
            return redirect("structures:structure", structure.pk)
    return render(
        request,
        "structures/gestion/structure_formulaire.html",
        {"structure": structure, "creation": creation, "formulaire": formulaire},
    )


@require_http_methods(["GET", "POST"])
def creer_structure(request):
    permissions.exiger_gestion_structures(request.user)
    return _editer_structure(request, Structure())


@require_http_methods(["GET", "POST"])
def modifier_structure(request, pk: int):
    structure = permissions.structure_de_l_annuaire_ou_404(request.user, pk)
    if structure.est_archivee:
        messages.error(
            request, "Une structure archivée ne se modifie pas\u00a0: désarchivez-la d'abord."
        )
        return redirect("structures:structure", structure.pk)
    return _editer_structure(request, structure)


def _archivage(request, pk: int, action, message: str):
    structure = permissions.structure_de_l_annuaire_ou_404(request.user, pk)
    try:
        action(structure=structure, par=request.user)
    except ValidationError as erreur:
        messages.error(request, " ".join(erreur.messages))
    else:
        messages.success(request, message.format(nom=structure.nom))
    return redirect("structures:structure", structure.pk)


@require_POST
def archiver_structure(request, pk: int):
    return _archivage(
        request,
        pk,
        services.archiver_structure,
        "La structure «\u202f{nom}\u202f» est archivée\u00a0: elle quitte les listes, son "
        "historique reste.",
    )


@require_POST
def desarchiver_structure(request, pk: int):
    return _archivage(
        request,
        pk,
        services.desarchiver_structure,
        "La structure «\u202f{nom}\u202f» est de nouveau active.",
    )


@require_http_methods(["GET", "POST"])
def fusionner_structure(request, pk: int):
    """Merge a duplicate into this structure: choose it, read what moves, confirm."""
    user = request.user
    garder = permissions.structure_de_l_annuaire_ou_404(user, pk)
    if garder.est_archivee:
        messages.error(
            request,
            "Une structure archivée ne reprend pas de doublon\u00a0: désarchivez-la d'abord.",
        )
        return redirect("structures:structure", garder.pk)
    donnees = request.POST if request.method == "POST" else (request.GET or None)
    formulaire = FusionForm(donnees, user=user, garder=garder)
    apercu = None
    if formulaire.is_valid():
        doublon = formulaire.cleaned_data["doublon"]
        if request.method == "POST":
            try:
                services.fusionner_structures(garder=garder, doublon=doublon, par=user)
            except ValidationError as erreur:
                formulaire.add_error(None, erreur)
            else:
                messages.success(
                    request,
                    f"«\u202f{doublon.nom}\u202f» est fusionnée dans «\u202f{garder.nom}\u202f» "
                    "et archivée.",
                )
                return redirect("structures:structure", garder.pk)
        else:
            apercu = services.apercu_fusion(garder=garder, doublon=doublon)
    return render(
        request,
        "structures/gestion/fusion.html",
        {
            "structure": garder,
            "formulaire": formulaire,
            "apercu": apercu,
            "doublon": formulaire.cleaned_data.get("doublon") if apercu is not None else None,
        },
    )


_limite_suggestions = limites.limiter(
    "suggestions",
    [(limites.adresse_du_client, "LIMITE_SUGGESTIONS_PAR_ADRESSE")],
    "Vous avez demandé beaucoup de suggestions en peu de temps.",
)


@require_GET
@_limite_suggestions
def suggestions_communes(request):
    """Suggestions of a typed commune (commun/autocompletion.py), within the territory."""
    return autocompletion.suggestions(
        request,
        permissions.communes_suggerees(request.user),
        rechercher=rechercher_communes,
    )


@require_GET
@_limite_suggestions
def suggestions_structures(request):
    """Suggestions of a typed structure: those a site may be attached to."""
    permissions.exiger_gestion_lieux(request.user)
    return autocompletion.suggestions(
        request,
        permissions.structures_utilisables(request.user).select_related("commune"),
        rechercher=rechercher_structures,
        libelle=libelle_structure,
    )


SIGNALEMENTS_PAR_PAGE = 20


# the list's filters: a state, or the open ones (new and in progress), or all
FILTRES_SIGNALEMENTS = {"ouverts": StatutSignalement.ouverts(), "tous": None} | {
    valeur: [valeur] for valeur in StatutSignalement.values
}


@require_GET
def signalements(request):
    """The public's error reports on the sites the user keeps: the open ones by default."""
    permissions.exiger_gestion_lieux(request.user)
    statut = request.GET.get("statut", "ouverts")
    if statut not in FILTRES_SIGNALEMENTS:
        statut = "ouverts"
    liste = permissions.signalements_a_traiter(request.user).select_related(
        "lieu__commune", "assigne_a"
    )
    if FILTRES_SIGNALEMENTS[statut] is not None:
        liste = liste.filter(statut__in=FILTRES_SIGNALEMENTS[statut])
    if request.GET.get("suivi") == "moi":
        liste = liste.filter(assigne_a=request.user)
    return render(
        request,
        "structures/gestion/signalements.html",
        {
            "page": paginer(liste.order_by("-cree_le", "-pk"), request.GET, SIGNALEMENTS_PAR_PAGE),
            "statut": statut,
            "suivi_moi": request.GET.get("suivi") == "moi",
            "statuts": StatutSignalement,
        },
    )


@require_http_methods(["GET", "POST"])
def signalement(request, pk: int):
    """One report: its message, the site's form, and its follow-up (state, assignee, note,
    the answer e-mailed to the visitor when it is closed)."""
    permissions.exiger_gestion_lieux(request.user)
    objet = get_object_or_404(
        permissions.signalements_a_traiter(request.user).select_related(
            "lieu__commune", "assigne_a"
        ),
        pk=pk,
    )
    coordinateurs = services.comptes_coordinateurs_du_lieu(objet.lieu).order_by(
        "nom", "prenom", "email"
    )
    initial = {
        "statut": objet.statut,
        "assigne_a": objet.assigne_a_id,
        "note": objet.note,
        "repondre": bool(objet.courriel),
        "reponse": reponse_proposee(objet.lieu),
    }
    form = SuiviSignalementForm(
        request.POST or None, initial=initial, signalement=objet, coordinateurs=coordinateurs
    )
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        envoye = services.suivre_signalement(
            signalement=objet,
            statut=donnees["statut"],
            assigne_a=donnees["assigne_a"],
            note=donnees["note"],
            reponse=donnees.get("reponse", ""),
            repondre=bool(donnees.get("repondre")),
        )
        texte = f"Le signalement sur «\u202f{objet.lieu.nom}\u202f» est enregistré"
        if envoye:
            texte += f", et la réponse envoyée à {objet.courriel}"
        messages.success(request, texte + ".")
        return redirect("structures:signalement", pk=objet.pk)
    return render(
        request,
        "structures/gestion/signalement.html",
        {"signalement": objet, "form": form},
    )


def _territoire_du_guide(user) -> str | None:
    """``epci=…`` or ``commune=…`` when the user's territory is one EPCI or one commune."""
    perimetre = user.perimetre
    if len(perimetre.epcis) == 1 and not perimetre.communes:
        return f"epci={next(iter(perimetre.epcis))}"
    if len(perimetre.communes) == 1 and not perimetre.epcis:
        return f"commune={next(iter(perimetre.communes))}"
    return None


@require_http_methods(["GET", "POST"])
def creer_lieu(request):
    permissions.exiger_gestion_lieux(request.user)
    return _editer(request, Lieu())


@require_http_methods(["GET", "POST"])
def modifier_lieu(request, pk: int):
    lieu = permissions.lieu_modifiable_ou_404(request.user, pk)
    return _editer(request, lieu)


def _editer(request, lieu: Lieu):
    user = request.user
    creation = lieu.pk is None
    plages = plages_hebdomadaires(lieu.horaires)
    representable = plages is not None
    if request.method == "POST":
        editeur = HorairesSemaineFormSet(request.POST, prefix="horaires")
        formulaire = LieuForm(request.POST, instance=lieu, user=user, editeur=editeur)
        arrets = ArretFormSet(
            request.POST, instance=lieu, prefix="arrets", form_kwargs={"user": user}
        )
        valides = formulaire.is_valid() & arrets.is_valid()
        if valides:
            arrets.verifier_itinerance(formulaire.cleaned_data.get("itinerance", []))
            valides = arrets.is_valid()
        if valides:
            lieu = services.enregistrer_lieu(
                lieu=formulaire.save(commit=False), arrets_formset=arrets, par=user
            )
            messages.success(
                request,
                f"Le lieu « {lieu.nom} » a été {'créé' if creation else 'enregistré'}.",
            )
            return redirect("structures:gestion_lieux")
    else:
        editeur = HorairesSemaineFormSet(prefix="horaires", initial=initial_horaires(plages or []))
        formulaire = LieuForm(
            instance=lieu,
            user=user,
            editeur=editeur,
            initial={"saisie_horaires": SAISIE_PAR_JOUR if representable else SAISIE_AVANCEE},
        )
        arrets = ArretFormSet(instance=lieu, prefix="arrets", form_kwargs={"user": user})
    return render(
        request,
        "structures/gestion/formulaire.html",
        {
            "lieu": lieu,
            "creation": creation,
            "formulaire": formulaire,
            "editeur": editeur,
            "arrets": arrets,
            "horaires_representables": representable,
            "journal": journal(lieu, CHAMPS_JOURNAL) if not creation else [],
        },
    )


# -- the printable guide (public) --------------------------------------------------------


def _erreur_guide(request, message: str):
    return render(request, "structures/gestion/guide_erreur.html", {"message": message}, status=400)


DUREE_CACHE_GUIDE = 60 * 60 * 24  # keyed by the day and the public sites' generation


@login_not_required
@require_GET
@limites.limiter(
    "guide-pdf",
    [(limites.adresse_du_client, "LIMITE_PDF_PAR_ADRESSE")],
    "Vous avez demandé beaucoup de guides en peu de temps.",
)
def guide(request):
    """``/lieux/guide.pdf?commune=<code INSEE>`` or ``?epci=<SIREN>``.

    The PDF comes from the cache for the same territory on the same day, until a public
    site changes (``structures.cache_public``)."""
    code_commune = request.GET.get("commune", "").strip()
    siren = request.GET.get("epci", "").strip()
    if bool(code_commune) == bool(siren):
        return _erreur_guide(
            request,
            "Précisez le territoire du guide\u00a0: une commune (paramètre « commune », son code "
            "INSEE) ou une intercommunalité (paramètre « epci », son numéro SIREN), et un seul.",
        )
    # the format first: a NUL character or a whole paragraph never reaches the database
    if code_commune:
        commune = None
        if len(code_commune) == 5 and code_commune.isascii() and code_commune.isalnum():
            commune = Commune.objects.filter(pk=code_commune).only("nom").first()
        if commune is None:
            return _erreur_guide(request, f"Aucune commune n'a le code INSEE « {code_commune} ».")
        nom, filtre, fichier = commune.nom, {"commune": commune}, code_commune
    else:
        epci = None
        if len(siren) == 9 and siren.isascii() and siren.isdigit():
            epci = Epci.objects.filter(pk=siren).only("nom").first()
        if epci is None:
            return _erreur_guide(request, f"Aucune intercommunalité n'a le SIREN « {siren} ».")
        nom, filtre, fichier = epci.nom, {"commune__epci": epci}, siren
    aujourd_hui = timezone.localdate()
    compression = getattr(settings, "GUIDE_PDF_COMPRESSE", True)
    cle = cache_public.cle(
        "guide-pdf", "commune" if code_commune else "epci", fichier, str(compression), moment="jour"
    )
    contenu = cache.get(cle)
    if contenu is None:
        lieux = (
            Lieu.objects.publics()
            .filter(**filtre)
            .select_related("commune", "zone")
            .order_by("commune__nom", "zone__nom", "nom")
        )
        contenu = generer_guide(
            titre=f"Guide du numérique — {nom}",
            lieux=lieux,
            date=aujourd_hui,
            compression=compression,
        )
        cache.set(cle, contenu, DUREE_CACHE_GUIDE)
    reponse = HttpResponse(contenu, content_type="application/pdf")
    reponse["Content-Disposition"] = (
        f'inline; filename="guide-numerique-{fichier}-{aujourd_hui:%Y-%m-%d}.pdf"'
    )
    reponse["Content-Language"] = "fr"
    return reponse
