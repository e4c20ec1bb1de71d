"""Text normalisation for case- and accent-insensitive search of place names."""

import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normaliser(texte: str) -> str:
    """Lower-case ASCII words separated by single spaces.

    ``"Yvré-l'Évêque"`` and ``"yvre l eveque"`` both give ``"yvre l eveque"``; the usual
    abbreviations of *saint* are expanded so that ``"st calais"`` finds Saint-Calais.
    """
    mots = _NON_ALNUM.sub(" ", unidecode(texte or "").lower()).split()
    return " ".join(_ABBREVIATIONS.get(mot, mot) for mot in mots)
