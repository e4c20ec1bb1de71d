"""Writes that touch several account tables."""

from django.db import transaction

from territoires.models import Commune, Departement, Epci

from .enums import Role
from .models import TerritoireUtilisateur, User


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
