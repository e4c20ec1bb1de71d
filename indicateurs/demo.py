"""Demo: the fragility index published by Le Mans (council deliberation of 15 September 2022).

Two tables, loaded as they were published (method ``publie``): per district of Le Mans,
matched by name to the demo's zones, and per commune of Le Mans Métropole, matched by
normalised name within the EPCI. Values are kept exactly as published.
"""

from __future__ import annotations

import csv

from territoires.demo import CODE_LE_MANS, FICHIER_COMMUNES, FICHIER_ZONES, communes_du_tableau
from territoires.models import Zone
from territoires.text import normaliser

from .enums import Methode
from .models import ResultatIndice
from .services import UnitePubliee, charger_indice_publie

MILLESIME_DEMO = 2022
SOURCE_QUARTIERS = (
    "Ville du Mans, délibération du conseil municipal du 15 septembre 2022 (plan d'action "
    "inclusion numérique), annexe : indice de fragilité numérique par quartier (IRIS)"
)
SOURCE_COMMUNES = (
    "Ville du Mans, délibération du conseil municipal du 15 septembre 2022 (plan d'action "
    "inclusion numérique), annexe : indice de fragilité numérique des communes de Le Mans "
    "Métropole"
)


def _lire(chemin) -> list[dict[str, str]]:
    with chemin.open(encoding="utf-8", newline="") as fichier:
        return list(csv.DictReader(fichier))


def unites_des_quartiers() -> list[UnitePubliee]:
    zones = {
        z.nom_recherche: z
        for z in Zone.objects.tous().filter(commune_id=CODE_LE_MANS).select_related("commune")
    }
    unites, manquantes = [], []
    for ligne in _lire(FICHIER_ZONES):
        zone = zones.get(normaliser(ligne["zone"]))
        if zone is None:
            manquantes.append(ligne["zone"])
        else:
            unites.append(UnitePubliee(indice=float(ligne["indice"]), zone=zone))
    if manquantes:
        raise ValueError(f"Quartiers du Mans introuvables : {', '.join(manquantes)}")
    return unites


def unites_des_communes() -> list[UnitePubliee]:
    communes = communes_du_tableau()
    return [
        UnitePubliee(indice=float(ligne["indice"]), commune=communes[ligne["commune"]])
        for ligne in _lire(FICHIER_COMMUNES)
    ]


def charger_indices_demo() -> int:
    """Load both published tables once (idempotent); returns the number of units loaded."""
    total = 0
    for source, unites in (
        (SOURCE_QUARTIERS, unites_des_quartiers),
        (SOURCE_COMMUNES, unites_des_communes),
    ):
        deja = ResultatIndice.objects.tous().filter(
            methode=Methode.PUBLIE, millesime=MILLESIME_DEMO, parametres__source=source
        )
        if not deja.exists():
            total += charger_indice_publie(
                unites=unites(), millesime=MILLESIME_DEMO, source=source, tache="load_demo"
            ).nombre_unites
    return total


def charger_statistiques_demo():
    """Snapshots of the monthly statistics for the demo's closed months (every run replaces
    them: the computation is idempotent). Returns the computation's report."""
    from conseillers.models import Activite

    from .statistiques import calculer_periode, dernier_mois_clos, premier_jour

    premiere = Activite.objects.tous().visibles().order_by("date").values_list("date", flat=True)
    fin = dernier_mois_clos()
    debut = premier_jour(premiere.first() or fin)
    return calculer_periode(min(debut, fin), fin, tache="load_demo")
