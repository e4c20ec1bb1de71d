"""The field's real files (``../shared/data/realdata``, see its README) imported with
``--partiel``: the counts, and why each refused row is refused — always the file's own fault
(a value the standard refuses, or a commune the reference geography does not know yet:
arrondissements, merged communes, postal localities and overseas collectivities are the
subject of items 1–5 of issue 21, whose counts change here when they land)."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from structures.models import Creneau, Lieu, Structure
from structures.normes import importer_lieux
from tests.conftest import SHARED_DATA

REELS = SHARED_DATA / "realdata"
ITINERANTES = 284  # of the 288 rows with itinerance = Oui, 4 are refused
SCHEMA = SHARED_DATA / "schema-lieux-mediation-numerique-v1.0.2.json"

# a refusal's reason -> its kind; every kind is a fault of the file
CATEGORIES = [
    ("commune introuvable", "commune introuvable"),
    ("valeur obligatoire manquante", "valeur obligatoire manquante"),
    ("n'est pas un numéro de téléphone valide", "téléphone invalide"),
    ("n'est pas un SIRET valide", "clé du SIRET fausse"),
    ("ni un SIRET", "pivot ni SIRET ni RNA"),
    ("Horaires illisibles au format OpenStreetMap", "horaires OSM illisibles"),
    ("illisibles (attendu", "horaires du jour illisibles"),
    ("adresse électronique invalide", "courriel invalide"),
    ("caractères, pour 280 au maximum", "résumé de plus de 280 caractères"),
    ("invalide (5 caractères)", "code INSEE invalide"),
    ("le point est à", "point loin de sa commune"),
]


def categorie(raison: str) -> str:
    for extrait, nom in CATEGORIES:
        if extrait in raison:
            return nom
    raise AssertionError(f"refus imprévu\u00a0: {raison}")


# file -> (sites created, rows refused, refusals by column and kind)
ATTENDUS = {
    "carto-bus-france-services-charente-20231003.json": (
        11,
        1,
        {("latitude", "point loin de sa commune"): 1},  # 485 km from Valence (16392)
    ),
    "carto-charente-20230711.json": (
        186,
        2,
        {
            ("latitude", "point loin de sa commune"): 1,  # 52 km from Cognac
            ("pivot", "clé du SIRET fausse"): 1,
        },
    ),
    "carto-hub-du-sud-paca-20230517.json": (
        636,
        10,
        {
            ("commune", "commune introuvable"): 1,
            ("horaires", "horaires OSM illisibles"): 7,
            ("latitude", "point loin de sa commune"): 2,  # 392 km, 97 km
        },
    ),
    "carto-ile-de-france-cnfs-2022.json": (
        122,
        119,
        {
            ("horaires", "horaires OSM illisibles"): 5,
            ("pivot", "pivot ni SIRET ni RNA"): 2,
            ("pivot", "valeur obligatoire manquante"): 108,
            ("telephone", "téléphone invalide"): 6,
        },
    ),
    "carto-nouvelle-caledonie-20240320.json": (
        70,
        20,
        {
            # coded 63236 (Mont-Dore, Puy-de-Dôme) with points in New Caledonia
            ("latitude", "point loin de sa commune"): 9,
            ("presentation_resume", "résumé de plus de 280 caractères"): 12,
        },
    ),
    "france-services-liste-20221201.csv": (
        2647,
        36,
        {
            ("adresse", "valeur obligatoire manquante"): 26,
            ("code_postal", "valeur obligatoire manquante"): 26,
            ("commune", "valeur obligatoire manquante"): 26,
            ("code_insee", "code INSEE invalide"): 1,  # « 0null »
            ("courriels", "courriel invalide"): 6,  # « maisondes services@nogentleroi.fr »
            ("h_mardi", "horaires du jour illisibles"): 1,  # « 09:00-13:00-/3:00-16:00 »
            ("latitude", "point loin de sa commune"): 2,  # 239 km from Camopi, 43 km
        },
    ),
    "mednumcli-aix-en-provence.json": (36, 2, {("pivot", "valeur obligatoire manquante"): 2}),
}
# files of which no row is valid, and why
REFUSES = {
    # every row lacks date_maj, and its phones lost their 0 as JSON numbers
    "mednumcli-bus-fs-charente.json": 25,
    # no pivot nor date_maj column
    "mednumcli-la-creuse.json": 2,
    # the standard's own examples: a site in Aix-en-Provence coded Reims (645 km)
    "standard-exemple-v0.1.1.csv": 1,
    "standard-exemple-v1.0.0.csv": 1,
}

# what the summary says it kept of the v0 columns, and the columns nobody reads
REPRISES = {
    "carto-hub-du-sud-paca-20230517.json": {
        "labels_nationaux → dispositif_programmes_nationaux": 471,
        "publics_accueillis → publics_specifiquement_adresses": 125,
    },
    "carto-charente-20230711.json": {
        "accessibilite → fiche_acces_libre": 46,
        "courriel → courriels": 53,
        "labels_nationaux → dispositif_programmes_nationaux": 182,
        "publics_accueillis → publics_specifiquement_adresses": 24,
    },
    "carto-ile-de-france-cnfs-2022.json": {
        "conditions_access → frais_a_charge": 241,
        "courriel → courriels": 93,
        "labels_nationaux → dispositif_programmes_nationaux": 241,
    },
}
IGNOREES = {
    "france-services-liste-20221201.csv": ["insee_dep", "commentaire", "groupe"],
    "mednumcli-aix-en-provence.json": ["cle_ban"],
}


@pytest.fixture
def france(db):
    call_command("import_territoires", verbosity=0)


@pytest.mark.parametrize("nom", list(ATTENDUS))
def test_fichier_reel_partiel(france, nom):
    crees, refusees, motifs = ATTENDUS[nom]
    rapport = importer_lieux(chemin=REELS / nom, partiel=True)
    assert (rapport.crees, len(rapport.refusees)) == (crees, refusees)
    assert Lieu.objects.tous().count() == crees
    trouves = Counter((e.colonne, categorie(e.raison)) for r in rapport.refusees for e in r.erreurs)
    assert dict(trouves) == motifs
    assert rapport.reprises == REPRISES.get(nom, rapport.reprises)
    assert rapport.ignorees == IGNOREES.get(nom, [])


def test_lignes_refusees_citees(france, tmp_path):
    """The command lists each refusal ``ligne N, colonne X\u00a0: raison`` and writes the rows."""
    rejets = tmp_path / "rejets.csv"
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command(
        "import_lieux",
        str(REELS / "mednumcli-aix-en-provence.json"),
        "--partiel",
        "--rejets",
        str(rejets),
        stdout=sortie,
        stderr=erreurs,
    )
    assert erreurs.getvalue().splitlines() == [
        "ligne 35, colonne pivot\u00a0: valeur obligatoire manquante",
        "ligne 36, colonne pivot\u00a0: valeur obligatoire manquante",
    ]
    assert "Colonnes ignorées\u00a0: cle_ban." in sortie.getvalue()
    assert "36 lieux\u00a0: 36 créés, 0 modifiés, 0 inchangés, 2 ligne(s) refusée(s)" in (
        sortie.getvalue()
    )
    with rejets.open(encoding="utf-8-sig") as flux:
        lues = list(csv.DictReader(flux, delimiter=";"))
    assert [ligne["motifs_du_refus"] for ligne in lues] == [
        "ligne 35, colonne pivot\u00a0: valeur obligatoire manquante",
        "ligne 36, colonne pivot\u00a0: valeur obligatoire manquante",
    ]
    # fixed, the refused rows import: the column of reasons is ignored
    for ligne in lues:
        ligne["pivot"] = "00000000000000"
    with rejets.open("w", encoding="utf-8-sig", newline="") as flux:
        ecrivain = csv.DictWriter(flux, fieldnames=list(lues[0]), delimiter=";")
        ecrivain.writeheader()
        ecrivain.writerows(lues)
    sortie = io.StringIO()
    call_command("import_lieux", str(rejets), stdout=sortie, stderr=io.StringIO())
    assert "2 lieux\u00a0: 2 créés" in sortie.getvalue()
    assert "Colonnes ignorées\u00a0: cle_ban." in sortie.getvalue()
    assert Lieu.objects.tous().count() == 38


@pytest.mark.parametrize("nom", list(REFUSES))
def test_sans_ligne_valide_rien_n_est_ecrit(france, nom):
    with pytest.raises(CommandError, match=f"Import refusé\u00a0: {REFUSES[nom]} erreur"):
        call_command(
            "import_lieux",
            str(REELS / nom),
            "--partiel",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not Lieu.objects.tous().exists()


def test_france_services(france):
    importer_lieux(chemin=REELS / "france-services-liste-20221201.csv", partiel=True)
    lieux = Lieu.objects.tous()
    # 288 rows say itinerance = Oui; some of them are refused (no address)
    assert sum(lieu.est_itinerant for lieu in lieux) == ITINERANTES
    valserhone = lieux.get(identifiant="1")
    assert valserhone.horaires == "Mo-Th 09:00-12:00,13:30-17:00; Fr 09:00-12:00,13:30-16:00"
    assert valserhone.date_maj.isoformat() == "2020-01-01"
    assert valserhone.structure.pivot == ""
    # the week's slots, written by COPY on PostgreSQL
    assert Creneau.objects.filter(lieu=valserhone).count() == 10
    assert Creneau.objects.count() > 20000


def test_export_apres_import_reel_valide_et_reimportable(france, tmp_path):
    from frictionless import Resource, Schema

    for nom in ATTENDUS:
        importer_lieux(chemin=REELS / nom, partiel=True)
    total = Lieu.objects.tous().count()
    export = tmp_path / "export.csv"
    call_command("export_lieux", "--sortie", str(export), stderr=io.StringIO())
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    rapport = Resource(path="export.csv", basepath=str(tmp_path), schema=schema).validate()
    assert [e.message for t in rapport.tasks for e in t.errors] == []
    assert rapport.tasks[0].stats["rows"] == total

    exclus = {"id", "structure", "cree_le", "modifie_le"}
    champs = [f.attname for f in Lieu._meta.concrete_fields if f.name not in exclus]

    def contenu():
        return sorted(
            (
                *Lieu.objects.tous().values_list(*champs),
                # a structure's name is not in the standard: the one of its first site
                *Lieu.objects.tous().values_list("identifiant", "structure__pivot"),
            ),
            key=repr,
        )

    avant = contenu()
    Lieu.objects.tous().delete()
    Structure.objects.tous().delete()
    rapport = importer_lieux(chemin=export)
    assert rapport.crees == total
    assert contenu() == avant
