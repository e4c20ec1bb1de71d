"""Rows of the POST matrix (tests/test_acces_post.py) for the accounts' back office and
the invitation link.

Coordinators act on the accounts of their territory, staff on every one; a coordinator of
another territory gets 404 for an account of Le Mans, and its form refuses Le Mans
Métropole as a territory (200, the form again, nothing written). The invitation link works
for whoever holds it, logged in or not, as a reset link does.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from comptes import services
from comptes.enums import Role
from comptes.models import Invitation, User
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.gestion_comptes.acces import compte_du_mans
from tests.matrice_post import OK, Cas, Envoi, attendus
from tests.structures.factories import StructureFactory

METROPOLE = "epci:247200132"
NOUVEAU = "une-phrase-de-passe-toute-neuve-2027"

# coordinators and staff act; another territory's coordinator: the form again (200) or 404
GERE = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=200)
GERE_OBJET = attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=404)


def _staff(e: Envoi) -> User:
    return e.comptes["staff"]


def _invite(e: Envoi) -> User:
    """An account of Le Mans invited by staff, not yet accepted."""
    invitation = services.inviter(
        par=_staff(e),
        email="invitee@exemple.test",
        role=Role.ELU,
        territoires=[e.geo["le_mans"]],
    )
    return invitation.user


def _inviter(e: Envoi) -> Cas:
    return Cas(
        reverse("gestion_comptes:inviter"),
        {"email": "Nouvelle@Exemple.test", "role": "elu", "territoires": [METROPOLE]},
        lambda: Invitation.objects.filter(user__email="nouvelle@exemple.test").exists(),
    )


def _importer(e: Envoi) -> Cas:
    fichier = SimpleUploadedFile(
        "invitations.csv",
        b"courriel;prenom;nom;role;structure_siret\r\nlot@exemple.test;Anne;Martin;elu;\r\n",
        content_type="text/csv",
    )
    return Cas(
        reverse("gestion_comptes:importer"),
        {"fichier": fichier, "territoires": [METROPOLE]},
        lambda: Invitation.objects.filter(user__email="lot@exemple.test").exists(),
    )


def _modifier(e: Envoi) -> Cas:
    cible = compte_du_mans(e.geo)

    def fait() -> bool:
        cible.refresh_from_db()
        return cible.role == Role.REFERENT and cible.territoires.get().epci_id == "247200132"

    return Cas(
        reverse("gestion_comptes:compte", args=[cible.pk]),
        {"role": "referent", "territoires": [METROPOLE]},
        fait,
    )


def _rattacher(e: Envoi) -> Cas:
    cible = UserFactory(role=Role.REFERENT, territoires=[e.geo["le_mans"]])
    structure = StructureFactory(commune=e.geo["le_mans"])
    return Cas(
        reverse("gestion_comptes:rattacher", args=[cible.pk]),
        {"structure": structure.pk},
        lambda: structure.referents.filter(pk=cible.pk).exists(),
    )


def _desactiver(e: Envoi) -> Cas:
    cible = compte_du_mans(e.geo)

    def fait() -> bool:
        cible.refresh_from_db()
        return not cible.is_active

    return Cas(reverse("gestion_comptes:desactiver", args=[cible.pk]), fait=fait)


def _reactiver(e: Envoi) -> Cas:
    cible = UserFactory(role=Role.ELU, is_active=False, territoires=[e.geo["le_mans"]])

    def fait() -> bool:
        cible.refresh_from_db()
        return cible.is_active

    return Cas(reverse("gestion_comptes:reactiver", args=[cible.pk]), fait=fait)


def _renvoyer(e: Envoi) -> Cas:
    cible = _invite(e)
    return Cas(
        reverse("gestion_comptes:renvoyer_invitation", args=[cible.pk]),
        fait=lambda: Invitation.objects.ouvertes().get(user=cible).envois == 2,
    )


def _annuler(e: Envoi) -> Cas:
    cible = _invite(e)
    return Cas(
        reverse("gestion_comptes:annuler_invitation", args=[cible.pk]),
        fait=lambda: not Invitation.objects.ouvertes().filter(user=cible).exists(),
    )


def _lien(valide: bool):
    def construire(e: Envoi) -> Cas:
        cible = _invite(e)
        invitation = cible.invitations.get()
        signe = services.lien_d_invitation(invitation).rstrip("/").rsplit("/", 1)[1]
        if not valide:
            signe = signe[:-2] + ("AA" if not signe.endswith("AA") else "BB")

        def fait() -> bool:
            cible.refresh_from_db()
            return cible.check_password(NOUVEAU)

        return Cas(
            reverse("comptes:invitation", args=[signe]),
            {"new_password1": NOUVEAU, "new_password2": NOUVEAU},
            fait,
        )

    return construire


LIGNES: dict = {
    ("gestion_comptes:inviter", ""): (_inviter, GERE),
    ("gestion_comptes:importer", ""): (_importer, GERE),
    ("gestion_comptes:compte", "rôle et territoires"): (_modifier, GERE_OBJET),
    ("gestion_comptes:rattacher", ""): (_rattacher, GERE_OBJET),
    ("gestion_comptes:desactiver", ""): (_desactiver, GERE_OBJET),
    ("gestion_comptes:reactiver", ""): (_reactiver, GERE_OBJET),
    ("gestion_comptes:renvoyer_invitation", ""): (_renvoyer, GERE_OBJET),
    ("gestion_comptes:annuler_invitation", ""): (_annuler, GERE_OBJET),
    ("comptes:invitation", "lien valide"): (_lien(True), dict.fromkeys(ROLES, OK)),
    ("comptes:invitation", "lien faux"): (_lien(False), dict.fromkeys(ROLES, 200)),
}
