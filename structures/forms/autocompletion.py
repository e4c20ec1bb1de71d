"""How the typed choices of a commune or a structure read and search
(commun/autocompletion.py), shared by every form that offers one."""

from __future__ import annotations

from django.urls import reverse

from commun.autocompletion import proposer_autocompletion
from territoires.text import normaliser


def rechercher_communes(communes, texte: str):
    """By name (every word) or postal code, best matches first."""
    return communes.recherche(texte)


def libelle_structure(structure) -> str:
    """« CCAS du Mans, Le Mans (n° 12) »: the number tells two namesakes apart."""
    return f"{structure.nom}, {structure.commune.nom} (n°\u00a0{structure.pk})"


def rechercher_structures(structures, texte: str):
    for mot in normaliser(texte).split():
        structures = structures.filter(nom_recherche__contains=mot)
    return structures.select_related("commune").order_by("nom", "pk")


def commune_a_saisir(form, nom: str = "commune") -> None:
    """A commune typed with suggestions when the list is long."""
    proposer_autocompletion(
        form,
        nom,
        url=reverse("structures:suggestions_communes"),
        cle="code_insee",
        rechercher=rechercher_communes,
        exemple="Le Mans (72181)",
    )


def structure_a_saisir(form, nom: str = "structure") -> None:
    """A structure typed with suggestions when the list is long."""
    proposer_autocompletion(
        form,
        nom,
        url=reverse("structures:suggestions_structures"),
        cle="pk",
        libelle=libelle_structure,
        rechercher=rechercher_structures,
        exemple="CCAS du Mans, Le Mans (n°\u00a012)",
    )
