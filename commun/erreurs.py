"""One refusal, two audiences: JSON for the API's clients, a French page for people."""

from django.http import JsonResponse
from django.shortcuts import render


def reponse_d_erreur(request, gabarit: str, statut: int, message: str, contexte=None):
    """``{"detail": message}`` under /api/, as DRF answers the errors it raises itself;
    the page ``gabarit`` elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=statut)
    return render(request, gabarit, contexte, status=statut)
