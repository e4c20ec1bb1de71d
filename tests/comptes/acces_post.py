"""Rows of the POST matrix (tests/test_acces_post.py) for the account pages.

Logging in is for the anonymous visitor (a logged-in person is sent to its space, nothing
checked); five failures lock the account (429). Logging out ends any session. A reset
link works for whoever holds it, logged in or not; asking for one answers the same for a
known or an unknown address. Changing one's password needs a session and the current one.
"""

from __future__ import annotations

from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptes.enums import Role
from comptes.models import User
from tests.comptes.factories import MOT_DE_PASSE, UserFactory
from tests.conftest import ROLES
from tests.matrice_post import OK, Cas, Envoi, Fait, attendus

NOUVEAU = "une-phrase-de-passe-toute-neuve-2027"
CONNECTES = [role for role in ROLES if role != "anonyme"]


def _cible() -> User:
    """An account other than the roles': the one logged in, reset or locked."""
    return UserFactory(role=Role.ELU, email="cible@exemple.test")


def _connexion(mot_de_passe: str, echecs: int = 0):
    def construire(e: Envoi) -> Cas:
        cible = _cible()
        for _ in range(echecs):  # from another browser
            Client().post(
                reverse("comptes:connexion"), {"username": cible.email, "password": "faux"}
            )

        def fait() -> bool:
            cible.refresh_from_db()
            return cible.last_login is not None and e.client.session.get("_auth_user_id") == str(
                cible.pk
            )

        return Cas(
            reverse("comptes:connexion"),
            {"username": cible.email, "password": mot_de_passe},
            fait,
        )

    return construire


def _deconnexion(e: Envoi) -> Cas:
    return Cas(reverse("comptes:deconnexion"), fait=lambda: "_auth_user_id" not in e.client.session)


def _reinitialisation(email: str | None):
    def construire(e: Envoi) -> Cas:
        cible = _cible()
        mail.outbox.clear()
        return Cas(
            reverse("comptes:reinitialisation"),
            {"email": email or cible.email},
            lambda: [m.to for m in mail.outbox] == [[cible.email]],
        )

    return construire


def _lien_valide(e: Envoi) -> Cas:
    """The link of the e-mail, opened: Django moves the token into the session and sends
    the browser to the form's own address, where the new password is posted."""
    cible = _cible()
    lien = reverse(
        "comptes:nouveau_mot_de_passe",
        args=[
            urlsafe_base64_encode(force_bytes(cible.pk)),
            default_token_generator.make_token(cible),
        ],
    )
    formulaire = e.client.get(lien)
    assert formulaire.status_code == 302, formulaire.status_code

    def fait() -> bool:
        cible.refresh_from_db()
        return cible.check_password(NOUVEAU)

    return Cas(formulaire.url, {"new_password1": NOUVEAU, "new_password2": NOUVEAU}, fait)


def _lien_faux(e: Envoi) -> Cas:
    cible = _cible()
    return Cas(
        reverse(
            "comptes:nouveau_mot_de_passe",
            args=[urlsafe_base64_encode(force_bytes(cible.pk)), "jeton-faux"],
        ),
        {"new_password1": NOUVEAU, "new_password2": NOUVEAU},
    )


def _changement(actuel: str):
    def construire(e: Envoi) -> Cas:
        def fait() -> bool:
            e.user.refresh_from_db()
            return e.user.check_password(NOUVEAU)

        return Cas(
            reverse("comptes:changement_mot_de_passe"),
            {"old_password": actuel, "new_password1": NOUVEAU, "new_password2": NOUVEAU},
            fait,
        )

    return construire


def _creer_jeton(e: Envoi) -> Cas:
    """A token named after the tool, for the account logged in (any role)."""
    from comptes.models import JetonApi

    avant = JetonApi.objects.count()
    return Cas(
        reverse("comptes:jetons"),
        {"libelle": "tableur de suivi"},
        lambda: JetonApi.objects.count() == avant + 1,
    )


def _revoquer_un_jeton(de_qui: str):
    """Revoke a token of the account logged in (``soi``) or of another account (404)."""

    def construire(e: Envoi) -> Cas:
        from comptes.models import JetonApi
        from comptes.services import creer_jeton

        titulaire = e.user if de_qui == "soi" and e.user is not None else _cible()
        jeton, _ = creer_jeton(titulaire, libelle="outil")
        return Cas(
            reverse("comptes:revoquer_jeton", args=[jeton.identifiant]),
            fait=lambda: not JetonApi.objects.filter(pk=jeton.pk).exists(),
        )

    return construire


def _revoquer_tous(e: Envoi) -> Cas:
    from comptes.models import JetonApi
    from comptes.services import creer_jeton

    if e.user is not None:
        creer_jeton(e.user, libelle="outil")
    autre, _ = creer_jeton(_cible(), libelle="outil d'un autre compte")
    return Cas(
        reverse("comptes:revoquer_jetons"),
        fait=lambda: (
            not JetonApi.objects.filter(user=e.user).exists()
            and JetonApi.objects.filter(pk=autre.pk).exists()
        ),
    )


CONNECTE_REDIRIGE = attendus(302, anonyme=OK)

LIGNES: dict = {
    ("comptes:connexion", "valide"): (_connexion(MOT_DE_PASSE), CONNECTE_REDIRIGE),
    ("comptes:connexion", "mauvais mot de passe"): (
        _connexion("faux"),
        attendus(302, anonyme=200),
    ),
    ("comptes:connexion", "compte verrouillé"): (
        _connexion(MOT_DE_PASSE, echecs=5),
        attendus(302, anonyme=429),
    ),
    ("comptes:deconnexion", ""): (_deconnexion, attendus(OK, anonyme=302)),
    ("comptes:reinitialisation", "adresse connue"): (
        _reinitialisation(None),
        dict.fromkeys(ROLES, OK),
    ),
    # the same answer, and no e-mail: whether an address has an account is not told
    ("comptes:reinitialisation", "adresse inconnue"): (
        _reinitialisation("personne@ailleurs.test"),
        dict.fromkeys(ROLES, 302),
    ),
    ("comptes:nouveau_mot_de_passe", "lien valide"): (_lien_valide, dict.fromkeys(ROLES, OK)),
    ("comptes:nouveau_mot_de_passe", "lien faux"): (_lien_faux, dict.fromkeys(ROLES, 200)),
    ("comptes:changement_mot_de_passe", "valide"): (
        _changement(MOT_DE_PASSE),
        {**dict.fromkeys(CONNECTES, Fait(302)), "anonyme": 302},
    ),
    ("comptes:changement_mot_de_passe", "mauvais mot de passe actuel"): (
        _changement("faux"),
        attendus(200),
    ),
    # every logged-in account manages its own API tokens, never another's (404)
    ("comptes:jetons", "créer"): (
        _creer_jeton,
        {**dict.fromkeys(CONNECTES, Fait(200)), "anonyme": 302},
    ),
    ("comptes:revoquer_jeton", "le sien"): (
        _revoquer_un_jeton("soi"),
        {**dict.fromkeys(CONNECTES, OK), "anonyme": 302},
    ),
    ("comptes:revoquer_jeton", "celui d'un autre"): (
        _revoquer_un_jeton("autre"),
        {**dict.fromkeys(CONNECTES, 404), "anonyme": 302},
    ),
    ("comptes:revoquer_jetons", ""): (
        _revoquer_tous,
        {**dict.fromkeys(CONNECTES, OK), "anonyme": 302},
    ),
}
