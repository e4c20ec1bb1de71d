"""What every API view shares: the answer to an error the views do not catch themselves."""

from __future__ import annotations

import math

from django.db.models import ProtectedError, RestrictedError
from django.utils.text import capfirst
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.response import Response
from rest_framework.views import exception_handler

from .limites import en_clair


def _objets_lies(erreur: ProtectedError | RestrictedError) -> str:
    """``1 demande d'atelier, 3 séances d'atelier``: what still uses the object."""
    objets = (
        erreur.protected_objects
        if isinstance(erreur, ProtectedError)
        else erreur.restricted_objects
    )
    compte: dict[type, int] = {}
    for objet in objets:
        compte[type(objet)] = compte.get(type(objet), 0) + 1
    return ", ".join(
        f"{nombre} {modele._meta.verbose_name if nombre == 1 else modele._meta.verbose_name_plural}"
        for modele, nombre in sorted(compte.items(), key=lambda paire: paire[0].__name__)
    )


def gerer_exceptions(exc, context):
    """DRF's handler, plus a 409 for the deletion of an object that others still use
    (``on_delete=PROTECT``): the reason in French instead of a server error; a throttled
    request (429) says when to try again, in French."""
    if isinstance(exc, ProtectedError | RestrictedError):
        return Response(
            {
                "detail": capfirst(
                    "suppression impossible\u00a0: cet objet est encore utilisé par "
                    f"{_objets_lies(exc)}. Retirez-les ou rattachez-les ailleurs d'abord."
                )
            },
            status=status.HTTP_409_CONFLICT,
        )
    reponse = exception_handler(exc, context)
    if isinstance(exc, Throttled) and reponse is not None:
        attente = math.ceil(exc.wait) if exc.wait is not None else 60
        reponse.data = {
            "detail": f"Trop de requêtes en peu de temps\u00a0: réessayez dans {en_clair(attente)}."
        }
    return reponse


class CleTexteField(serializers.PrimaryKeyRelatedField):
    """A related object named by a text key (an INSEE code, a SIREN): a key holding a NUL
    is refused as an unknown one before the query (PostgreSQL refuses NUL in text and the
    lookup ended in a server error)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", pk_value=data.replace("\x00", "\\x00"))
        return super().to_internal_value(data)
