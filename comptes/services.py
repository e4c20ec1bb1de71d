"""Writes that touch several account tables: accounts, invitations, deactivation, and the
API tokens of an account."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template import loader
from django.urls import reverse
from django.utils import timezone

from territoires.models import Commune, Departement, Epci

from . import permissions
from .enums import EtatCompte, Role
from .models import Invitation, JetonApi, TerritoireUtilisateur, User, normaliser_courriel
from .tasks import envoyer_courriel_sans_attendre


@transaction.atomic
def creer_compte(
    *,
    email: str,
    mot_de_passe: str | None,
    role: Role | str,
    prenom: str = "",
    nom: str = "",
    communes: list[Commune] = (),
    epcis: list[Epci] = (),
    departements: list[Departement] = (),
    staff: bool = False,
) -> User:
    """Create or update an account and replace its territories, in one transaction."""
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email.lower())
    user.prenom, user.nom, user.role = prenom, nom, role
    user.is_staff = user.is_superuser = staff
    user.is_active = True
    if mot_de_passe:
        user.set_password(mot_de_passe)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user.territoires.all().delete()
    TerritoireUtilisateur.objects.bulk_create(
        [TerritoireUtilisateur(user=user, commune=c) for c in communes]
        + [TerritoireUtilisateur(user=user, epci=e) for e in epcis]
        + [TerritoireUtilisateur(user=user, departement=d) for d in departements]
    )
    return user


# An account keeps at most this many valid API tokens (one per tool is the intended use).
JETONS_VALIDES_PAR_COMPTE = 20


def creer_jeton(user: User, *, libelle: str = "") -> tuple[JetonApi, str]:
    """A new API token for ``user``, valid ``API_JETON_DUREE_JOURS`` days. Returns the row
    and the token itself, which is shown once: the database keeps only its digest."""
    if JetonApi.objects.de(user).valides().count() >= JETONS_VALIDES_PAR_COMPTE:
        raise ValidationError(
            f"Votre compte a déjà {JETONS_VALIDES_PAR_COMPTE} jetons valides\u00a0: révoquez "
            "ceux qui ne servent plus dans votre espace («\u202fJetons d'API\u202f») avant "
            "d'en créer un autre.",
            code="trop_de_jetons",
        )
    return JetonApi.objects.create(
        user,
        expiry=timedelta(days=settings.API_JETON_DUREE_JOURS),
        libelle=libelle.strip(),
    )


def revoquer_jeton(user: User, identifiant) -> JetonApi:
    """Delete one of ``user``'s tokens and return it; another account's token is a 404."""
    jeton = get_object_or_404(JetonApi.objects.de(user), identifiant=identifiant)
    jeton.delete()
    return jeton


def revoquer_jetons(user: User) -> int:
    """Delete every token of ``user``; returns how many there were."""
    return user.revoquer_jetons_api()


# -- the accounts' back office ------------------------------------------------------------

SEL_INVITATION = "comptes.invitation"


def _duree_invitation() -> timedelta:
    return timedelta(days=settings.COMPTES_INVITATION_DUREE_JOURS)


def lien_d_invitation(invitation: Invitation) -> str:
    """The address sent by e-mail: the invitation's token, signed with the time it left."""
    signe = signing.TimestampSigner(salt=SEL_INVITATION).sign(str(invitation.jeton))
    return settings.PORTAIL_URL.rstrip("/") + reverse("comptes:invitation", args=[signe])


def invitation_du_lien(signe: str) -> Invitation | None:
    """The invitation a link opens, or None: forged, older than the validity, replaced by
    a newer sending, accepted, cancelled, or its account deactivated."""
    try:
        jeton = signing.TimestampSigner(salt=SEL_INVITATION).unsign(
            signe, max_age=_duree_invitation()
        )
    except signing.BadSignature:
        return None
    invitation = Invitation.objects.en_attente().select_related("user").filter(jeton=jeton).first()
    if invitation is None or not invitation.user.is_active:
        return None
    return invitation


def _territoires_du_compte(user: User) -> list:
    return [t.territoire for t in user.territoires.select_related("commune", "epci", "departement")]


def _libelle_territoires(territoires) -> str:
    return ", ".join(sorted(str(t) for t in territoires)) or "aucun"


def verifier_territoires(*, par: User, territoires: list) -> None:
    """Territories ``par`` may grant, else a French error (never wider than its own)."""
    if not territoires:
        raise ValidationError({"territoires": "Choisissez au moins un territoire."})
    hors = [t for t in territoires if not permissions.territoire_attribuable(par, t)]
    if hors:
        raise ValidationError(
            {
                "territoires": f"{_libelle_territoires(hors)}\u00a0: hors de votre territoire, "
                "vous ne pouvez pas l'attribuer."
            }
        )


def verifier_droits(*, par: User, role: str, territoires: list) -> None:
    """The role and territories ``par`` may grant, else a French error."""
    if role not in permissions.roles_attribuables(par):
        raise ValidationError({"role": "Vous ne pouvez pas attribuer ce rôle."})
    verifier_territoires(par=par, territoires=territoires)


RE_CONTROLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def verifier_identite(*, prenom: str, nom: str) -> None:
    """A first name and a name on one line each (they are written in the e-mails)."""
    erreurs = {
        champ: "Écrivez-le sur une seule ligne, sans caractère de contrôle."
        for champ, valeur in (("prenom", prenom), ("nom", nom))
        if RE_CONTROLE.search(valeur or "")
    }
    if erreurs:
        raise ValidationError(erreurs)


def _remplacer_territoires(user: User, territoires: list) -> None:
    user.territoires.all().delete()
    TerritoireUtilisateur.objects.bulk_create(
        [
            TerritoireUtilisateur(
                user=user,
                commune=t if isinstance(t, Commune) else None,
                epci=t if isinstance(t, Epci) else None,
                departement=t if isinstance(t, Departement) else None,
            )
            for t in territoires
        ]
    )
    user.__dict__.pop("perimetre", None)


def enregistrer_version(user: User, raison: str) -> None:
    """Save ``user``: a version in the audit trail, named ``raison``."""
    user._change_reason = raison
    user.save()


def _courriel_d_invitation(invitation: Invitation) -> None:
    """Queue the invitation's e-mail once the transaction is committed: a refused write
    sends nothing."""
    contexte = {
        "invitation": invitation,
        "lien": lien_d_invitation(invitation),
        "jours": settings.COMPTES_INVITATION_DUREE_JOURS,
        "portail": settings.PORTAIL_NOM,
        "role": invitation.user.get_role_display(),
        "par": invitation.invite_par,
    }
    sujet = "".join(
        loader.render_to_string("comptes/courriels/invitation_sujet.txt", contexte).splitlines()
    )
    texte = loader.render_to_string("comptes/courriels/invitation.txt", contexte)
    destinataire = invitation.user.email
    transaction.on_commit(
        lambda: envoyer_courriel_sans_attendre(
            sujet=sujet, texte=texte, destinataires=[destinataire]
        )
    )


@transaction.atomic
def inviter(
    *,
    par: User,
    email: str,
    role: str,
    territoires: list,
    prenom: str = "",
    nom: str = "",
) -> Invitation:
    """Create an account without password in ``par``'s territory and e-mail it a link to
    choose one. An address that already has an account is refused."""
    permissions.exiger_gestion_comptes(par)
    verifier_droits(par=par, role=role, territoires=territoires)
    verifier_identite(prenom=prenom, nom=nom)
    email = normaliser_courriel(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "Un compte existe déjà avec cette adresse électronique."})
    user = User(email=email, prenom=prenom.strip(), nom=nom.strip(), role=role)
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    enregistrer_version(
        user, f"invitation envoyée (territoires\u00a0: {_libelle_territoires(territoires)})"
    )
    _remplacer_territoires(user, territoires)
    maintenant = timezone.now()
    invitation = Invitation.objects.create(
        user=user,
        invite_par=par,
        cree_le=maintenant,
        envoyee_le=maintenant,
        expire_le=maintenant + _duree_invitation(),
    )
    _courriel_d_invitation(invitation)
    return invitation


def _cible_modifiable(par: User, cible: User) -> User:
    permissions.exiger_gestion_comptes(par)
    cible = User.objects.select_for_update().get(pk=cible.pk)
    permissions.exiger_compte_modifiable(par, cible)
    return cible


@transaction.atomic
def renvoyer_invitation(*, par: User, cible: User) -> Invitation:
    """A new link (the older one stops working), valid for the whole duration again."""
    cible = _cible_modifiable(par, cible)
    if cible.etat != EtatCompte.INVITE:
        raise ValidationError("Ce compte a déjà choisi son mot de passe ou est désactivé.")
    maintenant = timezone.now()
    invitation = Invitation.objects.ouvertes().filter(user=cible).first()
    if invitation is None:
        invitation = Invitation(user=cible, cree_le=maintenant, envois=0)
    invitation.jeton = uuid.uuid4()
    invitation.invite_par = par
    invitation.envoyee_le = maintenant
    invitation.expire_le = maintenant + _duree_invitation()
    invitation.envois += 1
    invitation.save()
    enregistrer_version(cible, "invitation renvoyée")
    _courriel_d_invitation(invitation)
    return invitation


@transaction.atomic
def annuler_invitation(*, par: User, cible: User) -> int:
    """The open invitation's link stops working now; the account stays, without password."""
    cible = _cible_modifiable(par, cible)
    annulees = Invitation.objects.ouvertes().filter(user=cible).update(annulee_le=timezone.now())
    if not annulees:
        raise ValidationError("Ce compte n'a pas d'invitation en cours.")
    enregistrer_version(cible, "invitation annulée")
    return annulees


@transaction.atomic
def accepter_invitation(*, invitation: Invitation, mot_de_passe: str) -> User:
    """The invitee's chosen password: the account becomes active, the link is spent."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.utilisable:
        raise ValidationError("Ce lien d'invitation n'est plus valable.")
    user = invitation.user
    user.set_password(mot_de_passe)
    user._history_user = user  # the invitee, not yet logged in, is the author
    enregistrer_version(user, "invitation acceptée, mot de passe choisi")
    invitation.acceptee_le = timezone.now()
    invitation.save(update_fields=["acceptee_le"])
    return user


@transaction.atomic
def modifier_compte(*, par: User, cible: User, role: str, territoires: list) -> User:
    """Change the role and territories of an account, within ``par``'s territory."""
    cible = _cible_modifiable(par, cible)
    verifier_droits(par=par, role=role, territoires=territoires)
    avant = _territoires_du_compte(cible)
    changement = ""
    if {(type(t), t.pk) for t in avant} != {(type(t), t.pk) for t in territoires}:
        changement = (
            f" (territoires\u00a0: {_libelle_territoires(avant)} → "
            f"{_libelle_territoires(territoires)})"
        )
    cible.role = role
    cible.full_clean(exclude=["password"])
    enregistrer_version(cible, "rôle et territoires modifiés" + changement)
    _remplacer_territoires(cible, territoires)
    return cible


def fermer_sessions(user: User) -> int:
    """Delete the open sessions of ``user`` (database sessions); returns how many."""
    a_fermer = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    return Session.objects.filter(pk__in=a_fermer).delete()[0]


@transaction.atomic
def desactiver_compte(*, par: User, cible: User) -> User:
    """The account can no longer log in: its sessions and API tokens go, its open
    invitation is cancelled. Its history and its rows (reports, requests) stay."""
    cible = _cible_modifiable(par, cible)
    if not cible.is_active:
        raise ValidationError("Ce compte est déjà désactivé.")
    cible.is_active = False
    # User.save revokes the API tokens of a deactivated account
    enregistrer_version(cible, "compte désactivé (sessions et jetons d'API révoqués)")
    Invitation.objects.ouvertes().filter(user=cible).update(annulee_le=timezone.now())
    fermer_sessions(cible)
    return cible


@transaction.atomic
def reactiver_compte(*, par: User, cible: User) -> User:
    """The account may log in again (an account that never chose its password goes back
    to « invité »: send it its invitation again)."""
    cible = _cible_modifiable(par, cible)
    if cible.is_active:
        raise ValidationError("Ce compte est déjà actif.")
    if not cible.role:
        raise PermissionDenied("Un compte sans rôle se réactive dans l'administration.")
    cible.is_active = True
    enregistrer_version(cible, "compte réactivé")
    return cible
