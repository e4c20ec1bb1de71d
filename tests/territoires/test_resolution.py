"""Resolution of a file's commune and the cross-checks of its postal code and point, on the
full reference geography (``import_territoires``) and on rows of the real files of
``../shared/data/realdata`` (copied, with their file and id, into
``donnees/communes-des-fichiers-reels.json``; Licence Ouverte for the national map's
files, ANCT open data for France Services)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from territoires.resolution import Referentiel

pytestmark = pytest.mark.django_db

REELS = Path(__file__).parent / "donnees" / "communes-des-fichiers-reels.json"
NBSP = "\u00a0"

# commune as the real file writes it (with its code where needed)
# -> (today's commune, arrondissement zone code, warning)
ATTENDUS = {
    "VALBERG": (
        "06094",
        None,
        "« VALBERG » (06470) n'est ni une commune ni une localité de ce code postal\u00a0: "
        f"rattaché à Péone (06094), la commune de ce code postal la plus proche du point "
        f"(2{NBSP}km)",
    ),
    "MARSEILLE 3": ("13055", "13203", None),
    "Marseille 3e": ("13055", "13203", None),
    "MARSEILLE 1ER ARRONDISSEMENT": ("13055", "13201", None),
    "PARIS 19": ("75056", "75119", None),
    "PUYRICARD": (
        "13001",
        None,
        "« PUYRICARD » (13540)\u00a0: localité postale d'Aix-en-Provence (13001), rattaché à "
        "Aix-en-Provence",
    ),
    "LES MILLES": (
        "13001",
        None,
        "« LES MILLES » (13290)\u00a0: localité postale d'Aix-en-Provence (13001), rattaché à "
        "Aix-en-Provence",
    ),
    "MONTFAVET": (
        "84007",
        None,
        "« MONTFAVET » (84140)\u00a0: localité postale d'Avignon (84007), rattaché à Avignon",
    ),
    "CANNES LA BOCCA": (
        "06029",
        None,
        "« CANNES LA BOCCA » (06150)\u00a0: localité postale de Cannes (06029), rattaché à Cannes",
    ),
    "PIERREFITTE-SUR-SEINE": (
        "93066",
        None,
        "« PIERREFITTE-SUR-SEINE » (93380)\u00a0: commune fusionnée dans Saint-Denis (93066) en "
        "2025, rattaché à Saint-Denis",
    ),
    "Pierrefitte-sur-Seine": (
        "93066",
        None,
        "code 93059 (Pierrefitte-sur-Seine)\u00a0: commune fusionnée dans Saint-Denis (93066) en "
        "2025, rattaché à Saint-Denis",
    ),
    "Mansle": (
        "16206",
        None,
        "« Mansle » (16230)\u00a0: commune déléguée de Mansle-les-Fontaines (16206), rattaché à "
        "Mansle-les-Fontaines",
    ),
    ("Mansle", "16206"): (
        "16206",
        None,
        "« Mansle » (16206) est une commune déléguée de Mansle-les-Fontaines\u00a0: rattaché à "
        "Mansle-les-Fontaines",
    ),
    "MANSLE": (
        "16206",
        None,
        "« MANSLE » (16230)\u00a0: commune déléguée de Mansle-les-Fontaines (16206), rattaché à "
        "Mansle-les-Fontaines",
    ),
    "AMBLEVILLE": (
        "16186",
        None,
        "« AMBLEVILLE » (16300)\u00a0: commune fusionnée dans Lignières-Ambleville (16186) en "
        "2022, "
        "rattaché à Lignières-Ambleville",
    ),
    "CHERVES-RICHEMONT": (
        "16097",
        None,
        "« CHERVES-RICHEMONT » (16370)\u00a0: commune déléguée de Val-de-Cognac (16097), rattaché "
        "à Val-de-Cognac",
    ),
    "MOSNAC": (
        "16233",
        None,
        "« MOSNAC » (16120)\u00a0: commune déléguée de Mosnac-Saint-Simeux (16233), rattaché à "
        "Mosnac-Saint-Simeux",
    ),
    "BLANZAC PORCHERESSE": (
        "16046",
        None,
        "« BLANZAC PORCHERESSE » (16250) n'est ni une commune ni une localité de ce code "
        "postal\u00a0: rattaché à Coteaux-du-Blanzacais (16046), la commune de ce code postal la "
        f"plus proche du point (2{NBSP}km)",
    ),
    "Coteaux-du-Blanzacais": ("16046", None, None),
    "Mont-Dore": ("63236", None, None),
}


@pytest.fixture
def referentiel():
    call_command("import_territoires", verbosity=0)
    return Referentiel.complet()


def test_resolution_et_controles(referentiel):
    """One database for every case: the full import takes a while."""
    lignes = json.loads(REELS.read_text(encoding="utf-8"))
    assert len(lignes) == 36
    for ligne in lignes:
        resolution = referentiel.resoudre(
            ligne["code_insee"],
            ligne["code_postal"],
            ligne["commune"],
            ligne["latitude"],
            ligne["longitude"],
        )
        code, zone, avertissement = ATTENDUS.get(
            (ligne["commune"], ligne["code_insee"]), ATTENDUS[ligne["commune"]]
        )
        assert resolution.code == code, ligne
        assert (resolution.arrondissement.code if resolution.arrondissement else None) == zone
        assert resolution.avertissements == ([avertissement] if avertissement else []), ligne

    # the national map's New Caledonia file codes Le Mont-Dore with Puy-de-Dôme's 63236:
    # 9 sites, each about 17,030 km from Mont-Dore as the crow flies (haversine; the issue's
    # 19,350 km is not a great-circle distance)
    mont_dore = referentiel.communes["63236"]
    caledonie = [
        ligne
        for ligne in lignes
        if ligne["code_insee"] == "63236" and ligne["fichier"].startswith("carto-nouvelle")
    ]
    assert len(caledonie) == 9
    ecarts = []
    for ligne in caledonie:
        ecart, limite = referentiel.ecart_du_point(mont_dore, ligne["latitude"], ligne["longitude"])
        assert limite == 30
        ecarts.append(ecart)
        message = referentiel.message_point_eloigne(mont_dore, ecart, limite)
        assert message.startswith("le point est à 17\u202f0")
        assert message.endswith(
            f"km du centre de Mont-Dore (63236), pour 30{NBSP}km au plus\u00a0: vérifiez la "
            "commune "
            "ou les coordonnées (même nom\u00a0: Le Mont-Dore (98817))"
        )
    assert 17_000 < min(ecarts) <= max(ecarts) < 17_050
    assert referentiel.controler_code_postal(mont_dore, "98800") == (
        "le code postal 98800 n'est pas celui de Mont-Dore (63240) ; c'est celui de Nouméa (98818)"
    )
    # the France Services row of 63236 is in Puy-de-Dôme: near its centre
    assert referentiel.ecart_du_point(mont_dore, 45.575118, 2.810089) is None


CAS = [
    # arrondissements by name, short or in full, by code, and by postal code
    (("", "75012", "Paris 12e"), "75056", "75112", None),
    (("", "", "Paris 12e"), "75056", "75112", None),
    (("", "69003", "Lyon 3ème"), "69123", "69383", None),
    (("", "13001", "Marseille 1er arrondissement"), "13055", "13201", None),
    (("75119", "75019", "Paris"), "75056", "75119", None),
    (("", "75116", "PARIS"), "75056", "75116", None),
    # accents, case, hyphens and « St » / « Ste » are tolerated
    (("", "72120", "ST CALAIS"), "72269", None, None),
    (("", "72380", "ste jamme sur sarthe"), "72289", None, None),
    # merged communes, by code and by name
    (
        ("16140", "16230", ""),
        "16206",
        None,
        "code 16140 (Fontclaireau)\u00a0: commune fusionnée dans Mansle-les-Fontaines (16206) "
        "en 2023, rattaché à Mansle-les-Fontaines",
    ),
    (
        ("16206", "16230", "Mansle"),
        "16206",
        None,
        "« Mansle » (16206) est une commune déléguée de Mansle-les-Fontaines\u00a0: rattaché à "
        "Mansle-les-Fontaines",
    ),
    # a name unique in the département, whatever the postal code
    (
        ("", "84000", "Montfavet"),
        "84007",
        None,
        "« Montfavet » (84000)\u00a0: seule commune ou localité de ce nom dans le département "
        "84, rattaché à Avignon (84007)",
    ),
    # overseas collectivities
    (("98818", "98800", "Nouméa"), "98818", None, None),
    (("", "98714", "Papeete"), "98735", None, None),
    (("", "97133", "Saint-Barthélemy"), "97701", None, None),
    (("", "97150", "Saint-Martin"), "97801", None, None),
    (("", "97500", "Saint-Pierre"), "97502", None, None),
    (("", "98600", "Uvéa"), "98613", None, None),
    # nothing known: no commune, and no guess from an unknown code
    (("99999", "72000", "Atlantis"), None, None, None),
]


def test_cas_du_resolveur(referentiel):
    for valeurs, code, zone, avertissement in CAS:
        resolution = referentiel.resoudre(*valeurs, 48.0, 0.2)
        assert resolution.code == code, valeurs
        assert (resolution.arrondissement.code if resolution.arrondissement else None) == zone
        assert resolution.avertissements == ([avertissement] if avertissement else []), valeurs

    # the form and the API load only the communes around one place: same answers
    for valeurs in [
        ("", "84140", "MONTFAVET"),
        ("93059", "93380", "Pierrefitte-sur-Seine"),
        ("", "75019", "PARIS 19"),
        ("", "16300", "AMBLEVILLE"),
    ]:
        proche = Referentiel.autour(code_insee=valeurs[0], code_postal=valeurs[1])
        assert len(proche.communes) < 2000
        attendu, obtenu = referentiel.resoudre(*valeurs), proche.resoudre(*valeurs)
        assert (obtenu.code, obtenu.zone_id, obtenu.avertissements) == (
            attendu.code,
            attendu.zone_id,
            attendu.avertissements,
        )
