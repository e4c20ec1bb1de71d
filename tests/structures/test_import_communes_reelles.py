"""Import of rows of the real files whose commune the national geography alone does not
know (arrondissements, postal localities, communes déléguées and merged, a point in New
Caledonia for a commune of Puy-de-Dôme). Slices copied from ``../shared/data/realdata``
(Licence Ouverte): ``reels-sud-charente-communes.json`` (19 rows of Hub du Sud and
Charente) and ``reels-caledonie-63236.json`` (the 41 rows of Nouméa, Dumbéa and « 63236 »
of New Caledonia whose summary fits the standard's 280 characters)."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from structures.models import Lieu
from structures.normes import DonneesInvalides, importer_lieux

pytestmark = pytest.mark.django_db

DONNEES = Path(__file__).parent / "donnees"
SUD_CHARENTE = DONNEES / "reels-sud-charente-communes.json"
CALEDONIE = DONNEES / "reels-caledonie-63236.json"


def test_communes_des_fichiers_reels_importees_avec_leurs_avertissements(tmp_path):
    call_command("import_territoires", verbosity=0)

    rapport = importer_lieux(chemin=SUD_CHARENTE)
    assert (rapport.total, rapport.crees) == (19, 19)
    assert rapport.avertissements[:3] == [
        "Ligne 2\u00a0: « VALBERG » (06470) n'est ni une commune ni une localité de ce code "
        "postal\u00a0: rattaché à Péone (06094), la commune de ce code postal la plus proche du "
        "point (2\u00a0km).",
        "Ligne 4\u00a0: « PUYRICARD » (13540)\u00a0: localité postale d'Aix-en-Provence (13001), "
        "rattaché à Aix-en-Provence.",
        "Ligne 5\u00a0: « MONTFAVET » (84140)\u00a0: localité postale d'Avignon (84007), "
        "rattaché à Avignon.",
    ]
    assert (
        "Ligne 16\u00a0: « AMBLEVILLE » (16300)\u00a0: commune fusionnée dans Lignières-Ambleville "
        "(16186) en 2022, rattaché à Lignières-Ambleville."
    ) in rapport.avertissements
    assert (
        "Ligne 12\u00a0: « CANNES LA BOCCA » (06150)\u00a0: localité postale de Cannes (06029), "
        "rattaché à Cannes."
    ) in rapport.avertissements
    lieux = Lieu.objects.tous()
    communes = {(lieu.commune_id, lieu.zone.code if lieu.zone else None) for lieu in lieux}
    assert {
        ("06094", None),
        ("13001", None),
        ("84007", None),
        ("06029", None),
        ("13055", "13203"),
        ("13055", "13201"),
        ("16206", None),
        ("16186", None),
        ("16097", None),
        ("16233", None),
        ("16046", None),
    } == communes
    assert lieux.filter(commune="13055", zone__code="13201").count() == 3

    # again: nothing changes (the arrondissement stays)
    encore = importer_lieux(chemin=SUD_CHARENTE)
    assert (encore.crees, encore.modifies, encore.inchanges) == (0, 0, 19)

    # New Caledonia: Le Mont-Dore coded as Puy-de-Dôme's Mont-Dore (63236), refused with
    # the distance; nothing written
    with pytest.raises(DonneesInvalides) as refus:
        importer_lieux(chemin=CALEDONIE)
    erreurs = refus.value.erreurs
    assert len(erreurs) == 8
    assert {e.colonne for e in erreurs} == {"latitude"}
    assert all(
        e.raison.startswith("le point est à 17\u202f0")
        and e.raison.endswith(
            "km du centre de Mont-Dore (63236), pour 30\u00a0km au plus\u00a0: vérifiez la commune "
            "ou les coordonnées (même nom\u00a0: Le Mont-Dore (98817))"
        )
        for e in erreurs
    )
    assert str(erreurs[0]) == (
        "ligne 4, colonne latitude\u00a0: le point est à 17\u202f029\u00a0km du centre de "
        "Mont-Dore (63236), pour 30\u00a0km au plus\u00a0: vérifiez la commune ou les coordonnées "
        "(même nom\u00a0: Le Mont-Dore (98817))"
    )
    assert Lieu.objects.tous().count() == 19

    # the same rows with their commune's code corrected import into the collectivity
    lignes = json.loads(CALEDONIE.read_text(encoding="utf-8"))
    for ligne in lignes:
        if ligne["code_insee"] == "63236":
            ligne["code_insee"] = "98817"
    corrige = tmp_path / "caledonie.json"
    corrige.write_text(json.dumps(lignes, ensure_ascii=False), encoding="utf-8")
    rapport = importer_lieux(chemin=corrige)
    assert rapport.crees == 41
    assert Lieu.objects.tous().filter(commune="98817").count() == 8
    assert Lieu.objects.tous().filter(commune__departement="988").count() == 41
    # every New Caledonian row says 98800, Nouméa's postal code: a warning, not a refusal
    assert (
        "Ligne 4\u00a0: le code postal 98800 n'est pas celui du Mont-Dore (98809) ; c'est celui "
        "de Nouméa (98818)."
    ) in rapport.avertissements
