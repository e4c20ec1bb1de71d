"""import_indice_publie: La Mednum's published index of Pays de la Loire (real file), per IRIS."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from indicateurs.indice.models import IndiceUnite, ResultatIndice
from indicateurs.indice.publication import IndicePublieInvalide, importer_indice_publie
from territoires.models import Zone
from tests.conftest import SHARED_DATA

pytestmark = pytest.mark.django_db

FICHIER_MEDNUM = SHARED_DATA / "realdata" / "mednum-ifn-2020-region52.csv"
# communes of the 2020 file merged since into another one: their codes now name a commune
# déléguée or a former commune
COMMUNES_FUSIONNEES = {
    "49069": "Orée d'Anjou",
    "49321": "Saint-Sigismond",
    "53239": "Saint-Martin-de-Connée",
    "53274": "Vimarcé",
    "72287": "Saint-Gervais-en-Belin",
    "72298": "Saint-Mars-de-Locquenay",
    "85021": "La Bernardière",
    "85037": "Breuil-Barret",
    "85041": "Cezais",
    "85053": "La Chapelle-aux-Lys",
    "85233": "Saint-Jean-de-Beugné",
    "85271": "Saint-Sulpice-en-Pareds",
    "85307": "La Faute-sur-Mer",
}


def geographie_pays_de_la_loire(dossier: Path, *, anciennes: bool = True) -> None:
    """The reference geography of région 52 only (fast), from the project's fixtures, with
    or without the former communes (communes déléguées, associées, merged)."""
    from territoires.services import importer_territoires

    source = Path(settings.BASE_DIR) / "fixtures" / "territoires"

    def filtrer(nom, garder):
        with (source / nom).open(encoding="utf-8-sig", newline="") as entree:
            lecteur = csv.DictReader(entree)
            lignes = [ligne for ligne in lecteur if garder(ligne)]
        with (dossier / nom).open("w", encoding="utf-8", newline="") as sortie:
            ecrivain = csv.DictWriter(sortie, fieldnames=lecteur.fieldnames)
            ecrivain.writeheader()
            ecrivain.writerows(lignes)
        return lignes

    filtrer("regions.csv", lambda ligne: ligne["code"] == "52")
    filtrer("departements.csv", lambda ligne: ligne["code_region"] == "52")
    communes = filtrer("communes.csv", lambda ligne: ligne["code_region"] == "52")
    epcis = {ligne["siren_epci"] for ligne in communes}
    filtrer("epci.csv", lambda ligne: ligne["siren"] in epcis)
    if anciennes:
        codes = {ligne["code_insee"] for ligne in communes}
        filtrer("communes-anciennes.csv", lambda ligne: ligne["code_commune"] in codes)
    importer_territoires(dossier=dossier)


@pytest.fixture
def pays_de_la_loire(tmp_path):
    if not FICHIER_MEDNUM.is_file():
        pytest.skip("fichier réel absent (../shared/data/realdata)")
    geographie_pays_de_la_loire(tmp_path)


def test_fichier_reel(pays_de_la_loire):
    rapport = importer_indice_publie(chemin=FICHIER_MEDNUM, millesime=2020, reference="departement")
    # 1,905 rows, all imported; the 19 IRIS of the 13 communes merged since 2020 are
    # attached to today's commune, each with a warning
    assert (rapport.lignes, rapport.iris, rapport.refusees) == (1905, 1905, [])
    assert len(rapport.avertissements) == 19
    assert rapport.avertissements[0].startswith("ligne ")
    assert {a.split("la commune ")[1][:5] for a in rapport.avertissements} == set(
        COMMUNES_FUSIONNEES
    )
    assert "19 IRIS d'une commune fusionnée depuis" in rapport.resume()
    iris, communes = rapport.resultats
    assert (iris.niveau, iris.methode, iris.millesime, iris.nombre_unites) == (
        "iris",
        "publie",
        2020,
        1905,
    )
    # the 1,128 communes not split into IRIS, but the 12 of them merged since: their score
    # is not today's commune's
    assert communes.niveau == "commune"
    assert communes.nombre_unites == rapport.communes == 1128 - 12
    assert iris.parametres["reference_publiee"] == "departement"
    assert iris.parametres["base"] == 100
    assert "La Mednum" in iris.parametres["source"]
    # the scores of the chosen reference, as published (first IRIS of Saint-Herblain)
    atlantis = IndiceUnite.objects.tous().get(resultat=iris, code="441620805")
    assert (atlantis.nom, atlantis.commune_id, atlantis.zone_id) == ("Atlantis", "44162", None)
    assert atlantis.indice == pytest.approx(150.858028391)
    assert atlantis.acces_information == pytest.approx(133.780836444)
    assert atlantis.acces_numerique == pytest.approx(96.626872219)
    assert atlantis.competences_administratives == pytest.approx(498.168240807)
    assert atlantis.competences_numeriques == pytest.approx(21.395692216)
    assert atlantis.acces_global == pytest.approx(121.396181702)
    assert atlantis.competences_global == pytest.approx(180.319875080)
    assert atlantis.scores == {}
    grues = IndiceUnite.objects.tous().get(resultat=communes, code="85104")
    assert (grues.nom, grues.indice) == ("Grues", pytest.approx(116.344931006))
    le_mans = IndiceUnite.objects.tous().filter(resultat=iris, commune_id="72181")
    assert le_mans.count() == 71
    # Saint-Sulpice-en-Pareds (85271), commune déléguée of 85292 since 2024
    fusionnee = IndiceUnite.objects.tous().get(resultat=iris, code="852710000")
    assert (fusionnee.nom, fusionnee.commune_id) == ("Saint-Sulpice-en-Pareds", "85292")
    assert not IndiceUnite.objects.tous().filter(resultat=communes, code="85271").exists()


def test_fichier_reel_sans_les_anciennes_communes(tmp_path):
    if not FICHIER_MEDNUM.is_file():
        pytest.skip("fichier réel absent (../shared/data/realdata)")
    geographie_pays_de_la_loire(tmp_path, anciennes=False)
    with pytest.raises(IndicePublieInvalide) as exc:
        importer_indice_publie(chemin=FICHIER_MEDNUM, millesime=2020, reference="departement")
    assert len(exc.value.erreurs) == 19
    assert not ResultatIndice.objects.tous().exists()
    rapport = importer_indice_publie(
        chemin=FICHIER_MEDNUM, millesime=2020, reference="departement", partiel=True
    )
    # each refused row is one of the 19 IRIS of a commune the geography no longer knows
    assert (rapport.lignes, rapport.iris, len(rapport.refusees)) == (1905, 1886, 19)
    assert {r.valeurs["Insee Com"] for r in rapport.refusees} == set(COMMUNES_FUSIONNEES)
    for refusee in rapport.refusees:
        (erreur,) = refusee.erreurs
        assert erreur.colonne == "Insee Com"
        assert "ni commune d'aujourd'hui ni ancienne commune connue" in erreur.raison
    assert rapport.resultats[1].nombre_unites == 1128 - 12


def test_autre_reference_et_simulation(pays_de_la_loire):
    rapport = importer_indice_publie(
        chemin=FICHIER_MEDNUM, millesime=2020, reference="epci", partiel=True, dry_run=True
    )
    assert rapport.iris == 1905 and not ResultatIndice.objects.tous().exists()
    assert "simulation, rien n'a été écrit" in rapport.resume()
    rapport = importer_indice_publie(
        chemin=FICHIER_MEDNUM, millesime=2020, reference="region", partiel=True
    )
    atlantis = IndiceUnite.objects.tous().get(resultat=rapport.resultats[0], code="441620805")
    assert atlantis.indice == pytest.approx(158.737213273)
    assert atlantis.competences_global == pytest.approx(190.704889992)


def test_quartiers_de_la_demo_rattaches_a_leurs_iris(pays_de_la_loire):
    from territoires.demo import CODE_LE_MANS, charger_territoire_demo

    _, nombre = charger_territoire_demo()
    assert nombre == 71
    zones = Zone.objects.tous().filter(commune_id=CODE_LE_MANS)
    assert zones.filter(code__isnull=False).count() == 71
    rapport = importer_indice_publie(
        chemin=FICHIER_MEDNUM, millesime=2020, reference="departement", partiel=True
    )
    assert rapport.rattachees_a_une_zone == 71
    clairefontaine = zones.get(nom="Clairefontaine")
    assert clairefontaine.code == "721810701"  # Clairfontaine for the INSEE
    unite = IndiceUnite.objects.tous().get(resultat=rapport.resultats[0], zone=clairefontaine)
    assert unite.nom == "Clairefontaine" and unite.code == "721810701"


ENTETE = (
    "Libcom;Code Iris;Insee Com;Nom Iris;Type Iris;SCORE GLOBAL departement 1;"
    "ACCES A L'INFORMATION departement 1;GLOBAL COMPETENCES  departement 1\n"
)


def importer(texte: str, **options):
    return importer_indice_publie(
        flux=io.StringIO(texte), millesime=2020, reference="departement", **options
    )


def test_erreurs_par_ligne(geographie):
    texte = ENTETE + (
        "Le Mans;721810101;72181;Centre;Iris d'habitat;120,5;;90\n"  # 2: valid
        "Le Mans;72181010;72181;X;Iris d'habitat;1;1;1\n"  # 3
        "Le Mans;721810102;72181;Y;Iris d'habitat;abc;-3;1\n"  # 4: two errors
        "Le Mans;721810103;72181;;Iris d'habitat;;1;1\n"  # 5: two errors
        "Angers;490070101;72181;Z;Iris d'habitat;1;1;1\n"  # 6
        "Inconnue;999990000;99999;Inconnue;Commune non découpée en IRIS;1;1;1\n"  # 7
        "Le Mans;721810101;72181;Centre;Iris d'habitat;1;1;1\n"  # 8: duplicate of 2
        "Yvré;723860101;72386;Yvré;Commune non découpée en IRIS;1;1;1\n"  # 9
    )
    with pytest.raises(IndicePublieInvalide) as exc:
        importer(texte)
    assert [str(e) for e in exc.value.erreurs] == [
        "ligne 3, colonne Code Iris\u00a0: code IRIS invalide « 72181010 » (9 "
        "caractères\u00a0: code "
        "de la commune et 4 chiffres)",
        "ligne 4, colonne SCORE GLOBAL departement 1\u00a0: « abc » n'est pas un nombre",
        "ligne 4, colonne ACCES A L'INFORMATION departement 1\u00a0: score négatif (-3)\u00a0: "
        "un score "
        "en base 100 est positif",
        "ligne 5, colonne Nom Iris\u00a0: nom de l'IRIS manquant",
        "ligne 5, colonne SCORE GLOBAL departement 1\u00a0: score global manquant",
        "ligne 6, colonne Code Iris\u00a0: le code IRIS « 490070101 » n'est pas un IRIS de la "
        "commune 72181",
        "ligne 7, colonne Insee Com\u00a0: commune « 99999 » absente de la géographie de "
        "référence, "
        "ni commune d'aujourd'hui ni ancienne commune connue\u00a0: l'IRIS ne peut être rattaché à "
        "aucun territoire",
        "ligne 8, colonne Code Iris\u00a0: doublon de la ligne 2",
        "ligne 9, colonne Code Iris\u00a0: une commune non découpée en IRIS a pour code IRIS "
        "723860000, pas « 723860101 »",
    ]
    assert not ResultatIndice.objects.tous().exists()
    rapport = importer(texte, partiel=True)
    assert rapport.iris == 1 and len(rapport.refusees) == 7
    (unite,) = IndiceUnite.objects.tous()
    assert (unite.indice, unite.acces_information, unite.competences_global) == (120.5, None, 90)


@pytest.mark.parametrize(
    ("texte", "options", "erreur"),
    [
        (
            "a,b\n1,2\n",
            {},
            "ligne 1, colonne -\u00a0: un fichier CSV séparé par des points-virgules",
        ),
        (
            "Code Iris;Insee Com;Nom Iris;Type Iris\n1;2;3;4\n",
            {},
            "ligne 1, colonne SCORE GLOBAL departement 1\u00a0: colonne(s) absente(s)",
        ),
        (ENTETE, {}, "ligne 2, colonne -\u00a0: le fichier ne contient aucune ligne"),
        (ENTETE, {"reference": "commune"}, "référence inconnue « commune »"),
        (ENTETE, {"millesime": 1800}, "millésime invalide 1800"),
    ],
)
def test_fichiers_refuses(geographie, texte, options, erreur):
    parametres = {"millesime": 2020, "reference": "departement", **options}
    with pytest.raises(IndicePublieInvalide) as exc:
        importer_indice_publie(flux=io.StringIO(texte), **parametres)
    assert erreur in str(exc.value.erreurs[0])


def test_commande_partielle_et_rejets(geographie, executer, tmp_path, capsys):
    fichier = tmp_path / "indice.csv"
    fichier.write_text(
        "\ufeff" + ENTETE + "Le Mans;721810101;72181;Centre;Iris d'habitat;120,5;;90\n"
        "Le Mans;7218;72181;X;Iris d'habitat;1;1;1\n",
        encoding="utf-8",
    )
    argv = ["import_indice_publie", str(fichier), "--millesime", "2020", "--reference"]
    assert executer(*argv, "departement") == 1
    assert (
        "Import refusé\u00a0: 1 erreur(s), aucune donnée n'a été écrite." in capsys.readouterr().err
    )
    rejets = tmp_path / "rejets.csv"
    assert executer(*argv, "departement", "--partiel", "--rejets", str(rejets)) == 0
    sortie = capsys.readouterr()
    assert "ligne 3, colonne Code Iris\u00a0: code IRIS invalide « 7218 »" in sortie.err
    assert "1 IRIS dont 0 rattaché(s)" in sortie.out and "1 ligne refusée" in sortie.out
    with rejets.open(encoding="utf-8-sig", newline="") as lu:
        (ligne,) = list(csv.DictReader(lu, delimiter=";"))
    assert (ligne["Code Iris"], ligne["Nom Iris"]) == ("7218", "X")
    assert ligne["motifs_du_refus"].startswith(
        "ligne 3, colonne Code Iris\u00a0: code IRIS invalide"
    )
    assert executer(*argv, "departement", "--rejets", str(rejets)) == 1


def test_api_donne_les_axes_publies(geographie, client_de):
    importer(ENTETE + "Le Mans;721810101;72181;Centre;Iris d'habitat;120,5;130;90\n")
    reponse = client_de("coordinateur").get(reverse("api:indice-list"), {"niveau": "iris"})
    assert reponse.status_code == 200
    assert reponse.json() == [
        {
            "code": "721810101",
            "nom": "Centre",
            "indice": 120.5,
            "axes": {
                "acces_numerique": None,
                "acces_information": 130.0,
                "competences_administratives": None,
                "competences_numeriques": None,
            },
            "scores": {},
        }
    ]


def test_commune_fusionnee_rattachee_avec_un_avertissement(geographie, executer, tmp_path, capsys):
    from territoires.models import AncienneCommune

    AncienneCommune.objects.create(
        code_insee="72999", nom="Ancienne", type="deleguee", commune=geographie["le_mans"]
    )
    fichier = tmp_path / "indice.csv"
    fichier.write_text(
        ENTETE + "Ancienne;729990000;72999;Ancienne;Commune non découpée en IRIS;110;100;90\n"
        "Yvré;723860000;72386;Yvré;Commune non découpée en IRIS;95;100;90\n",
        encoding="utf-8",
    )
    argv = ["import_indice_publie", str(fichier), "--millesime", "2020", "--reference"]
    assert executer(*argv, "departement") == 0
    sortie = capsys.readouterr().out.splitlines()
    assert sortie[0] == (
        "ligne 2\u00a0: la commune 72999 (Ancienne) fait partie de Le Mans (72181) depuis la "
        "publication\u00a0: IRIS rattaché à Le Mans, absent de la version par commune"
    )
    assert "1 IRIS d'une commune fusionnée depuis" in sortie[-1]
    iris = IndiceUnite.objects.tous().get(code="729990000")
    assert (iris.commune_id, iris.resultat.niveau) == ("72181", "iris")
    communes = IndiceUnite.objects.tous().filter(resultat__niveau="commune")
    assert list(communes.values_list("code", flat=True)) == ["72386"]


def test_nul_dans_un_code_refuse_par_ligne(geographie):
    # a NUL never reaches PostgreSQL (which refuses it in text): one error for the row
    with pytest.raises(IndicePublieInvalide) as exc:
        importer(ENTETE + "Le Mans;721810101;72\x00181;Centre;Iris d'habitat;120;1;1\n")
    assert [str(e) for e in exc.value.erreurs] == [
        "ligne 2, colonne Insee Com\u00a0: caractère de contrôle interdit\u00a0: retirez-le"
    ]


def test_ligne_de_travers_gardee_dans_les_rejets(geographie):
    rapport = importer(
        ENTETE + "Le Mans;721810101;72181;Centre;Iris d'habitat;120;1;1\nLe Mans;721810102\n",
        partiel=True,
    )
    (refusee,) = rapport.refusees
    assert refusee.valeurs == {"Libcom": "Le Mans", "Code Iris": "721810102"}
    assert (
        str(refusee.erreurs[0])
        == "ligne 3, colonne -\u00a0: 2 valeurs pour 8 colonnes dans l'en-tête"
    )
