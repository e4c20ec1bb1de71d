"""What waits for a coordinator today, counted by the apps that own the data.

``comptes`` comes below the apps that hold requests, conventions, advisors and error
reports: each registers its counters here when it starts (``AppConfig.ready``), and the
coordination space lists them with a link to the filtered list where they are done."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tache:
    """``nombre`` things to do, said ``singulier`` or ``pluriel``, done from ``url``."""

    ordre: int
    nombre: int
    singulier: str
    pluriel: str
    url: str

    @property
    def libelle(self) -> str:
        # French treats 0 and 1 as singular
        return self.singulier if self.nombre <= 1 else self.pluriel


_COMPTEURS: list[Callable[[object], Iterable[Tache]]] = []


def enregistrer(compteur: Callable[[object], Iterable[Tache]]) -> None:
    """``compteur(user)`` returns the tasks of ``user``'s territory that it counts."""
    if compteur not in _COMPTEURS:
        _COMPTEURS.append(compteur)


def taches(user) -> list[Tache]:
    return sorted((t for compteur in _COMPTEURS for t in compteur(user)), key=lambda t: t.ordre)
