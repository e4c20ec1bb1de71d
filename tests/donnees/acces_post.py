"""Rows of the POST matrix (tests/test_acces_post.py) for the list of the partners'
websites allowed to embed the map and the agenda: every coordinator and the technical
team add and remove them (the portal's own list, not a territory's data)."""

from __future__ import annotations

from django.urls import reverse

from donnees.models import OrigineIntegration
from tests.matrice_post import OK, Cas, Envoi, attendus

GERE = attendus(coordinateur=OK, coordinateur_autre_territoire=OK, staff=OK)


def _ajouter(e: Envoi) -> Cas:
    return Cas(
        reverse("donnees:integration"),
        {"origine": "https://www.Yvre-LEveque.fr/agenda", "partenaire": "Mairie d'Yvré"},
        lambda: OrigineIntegration.objects.filter(origine="https://www.yvre-leveque.fr").exists(),
    )


def _retirer(e: Envoi) -> Cas:
    origine = OrigineIntegration.objects.create(
        origine="https://www.ville-exemple.fr", partenaire="Ville"
    )
    return Cas(
        reverse("donnees:retirer_origine", args=[origine.pk]),
        fait=lambda: not OrigineIntegration.objects.filter(pk=origine.pk).exists(),
    )


LIGNES: dict = {
    ("donnees:integration", ""): (_ajouter, GERE),
    ("donnees:retirer_origine", ""): (_retirer, GERE),
}
