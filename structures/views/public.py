"""Public pages: the search of sites (list and map), a site's page, the error report."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from commun import formats, limites
from commun.pagination import paginer
from territoires.models import Commune

from .. import cache_public, carte
from .. import horaires as horaires_osm
from ..forms.public import RechercheLieuxForm, SignalementForm
from ..models import Arret, Creneau, Lieu
from ..services import signaler_erreur
from ..validators import distance_km

PAR_PAGE = 20
JOURS = horaires_osm.JOURS


def _ouverts_maintenant(identifiants: list[int]) -> set[int]:
    """Which of these sites are open now, according to this week's slots (one query)."""
    moment = timezone.localtime()
    minutes = moment.hour * 60 + moment.minute
    return set(
        Creneau.objects.filter(
            lieu__in=identifiants, jour=moment.weekday(), debut__lte=minutes, fin__gt=minutes
        ).values_list("lieu_id", flat=True)
    )


def _pour_la_liste(lieux):
    # the communes' names by a subquery that PostgreSQL evaluates for the page's rows only
    # (a join sorted thousands; a prefetch cost a query)
    nom_commune = Commune.objects.filter(pk=OuterRef("commune_id")).order_by().values("nom")[:1]
    return lieux.annotate(nom_commune=Subquery(nom_commune)).only(
        "pk",
        "nom",
        "adresse",
        "complement_adresse",
        "code_postal",
        "commune",
        "services",
        "frais",
        "itinerance",
        "latitude",
        "longitude",
        "horaires",
    )


def _contenu_de_la_recherche(parametres) -> str:
    """The search form, the result count, a map of every result and the paginated list.

    A commune without any site matching the other filters shows the nearest sites, with
    their distance, instead of nothing."""
    formulaire = RechercheLieuxForm(parametres)
    formulaire.is_valid()
    commune = formulaire.commune_choisie
    page = paginer(_pour_la_liste(formulaire.filtrer(Lieu.objects.publics())), parametres, PAR_PAGE)
    les_plus_proches = page.paginator.count == 0 and formulaire.peut_chercher_autour
    if les_plus_proches:
        proches = formulaire.les_plus_proches(Lieu.objects.publics())
        page = paginer(_pour_la_liste(proches), parametres, PAR_PAGE)
    page.object_list = list(page.object_list)
    for resultat in page.object_list:
        resultat.libelles_services = resultat.libelles("services")
        resultat.distance_km = None
        if (formulaire.tri_par_distance or les_plus_proches) and resultat.latitude is not None:
            resultat.distance_km = distance_km(
                commune.latitude, commune.longitude, resultat.latitude, resultat.longitude
            )
    donnees_url = reverse("structures:lieux_carte")
    requete = parametres.copy()
    requete.pop("page", None)
    if requete:
        donnees_url += "?" + requete.urlencode()
    html = render_to_string(
        "structures/public/_lieux_contenu.html",
        {
            "formulaire": formulaire,
            "parametres": parametres,
            "page": page,
            "tri_distance": formulaire.tri_par_distance,
            "les_plus_proches": les_plus_proches,
            "commune": commune,
            # after a search (and when it has no error), the filters fold away on a phone
            "recherche_faite": any(cle != "page" for cle in parametres) and not formulaire.errors,
            "carte": carte.attributs_de_la_carte(donnees_url=donnees_url),
        },
    )
    return {
        "html": html,
        "horaires": {r.pk: r.horaires for r in page.object_list if r.horaires},
    }


BADGE = '<li class="list-inline-item badge text-bg-{couleur}">{texte}</li>'


def _badge(ouvert: bool, horaires: str) -> str:
    """« Ouvert maintenant — ferme à 12 h », « Fermé maintenant — ouvre demain à 9 h »."""
    texte = "Ouvert maintenant" if ouvert else "Fermé maintenant"
    if changement := _prochain_changement(horaires, ouvert):
        texte += f" — {changement}"
    return BADGE.format(couleur="success" if ouvert else "secondary", texte=escape(texte))


MARQUE_OUVERT = re.compile(r"<!--ouvert-maintenant:(\d+)-->")


@login_not_required
@require_GET
def lieux(request):
    """The search page. Its content is the same for everyone asking the same search, so it
    comes from the cache (``structures.cache_public``); only whether each site of the page
    is open now is read at each request."""
    moment = carte.moment_de_cache(request.GET)
    cle = cache_public.cle("lieux-recherche", cache_public.canonique(request.GET), moment=moment)
    contenu = cache.get(cle)
    if contenu is None:
        contenu = _contenu_de_la_recherche(request.GET)
        cache.set(cle, contenu, cache_public.duree(moment))
    horaires = contenu.get("horaires", {})  # a page cached by an older release has none
    ouverts = _ouverts_maintenant(list(horaires)) if horaires else set()
    html = MARQUE_OUVERT.sub(
        lambda trouve: _badge(
            int(trouve[1]) in ouverts,
            horaires.get(int(trouve[1]), ""),
        ),
        contenu["html"],
    )
    # rendered by this view from escaped data, a moment ago or from the cache
    return render(request, "structures/public/lieux.html", {"contenu": mark_safe(html)})  # noqa: S308


@login_not_required
@require_GET
def lieux_carte(request):
    """Compact markers of every result of the same search (see ``structures.carte``)."""
    cle = carte.cle_de_cache(request.GET)
    contenu = cache.get(cle)
    if contenu is None:
        formulaire = RechercheLieuxForm(request.GET)
        formulaire.is_valid()
        donnees = carte.marqueurs(formulaire.filtrer(Lieu.objects.publics(), trier=False))
        if not donnees["lieux"] and formulaire.peut_chercher_autour:
            # as the list: the nearest sites of a commune that has none
            proches = formulaire.les_plus_proches(Lieu.objects.publics(), trier=False)
            donnees = carte.marqueurs(proches)
        contenu = json.dumps(donnees, ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(cle, contenu, cache_public.duree(carte.moment_de_cache(request.GET)))
    reponse = HttpResponse(contenu, content_type="application/json")
    reponse["Cache-Control"] = f"public, max-age={carte.DUREE_CACHE}"
    return reponse


def _prochain_changement(horaires: str, ouvert: bool) -> str:
    """« ferme à 12 h », « ouvre demain à 9 h », « ouvre lundi à 9 h » within a week; ""
    when the hours never change or cannot be read."""
    try:
        prochain = horaires_osm.prochain_changement(horaires)
    except Exception:  # hours stored before validation existed: no announcement
        return ""
    maintenant = timezone.localtime().replace(tzinfo=None)
    if prochain is None or prochain - maintenant >= dt.timedelta(days=8):
        return ""
    heure = formats.heure(prochain)
    if prochain.date() == maintenant.date():
        quand = f"à {heure}"
    elif prochain.date() == maintenant.date() + dt.timedelta(days=1):
        quand = f"demain à {heure}"
    else:
        quand = f"{JOURS[prochain.weekday()]} à {heure}"
    return f"ferme {quand}" if ouvert else f"ouvre {quand}"


def _etat_d_ouverture(lieu: Lieu) -> dict | None:
    """``{"ouvert": bool, "changement": "..."}`` from the OSM hours, None when unknown."""
    try:
        ouvert = lieu.est_ouvert()
    except Exception:  # hours stored before validation existed: show them as unknown
        return None
    if ouvert is None:
        return None
    return {"ouvert": ouvert, "changement": _prochain_changement(lieu.horaires, ouvert)}


CHAMPS_LIBELLES = [
    "publics",
    "prise_en_charge",
    "frais",
    "modalites_acces",
    "modalites_accompagnement",
    "programmes",
    "formations_labels",
]


def _fiche(pk: int) -> dict[str, str]:
    """A site's page up to its report form, its name and hours; 404 when not public.

    Cached for the day (its next seven days): the "open now" badge is put in at each
    request by ``_page_du_lieu``."""
    cle = cache_public.cle("lieux-fiche", str(pk), moment="jour")
    fiche = cache.get(cle)
    if fiche is None:
        lieu = _lieu_public(pk)
        lieu.libelles_services = lieu.libelles("services")
        html = render_to_string(
            "structures/public/_fiche_lieu.html",
            {
                "lieu": lieu,
                "libelles": {champ: lieu.libelles(champ) for champ in CHAMPS_LIBELLES},
                "semaine": lieu.semaine() if lieu.horaires else [],
                "arrets": [(arret, arret.semaine()) for arret in lieu.arrets.all()],
                "marqueurs": carte.marqueurs_du_lieu(lieu),
                "carte": carte.attributs_de_la_carte(),
            },
        )
        fiche = {"nom": lieu.nom, "html": html, "horaires": lieu.horaires}
        cache.set(cle, fiche, cache_public.duree("jour"))
    return fiche


def _badge_d_ouverture(horaires: str) -> str:
    etat = _etat_d_ouverture(Lieu(horaires=horaires)) if horaires else None
    if etat is None:
        return ""
    return format_html(
        '<li class="list-inline-item badge {} fs-6">{}{}</li>',
        "text-bg-success" if etat["ouvert"] else "text-bg-secondary",
        "Ouvert maintenant" if etat["ouvert"] else "Fermé maintenant",
        f" — {etat['changement']}" if etat["changement"] else "",
    )


def _page_du_lieu(request, pk: int, formulaire: SignalementForm, refus: str = "", statut=200):
    fiche = _fiche(pk)
    html = fiche["html"].replace("<!--etat-ouverture-->", _badge_d_ouverture(fiche["horaires"]))
    return render(
        request,
        "structures/public/lieu.html",
        {
            "pk": pk,
            "nom": fiche["nom"],
            # rendered by _fiche from escaped data, a moment ago or from the cache
            "fiche": mark_safe(html),  # noqa: S308
            "formulaire": formulaire,
            "refus": refus,
        },
        status=statut,
    )


def _lieu_public(pk: int) -> Lieu:
    return get_object_or_404(
        Lieu.objects.publics()
        .select_related("structure", "commune")
        .prefetch_related(Prefetch("arrets", queryset=Arret.objects.select_related("commune"))),
        pk=pk,
    )


@login_not_required
@require_GET
def lieu(request, pk: int):
    return _page_du_lieu(request, pk, SignalementForm())


def _signalement_refuse(request, lieu: Lieu, raison: str, secondes: int):
    """The site's page again, the text kept in the form, with why and until when."""
    formulaire = SignalementForm(
        initial={
            "message": request.POST.get("message", "")[:2000],
            "courriel": request.POST.get("courriel", "")[:254],
        }
    )
    refus = (
        f"{raison} Votre signalement n'a pas été enregistré\u00a0: réessayez dans "
        f"{limites.en_clair(secondes)}."
    )
    reponse = _page_du_lieu(request, lieu.pk, formulaire, refus=refus, statut=429)
    reponse["Retry-After"] = str(secondes)
    return reponse


@login_not_required
@require_POST
def signaler(request, pk: int):
    """Store the report for the coordinators' next daily digest; a bot filling the trap is
    ignored. Limited per client address (every post counts) and per site (the reports
    it would store)."""
    lieu = _lieu_public(pk)
    secondes = limites.attente(
        request,
        "signalements-par-adresse",
        limites.adresse_du_client,
        "LIMITE_SIGNALEMENTS_PAR_ADRESSE",
    )
    if secondes is not None:
        return _signalement_refuse(
            request, lieu, "Vous avez envoyé beaucoup de signalements en peu de temps.", secondes
        )
    formulaire = SignalementForm(request.POST)
    if not formulaire.is_valid():
        return _page_du_lieu(request, lieu.pk, formulaire)
    if not formulaire.est_un_robot:
        secondes = limites.attente(
            request,
            "signalements-par-lieu",
            lambda groupe, requete: str(lieu.pk),
            "LIMITE_SIGNALEMENTS_PAR_LIEU",
        )
        if secondes is not None:
            return _signalement_refuse(
                request,
                lieu,
                "Ce lieu a reçu beaucoup de signalements aujourd'hui, que l'équipe de "
                "coordination va examiner.",
                secondes,
            )
        signaler_erreur(
            lieu=lieu,
            message=formulaire.cleaned_data["message"],
            courriel=formulaire.cleaned_data["courriel"],
        )
    messages.success(
        request,
        "Merci\u202f! Votre signalement est enregistré\u00a0: l'équipe de coordination le "
        "recevra au plus tard demain matin et vérifiera la fiche de ce lieu.",
    )
    return redirect(reverse("structures:lieu", args=[lieu.pk]) + "#signalement")
