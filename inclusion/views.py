from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from commun.erreurs import reponse_d_erreur
from comptes.permissions import ESPACES


@login_not_required
@require_GET
def accueil(request):
    espace = None
    if request.user.is_authenticated:
        espace = ESPACES.get(request.user.role) or (
            "admin:index" if request.user.is_staff else None
        )
    return render(request, "accueil.html", {"espace": espace})


@login_not_required
@never_cache
@require_GET
def sante(request):
    """Liveness and database check for the reverse proxy and docker-compose."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        base = "ok"
    except Exception:
        base = "indisponible"
    statut = 200 if base == "ok" else 503
    return JsonResponse(
        {"statut": "ok" if statut == 200 else "degrade", "base": base}, status=statut
    )


# A client of the API reading ``detail`` should not get an HTML page for an unknown
# address or a crash.
MESSAGES_API = {
    400: "Requête invalide.",
    403: "Vous n'avez pas accès à cette ressource.",
    404: "Ressource introuvable.",
    500: "Erreur interne du serveur : l'équipe technique est prévenue. Réessayez plus tard.",
}


def _erreur(request, gabarit: str, statut: int):
    return reponse_d_erreur(request, gabarit, statut, MESSAGES_API[statut])


@login_not_required
def erreur_400(request, exception=None):
    # a page of its own, without the layout: the request may be one whose host or
    # headers cannot be read (an unknown host is a 400 too)
    return _erreur(request, "erreurs/400.html", 400)


@login_not_required
def erreur_csrf(request, reason=""):
    """``CSRF_FAILURE_VIEW``: a form sent without its security token, or with an old one."""
    return render(request, "erreurs/403_csrf.html", status=403)


@login_not_required
def erreur_403(request, exception=None):
    return _erreur(request, "erreurs/403.html", 403)


@login_not_required
def erreur_404(request, exception=None):
    return _erreur(request, "erreurs/404.html", 404)


@login_not_required
def erreur_500(request):
    return _erreur(request, "erreurs/500.html", 500)
