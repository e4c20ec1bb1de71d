"""Checks shared by the models, the forms and the national-standard import."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from commun.formats import INDICATIFS_OUTRE_MER, de_la_commune
from territoires.resolution import (
    ECART_MAX_KM,
    contour_de_la_commune,
    controler_code_postal,
    controler_point,
    distance_km,
    ecart_max_km,
    km,
)

RE_SIRET = re.compile(r"^\d{14}$", re.ASCII)
RE_RNA = re.compile(r"^W[0-9A-Z]{9}$")
RE_CODE_POSTAL = re.compile(r"^\d{5}$", re.ASCII)
RE_CODE_INSEE = re.compile(r"^([013-9]\d|2[AB1-9])\d{3}$", re.ASCII)
RE_TELEPHONE = re.compile(
    r"^(" + "|".join(re.escape(i) for i in ("+33", *INDICATIFS_OUTRE_MER)) + r")\d{6,9}$",
    re.ASCII,
)
SIREN_LA_POSTE = "356000000"
# La Poste's head office keeps the Luhn key; its other establishments (post offices) cannot
# all have one and follow the INSEE's exception: the sum of the 14 digits is a multiple of 5
SIRET_SIEGE_LA_POSTE = "35600000000048"


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
    if valeur.startswith(SIREN_LA_POSTE) and valeur != SIRET_SIEGE_LA_POSTE:
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
            "« %(valeur)s » n'est pas un numéro de téléphone valide\u00a0: écrivez-le au format "
            "international, sans espace (par exemple +33243474747) ou 02 43 47 47 47.",
            code="telephone",
            params={"valeur": valeur},
        )


def valider_code_postal(valeur: str) -> None:
    if not RE_CODE_POSTAL.match(valeur or ""):
        raise ValidationError("Le code postal doit compter 5 chiffres.", code="code_postal")


# a name, an address, a phone number: one line of printable text (a CR/LF in a site's name
# broke the error-report e-mail's subject)
RE_CONTROLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SEPARATEUR = "|"


def valeurs_multiples(texte: str) -> list[str]:
    """The ``|``-separated values of a cell or a field, trimmed, empty ones left out."""
    return [v.strip() for v in (texte or "").split(SEPARATEUR) if v.strip()]


def normaliser_telephones(texte: str) -> str:
    """``02 43 47 47 47|+33 6 12…`` → ``+33243474747|+33612…`` (the form and the API)."""
    return SEPARATEUR.join(normaliser_telephone(v) for v in valeurs_multiples(texte))


def valider_une_ligne(valeur: str) -> None:
    if RE_CONTROLE.search(valeur or ""):
        raise ValidationError(
            "Le texte contient un retour à la ligne ou un caractère de contrôle\u00a0: écrivez-le "
            "sur une seule ligne.",
            code="controle",
        )


def _chacune(valeur: str, valider, message: str, code: str) -> None:
    erreurs = []
    for partie in (valeur or "").split(SEPARATEUR):
        try:
            valider(partie)
        except ValidationError:
            erreurs.append(ValidationError(message, code=code, params={"valeur": partie}))
    if erreurs:
        raise ValidationError(erreurs)


def valider_telephones(valeur: str) -> None:
    """Numbers separated by ``|``, each as the national standard writes it (+33243474747)."""
    if valeur:
        _chacune(
            valeur,
            valider_telephone,
            "« %(valeur)s » n'est pas un numéro de téléphone valide\u00a0: écrivez-le au format "
            "international, sans espace (par exemple +33243474747) ou 02 43 47 47 47.",
            "telephone",
        )


def valider_courriels(valeur: str) -> None:
    if valeur:
        _chacune(
            valeur,
            EmailValidator(),
            "« %(valeur)s » n'est pas une adresse électronique valide.",
            "courriel",
        )


def valider_sites_web(valeur: str) -> None:
    """Web addresses separated by ``|``, http or https only (never ``javascript:``)."""
    if valeur:
        _chacune(
            valeur,
            URLValidator(schemes=["http", "https"]),
            "« %(valeur)s » n'est pas une adresse web valide\u00a0: écrivez-la en entier, par "
            "exemple https://www.exemple.fr.",
            "site_web",
        )


# -- a site's point and its commune ------------------------------------------------------

# distances and the limit live with the reference geography (territoires.resolution): the
# import, the site form and the API check a point with the same rule
__all__ = ["ECART_MAX_KM", "distance_km", "ecart_max_km"]


def valider_point_dans_la_commune(latitude, longitude, commune) -> None:
    """A point placed in another territory would count as its offer (coverage, maps): it
    must lie inside its commune's outline where known, else near its centre (the import's
    rule, ``territoires.resolution.controler_point``)."""
    if commune is None or None in (latitude, longitude):
        return
    ecart = controler_point(
        commune.code_insee,
        commune.latitude,
        commune.longitude,
        latitude,
        longitude,
        geometrie=contour_de_la_commune(commune.code_insee),
    )
    if ecart is None:
        return
    distance, limite, contour = ecart
    raise ValidationError(
        (
            "Ce point est à %(ecart)s hors du contour %(de_commune)s (%(limite)s au plus)\u00a0: "
            "vérifiez la commune ou les coordonnées."
        )
        if contour
        else (
            "Ce point est à %(ecart)s du centre de %(commune)s (%(limite)s au plus)\u00a0: "
            "vérifiez la commune ou les coordonnées."
        ),
        code="point_hors_commune",
        params={
            "ecart": km(distance),
            "commune": commune.nom,
            "de_commune": de_la_commune(commune.nom),
            "limite": km(limite),
        },
    )


def valider_code_postal_de_la_commune(code_postal, commune) -> None:
    """The postal code must be one of the commune's (La Poste's base, through the reference
    geography), when both are known."""
    if commune is None or not code_postal:
        return
    probleme = controler_code_postal(commune.nom, commune.liste_codes_postaux, code_postal)
    if probleme:
        raise ValidationError(
            "%(probleme)s\u00a0: corrigez le code postal ou la commune.",
            code="code_postal_hors_commune",
            params={"probleme": probleme[0].upper() + probleme[1:]},
        )
