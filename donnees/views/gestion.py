"""The coordinators' page of the partners' websites allowed to embed the map and the
agenda (``/gestion/integration/``)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from comptes.permissions import exiger_gestion_comptes

from ..forms.gestion import OrigineForm
from ..models import OrigineIntegration


def _exiger(user) -> None:
    # the coordinators (and the technical team): those who manage the territory's accounts
    exiger_gestion_comptes(user)


@require_http_methods(["GET", "POST"])
def integration(request):
    _exiger(request.user)
    formulaire = OrigineForm(request.POST or None)
    if request.method == "POST" and formulaire.is_valid():
        with transaction.atomic():
            origine = formulaire.save(commit=False)
            origine.ajoutee_par = request.user
            origine.save()
        messages.success(
            request,
            f"Le site {origine.origine} ({origine.partenaire}) peut intégrer la carte et l'agenda.",
        )
        return redirect("donnees:integration")
    origines = OrigineIntegration.objects.select_related("ajoutee_par")
    return render(
        request,
        "donnees/gestion/integration.html",
        {"formulaire": formulaire, "origines": origines},
        status=400 if formulaire.errors else 200,
    )


@require_POST
def retirer(request, pk: int):
    _exiger(request.user)
    origine = get_object_or_404(OrigineIntegration, pk=pk)
    with transaction.atomic():
        origine.delete()
    messages.success(
        request, f"Le site {origine.origine} ne peut plus intégrer la carte ni l'agenda."
    )
    return redirect("donnees:integration")
