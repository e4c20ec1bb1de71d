"""Writes of the accounts' back office that reach the apps above comptes: an invitation
with its structure or advisor profile, an attachment, a bulk invitation from a CSV file.
Each in one transaction; the e-mails leave once it is committed."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from comptes import services as comptes_services
from comptes.enums import Role
from comptes.models import Invitation, User, normaliser_courriel
from conseillers.models import Conseiller
from structures.models import Structure

from . import permissions

COLONNES = ["courriel", "prenom", "nom", "role", "structure_siret"]
LIGNES_MAXIMUM = 500
LONGUEUR_NOM = User._meta.get_field("nom").max_length
# the role column accepts the code or the label people write
ROLES_ECRITS = {
    **{r.value: r.value for r in Role},
    "coordinatrice": Role.COORDINATEUR,
    "conseillere": Role.CONSEILLER,
    "referente": Role.REFERENT,
    "référent": Role.REFERENT,
    "référente": Role.REFERENT,
    "élu": Role.ELU,
    "élue": Role.ELU,
    "financeur": Role.ELU,
}


def _rattacher(*, par: User, cible: User, structure=None, conseiller=None) -> str:
    """Attach ``cible`` (already locked and checked) and return what the audit trail says."""
    if structure is not None:
        if cible.role != Role.REFERENT:
            raise ValidationError(
                {"structure": "Seul un compte de référent se rattache à une structure."}
            )
        if not permissions.structures_rattachables(par).filter(pk=structure.pk).exists():
            raise ValidationError({"structure": "Cette structure n'est pas de votre territoire."})
        structure.referents.add(cible)
        return f"rattaché à la structure « {structure} »"
    if conseiller is not None:
        if cible.role != Role.CONSEILLER:
            raise ValidationError(
                {
                    "conseiller": "Seul un compte de conseiller se rattache à un profil "
                    "de conseiller."
                }
            )
        profil = (
            permissions.profils_rattachables(par)
            .select_for_update()
            .filter(pk=conseiller.pk)
            .first()
        )
        if profil is None:
            raise ValidationError(
                {"conseiller": "Ce profil n'est pas de votre territoire ou a déjà un compte."}
            )
        if Conseiller.objects.tous().filter(user=cible).exists():
            raise ValidationError({"conseiller": "Ce compte a déjà un profil de conseiller."})
        profil.user = cible
        profil.save(update_fields=["user", "modifie_le"])
        return f"rattaché au profil de conseiller « {profil} »"
    raise ValidationError("Choisissez une structure ou un profil de conseiller.")


@transaction.atomic
def rattacher(*, par: User, cible: User, structure=None, conseiller=None) -> User:
    """Attach a referent to a structure, or an advisor account to its profile, both of
    ``par``'s territory."""
    permissions.exiger_gestion_comptes(par)
    cible = User.objects.select_for_update().get(pk=cible.pk)
    permissions.exiger_compte_modifiable(par, cible)
    raison = _rattacher(par=par, cible=cible, structure=structure, conseiller=conseiller)
    comptes_services.enregistrer_version(cible, raison)
    return cible


@transaction.atomic
def inviter(
    *,
    par: User,
    email: str,
    role: str,
    territoires: list,
    prenom: str = "",
    nom: str = "",
    structure=None,
    conseiller=None,
) -> Invitation:
    """Invite an account and attach it to its structure or profile, all or nothing."""
    invitation = comptes_services.inviter(
        par=par, email=email, role=role, territoires=territoires, prenom=prenom, nom=nom
    )
    if structure is not None or conseiller is not None:
        raison = _rattacher(
            par=par, cible=invitation.user, structure=structure, conseiller=conseiller
        )
        comptes_services.enregistrer_version(invitation.user, raison)
    return invitation


# -- bulk invitation ------------------------------------------------------------------------


@dataclass
class LigneInvitation:
    numero: int
    email: str
    prenom: str
    nom: str
    role: str
    structure: Structure | None = None
    conseiller: Conseiller | None = None


@dataclass
class RapportInvitations:
    invites: list[str] = field(default_factory=list)
    erreurs: list[tuple[int, str]] = field(default_factory=list)
    ecrit: bool = False

    @property
    def lignes_en_erreur(self) -> int:
        return len({numero for numero, _ in self.erreurs})


class FichierInvalide(ValueError):
    """The file as a whole cannot be read (encoding, columns, size)."""


def lire_fichier(contenu: bytes) -> list[dict]:
    """The rows of a CSV file (UTF-8, with or without BOM; ``;`` or ``,`` between values)."""
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as erreur:
        raise FichierInvalide(
            "Le fichier n'est pas encodé en UTF-8\u00a0: enregistrez-le en « CSV UTF-8 »."
        ) from erreur
    premiere = texte.split("\n", 1)[0]
    separateur = ";" if premiere.count(";") > premiere.count(",") else ","
    lecteur = csv.DictReader(io.StringIO(texte), delimiter=separateur)
    colonnes = [(c or "").strip().lower() for c in lecteur.fieldnames or []]
    manquantes = [c for c in COLONNES if c not in colonnes]
    if manquantes:
        raise FichierInvalide(
            "Colonnes manquantes\u00a0: " + ", ".join(manquantes) + ". La première ligne doit "
            "nommer les colonnes " + ", ".join(COLONNES) + "."
        )
    lecteur.fieldnames = colonnes
    lignes = list(lecteur)
    if not lignes:
        raise FichierInvalide("Le fichier ne contient aucune ligne après celle des colonnes.")
    if len(lignes) > LIGNES_MAXIMUM:
        raise FichierInvalide(
            f"Le fichier contient {len(lignes)} lignes\u00a0: {LIGNES_MAXIMUM} au plus par envoi."
        )
    return lignes


def _verifier_ligne(par: User, numero: int, brute: dict, vues: set[str]) -> LigneInvitation:
    """One row read and checked against ``par``'s rights; a ValidationError names what is
    wrong in French."""
    valeurs = {c: (brute.get(c) or "").strip() for c in COLONNES}
    email = normaliser_courriel(valeurs["courriel"])
    if not email:
        raise ValidationError("le courriel est vide.")
    try:
        User._meta.get_field("email").run_validators(email)
    except ValidationError as erreur:
        raise ValidationError(f"le courriel « {email} » n'est pas une adresse valide.") from erreur
    if email in vues:
        raise ValidationError(f"le courriel « {email} » figure déjà plus haut dans le fichier.")
    vues.add(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"un compte existe déjà avec l'adresse « {email} ».")
    role = ROLES_ECRITS.get(valeurs["role"].lower())
    if role is None or role not in permissions.regles.roles_attribuables(par):
        raise ValidationError(
            f"le rôle « {valeurs['role']} » est inconnu\u00a0: écrivez coordinateur, "
            "conseiller, referent ou elu."
        )
    for colonne in ("prenom", "nom"):
        if len(valeurs[colonne]) > LONGUEUR_NOM:
            raise ValidationError(
                f"la colonne {colonne} dépasse {LONGUEUR_NOM} caractères\u00a0: raccourcissez-la."
            )
    try:
        comptes_services.verifier_identite(prenom=valeurs["prenom"], nom=valeurs["nom"])
    except ValidationError as erreur:
        raise ValidationError(
            "le prénom ou le nom contient un retour à la ligne ou un caractère de contrôle."
        ) from erreur
    ligne = LigneInvitation(numero, email, valeurs["prenom"], valeurs["nom"], role)
    siret = valeurs["structure_siret"].replace(" ", "")
    if role == Role.REFERENT:
        if not siret:
            raise ValidationError("un référent doit avoir le SIRET de sa structure.")
        structures = list(permissions.structures_rattachables(par).filter(pivot=siret)[:2])
        if not structures:
            raise ValidationError(f"aucune structure de votre territoire n'a le SIRET « {siret} ».")
        if len(structures) > 1:
            raise ValidationError(
                f"plusieurs structures de votre territoire ont le SIRET « {siret} »\u00a0: "
                "invitez ce référent depuis le formulaire pour choisir la bonne."
            )
        ligne.structure = structures[0]
    elif role == Role.CONSEILLER:
        ligne.conseiller = permissions.profils_rattachables(par).filter(email__iexact=email).first()
        if siret and (
            ligne.conseiller is None
            or ligne.conseiller.structure is None
            or ligne.conseiller.structure.pivot != siret
        ):
            raise ValidationError(
                f"le SIRET « {siret} » n'est pas celui de la structure employeuse d'un profil "
                "de conseiller de votre territoire à cette adresse\u00a0: laissez la colonne vide "
                "ou corrigez-la."
            )
    elif siret:
        raise ValidationError(
            "la colonne structure_siret ne s'applique qu'aux référents et aux conseillers\u00a0: "
            "laissez-la vide."
        )
    return ligne


def inviter_depuis_fichier(
    *, par: User, contenu: bytes, territoires: list, partiel: bool = False
) -> RapportInvitations:
    """Invite every row of the file, into ``territoires``. All or nothing by default: one
    row in error and nothing is written nor sent; ``partiel`` invites the good rows."""
    permissions.exiger_gestion_comptes(par)
    rapport = RapportInvitations()
    try:
        comptes_services.verifier_territoires(par=par, territoires=territoires)
    except ValidationError as erreur:
        rapport.erreurs.append((0, " ".join(erreur.messages)))
        return rapport
    lignes, vues = [], set()
    for numero, brute in enumerate(lire_fichier(contenu), start=2):
        try:
            lignes.append(_verifier_ligne(par, numero, brute, vues))
        except ValidationError as erreur:
            rapport.erreurs.append((numero, " ".join(erreur.messages)))
    if rapport.erreurs and not partiel:
        return rapport
    ligne = None
    try:
        with transaction.atomic():
            for ligne in lignes:
                inviter(
                    par=par,
                    email=ligne.email,
                    role=ligne.role,
                    territoires=territoires,
                    prenom=ligne.prenom,
                    nom=ligne.nom,
                    structure=ligne.structure,
                    conseiller=ligne.conseiller,
                )
                rapport.invites.append(ligne.email)
    except ValidationError as erreur:
        # a row checked above and refused at writing (an account created meanwhile):
        # everything is rolled back, nothing is sent
        rapport.invites = []
        rapport.erreurs.append((ligne.numero, " ".join(erreur.messages)))
        return rapport
    rapport.ecrit = bool(rapport.invites)
    return rapport
