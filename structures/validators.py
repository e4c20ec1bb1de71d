"""Checks shared by the models, the forms and the national-standard import."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

RE_SIRET = re.compile(r"^\d{14}$", re.ASCII)
RE_RNA = re.compile(r"^W[0-9A-Z]{9}$")
RE_CODE_POSTAL = re.compile(r"^\d{5}$", re.ASCII)
RE_CODE_INSEE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$", re.ASCII)
RE_TELEPHONE = re.compile(
    r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)\d{6,9}$", re.ASCII
)
SIREN_LA_POSTE = "356000000"


def _luhn(chiffres: str) -> bool:
    total = 0
    for rang, caractere in enumerate(reversed(chiffres)):
        chiffre = int(caractere)
        if rang % 2:
            chiffre *= 2
            if chiffre > 9:
                chiffre -= 9
        total += chiffre
    return total % 10 == 0


def siret_valide(valeur: str) -> bool:
    if not RE_SIRET.match(valeur):
        return False
    if valeur.startswith(SIREN_LA_POSTE):  # La Poste's establishments: digit sum multiple of 5
        return sum(int(c) for c in valeur) % 5 == 0
    return _luhn(valeur)


def valider_pivot(valeur: str) -> None:
    """A SIRET (14 digits, checksum) or an RNA number (W followed by 9 characters)."""
    valeur = (valeur or "").strip()
    if RE_RNA.match(valeur):
        return
    if RE_SIRET.match(valeur):
        if siret_valide(valeur):
            return
        raise ValidationError(
            "« %(valeur)s » n'est pas un SIRET valide (la clé de contrôle ne correspond pas).",
            code="siret",
            params={"valeur": valeur},
        )
    raise ValidationError(
        "« %(valeur)s » n'est ni un SIRET (14 chiffres) ni un numéro RNA (W suivi de 9 "
        "caractères).",
        code="pivot",
        params={"valeur": valeur},
    )


def normaliser_telephone(valeur: str) -> str:
    """``02 43 47 47 47`` or ``+33 2 43…`` → ``+33243474747``; other input is returned as is."""
    brut = re.sub(r"[\s.\-()]", "", valeur or "")
    if re.fullmatch(r"0\d{9}", brut, re.ASCII):
        return "+33" + brut[1:]
    return brut


def valider_telephone(valeur: str) -> None:
    if not RE_TELEPHONE.match(valeur):
        raise ValidationError(
            "« %(valeur)s » n'est pas un numéro de téléphone valide : écrivez-le au format "
            "international, sans espace (par exemple +33243474747) ou 02 43 47 47 47.",
            code="telephone",
            params={"valeur": valeur},
        )


def valider_code_postal(valeur: str) -> None:
    if not RE_CODE_POSTAL.match(valeur or ""):
        raise ValidationError("Le code postal doit compter 5 chiffres.", code="code_postal")
