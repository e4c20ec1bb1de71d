"""Locking after repeated failed logins (django-axes): the messages and the response."""

from django.conf import settings

from commun.erreurs import reponse_d_erreur

from .models import normaliser_courriel


def normaliser_identifiant(valeur) -> str:
    """The login e-mail as accounts store it (``User.email``): trimmed, lower-case."""
    return normaliser_courriel(str(valeur or ""))


def identifiant(request, credentials=None) -> str:
    """``AXES_USERNAME_CALLABLE``: the failures of ``user@…``, ``User@…`` and ``uSER@…``
    count against one account, on the login form, the API token and anywhere else."""
    champ = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normaliser_identifiant(credentials.get(champ))
    donnees = getattr(request, "POST", None) or {}
    return normaliser_identifiant(donnees.get(champ))


def minutes_de_verrouillage() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def message_verrouillage() -> str:
    return (
        "Trop de tentatives de connexion infructueuses\u00a0: ce compte est bloqué pendant "
        f"{minutes_de_verrouillage()} minutes."
    )


def reponse_verrouillage(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: JSON under /api/, the French page elsewhere, both 429."""
    message = message_verrouillage()
    return reponse_d_erreur(
        request, "comptes/public/verrouille.html", 429, message, {"message": message}
    )
