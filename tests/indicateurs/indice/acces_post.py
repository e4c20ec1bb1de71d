"""Rows of the POST matrix (tests/test_acces_post.py) for the fragility index.

Computing a new version and loading outlines: the coordinators on their own territory,
staff on any. Another territory's coordinator asking for Le Mans Métropole is refused
(403), and its outlines of Le Mans are refused by the file's check (400); advisors,
referents and élus are refused.
"""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicateurs.indice.models import Contour, ResultatIndice
from indicateurs.indice.services import Valeur, enregistrer_valeurs
from tests.matrice_post import OK, Cas, Envoi, attendus

METROPOLE = "247200132"
CARRE = {
    "type": "Polygon",
    "coordinates": [[[0.1, 47.9], [0.3, 47.9], [0.3, 48.1], [0.1, 48.1], [0.1, 47.9]]],
}


def _calculer(e: Envoi) -> Cas:
    """Two indicators for the two communes of the métropole, in 2022."""
    enregistrer_valeurs(
        valeurs=[
            Valeur("commune", commune.pk, indicateur, valeur, 2022, "essai", commune.pk, None)
            for commune, valeurs in (
                (e.geo["le_mans"], {"pauvrete": 10, "chomage": 5}),
                (e.geo["yvre"], {"pauvrete": 20, "chomage": 4}),
            )
            for indicateur, valeur in valeurs.items()
        ]
    )
    return Cas(
        reverse("indicateurs:indice_calculer"),
        {
            "reference": METROPOLE,
            "niveau": "commune",
            "millesime": "2022",
            "methode": "rangs",
            "echelle": "100",
        },
        lambda: ResultatIndice.objects.tous().filter(calcule_par=e.user).exists(),
    )


def _contours(e: Envoi) -> Cas:
    """An IRIS of Le Mans."""
    contenu = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"code_iris": "721810101", "nom": "Gare"},
                    "geometry": CARRE,
                }
            ],
        }
    ).encode()
    return Cas(
        reverse("indicateurs:contours_importer"),
        {
            "niveau": "iris",
            "fichier": SimpleUploadedFile("iris.geojson", contenu),
            "source": "INSEE 2024",
        },
        lambda: Contour.objects.tous().filter(code="721810101").exists(),
    )


LIGNES: dict = {
    ("indicateurs:indice_calculer", ""): (
        _calculer,
        attendus(coordinateur=OK, staff=OK),
    ),
    ("indicateurs:contours_importer", ""): (
        _contours,
        attendus(coordinateur=OK, staff=OK, coordinateur_autre_territoire=400),
    ),
}
