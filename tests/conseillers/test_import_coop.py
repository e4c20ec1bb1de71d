"""``import_activites --format coop``: La Coop de la médiation numérique's spreadsheet export.

The test file is built to the layout of La Coop's export, as its source writes it:
``apps/web/src/features/activites/use-cases/list/export/buildActivitesWorksheet.ts`` (commit
3f0c614d1072c6d3a74da0825943d781020abc7a) and its test ``buildActivitesWorksheet.spec.ts``
in the public repository ``inclusion-numerique/coop-mediation-numerique``: the export's
information from A1, the filters from A9, an empty row, then the table of activities.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from conseillers.enums import Canal, TypeActivite
from conseillers.importation import ActivitesInvalides, importer_activites
from conseillers.models import Activite, Conseiller
from tests.conseillers.test_import import donnees  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ENTETE_COOP = [
    "Date",
    "Type",
    "Nombre de participants",
    "Bénéficiaire",
    "Canaux d’accompagnement",
    "Lieu",
    "Durée (min)",
    "Nom de l’atelier",
    "Matériel numérique utilisé",
    "Thématique(s) d’accompagnement",
    "Nom de la démarche administrative",
    "Niveau d’autonomie du bénéficiaire",
    "Niveau de l’atelier",
    "Le bénéficiaire est-il orienté vers une autre structure ?",
    "Structure de redirection",
    "Commune de résidence du bénéficiaire",
    "Genre du bénéficiaire",
    "Tranche d’âge du bénéficiaire",
    "Statut du bénéficiaire",
    "Notes supplémentaires",
]


def activite(date, type_, participants, canal, lieu, duree, thematiques, **autres):
    valeurs = dict.fromkeys(ENTETE_COOP, "")
    valeurs.update(
        {
            "Date": date,
            "Type": type_,
            "Nombre de participants": participants,
            "Bénéficiaire": autres.get("beneficiaires", "Anonyme"),
            "Canaux d’accompagnement": canal,
            "Lieu": lieu,
            "Durée (min)": duree,
            "Nom de l’atelier": autres.get("titre", ""),
            "Thématique(s) d’accompagnement": "\n".join(thematiques),
            "Tranche d’âge du bénéficiaire": "\n".join(autres.get("ages", [])),
            "Statut du bénéficiaire": "\n".join(autres.get("statuts", [])),
        }
    )
    return [valeurs[c] for c in ENTETE_COOP]


def classeur_coop(chemin, activites):
    """An export of La Coop with these rows, laid out as its source writes it."""
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Activités"
    feuille.append(["Informations export"])  # A1
    for ligne in (
        ["Nom", "Dupont"],
        ["Prénom", "Camille"],
        ["Rôle", "Médiateur"],
        ["Total", len(activites)],
        ["Date d’export", "07/12/2026"],
        ["Heure d’export", "10:30"],
        [],
        ["Filtres"],  # A9
        ["Période", "Du 01/11/2026 au 30/11/2026"],
        ["Types", "Tous"],
        ["Communes", "Commune : Le Mans · 72000"],  # A12
    ):
        feuille.append(ligne)
    feuille.append([""])  # the separator before the table
    feuille.append(ENTETE_COOP)  # row 14
    for valeurs in activites:
        feuille.append(valeurs)
    classeur.save(chemin)
    return chemin


NOVEMBRE = dt.datetime(2026, 11, 3)


def export_de_novembre(tmp_path):
    return classeur_coop(
        tmp_path / "coop.xlsx",
        [
            activite(  # 15
                NOVEMBRE,
                "Accompagnement individuel",
                1,
                "Lieu d’activité",
                "Médiathèque, 72000 Le Mans",
                45,
                ["Navigation sur internet", "E-mail"],
                ages=["70 ans et plus"],
                statuts=["Retraité(e)"],
            ),
            activite(  # 16
                NOVEMBRE + dt.timedelta(days=1),
                "Atelier collectif",
                3,
                "Autre lieu",
                "72530 Yvré-l'Évêque",
                120,
                ["Prendre en main du matériel"],
                titre="Atelier smartphone",
                ages=["Moins de 12 ans", "70 ans et plus", "Non communiqué"],
                statuts=["Scolarisé(e)", "Retraité(e)", "Non communiqué ou hétérogène"],
            ),
            activite(  # 17
                "05/11/2026",
                "Accompagnement individuel",
                1,
                "À distance",
                "",
                30,
                ["Aide aux démarches administratives", "Argent - Impôts"],
            ),
            activite(  # 18
                NOVEMBRE,
                "Accompagnement individuel",
                1,
                "À domicile",
                "72000 Ville inconnue",
                30,
                ["Santé"],
            ),
            activite(  # 19
                NOVEMBRE,
                "Accompagnement individuel",
                1,
                "Lieu d’activité",
                "Maison inconnue, 72000 Le Mans",
                30,
                ["Bureautique"],
            ),
        ],
    )


def test_export_de_la_coop_tout_ou_rien(donnees, tmp_path):  # noqa: F811
    fichier = export_de_novembre(tmp_path)
    with pytest.raises(ActivitesInvalides) as exc:
        importer_activites(chemin=fichier, format_="coop", conseiller_email="camille@exemple.test")
    assert [str(e) for e in exc.value.erreurs] == [
        "ligne 18, colonne Lieu\u00a0: commune « Ville inconnue » introuvable sous le code "
        "postal 72000",
        "ligne 19, colonne Lieu\u00a0: lieu « Maison inconnue » introuvable dans la commune Le "
        "Mans\u00a0: "
        "créez-le ou donnez-lui le nom qu'il porte dans La Coop",
    ]
    assert not Activite.objects.tous().exists()


def test_export_de_la_coop_partiel(donnees, tmp_path):  # noqa: F811
    fichier = export_de_novembre(tmp_path)
    rapport = importer_activites(
        chemin=fichier, format_="coop", conseiller_email="Camille@Exemple.test", partiel=True
    )
    assert rapport.resume() == (
        "3 activités importées, 0 conseiller créé (sans compte) ; 2 lignes refusées."
    )
    assert [r.numero for r in rapport.refusees] == [18, 19]
    individuel, atelier, distance = Activite.objects.tous().order_by("date")
    assert all(a.conseiller == donnees["conseiller"] for a in (individuel, atelier, distance))
    assert (individuel.date, individuel.type, individuel.canal) == (
        dt.date(2026, 11, 3),
        TypeActivite.INDIVIDUEL,
        Canal.LIEU_ACTIVITE,
    )
    assert (individuel.lieu, individuel.commune_id, individuel.duree_minutes) == (
        donnees["mediatheque"],
        "72181",
        45,
    )
    assert individuel.thematiques == ["navigation_internet", "email"]  # the vocabulary order
    assert (individuel.age_70_plus, individuel.statut_retraite) == (1, 1)
    assert (atelier.type, atelier.canal, atelier.commune_id) == (
        TypeActivite.COLLECTIF,
        Canal.AUTRE_LIEU,
        "72386",
    )
    assert (atelier.nb_participants, atelier.titre_atelier) == (3, "Atelier smartphone")
    assert atelier.thematiques == ["prendre_en_main_materiel"]
    # an age not given: no age split; the statuses all known: split
    assert (atelier.age_moins_12, atelier.age_70_plus) == (0, 0)
    assert (atelier.statut_scolarise, atelier.statut_retraite, atelier.statut_non_communique) == (
        1,
        1,
        1,
    )
    assert (distance.date, distance.canal, distance.commune_id) == (
        dt.date(2026, 11, 5),
        Canal.DISTANCE,
        None,
    )
    assert distance.thematiques == ["demarches_administratives", "argent_impots"]


def test_commande_format_coop(donnees, tmp_path):  # noqa: F811
    fichier = export_de_novembre(tmp_path)
    rejets = tmp_path / "rejets.csv"
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command(
        "import_activites",
        str(fichier),
        "--format",
        "coop",
        "--conseiller",
        "nouveau@exemple.test",
        "--partiel",
        "--rejets",
        str(rejets),
        stdout=sortie,
        stderr=erreurs,
    )
    assert sortie.getvalue().splitlines()[-1] == (
        "3 activités importées, 1 conseiller créé (sans compte) ; 2 lignes refusées."
    )
    assert erreurs.getvalue().splitlines()[0].startswith("ligne 18, colonne Lieu\u00a0: commune")
    # the advisor, unknown, is created in the commune of their first activity naming one
    assert Conseiller.objects.tous().get(email="nouveau@exemple.test").commune_id == "72181"
    # the refused rows in the portal's own format, ready to fix and import as a CSV
    with rejets.open(encoding="utf-8-sig", newline="") as flux:
        lues = list(csv.DictReader(flux, delimiter=";"))
    assert [
        (r["motifs_du_refus"].split("\u00a0: ")[0], r["canal"], r["thematiques"]) for r in lues
    ] == [
        ("ligne 18, colonne Lieu", "À domicile", "Santé"),
        ("ligne 19, colonne Lieu", "Lieu d’activité", "Bureautique"),
    ]
    lues[0].update(code_insee="72181")
    lues[1].update(lieu_id=str(donnees["mediatheque"].pk), code_insee="")
    corrige = tmp_path / "corrige.csv"
    with corrige.open("w", encoding="utf-8", newline="") as flux:
        ecrivain = csv.DictWriter(flux, fieldnames=list(lues[0]), delimiter=";")
        ecrivain.writeheader()
        ecrivain.writerows(lues)
    call_command("import_activites", str(corrige), stdout=sortie)
    assert Activite.objects.tous().count() == 5


@pytest.mark.parametrize(
    ("contenu", "options", "erreur"),
    [
        (b"date,type\n", {}, "le fichier n'est pas un classeur XLSX"),
        (None, {}, "en-tête du tableau des activités introuvable"),
        (None, {"conseiller_email": "pas une adresse"}, "indiquez-la (--conseiller)"),
    ],
)
def test_export_refuse(donnees, tmp_path, contenu, options, erreur):  # noqa: F811
    fichier = tmp_path / "coop.xlsx"
    if contenu is None:
        Workbook().save(fichier)
    else:
        fichier.write_bytes(contenu)
    parametres = {"conseiller_email": "camille@exemple.test", **options}
    with pytest.raises(ActivitesInvalides) as exc:
        importer_activites(chemin=fichier, format_="coop", **parametres)
    assert erreur in str(exc.value.erreurs[0])


def test_conseiller_seulement_avec_le_format_coop(tmp_path):
    fichier = tmp_path / "a.csv"
    fichier.write_text("date\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--conseiller ne s'emploie qu'avec --format coop"):
        call_command("import_activites", str(fichier), "--conseiller", "a@exemple.test")
