"""import_indicateurs: per-line errors, all or nothing, dry run, replacement, the command."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from indicateurs.indice.importation import IndicateursInvalides, importer_indicateurs
from indicateurs.indice.models import ValeurIndicateur
from tests.territoires.factories import ZoneFactory

pytestmark = pytest.mark.django_db

ANNEE_MAX = date.today().year + 1
ENTETE = "niveau,code,indicateur,valeur,millesime,source\n"


def importer(texte: str, **options):
    return importer_indicateurs(flux=io.StringIO(texte), **options)


def valeurs():
    return ValeurIndicateur.objects.tous()


def test_import_virgule_et_point_virgule_decimales_a_virgule(geographie):
    rapport = importer(
        "niveau;code;indicateur;valeur;millesime;source\n"
        "commune;72181;pauvrete;21,5;2022;Filosofi\n"
        "COMMUNE;72386;Pauvrete;8.25;2022;Filosofi\n"
        "commune;49007;chomage;12;2021;\n"
    )
    assert rapport.resume() == (
        "3 valeurs d'indicateurs (commune 2021\u00a0: 1, commune 2022\u00a0: 2)\u00a0: 3 "
        "nouvelles, 0 remplacées"
    )
    assert dict(valeurs().filter(millesime=2022).values_list("code", "valeur")) == {
        "72181": 21.5,
        "72386": 8.25,
    }
    le_mans = valeurs().get(code="72181")
    assert (le_mans.commune_id, le_mans.zone_id, le_mans.source) == ("72181", None, "Filosofi")


def test_rattachement_aux_iris_et_quartiers(geographie):
    bellevue = geographie["zones"][0]
    iris = ZoneFactory(commune=geographie["le_mans"], type="iris", code="721810101", nom="Iris 1")
    importer(
        ENTETE + "iris,721810101,chomage,10,2022,INSEE\n"
        "iris,721819999,chomage,11,2022,INSEE\n"
        "iris,999990000,chomage,12,2022,INSEE\n"
        f"quartier,{bellevue.pk},chomage,13,2022,Ville\n"
        "quartier,inconnu,chomage,14,2022,Ville\n"
    )
    rattaches = {v.code: (v.commune_id, v.zone_id) for v in valeurs()}
    assert rattaches == {
        "721810101": ("72181", iris.pk),
        "721819999": ("72181", None),  # the commune is known from the IRIS code
        "999990000": (None, None),  # kept, visible to staff only
        str(bellevue.pk): ("72181", bellevue.pk),
        "inconnu": (None, None),
    }


def test_erreurs_par_ligne_et_rien_n_est_ecrit(geographie):
    texte = ENTETE + (
        "commune;72181;pauvrete;21;2022;ok\n"  # 2: valid, not written
        "region;72181;pauvrete;21;2022;x\n"  # 3
        "commune;72181;inconnu;21;2022;x\n"  # 4
        "commune;72181;chomage;douze;2022;x\n"  # 5
        "commune;72181;etrangers;3;22;x\n"  # 6
        "commune;99999;pauvrete;21;2022;x\n"  # 7
        "commune;72181;pauvrete;22;2022;x\n"  # 8: duplicate of 2
        "iris;7218101;chomage;3;2022;x\n"  # 9
        "commune;72386;chomage;;2022;x\n"  # 10
        "commune;72386;age_65_plus;nan;2022;x\n"  # 11
        "commune;;age_65_plus;1;3000;x\n"  # 12: two errors
    ).replace(";", ",")
    with pytest.raises(IndicateursInvalides) as exc:
        importer(texte)
    assert [str(e) for e in exc.value.erreurs] == [
        "ligne 3, colonne niveau\u00a0: niveau inconnu « region » (commune, iris ou quartier)",
        "ligne 4, colonne indicateur\u00a0: indicateur inconnu « inconnu » (attendu\u00a0: "
        "non_couverture_thd, pauvrete, distance_bibliotheque, distance_services_publics, "
        "menages_une_personne, familles_monoparentales, chomage, etrangers, "
        "dependance_prestations, age_65_plus, peu_diplomes)",
        "ligne 5, colonne valeur\u00a0: nombre invalide « douze »",
        "ligne 6, colonne millesime\u00a0: année invalide « 22 » (4 chiffres, de 1900 à "
        f"{ANNEE_MAX})",
        "ligne 7, colonne code\u00a0: commune inconnue\u00a0: code INSEE « 99999 »",
        "ligne 8, colonne -\u00a0: doublon de la ligne 2 (même niveau, code, indicateur et "
        "millésime)",
        "ligne 9, colonne code\u00a0: code IRIS invalide « 7218101 » (9 caractères)",
        "ligne 10, colonne valeur\u00a0: valeur manquante",
        "ligne 11, colonne valeur\u00a0: nombre invalide « nan »",
        "ligne 12, colonne code\u00a0: code manquant",
        "ligne 12, colonne millesime\u00a0: année invalide « 3000 » (4 chiffres, de 1900 à "
        f"{ANNEE_MAX})",
    ]
    assert not valeurs().exists()


def test_en_tete_incomplet_et_fichier_vide(geographie):
    with pytest.raises(IndicateursInvalides) as exc:
        importer("niveau,code,valeur\ncommune,72181,3\n")
    assert str(exc.value.erreurs[0]) == (
        "ligne 1, colonne indicateur, millesime\u00a0: colonne(s) absente(s) de l'en-tête ; "
        "attendu\u00a0: niveau,code,indicateur,valeur,millesime,source"
    )
    with pytest.raises(IndicateursInvalides, match="1 erreur"):
        importer(ENTETE)


def test_reimport_remplace_la_valeur_de_meme_cle(geographie):
    importer(ENTETE + "commune,72181,pauvrete,21,2022,v1\ncommune,72181,chomage,9,2022,v1\n")
    rapport = importer(
        ENTETE + "commune,72181,pauvrete,23.5,2022,v2\ncommune,72181,pauvrete,20,2021,v2\n"
    )
    assert (rapport.nouvelles, rapport.remplacees) == (1, 1)
    assert sorted(valeurs().values_list("indicateur", "millesime", "valeur", "source")) == [
        ("chomage", 2022, 9.0, "v1"),
        ("pauvrete", 2021, 20.0, "v2"),
        ("pauvrete", 2022, 23.5, "v2"),
    ]


def test_simulation_n_ecrit_rien(geographie):
    importer(ENTETE + "commune,72181,pauvrete,21,2022,v1\n")
    rapport = importer(
        ENTETE + "commune,72181,pauvrete,30,2022,v2\ncommune,72386,pauvrete,5,2022,v2\n",
        dry_run=True,
    )
    assert rapport.resume() == (
        "2 valeurs d'indicateurs (commune 2022\u00a0: 2)\u00a0: 1 nouvelles, 1 remplacées "
        "(simulation, rien n'a été écrit)"
    )
    assert list(valeurs().values_list("code", "valeur")) == [("72181", 21.0)]


def test_commande_resume_sur_une_ligne(geographie, tmp_path, capsys):
    fichier = tmp_path / "indicateurs.csv"
    fichier.write_text(ENTETE + "commune,72181,pauvrete,21,2022,Filosofi\n", encoding="utf-8")
    call_command("import_indicateurs", str(fichier))
    assert capsys.readouterr().out == (
        "1 valeurs d'indicateurs (commune 2022\u00a0: 1)\u00a0: 1 nouvelles, 0 remplacées\n"
    )


def test_commande_en_erreur_code_de_sortie_1(geographie, tmp_path, capsys, executer):
    fichier = tmp_path / "indicateurs.csv"
    fichier.write_text(
        ENTETE + "commune,72181,pauvrete,21,2022,ok\ncommune,72181,chomage,x,2022,ko\n",
        encoding="utf-8",
    )
    assert executer("import_indicateurs", str(fichier)) == 1
    sortie = capsys.readouterr()
    assert sortie.out == ""
    assert "ligne 3, colonne valeur\u00a0: nombre invalide « x »" in sortie.err
    assert "Import refusé\u00a0: 1 erreur(s), aucune donnée n'a été écrite." in sortie.err
    assert not valeurs().exists()
    assert executer("import_indicateurs", str(tmp_path / "absent.csv")) == 1
    assert "Fichier introuvable" in capsys.readouterr().err


def test_fichier_non_utf8(geographie, tmp_path):
    fichier = tmp_path / "latin1.csv"
    fichier.write_bytes((ENTETE + "commune,72181,pauvrete,21,2022,Déclaré\n").encode("latin-1"))
    with pytest.raises(IndicateursInvalides) as exc:
        importer_indicateurs(chemin=fichier)
    assert (
        str(exc.value.erreurs[0])
        == "ligne 1, colonne -\u00a0: le fichier n'est pas encodé en UTF-8"
    )


def test_un_caractere_nul_est_refuse_avec_sa_ligne(geographie, postgres):
    """A NUL in a cell (found by a random draw of the hostile-input tests) is refused by
    line, on PostgreSQL too, instead of a DataError from the database."""
    texte = ENTETE + (
        "commune;72181;pauvrete;21;2022;ok\n"  # 2
        "commune;72\x00181;pauvrete;21;2022;x\n"  # 3
        "quartier;Bellevue\x00;chomage;3;2022;x\n"  # 4
        "commune;72386;chomage;3;2022;source\x00\n"  # 5
        "commune;72386;pauvrete;3\r;2022;x\n"  # 6
    ).replace(";", ",")
    with pytest.raises(IndicateursInvalides) as exc:
        importer(texte)
    messages = [str(e) for e in exc.value.erreurs]
    controle = "caractère de contrôle interdit (NUL, retour chariot…)\u00a0: retirez-le"
    assert messages[:3] == [
        f"ligne 3, colonne code\u00a0: {controle}",
        f"ligne 4, colonne code\u00a0: {controle}",
        f"ligne 5, colonne source\u00a0: {controle}",
    ]
    assert not valeurs().exists()
