"""Rows of the POST matrix (tests/test_acces_post.py) for the network: coordinators of the
territory and staff write; another territory's coordinator does not find Le Mans' contacts
and groups (404); anyone with the signed link unsubscribes its address."""

from __future__ import annotations

from django.urls import reverse

from reseau.models import Contact, Desinscription, Envoi, Groupe
from reseau.services import jeton_de_desinscription
from tests.conftest import ROLES
from tests.matrice_post import OK, Cas, Fait, attendus
from tests.matrice_post import Envoi as EnvoiMatrice
from tests.reseau.acces import contact_du_mans, groupe_de_la_metropole
from tests.structures.factories import StructureFactory

GESTION = attendus(coordinateur=OK, coordinateur_autre_territoire=OK, staff=OK)
GESTION_OBJET = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)


def _desinscription(e: EnvoiMatrice) -> Cas:
    return Cas(
        reverse("reseau:desinscription", args=[jeton_de_desinscription("lea@exemple.test")]),
        {},
        lambda: Desinscription.objects.filter(courriel="lea@exemple.test").exists(),
    )


def _creer_contact(e: EnvoiMatrice) -> Cas:
    # a structure of each coordinator's territory: both may add a contact to their own
    commune = e.geo["angers_commune"] if e.role == "coordinateur_autre_territoire" else None
    structure = StructureFactory(commune=commune or e.geo["le_mans"])
    return Cas(
        reverse("reseau:creer_contact"),
        {
            "structure": structure.pk,
            "prenom": "Léa",
            "nom": "Matrice",
            "courriel": "lea.matrice@exemple.test",
            "telephone": "02 43 47 47 47",
            "base_legale": "consentement",
            "base_legale_le": "2026-12-01",
        },
        lambda: Contact.objects.tous().filter(nom="Matrice").exists(),
    )


def _modifier_contact(e: EnvoiMatrice) -> Cas:
    contact = contact_du_mans(e.geo)
    return Cas(
        reverse("reseau:modifier_contact", args=[contact.pk]),
        {
            "structure": contact.structure_id,
            "prenom": "Léa",
            "nom": "Corrigée",
            "courriel": contact.courriel,
            "base_legale": "mission",
            "base_legale_le": "2026-12-01",
        },
        lambda: Contact.objects.tous().get(pk=contact.pk).nom == "Corrigée",
    )


def _supprimer_contact(e: EnvoiMatrice) -> Cas:
    contact = contact_du_mans(e.geo)
    return Cas(
        reverse("reseau:supprimer_contact", args=[contact.pk]),
        {},
        lambda: not Contact.objects.tous().filter(pk=contact.pk).exists(),
    )


def _creer_groupe(e: EnvoiMatrice) -> Cas:
    return Cas(
        reverse("reseau:groupes"),
        {"nom": "Groupe de la matrice", "nature": "groupe_de_travail", "description": ""},
        lambda: Groupe.objects.tous().filter(nom="Groupe de la matrice").exists(),
    )


def _modifier_groupe(e: EnvoiMatrice) -> Cas:
    groupe = groupe_de_la_metropole(e.geo)
    contact = contact_du_mans(e.geo)
    return Cas(
        reverse("reseau:groupe", args=[groupe.pk]),
        {
            "groupe-nom": "Collectif renommé",
            "groupe-nature": "reseau",
            "groupe-description": "",
            "membres-membres": [contact.pk],
        },
        lambda: list(Groupe.objects.tous().get(pk=groupe.pk).membres.all()) == [contact],
    )


def _ecrire(action: str):
    def construire(e: EnvoiMatrice) -> Cas:
        commune = e.geo["angers_commune"] if e.role == "coordinateur_autre_territoire" else None
        from tests.reseau.factories import ContactFactory

        ContactFactory(
            structure=StructureFactory(commune=commune or e.geo["le_mans"], typologies=["CCAS"]),
            courriel="ccas@exemple.test",
        )
        return Cas(
            reverse("reseau:ecrire"),
            {
                "audience": "typologie",
                "typologie": "CCAS",
                "sujet": "Réunion du réseau",
                "texte": "Bonjour, la réunion aura lieu mardi.",
                "action": action,
            },
            (lambda: Envoi.objects.tous().filter(sujet="Réunion du réseau").exists())
            if action == "envoyer"
            else (lambda: True),
        )

    return construire


LIGNES: dict = {
    ("reseau:desinscription", ""): (_desinscription, dict.fromkeys(ROLES, Fait(200))),
    ("reseau:creer_contact", ""): (_creer_contact, GESTION),
    ("reseau:modifier_contact", ""): (_modifier_contact, GESTION_OBJET),
    ("reseau:supprimer_contact", ""): (_supprimer_contact, GESTION_OBJET),
    ("reseau:groupes", ""): (_creer_groupe, GESTION),
    ("reseau:groupe", ""): (_modifier_groupe, GESTION_OBJET),
    ("reseau:ecrire", "envoyer"): (_ecrire("envoyer"), GESTION),
    # the preview writes nothing: every role that reaches the page sees the count (200)
    ("reseau:ecrire", "apercu"): (
        _ecrire("apercu"),
        attendus(coordinateur=200, coordinateur_autre_territoire=200, staff=200),
    ),
}
