"""Rate limits: how often one client, or one target, may call a costly or mailing page.

Counted in the project's cache (Redis in production): by django-ratelimit for the pages,
by DRF's throttles for the API. The client is the address django-axes records, read in one
place (``adresse_ip``, django-axes' ``AXES_CLIENT_IP_CALLABLE``) for the lockout and the
limits. Rates are settings (``"5/h"``: a count, then ``s``, ``m``, ``h`` or ``d``), read at
each request.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import unicodedata

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


def adresse_ip(request) -> str:
    """The client's IP address (``AXES_CLIENT_IP_CALLABLE``): ``REMOTE_ADDR``, or behind
    ``PROXY_COUNT`` reverse proxies the address the farthest of them saw, which each
    appends to ``X-Forwarded-For``; what the client wrote there itself is ignored."""
    distante = request.META.get("REMOTE_ADDR", "")
    mandataires = settings.AXES_IPWARE_PROXY_COUNT or 0
    transmises = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if mandataires <= 0 or not transmises:
        return distante
    adresses = [a.strip() for a in transmises.split(",")]
    candidate = adresses[-min(mandataires, len(adresses))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:  # not written by a proxy of ours
        return distante


def adresse_du_client(groupe: str, request) -> str:
    """django-ratelimit key: the client's address as django-axes reads it; an IPv6
    address by its /64 network, which one subscriber holds whole."""
    adresse = get_client_ip_address(getattr(request, "_request", request)) or ""
    try:
        ip = ipaddress.ip_address(adresse)
    except ValueError:
        return adresse
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def champ_normalise(nom: str):
    """django-ratelimit key: a posted field, trimmed and compared as accounts compare
    e-mails (NFKC, case-folded), so that ``User@…`` and ``user@…`` share one counter."""

    def cle(groupe: str, request) -> str:
        valeur = request.POST.get(nom, "")
        return unicodedata.normalize("NFKC", valeur).casefold().strip()

    return cle


def _taux(reglage: str):
    return lambda groupe, request: getattr(settings, reglage)


def attente(request, groupe: str, cle, reglage: str) -> int | None:
    """Count this request against ``groupe``; the seconds to wait when it is over the rate
    in setting ``reglage``, None otherwise (or when the cache cannot count: fail open)."""
    usage = get_usage(request, group=groupe, key=cle, rate=_taux(reglage), increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)


def en_clair(secondes: int) -> str:
    """``45 min``, ``1 h``, ``2 h 30``: a wait, rounded up to the minute."""
    minutes = max(1, math.ceil(secondes / 60))
    heures, reste = divmod(minutes, 60)
    if not heures:
        return f"{minutes}\u00a0min"
    return f"{heures}\u00a0h {reste:02d}" if reste else f"{heures}\u00a0h"


def reponse_trop_de_demandes(request, message: str, secondes: int):
    """The 429 page: what was refused, when to try again."""
    reponse = render(
        request,
        "commun/trop_de_demandes.html",
        {"message": message, "delai": en_clair(secondes)},
        status=429,
    )
    reponse["Retry-After"] = str(secondes)
    return reponse


def limiter(groupe: str, limites, message: str, methodes=("GET", "POST")):
    """View decorator: each ``(key, setting)`` of ``limites`` counts the request; over
    one of them, the 429 page with ``message``, and the view does not run."""

    def decorateur(vue):
        @functools.wraps(vue)
        def limitee(request, *args, **kwargs):
            if request.method in methodes:
                for cle, reglage in limites:
                    secondes = attente(request, groupe, cle, reglage)
                    if secondes is not None:
                        return reponse_trop_de_demandes(request, message, secondes)
            return vue(request, *args, **kwargs)

        return limitee

    return decorateur


class LimiteParPortee(ScopedRateThrottle):
    """DRF throttle of the views with a ``throttle_scope``: per account, or per client
    address (the one django-axes reads) without one. The rate is read at each request
    from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``."""

    @property
    def THROTTLE_RATES(self):  # DRF reads this name
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request):
        return adresse_du_client("", request)


# The forgotten-password form (comptes) sends an e-mail: per client address, and per
# address asked for, whether or not an account has it (the refusal tells nothing of it).
reinitialisation = limiter(
    "reinitialisation",
    [
        (adresse_du_client, "LIMITE_REINITIALISATION_PAR_ADRESSE"),
        (champ_normalise("email"), "LIMITE_REINITIALISATION_PAR_COURRIEL"),
    ],
    "Vous avez demandé beaucoup de liens de réinitialisation du mot de passe en peu de "
    "temps. Un lien déjà reçu reste valable\u00a0: cherchez-le dans votre messagerie, y "
    "compris parmi les courriels indésirables.",
    methodes=("POST",),
)
