"""Locking after repeated failed logins (django-axes): the messages and the response."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def minutes_de_verrouillage() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def message_verrouillage() -> str:
    return (
        "Trop de tentatives de connexion infructueuses : ce compte est bloqué pendant "
        f"{minutes_de_verrouillage()} minutes."
    )


def reponse_verrouillage(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: JSON under /api/, the French page elsewhere, both 429."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message_verrouillage()}, status=429)
    return render(
        request, "comptes/verrouille.html", {"message": message_verrouillage()}, status=429
    )
