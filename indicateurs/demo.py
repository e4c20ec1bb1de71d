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

from .enums import Methode, Niveau
from .indice.models import ResultatIndice
from .indice.services import UnitePubliee, charger_indice_publie

MILLESIME_DEMO = 2022
SOURCE_QUARTIERS = (
    "Ville du Mans, délibération du conseil municipal du 15 septembre 2022 (plan d'action "
    "inclusion numérique), annexe\u00a0: indice de fragilité numérique par quartier (IRIS)"
)
SOURCE_COMMUNES = (
    "Ville du Mans, délibération du conseil municipal du 15 septembre 2022 (plan d'action "
    "inclusion numérique), annexe\u00a0: indice de fragilité numérique des communes de Le Mans "
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
            # the annex names districts: a district table, though the zones carry IRIS codes
            unites.append(
                UnitePubliee(
                    indice=float(ligne["indice"]), zone=zone, niveau_publie=Niveau.QUARTIER
                )
            )
    if manquantes:
        raise ValueError(f"Quartiers du Mans introuvables\u00a0: {', '.join(manquantes)}")
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


MILLESIME_INDICATEURS_DEMO = 2021
SOURCE_INDICATEURS_DEMO = (
    "valeurs fictives de démonstration, du même ordre de grandeur que les données de l'INSEE "
    "et de l'Arcep\u00a0: à ne pas citer"
)
# indicator → (lowest, highest) plausible value for a commune of the métropole; the demo's
# values rise with the published index, with noise, so that the axes differ between communes
BORNES_INDICATEURS_DEMO = {
    "non_couverture_thd": (0.5, 30.0),
    "pauvrete": (4.0, 26.0),
    "distance_bibliotheque": (0.3, 5.0),
    "distance_services_publics": (0.5, 9.0),
    "menages_une_personne": (22.0, 52.0),
    "familles_monoparentales": (7.0, 26.0),
    "chomage": (5.0, 21.0),
    "etrangers": (0.5, 12.0),
    "dependance_prestations": (8.0, 36.0),
    "age_65_plus": (14.0, 32.0),
    "peu_diplomes": (18.0, 42.0),
}
# the sign of each indicator's link with the published index: the access-to-services
# indicators are higher in the periurban communes, which the published index ranks low
SENS_INDICATEURS_DEMO = {
    "non_couverture_thd": -1,
    "distance_bibliotheque": -1,
    "distance_services_publics": -1,
    "age_65_plus": -0.3,
}


def charger_indicateurs_demo() -> int:
    """Fictitious values of the 11 indicators for the métropole's communes (labelled as such),
    and the index computed from them by the national method over the métropole, once: the
    unit pages then show the nature of each commune's fragility. Returns the values written."""
    import random

    from territoires.demo import SIREN_LE_MANS_METROPOLE

    from .indice.services import Valeur, calculer_indice, enregistrer_valeurs

    deja = ResultatIndice.objects.tous().filter(
        methode=Methode.RANGS, millesime=MILLESIME_INDICATEURS_DEMO, tache="load_demo"
    )
    if deja.exists():
        return 0
    publies = {ligne["commune"]: float(ligne["indice"]) for ligne in _lire(FICHIER_COMMUNES)}
    bas, haut = min(publies.values()), max(publies.values())
    hasard = random.Random(72)  # noqa: S311 (demo data, not a secret)
    valeurs = []
    for nom, commune in sorted(communes_du_tableau().items()):
        position = (publies[nom] - bas) / ((haut - bas) or 1)  # 0 least, 1 most fragile
        for indicateur, (minimum, maximum) in BORNES_INDICATEURS_DEMO.items():
            sens = SENS_INDICATEURS_DEMO.get(indicateur, 1)
            part = position if sens > 0 else 1 - position * abs(sens)
            part = min(1.0, max(0.0, part + hasard.gauss(0, 0.18)))
            valeurs.append(
                Valeur(
                    niveau="commune",
                    code=commune.pk,
                    indicateur=indicateur,
                    valeur=round(minimum + part * (maximum - minimum), 1),
                    millesime=MILLESIME_INDICATEURS_DEMO,
                    source=SOURCE_INDICATEURS_DEMO,
                    commune_id=commune.pk,
                    zone_id=None,
                )
            )
    enregistrer_valeurs(valeurs=valeurs)
    calculer_indice(
        niveau="commune",
        millesime=MILLESIME_INDICATEURS_DEMO,
        reference=SIREN_LE_MANS_METROPOLE,
        tache="load_demo",
    )
    return len(valeurs)


def charger_statistiques_demo():
    """Snapshots of the monthly statistics for the demo's closed months (every run replaces
    them: the computation is idempotent). Returns the computation's report."""
    from django.db import connection

    from conseillers.models import Activite, Conseiller

    from .statistiques.calcul import calculer_periode, dernier_mois_clos, premier_jour

    if connection.vendor == "postgresql":
        # thousands of rows were just written in this transaction: without fresh planner
        # statistics, PostgreSQL may plan the month's grouping for an empty table
        tables = [Activite._meta.db_table, Activite.beneficiaires.through._meta.db_table]
        tables.append(Conseiller._meta.db_table)
        with connection.cursor() as curseur:
            curseur.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))

    premiere = Activite.objects.tous().visibles().order_by("date").values_list("date", flat=True)
    fin = dernier_mois_clos()
    debut = premier_jour(premiere.first() or fin)
    return calculer_periode(min(debut, fin), fin, tache="load_demo")
