"""The reference territory every subject reads by: a commune, an EPCI or a département."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from territoires.models import Commune, Departement, Epci


class CalculImpossible(ValueError):
    """Bad parameters or no data: the message is shown to the user as is (French)."""


@dataclass(frozen=True)
class Territoire:
    """A reference territory: a commune, an EPCI or a département."""

    type: str  # "commune" | "epci" | "departement"
    code: str
    nom: str

    def q(self, chemin: str = "commune") -> Q:
        if self.type == "commune":
            return Q(**{f"{chemin}_id": self.code})
        return Q(**{f"{chemin}__{self.type}_id": self.code})

    def communes(self):
        """The territory's communes (a commune is its own territory)."""
        champ = {"commune": "pk", "epci": "epci_id", "departement": "departement_id"}[self.type]
        return Commune.objects.filter(**{champ: self.code})


def territoire_de_reference(code: str) -> Territoire:
    """``72181`` (commune), ``247200132`` (EPCI) or ``72`` (département)."""
    code = (code or "").strip().upper()
    if len(code) == 9 and (epci := Epci.objects.filter(pk=code).first()):
        return Territoire("epci", epci.pk, epci.nom)
    if len(code) == 5 and (commune := Commune.objects.filter(pk=code).first()):
        return Territoire("commune", commune.pk, commune.nom)
    if len(code) in (2, 3) and (departement := Departement.objects.filter(pk=code).first()):
        return Territoire("departement", departement.pk, departement.nom)
    raise CalculImpossible(
        f"Territoire de référence inconnu\u00a0: « {code} » (code INSEE de commune, SIREN d'EPCI "
        "ou code de département attendu)."
    )
