"""Import and export of sites in the national standard *lieux de médiation numérique*."""

from __future__ import annotations

import csv
import io
import json

from structures.models import Lieu
from structures.normes import COLONNES, exporter_csv, exporter_json
from tests.structures.factories import LieuFactory


def test_export_csv_et_json(geographie):
    LieuFactory(commune=geographie["le_mans"], latitude=0.00001, longitude=0.1996)
    flux = io.StringIO()
    assert exporter_csv(Lieu.objects.tous(), flux) == 1
    lignes = list(csv.DictReader(io.StringIO(flux.getvalue())))
    assert list(lignes[0]) == COLONNES
    assert lignes[0]["latitude"] == "0.00001"
    assert lignes[0]["services"] == (
        "Aide aux démarches administratives|Maîtrise des outils numériques du quotidien"
    )
    assert lignes[0]["code_insee"] == "72181"
    flux = io.StringIO()
    exporter_json(Lieu.objects.tous(), flux)
    objets = json.loads(flux.getvalue())
    assert objets[0]["frais_a_charge"] == ["Gratuit"]
    assert objets[0]["longitude"] == 0.1996
