"""Rows of the POST matrix (tests/test_acces_post.py) for the list of the partners'
websites allowed to embed the map and the agenda: every coordinator and the technical
team add and remove them (the portal's own list, not a territory's data)."""

from __future__ import annotations

from django.urls import reverse

from donnees.models import OrigineIntegration, PartageStatistiques, PublicationStatistiques
from tests.conseillers.factories import ConseillerFactory
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


def _publier(e: Envoi) -> Cas:
    return Cas(
        reverse("donnees:statistiques_publiees"),
        {"territoire": "247200132", "chiffres": ["accompagnements"], "nombre_mois": "12"},
        lambda: PublicationStatistiques.objects.filter(territoire="247200132").exists(),
    )


def _modifier_publication(e: Envoi) -> Cas:
    publication = PublicationStatistiques.objects.create(
        territoire="247200132", nom="CU Le Mans Métropole", nombre_mois=12
    )

    def fait() -> bool:
        publication.refresh_from_db()
        return publication.nombre_mois == 24

    return Cas(
        reverse("donnees:modifier_publication", args=[publication.pk]),
        {"chiffres": ["accompagnements"], "nombre_mois": "24", "publiee": "on"},
        fait,
    )


def _profil(e: Envoi):
    return ConseillerFactory(commune=e.geo["le_mans"], user=e.comptes["conseiller"])


def _partager(e: Envoi) -> Cas:
    profil = _profil(e)
    return Cas(
        reverse("donnees:partages"),
        {"cible": f"conseiller:{profil.pk}"},
        lambda: PartageStatistiques.objects.filter(conseiller=profil).exists(),
    )


def _revoquer(e: Envoi) -> Cas:
    lien = PartageStatistiques.objects.create(conseiller=_profil(e))

    def fait() -> bool:
        lien.refresh_from_db()
        return lien.revoque_le is not None

    return Cas(reverse("donnees:revoquer_partage", args=[lien.pk]), fait=fait)


# a coordinator publishes its own territories: another territory's is refused by the form
PUBLIE = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=400)
MODIFIE = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)
# an advisor shares its own profile; a referent or staff posting it: the form again (400)
PARTAGE = attendus(conseiller=OK, referent=400, staff=400)
REVOQUE = attendus(conseiller=OK, referent=404, staff=404)

LIGNES: dict = {
    ("donnees:statistiques_publiees", ""): (_publier, PUBLIE),
    ("donnees:modifier_publication", ""): (_modifier_publication, MODIFIE),
    ("donnees:partages", ""): (_partager, PARTAGE),
    ("donnees:revoquer_partage", ""): (_revoquer, REVOQUE),
    ("donnees:integration", ""): (_ajouter, GERE),
    ("donnees:retirer_origine", ""): (_retirer, GERE),
}
