"""A referent's own structure: the public fields it corrects itself (name, contacts,
presentation…); its SIRET, typology, commune and labels stay the coordination's."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import permissions, services
from ..forms.gestion import StructureReferentForm


@require_http_methods(["GET", "POST"])
def modifier_ma_structure(request, pk: int):
    user = request.user
    structure = permissions.structure_du_referent_ou_404(user, pk)
    formulaire = StructureReferentForm(request.POST or None, instance=structure)
    if request.method == "POST" and formulaire.is_valid():
        services.enregistrer_structure(
            structure=formulaire.save(commit=False), par=user, referent=True
        )
        messages.success(
            request, f"Les informations de «\u202f{structure.nom}\u202f» sont enregistrées."
        )
        return redirect("comptes:espace_structure")
    return render(
        request,
        "structures/espace/structure_formulaire.html",
        {
            "structure": structure,
            "formulaire": formulaire,
            "lieux": structure.lieux.select_related("commune").order_by("nom", "pk"),
        },
    )
