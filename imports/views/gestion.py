"""The back-office imports: history, upload and preview, confirmation, progress, result
and refused rows. Coordinators (their territory's imports) and staff; another territory's
import answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commun.pagination import paginer

from .. import permissions, services
from ..enums import EtatImport, TypeImport
from ..forms.gestion import ConfirmationForm, DepotForm

IMPORTS_PAR_PAGE = 30
TITRES = {
    TypeImport.LIEUX: "Importer des lieux de médiation numérique",
    TypeImport.ACTIVITES: "Importer des comptes rendus d'activité",
    TypeImport.INDICATEURS: "Importer des indicateurs de fragilité numérique",
    TypeImport.INDICE_PUBLIE: "Importer l'indice publié par La Mednum",
    TypeImport.CONTOURS: "Importer des contours",
}
DESCRIPTIONS = {
    TypeImport.LIEUX: "Standard national des lieux de médiation numérique (v1.0.2 ou v0, "
    "CSV ou JSON) ou liste des France Services de l'ANCT.",
    TypeImport.ACTIVITES: "Comptes rendus d'activité des conseillers\u00a0: CSV du portail ou "
    "export XLSX de La Coop de la médiation numérique.",
    TypeImport.INDICATEURS: "Valeurs d'indicateurs de fragilité numérique (CSV niveau, code, "
    "indicateur, valeur, millesime, source).",
    TypeImport.INDICE_PUBLIE: "Indice de fragilité numérique publié par La Mednum, par IRIS "
    "(CSV séparé par des points-virgules).",
    TypeImport.CONTOURS: "Contours GeoJSON de communes, d'IRIS ou de quartiers.",
}


@require_GET
def liste(request):
    permissions.exiger_import(request.user)
    imports = permissions.imports_visibles(request.user).select_related("cree_par")
    etat = request.GET.get("etat", "")
    if etat in EtatImport.values:
        imports = imports.filter(etat=etat)
    page = paginer(imports.order_by("-cree_le", "-pk"), request.GET, IMPORTS_PAR_PAGE)
    return render(
        request,
        "imports/gestion/liste.html",
        {"page": page, "etat": etat, "etats": EtatImport.choices},
    )


@require_http_methods(["GET", "POST"])
def nouveau(request):
    """Without ``?type=``, the kinds of file; with it, the upload form of that kind."""
    permissions.exiger_import(request.user)
    type = request.GET.get("type", "")
    if type not in TypeImport.values:
        if request.method == "POST":
            raise Http404("Type d'import inconnu.")
        return render(
            request,
            "imports/gestion/types.html",
            {"types": [(t, DESCRIPTIONS[t]) for t in TypeImport]},
        )
    type = TypeImport(type)
    form = DepotForm(request.POST or None, request.FILES or None, type=type, user=request.user)
    if request.method == "POST" and form.is_valid():
        import_ = services.deposer(
            par=request.user,
            type=type,
            fichier=form.cleaned_data["fichier"],
            options=form.options(),
        )
        return redirect("imports:import", import_.pk)
    return render(
        request,
        "imports/gestion/nouveau.html",
        {"form": form, "type": type, "titre": TITRES[type], "description": DESCRIPTIONS[type]},
        status=400 if form.is_bound else 200,
    )


@require_GET
def detail(request, pk: int):
    """The preview (to confirm), the progress, or the result, by the import's state."""
    import_ = permissions.import_visible_ou_404(request.user, pk)
    return render(
        request,
        "imports/gestion/import.html",
        {
            "import": import_,
            "apercu": import_.apercu,
            "resultat": import_.apercu.get("resultat"),
            "progression": {"etape": "", "fait": 0, "total": 0, **import_.progression},
            "partiel_possible": import_.type in services.PARTIELS,
            "form": ConfirmationForm(),
        },
    )


@require_POST
def confirmer(request, pk: int):
    import_ = permissions.import_visible_ou_404(request.user, pk)
    form = ConfirmationForm(request.POST)
    form.is_valid()
    if import_.etat != EtatImport.ANALYSE or import_.apercu.get("refuse"):
        messages.error(request, "Cet import ne peut plus être lancé.")
    elif not services.confirmer(import_=import_, partiel=form.cleaned_data.get("partiel", False)):
        messages.error(request, "Cet import est déjà lancé.")
    return redirect("imports:import", import_.pk)


@require_GET
def etat(request, pk: int):
    """The state the progress page polls."""
    import_ = permissions.import_visible_ou_404(request.user, pk)
    return JsonResponse(
        {
            "etat": import_.etat,
            "libelle": import_.get_etat_display(),
            "fini": import_.fini,
            "progression": import_.progression,
            "url": reverse("imports:import", args=[import_.pk]),
        }
    )


@require_GET
def rejets(request, pk: int):
    import_ = permissions.import_visible_ou_404(request.user, pk)
    if not import_.rejets:
        raise Http404("Cet import n'a pas de lignes refusées.")
    with import_.rejets.open("rb") as fichier:
        contenu = fichier.read()
    reponse = HttpResponse(contenu, content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="lignes-refusees-{import_.pk}.csv"'
    return reponse
