"""Public workshop pages: the agenda of the sessions open to the public, its iCalendar
feed, and the quarterly programme (PDF).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from commun import limites

from .. import programme, services
from ..forms.public import AgendaForm, ProgrammeForm
from ..models import SessionAtelier

AGENDA_JOURS = 183


# -- public agenda -----------------------------------------------------------------------


def _agenda(request):
    """The upcoming public sessions (six months), filtered by commune and theme."""
    sessions = list(
        SessionAtelier.objects.agenda()
        .filter(debut__lt=timezone.now() + dt.timedelta(days=AGENDA_JOURS))
        .select_related("demande__version", "lieu__commune", "lieu__zone")
        .order_by("debut", "pk")
    )
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
    inscrits = services.inscrits_par_demande({s.demande_id for s in sessions})
    for session in sessions:
        session.restantes = max(0, session.places - inscrits.get(session.demande_id, 0))
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
    from icalendar import Calendar, Event

    _, sessions = _agenda(request)
    calendrier = Calendar()
    calendrier.add("prodid", "-//Portail de l'inclusion numérique//ateliers//FR")
    calendrier.add("version", "2.0")
    calendrier.add("x-wr-calname", "Ateliers numériques")
    hote = request.get_host().split(":")[0]
    for session in sessions:
        version = session.demande.version
        evenement = Event()
        evenement.add("uid", f"seance-{session.pk}@{hote}")
        evenement.add("dtstamp", timezone.now())
        evenement.add("dtstart", session.debut)
        evenement.add("dtend", session.fin)
        titre = version.titre
        if version.nombre_seances > 1:
            titre += f" (séance {session.numero}/{version.nombre_seances})"
        evenement.add("summary", titre)
        lieu = session.lieu
        evenement.add(
            "location", f"{lieu.nom}, {lieu.adresse}, {lieu.code_postal} {lieu.commune.nom}"
        )
        evenement.add(
            "description",
            f"{version.objectifs}\nPublic\u00a0: {version.public_cible}. Gratuit. "
            f"Places restantes\u00a0: {session.restantes}.",
        )
        evenement.add("url", request.build_absolute_uri(reverse("structures:lieu", args=[lieu.pk])))
        calendrier.add_component(evenement)
    reponse = HttpResponse(calendrier.to_ical(), content_type="text/calendar; charset=utf-8")
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
