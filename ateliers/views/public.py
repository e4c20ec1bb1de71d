"""Public workshop pages: the agenda of the sessions open to the public, its iCalendar
feed, and the quarterly programme (PDF).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from commun import limites

from .. import programme
from ..agenda import compter_places, en_icalendar, sessions_a_venir
from ..forms.public import AgendaForm, ProgrammeForm

# -- public agenda -----------------------------------------------------------------------


def _agenda(request):
    """The upcoming public sessions (six months), filtered by commune and theme."""
    sessions = sessions_a_venir()
    communes = sorted(
        {(s.lieu.commune_id, s.lieu.commune.nom) for s in sessions}, key=lambda c: c[1]
    )
    quartiers = sorted(
        {
            (str(s.lieu.zone_id), f"{s.lieu.zone.nom} ({s.lieu.commune.nom})")
            for s in sessions
            if s.lieu.zone_id
        },
        key=lambda q: q[1],
    )
    formulaire = AgendaForm(request.GET or None, communes=communes, quartiers=quartiers)
    if formulaire.is_bound and formulaire.is_valid():
        p = formulaire.cleaned_data
        commune, quartier, theme = p["commune"], p["quartier"], p["thematique"]
        sessions = [
            s
            for s in sessions
            if (not commune or s.lieu.commune_id == commune)
            and (not quartier or str(s.lieu.zone_id) == quartier)
            and (not theme or theme in s.demande.version.thematiques)
        ]
    elif formulaire.is_bound:
        sessions = []
    compter_places(sessions)
    return formulaire, sessions


@login_not_required
@require_GET
def agenda(request):
    formulaire, sessions = _agenda(request)
    return render(
        request,
        "ateliers/public/agenda.html",
        {
            "formulaire": formulaire,
            "sessions": sessions,
            "parametres": request.GET.urlencode(),
            "filtre_actif": any(request.GET.get(champ) for champ in formulaire.fields),
        },
        status=400 if formulaire.errors else 200,
    )


@login_not_required
@require_GET
def agenda_ics(request):
    _, sessions = _agenda(request)
    contenu = en_icalendar(
        sessions,
        hote=request.get_host().split(":")[0],
        url_du_lieu=lambda pk: request.build_absolute_uri(reverse("structures:lieu", args=[pk])),
    )
    reponse = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = 'inline; filename="ateliers.ics"'
    return reponse


# -- quarterly programme -----------------------------------------------------------------


@login_not_required
@require_GET
def programme_trimestriel(request):
    """The form, then the PDF (cached: ``pdf_du_programme``). Each sent form counts
    against the limit per client address, before its commune is looked up."""
    formulaire = ProgrammeForm(request.GET or None, trimestres=programme.trimestres_proposes())
    if formulaire.is_bound:
        secondes = limites.attente(
            request, "programme-pdf", limites.adresse_du_client, "LIMITE_PDF_PAR_ADRESSE"
        )
        if secondes is not None:
            return limites.reponse_trop_de_demandes(
                request, "Vous avez demandé beaucoup de programmes en peu de temps.", secondes
            )
    if formulaire.is_bound and formulaire.is_valid():
        p = formulaire.cleaned_data
        contenu, nom = programme.pdf_du_programme(
            p["commune"], p["intercommunalite"], programme.Trimestre.lire(p["trimestre"])
        )
        reponse = HttpResponse(contenu, content_type="application/pdf")
        reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
        return reponse
    return render(
        request,
        "ateliers/public/programme.html",
        {"formulaire": formulaire},
        status=400 if formulaire.errors else 200,
    )
