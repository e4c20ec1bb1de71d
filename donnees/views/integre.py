"""The pages a partner's website embeds (``<iframe>``): the map and list of the sites, the
workshop agenda, and the builder of their embed code (``/integrer/``).

Embedded pages are light: no cookie (no session, no CSRF token: nothing is posted), no
login, the same cache as the public pages, links opened in a new tab (``<base
target="_blank">``) but the pages of the list, which stay in the frame. Only the origins a
coordinator lists (``/gestion/integration/``) and the portal itself may frame them
(``origines.autoriser_l_integration``)."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from ateliers.agenda import compter_places, sessions_a_venir
from commun.pagination import paginer
from structures import cache_public, carte
from structures.forms.public import RechercheLieuxForm
from structures.models import Lieu

from ..forms.public import FiltresIntegresForm, IntegrationForm
from ..origines import autoriser_l_integration

PAR_PAGE = 10
SEANCES_MAX = 30


def _refus(request, formulaire) -> HttpResponse:
    erreurs = [e for champ in formulaire.errors.values() for e in champ]
    reponse = render(
        request,
        "donnees/integre/erreur.html",
        {"erreurs": erreurs, "apparence": ""},
        status=400,
    )
    return autoriser_l_integration(reponse)


def _lieux_filtres(parametres, filtres: FiltresIntegresForm):
    recherche = RechercheLieuxForm(parametres)
    recherche.is_valid()
    lieux = recherche.filtrer(Lieu.objects.publics())
    if filtres.cleaned_data["epci"]:
        lieux = lieux.filter(commune__epci_id=filtres.cleaned_data["epci"])
    return lieux


@login_not_required
@require_GET
def lieux(request):
    filtres = FiltresIntegresForm(request.GET)
    if not filtres.is_valid():
        return _refus(request, filtres)
    cle = cache_public.cle("integrer-lieux", cache_public.canonique(request.GET))
    contenu = cache.get(cle)
    if contenu is None:
        trouves = _lieux_filtres(request.GET, filtres)
        page = paginer(
            trouves.select_related("commune").order_by("nom", "pk"), request.GET, PAR_PAGE
        )
        page.object_list = list(page.object_list)
        for lieu in page.object_list:
            lieu.libelles_services = lieu.libelles("services")
        requete = request.GET.copy()
        requete.pop("page", None)
        donnees_url = request.path + "carte/" + (f"?{requete.urlencode()}" if requete else "")
        contenu = render_to_string(
            "donnees/integre/_lieux.html",
            {
                "page": page,
                "commune": filtres.cleaned_data["commune"],
                "carte": carte.attributs_de_la_carte(donnees_url=donnees_url),
                "parametres": requete.urlencode(),
            },
        )
        cache.set(cle, contenu, cache_public.duree())
    reponse = render(
        request,
        "donnees/integre/lieux.html",
        {"contenu": mark_safe(contenu), "apparence": filtres.cleaned_data["apparence"]},  # noqa: S308 - rendered above from escaped data
    )
    return autoriser_l_integration(reponse)


@login_not_required
@require_GET
def lieux_carte(request):
    """The markers of the embedded list's sites (the same filters, EPCI included)."""
    filtres = FiltresIntegresForm(request.GET)
    if not filtres.is_valid():
        return HttpResponse(
            json.dumps({"erreurs": [e for c in filtres.errors.values() for e in c]}),
            status=400,
            content_type="application/json",
        )
    cle = cache_public.cle("integrer-carte", cache_public.canonique(request.GET, sauf=("page",)))
    contenu = cache.get(cle)
    if contenu is None:
        trouves = _lieux_filtres(request.GET, filtres)
        contenu = json.dumps(
            carte.marqueurs(trouves), ensure_ascii=False, separators=(",", ":")
        ).encode()
        cache.set(cle, contenu, cache_public.duree())
    reponse = HttpResponse(contenu, content_type="application/json")
    reponse["Cache-Control"] = f"public, max-age={carte.DUREE_CACHE}"
    return reponse


@login_not_required
@require_GET
def agenda(request):
    filtres = FiltresIntegresForm(request.GET)
    if not filtres.is_valid():
        return _refus(request, filtres)
    d = filtres.cleaned_data
    sessions = [
        s
        for s in sessions_a_venir()
        if (not d["commune"] or s.lieu.commune_id == d["commune"].pk)
        and (not d["epci"] or s.lieu.commune.epci_id == d["epci"])
        and (not d["thematique"] or d["thematique"] in s.demande.version.thematiques)
    ]
    total = len(sessions)
    sessions = sessions[:SEANCES_MAX]
    compter_places(sessions)
    reponse = render(
        request,
        "donnees/integre/agenda.html",
        {
            "sessions": sessions,
            "total": total,
            "commune": d["commune"],
            "apparence": d["apparence"],
        },
    )
    return autoriser_l_integration(reponse)


def _attribut(valeur: str) -> str:
    """A value inside a double-quoted HTML attribute, as a person would write it."""
    return valeur.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@login_not_required
@require_GET
def integrer(request):
    """The builder: the form, then the embed code and its preview."""
    formulaire = IntegrationForm(request.GET or None)
    code = apercu = None
    if formulaire.is_bound and formulaire.is_valid():
        apercu = formulaire.chemin()
        titre = formulaire.titre(settings.PORTAIL_TERRITOIRE)
        hauteur = formulaire.cleaned_data["hauteur"]
        code = (
            f'<iframe src="{_attribut(request.build_absolute_uri(apercu))}" '
            f'title="{_attribut(titre)}" width="100%" height="{hauteur}" style="border:0" '
            'loading="lazy"></iframe>'
        )
    return render(
        request,
        "donnees/public/integrer.html",
        {
            "formulaire": formulaire,
            "code": code,
            "apercu": apercu,
            "hauteur": formulaire.cleaned_data.get("hauteur") if code else None,
            "titre": formulaire.titre(settings.PORTAIL_TERRITOIRE) if code else "",
        },
        status=400 if formulaire.errors else 200,
    )
