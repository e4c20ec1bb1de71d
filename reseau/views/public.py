"""The unsubscribe page of the network's mailings: no login, the signed link is enough.
Opening the link changes nothing (mail filters open links); the button records it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .. import services
from ..models import Desinscription


@login_not_required
@require_http_methods(["GET", "POST"])
def desinscription(request, jeton: str):
    courriel = services.lire_jeton(jeton)
    etat = "invalide"
    if courriel:
        if request.method == "POST":
            services.desinscrire(courriel=courriel)
            etat = "fait"
        elif Desinscription.objects.filter(courriel=courriel).exists():
            etat = "deja"
        else:
            etat = "a_confirmer"
    return render(
        request,
        "reseau/public/desinscription.html",
        {"courriel": courriel, "etat": etat},
        status=404 if etat == "invalide" and request.method == "POST" else 200,
    )
