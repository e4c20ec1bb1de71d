"""Writes of the network: contacts and groups, mailings (one message per recipient, each
with its own unsubscribe link, sent by a Celery task) and opt-outs."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from structures.enums import Programme, Typologie
from structures.fields import ListeChoixField

from . import permissions
from .enums import Audience
from .models import Contact, Desinscription, Envoi, Groupe

journal = logging.getLogger(__name__)

SEL_DESINSCRIPTION = "reseau.desinscription"
# messages sent per transaction: a server that fails midway leaves the rest for the retry
PAR_LOT = 50


@dataclass(frozen=True)
class Cible:
    """Whom a mailing is for: an audience and, for some, its typology, programme or group."""

    audience: str
    typologie: str = ""
    programme: str = ""
    groupe: Groupe | None = None

    @property
    def libelle(self) -> str:
        if self.audience == Audience.REFERENTS:
            return "Tous les référents des structures"
        if self.audience == Audience.TYPOLOGIE:
            return f"Structures de typologie «\u202f{Typologie(self.typologie).label}\u202f»"
        if self.audience == Audience.PROGRAMME:
            return f"Structures du dispositif «\u202f{Programme(self.programme).label}\u202f»"
        return f"Membres du groupe «\u202f{self.groupe.nom}\u202f»"


def adresses(*, user, cible: Cible) -> list[str]:
    """The addresses a mailing of ``user`` to ``cible`` goes to: within the user's
    territory, each once, lower-case, without the addresses that opted out."""
    referents = permissions.referents_visibles(user)
    # the contacts of an archived structure (a merged duplicate, a closed one) get nothing
    contacts = permissions.contacts_visibles(user).filter(structure__archivee_le__isnull=True)
    if cible.audience == Audience.REFERENTS:
        liste = set(referents.values_list("email", flat=True))
    elif cible.audience in (Audience.TYPOLOGIE, Audience.PROGRAMME):
        champ, code = (
            ("typologies", cible.typologie)
            if cible.audience == Audience.TYPOLOGIE
            else ("programmes", cible.programme)
        )
        structures = (
            permissions.structures_du_reseau(user)
            .actives()
            .filter(ListeChoixField.contient(champ, code))
        )
        liste = set(
            contacts.filter(structure__in=structures.values("pk")).values_list(
                "courriel", flat=True
            )
        ) | set(
            referents.filter(structures__in=structures.values("pk")).values_list("email", flat=True)
        )
    else:
        liste = set(contacts.filter(groupes=cible.groupe).values_list("courriel", flat=True))
    liste = {adresse.strip().lower() for adresse in liste if adresse and adresse.strip()}
    desinscrits = set(
        Desinscription.objects.filter(courriel__in=liste).values_list("courriel", flat=True)
    )
    return sorted(liste - desinscrits)


def territoire_de(user) -> dict:
    """The first territory of ``user`` (a mailing or a group belongs to it); none for the
    technical team, whose rows only the national accounts see."""
    premier = user.territoires.order_by("pk").first() if user.is_authenticated else None
    if premier is None:
        return {}
    return {
        "commune_id": premier.commune_id,
        "epci_id": premier.epci_id,
        "departement_id": premier.departement_id,
    }


@transaction.atomic
def enregistrer_contact(*, contact: Contact, groupes) -> Contact:
    contact.full_clean()
    contact.save()
    contact.groupes.set(groupes)
    return contact


@transaction.atomic
def creer_groupe(*, par, nom: str, nature: str, description: str = "") -> Groupe:
    groupe = Groupe(nom=nom, nature=nature, description=description, **territoire_de(par))
    groupe.full_clean()
    groupe.save()
    return groupe


@transaction.atomic
def envoyer_message(*, par, cible: Cible, sujet: str, texte: str) -> Envoi:
    """Log the mailing and queue its messages, once the transaction is committed."""
    liste = adresses(user=par, cible=cible)
    if not liste:
        raise ValidationError(
            "Aucun destinataire\u00a0: personne dans ce public n'a d'adresse électronique, ou "
            "toutes se sont désinscrites. Choisissez un autre public.",
            code="vide",
        )
    envoi = Envoi(
        auteur=par,
        sujet=sujet,
        texte=texte,
        audience=cible.audience,
        audience_libelle=cible.libelle,
        nombre_destinataires=len(liste),
        adresses=liste,
        **territoire_de(par),
    )
    envoi.full_clean()
    envoi.save()
    transaction.on_commit(lambda: lancer_envoi(envoi.pk))
    return envoi


def lancer_envoi(pk: int) -> None:
    """Queue the mailing for a worker; with the broker down, send it from here."""
    from .tasks import servir_envoi

    try:
        servir_envoi.delay(pk)
    except OperationalError:
        journal.warning("courtier Celery injoignable : envoi %s servi directement", pk)
        servir_envoi.apply(args=[pk])


def jeton_de_desinscription(courriel: str) -> str:
    return signing.dumps(courriel.strip().lower(), salt=SEL_DESINSCRIPTION)


def lire_jeton(jeton: str) -> str | None:
    """The address of an unsubscribe link, or None when the link was forged or damaged."""
    try:
        courriel = signing.loads(jeton, salt=SEL_DESINSCRIPTION)
    except signing.BadSignature:
        return None
    return courriel if isinstance(courriel, str) and "@" in courriel else None


def lien_de_desinscription(courriel: str) -> str:
    chemin = reverse("reseau:desinscription", args=[jeton_de_desinscription(courriel)])
    return f"{settings.PORTAIL_URL.rstrip('/')}{chemin}"


def _message(envoi: Envoi, adresse: str) -> EmailMessage:
    lien = lien_de_desinscription(adresse)
    texte = render_to_string(
        "reseau/courriels/envoi.txt",
        {
            "texte": envoi.texte,
            "auteur": envoi.auteur,
            "portail": settings.PORTAIL_NOM,
            "territoire": settings.PORTAIL_TERRITOIRE,
            "public": envoi.audience_libelle,
            "lien": lien,
        },
    )
    return EmailMessage(
        envoi.sujet,
        texte,
        to=[adresse],
        reply_to=[envoi.auteur.email] if envoi.auteur else None,
        headers={"List-Unsubscribe": f"<{lien}>"},
    )


def servir_envoi(pk: int) -> int:
    """Send the mailing's messages by batches, each batch in its own transaction: the
    addresses served leave the list, so that a retry after a failure resumes where it
    stopped. Addresses that opted out since are skipped. The number of messages sent."""
    total = 0
    while True:
        with transaction.atomic():
            envoi = (
                Envoi.objects.tous()
                .select_for_update(of=("self",))
                .select_related("auteur")
                .get(pk=pk)
            )
            if not envoi.adresses:
                if envoi.termine_le is None:
                    envoi.termine_le = timezone.now()
                    envoi.save(update_fields=["termine_le"])
                return total
            lot, reste = envoi.adresses[:PAR_LOT], envoi.adresses[PAR_LOT:]
            desinscrits = set(
                Desinscription.objects.filter(courriel__in=lot).values_list("courriel", flat=True)
            )
            messages = [_message(envoi, a) for a in lot if a not in desinscrits]
            envoyes = get_connection().send_messages(messages) if messages else 0
            envoi.adresses = reste
            envoi.nombre_envoyes += envoyes or 0
            envoi.save(update_fields=["adresses", "nombre_envoyes"])
            total += envoyes or 0


@transaction.atomic
def desinscrire(*, courriel: str) -> bool:
    """Record the opt-out of ``courriel``; False if it was already recorded."""
    _objet, cree = Desinscription.objects.get_or_create(courriel=courriel.strip().lower())
    return cree


@transaction.atomic
def enregistrer_groupe(*, groupe: Groupe, membres, contacts_visibles) -> Groupe:
    """Save the group; its members among ``contacts_visibles`` become ``membres`` (the
    members from other territories, which the user does not see, stay)."""
    groupe.full_clean()
    groupe.save()
    groupe.membres.remove(*groupe.membres.filter(pk__in=contacts_visibles.values("pk")))
    groupe.membres.add(*membres)
    return groupe
