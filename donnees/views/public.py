"""The open-data page and its feeds: anybody, no account, no cookie set."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import catalogue as dcat
from .. import flux


def _url_du_lieu(request):
    return lambda pk: request.build_absolute_uri(reverse("structures:lieu", args=[pk]))


def _lieux(request, format: str, type_: str):
    try:
        corps = flux.corps_des_lieux(format, request.GET)
    except flux.FiltreInvalide as erreur:
        return HttpResponse(
            f"Filtre refusé\u00a0: {erreur}.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return flux.reponse(request, corps, type_=type_, nom_de_fichier=f"lieux.{format}")


@login_not_required
@require_GET
def lieux_csv(request):
    return _lieux(request, "csv", "text/csv; charset=utf-8")


@login_not_required
@require_GET
def lieux_json(request):
    return _lieux(request, "json", "application/json")


def _agenda(request, format: str, type_: str):
    corps = flux.corps_de_l_agenda(
        format, hote=request.get_host().split(":")[0], url_du_lieu=_url_du_lieu(request)
    )
    return flux.reponse(request, corps, type_=type_, nom_de_fichier=f"agenda.{format}")


@login_not_required
@require_GET
def agenda_ics(request):
    return _agenda(request, "ics", "text/calendar; charset=utf-8")


@login_not_required
@require_GET
def agenda_json(request):
    return _agenda(request, "json", "application/json")


@login_not_required
@require_GET
def data_inclusion_structures(request):
    corps = flux.corps_data_inclusion("structures")
    return flux.reponse(request, corps, type_="application/json", nom_de_fichier="structures.json")


@login_not_required
@require_GET
def data_inclusion_services(request):
    corps = flux.corps_data_inclusion("services")
    return flux.reponse(request, corps, type_="application/json", nom_de_fichier="services.json")


@login_not_required
@require_GET
def catalogue(request):
    objet = dcat.catalogue(request.build_absolute_uri)
    contenu = json.dumps(objet, ensure_ascii=False, indent=1).encode("utf-8")
    corps = flux.empreinte("catalogue", contenu)
    return flux.reponse(request, corps, type_="application/ld+json", nom_de_fichier="data.json")


@login_not_required
@require_GET
def accueil(request):
    return render(
        request,
        "donnees/public/donnees.html",
        {
            "jeux": [
                {
                    "identifiant": identifiant,
                    "titre": titre,
                    "description": description,
                    "fichiers": [{"url": reverse(f.url), "lien": f.lien} for f in fichiers],
                }
                for identifiant, (titre, description, _, fichiers) in dcat.JEUX.items()
            ],
            "licence": flux.LICENCE,
            "licence_url": flux.LICENCE_URL,
        },
    )
