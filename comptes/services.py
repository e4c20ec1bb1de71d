"""Writes that touch several account tables, and the API tokens of an account."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404

from territoires.models import Commune, Departement, Epci

from .enums import Role
from .models import JetonApi, TerritoireUtilisateur, User


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
