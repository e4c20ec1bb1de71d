"""``Authorization: Token <jeton>`` for the API: django-rest-knox's hashed tokens, refused
once expired, with French messages, and their last use noted at most once a minute."""

from __future__ import annotations

from datetime import timedelta
from hmac import compare_digest

from django.utils import formats, timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

from .models import JetonApi

# the last use of a token is written at most this often (one UPDATE, no extra read)
INTERVALLE_USAGE = timedelta(minutes=1)


class JetonAuthentication(TokenAuthentication):
    """Knox's token authentication, which it follows, except that an expired token is
    refused with its own message and kept (its owner sees it expired in their space), and
    that the other tokens of the account are not read on each request."""

    def authenticate(self, request):
        entete = get_authorization_header(request).split()
        if not entete or entete[0].lower() != self.authenticate_header(request).lower().encode():
            return None
        if len(entete) != 2:
            raise exceptions.AuthenticationFailed(
                "En-tête d'authentification invalide\u00a0: écrivez «\u202fToken\u202f», une "
                "espace, puis le jeton."
            )
        try:
            jeton = entete[1].decode("ascii")
        except UnicodeDecodeError as erreur:
            raise exceptions.AuthenticationFailed("Jeton invalide ou révoqué.") from erreur
        return self.authenticate_credentials(jeton)

    def authenticate_credentials(self, jeton):
        if isinstance(jeton, bytes):  # knox's signature
            jeton = jeton.decode("ascii", errors="replace")
        empreinte = hash_token(jeton)
        candidats = JetonApi.objects.filter(
            token_key=jeton[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user")
        trouve = next((j for j in candidats if compare_digest(empreinte, j.digest)), None)
        if trouve is None:
            raise exceptions.AuthenticationFailed("Jeton invalide ou révoqué.")
        maintenant = timezone.now()
        if trouve.expiry <= maintenant:
            date = formats.date_format(timezone.localtime(trouve.expiry), "j F Y")
            raise exceptions.AuthenticationFailed(
                f"Ce jeton a expiré le {date}\u00a0: demandez-en un nouveau (POST /api/v1/jeton/, "
                "ou «\u202fJetons d'API\u202f» dans votre espace)."
            )
        if not trouve.user.is_active:
            raise exceptions.AuthenticationFailed("Ce compte est désactivé.")
        noter_usage(trouve, maintenant)
        return trouve.user, trouve


def noter_usage(jeton: JetonApi, maintenant) -> None:
    """The token's last use, written at most once per ``INTERVALLE_USAGE``."""
    if jeton.dernier_usage is None or maintenant - jeton.dernier_usage >= INTERVALLE_USAGE:
        JetonApi.objects.filter(pk=jeton.pk).update(dernier_usage=maintenant)
        jeton.dernier_usage = maintenant


class JetonAuthentificationSchema(OpenApiAuthenticationExtension):
    """The API schema describes the token header as before (``tokenAuth``)."""

    target_class = JetonAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Jeton d'API précédé de «\u202fToken\u202f»\u00a0: "
            "`Authorization: Token <jeton>`. Il expire\u202f; POST /api/v1/jeton/ en donne un.",
        }
