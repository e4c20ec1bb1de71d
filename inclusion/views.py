from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from commun.erreurs import reponse_d_erreur
from comptes.permissions import ESPACES

from .context_processors import etat_accessibilite


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
    500: "Erreur interne du serveur\u00a0: l'équipe technique est prévenue. Réessayez plus tard.",
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


# -- legal pages, linked from every footer (../shared/REDACTION.md) ------------------------


@login_not_required
@require_GET
def mentions_legales(request):
    return render(request, "legal/mentions_legales.html", {"legal": _legal()})


@login_not_required
@require_GET
def accessibilite(request):
    taux = settings.PORTAIL_ACCESSIBILITE_TAUX
    return render(
        request,
        "legal/accessibilite.html",
        {"legal": _legal(), "etat": etat_accessibilite(taux), "taux": taux},
    )


@login_not_required
@require_GET
def donnees_personnelles(request):
    import markdown

    registre = (Path(settings.BASE_DIR) / "docs" / "rgpd.md").read_text(encoding="utf-8")
    # the register's own title is the page's; its sections start at level 2
    registre = registre.split("\n", 1)[1] if registre.startswith("# ") else registre
    html = markdown.markdown(registre, extensions=["tables"], output_format="html")
    # each table scrolls in its own box on a phone, reachable by keyboard and named after
    # its section
    sections = []
    for section in html.split("<h2>"):
        titre = escape(strip_tags(section.split("</h2>", 1)[0])) if "</h2>" in section else ""
        boite = f'<div class="table-responsive" tabindex="0" role="region" aria-label="{titre}">'
        sections.append(
            section.replace("<table>", boite + '<table class="table table-sm">').replace(
                "</table>", "</table></div>"
            )
        )
    html = "<h2>".join(sections)
    return render(
        request,
        "legal/donnees_personnelles.html",
        {"legal": _legal(), "registre": mark_safe(html)},  # noqa: S308 - our own file
    )


def _legal() -> dict:
    return {
        "editeur": settings.PORTAIL_EDITEUR,
        "adresse": settings.PORTAIL_EDITEUR_ADRESSE,
        "direction": settings.PORTAIL_DIRECTION_PUBLICATION,
        "hebergeur": settings.PORTAIL_HEBERGEUR,
        "dpo": settings.PORTAIL_DPO,
        "contact": settings.PORTAIL_CONTACT,
        "audit": settings.PORTAIL_ACCESSIBILITE_AUDIT,
        "schema": settings.PORTAIL_ACCESSIBILITE_SCHEMA,
    }
