"""Who may do what with accounts and spaces. One function per rule; views call them first."""

from django.core.exceptions import PermissionDenied

from .enums import Role

ESPACES = {
    Role.COORDINATEUR: "comptes:espace_coordination",
    Role.CONSEILLER: "comptes:espace_conseiller",
    Role.REFERENT: "comptes:espace_structure",
    Role.ELU: "comptes:espace_elu",
}


def _exiger(condition: bool) -> None:
    if not condition:
        raise PermissionDenied("Vous n'avez pas accès à cette page.")


def peut_acceder_espace(user, role: Role) -> bool:
    return user.is_authenticated and user.is_active and (user.role == role or user.is_staff)


def exiger_espace(user, role: Role) -> None:
    _exiger(peut_acceder_espace(user, role))


def peut_gerer_ses_jetons(user) -> bool:
    """Every active account, whatever its role, manages its own API tokens."""
    return user.is_authenticated and user.is_active


def exiger_jetons(user) -> None:
    _exiger(peut_gerer_ses_jetons(user))


# -- the accounts' back office ----------------------------------------------------------


def peut_gerer_comptes(user) -> bool:
    """Coordinators invite and manage the accounts of their territory; staff, every one."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.role == Role.COORDINATEUR or user.is_staff or user.is_superuser)
    )


def exiger_gestion_comptes(user) -> None:
    _exiger(peut_gerer_comptes(user))


def _national(user) -> bool:
    return bool(user.is_staff or user.is_superuser)


def comptes_visibles(user):
    """The accounts a manager lists: those whose territories meet its own (staff: all).
    The technical team's accounts are listed to the technical team only."""
    from .models import User

    if not peut_gerer_comptes(user):
        return User.objects.none()
    comptes = User.objects.pour(user)
    if not _national(user):
        comptes = comptes.filter(is_staff=False, is_superuser=False)
    return comptes


def roles_attribuables(user) -> list[Role]:
    """A coordinator grants the portal's roles within its territory; the technical team's
    access (staff) is granted in the Django administration only, never here."""
    return list(Role) if peut_gerer_comptes(user) else []


def communes_du_territoire(territoire):
    from territoires.models import Commune, Departement, Epci

    if isinstance(territoire, Commune):
        return Commune.objects.filter(pk=territoire.pk)
    if isinstance(territoire, Epci):
        return Commune.objects.filter(epci=territoire)
    if isinstance(territoire, Departement):
        return Commune.objects.filter(departement=territoire)
    raise TypeError(f"territoire inconnu\u00a0: {territoire!r}")


def territoire_attribuable(user, territoire) -> bool:
    """A territory within ``user``'s (never wider): a département it holds as such; an EPCI
    or a commune every commune of which is within its territories."""
    from territoires.models import Departement

    if not peut_gerer_comptes(user):
        return False
    perimetre = user.perimetre
    if perimetre.national:
        return True
    if isinstance(territoire, Departement):
        return territoire.pk in perimetre.departements
    communes = communes_du_territoire(territoire)
    return communes.exists() and not communes.exclude(perimetre.q()).exists()


def compte_modifiable(user, cible) -> bool:
    """``user`` may change ``cible``: not itself, not the technical team, and every
    territory of ``cible`` within its own (a wider account is seen, never changed)."""
    if not peut_gerer_comptes(user) or cible.pk == user.pk:
        return False
    if _national(user):
        return True
    if cible.is_staff or cible.is_superuser:
        return False
    territoires = [
        t.territoire for t in cible.territoires.select_related("commune", "epci", "departement")
    ]
    return bool(territoires) and all(territoire_attribuable(user, t) for t in territoires)


def exiger_compte_modifiable(user, cible) -> None:
    if not compte_modifiable(user, cible):
        raise PermissionDenied(
            "Ce compte couvre un territoire plus large que le vôtre, ou c'est le vôtre\u00a0: "
            "vous ne pouvez pas le modifier."
        )
