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
