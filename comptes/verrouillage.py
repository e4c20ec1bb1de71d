"""The answer to a locked-out login attempt (django-axes ``AXES_LOCKOUT_CALLABLE``)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render


def message_verrouillage() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "Trop de tentatives de connexion infructueuses : ce compte est bloqué pendant "
        f"{minutes} minutes."
    )


def reponse_verrouillage(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message_verrouillage()}, status=429)
    return render(
        request,
        "comptes/verrouille.html",
        {"cooloff_time_minutes": minutes, "message": message_verrouillage()},
        status=429,
    )
