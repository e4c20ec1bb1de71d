"""Import and export of sites in the national standard *lieux de médiation numérique*."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from structures.enums import Programme, Service, Typologie
from structures.models import Creneau, Lieu, Structure
from structures.normes import COLONNES, MARQUEURS_V1, exporter_csv, exporter_json
from tests.conftest import SHARED_DATA
from tests.structures.factories import LieuFactory
from tests.territoires.factories import CommuneFactory, DepartementFactory

EXEMPLE = SHARED_DATA / "exemple-valide-lieux-mediation-numerique.csv"
SCHEMA = SHARED_DATA / "schema-lieux-mediation-numerique-v1.0.2.json"


def ligne_valide(**modifs) -> dict[str, str]:
    ligne = dict.fromkeys(COLONNES, "")
    ligne.update(
        id="mediatheque-1",
        pivot="43493312300029",
        nom="Médiathèque Louis Aragon",
        commune="Le Mans",
        code_postal="72000",
        code_insee="72181",
        adresse="54 rue du Port",
        latitude="48.0061",
        longitude="0.1996",
        typologie="BIB",
        telephone="+33243474747",
        horaires="Mo-Fr 09:00-12:00,14:00-17:30",
        presentation_resume="Ateliers et accès libre.",
        source="Le Mans Métropole",
        itinerance="Fixe",
        date_maj="2024-04-02",
        services="Aide aux démarches administratives|Loisirs et créations numériques",
        frais_a_charge="Gratuit",
        formations_labels="Étapes numériques(La Poste)",
    )
    ligne.update(modifs)
    return ligne


def ecrire_csv(chemin, lignes, colonnes=None, delimiteur=",", bom=False):
    colonnes = colonnes or list(lignes[0])
    with chemin.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as flux:
        ecrivain = csv.DictWriter(flux, fieldnames=colonnes, delimiter=delimiteur)
        ecrivain.writeheader()
        ecrivain.writerows(lignes)
    return chemin


def importer(chemin, *args):
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command("import_lieux", str(chemin), *args, stdout=sortie, stderr=erreurs)
    return sortie.getvalue()


def refuser(chemin, *args) -> list[str]:
    erreurs = io.StringIO()
    with pytest.raises(CommandError, match="Import refusé"):
        call_command("import_lieux", str(chemin), *args, stdout=io.StringIO(), stderr=erreurs)
    return erreurs.getvalue().splitlines()


def etat():
    return (
        Lieu.objects.tous().count(),
        Structure.objects.tous().count(),
        sorted(Lieu.objects.tous().values_list("source", "identifiant", "nom", "modifie_le")),
    )


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


def test_exemple_officiel(db, tmp_path):
    marne = DepartementFactory(code="51", nom="Marne")
    CommuneFactory(
        code_insee="51454",
        nom="Reims",
        departement=marne,
        codes_postaux="51100",
        latitude=49.2535,
        longitude=4.0485,
    )
    # the standard's own example places Reims' site in Aix-en-Provence: refused, with the
    # distance
    with pytest.raises(CommandError):
        importer(EXEMPLE)
    erreurs = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_lieux", str(EXEMPLE), stdout=io.StringIO(), stderr=erreurs)
    assert (
        "ligne 2, colonne latitude\u00a0: le point est à 645\u00a0km du centre de Reims (51454), "
        "pour 30\u00a0km au plus\u00a0: vérifiez la commune ou les coordonnées"
    ) in erreurs.getvalue()
    with EXEMPLE.open(encoding="utf-8", newline="") as flux:
        lignes = list(csv.DictReader(flux))
    for ligne in lignes:
        ligne["latitude"] = ligne["longitude"] = ""
    exemple = ecrire_csv(tmp_path / "exemple-sans-point.csv", lignes)
    sortie = importer(exemple)
    assert sortie.strip().endswith("1 lieux\u00a0: 1 créés, 0 modifiés, 0 inchangés")
    lieu = Lieu.objects.tous().get()
    assert (lieu.source, lieu.identifiant, lieu.commune_id) == ("Hubik", "structure-1", "51454")
    assert lieu.typologies == [Typologie.ASSO, Typologie.TIERS_LIEUX]
    assert lieu.structure.pivot == "43493312300029"
    assert lieu.structure.nom == "SIRET de la ville pour une bibliothèque."
    assert lieu.courriels == "contact@laquincaillerie.tl|responsable@laquincaillerie.tl"
    assert lieu.est_itinerant
    assert Creneau.objects.filter(lieu=lieu).count() == 11
    assert importer(exemple).strip().endswith("1 lieux\u00a0: 0 créés, 0 modifiés, 1 inchangés")


CAS_INVALIDES = [
    ({"pivot": "43493312300028"}, "pivot", "n'est pas un SIRET valide"),
    ({"pivot": "12"}, "pivot", "ni un SIRET"),
    ({"code_postal": "7200"}, "code_postal", "Le code postal doit compter 5 chiffres."),
    (
        {"services": "Aide aux démarches|Loisirs et créations numériques"},
        "services",
        "valeur « Aide aux démarches » inconnue ; valeurs acceptées les plus proches\u00a0: « Aide "
        "aux démarches administratives »",
    ),
    ({"frais_a_charge": "Gratos"}, "frais_a_charge", "les plus proches\u00a0: « Gratuit »"),
    ({"typologie": "MAIRIE"}, "typologie", "typologie « MAIRIE » inconnue"),
    ({"horaires": "lundi 9h-12h"}, "horaires", "Horaires illisibles au format OpenStreetMap"),
    ({"presentation_resume": "x" * 281}, "presentation_resume", "281 caractères, pour 280"),
    ({"date_maj": "02/04/2024"}, "date_maj", "« 02/04/2024 » n'est pas une date AAAA-MM-JJ"),
    ({"date_maj": "2024-02-30"}, "date_maj", "n'est pas une date AAAA-MM-JJ valide"),
    ({"latitude": "quarante-huit"}, "latitude", "n'est pas un nombre décimal"),
    ({"longitude": "200"}, "longitude", "200 hors de l'intervalle [-180, 180]"),
    ({"latitude": ""}, "latitude", "la latitude et la longitude vont ensemble"),
    ({"code_insee": "99999", "commune": "Atlantis"}, "code_insee", "commune introuvable"),
    ({"nom": ""}, "nom", "valeur obligatoire manquante"),
    ({"telephone": "12345"}, "telephone", "n'est pas un numéro de téléphone valide"),
    ({"courriels": "pas-un-courriel"}, "courriels", "adresse électronique invalide"),
]


@pytest.mark.parametrize(("modifs", "colonne", "message"), CAS_INVALIDES)
def test_ligne_invalide_refusee(geographie, tmp_path, modifs, colonne, message):
    existant = LieuFactory(commune=geographie["le_mans"], nom="Espace existant")
    avant = etat()
    lignes = [ligne_valide(id="a"), ligne_valide(**{"id": "b", "nom": "Autre lieu", **modifs})]
    erreurs = refuser(ecrire_csv(tmp_path / "lieux.csv", lignes))
    assert any(
        e.startswith(f"ligne 3, colonne {colonne}\u00a0: ") and message in e for e in erreurs
    ), erreurs
    assert etat() == avant
    existant.refresh_from_db()
    assert existant.nom == "Espace existant"


def test_toutes_les_erreurs_sont_listees(geographie, tmp_path):
    lignes = [
        ligne_valide(id="a", code_postal="1"),
        ligne_valide(id="b", date_maj="hier", horaires="n'importe quand"),
        ligne_valide(id="a"),
    ]
    erreurs = refuser(ecrire_csv(tmp_path / "lieux.csv", lignes))
    assert erreurs[0].startswith("ligne 2, colonne code_postal\u00a0: ")
    assert [e.split("\u00a0: ")[0] for e in erreurs[1:]] == [
        "ligne 3, colonne horaires",
        "ligne 3, colonne date_maj",
        "ligne 4, colonne id",
    ]
    assert erreurs[-1] == "ligne 4, colonne id\u00a0: identifiant « a » déjà utilisé ligne 2"
    assert Lieu.objects.tous().count() == 0


def test_colonne_obligatoire_absente(geographie, tmp_path):
    ligne = ligne_valide()
    del ligne["pivot"]
    erreurs = refuser(ecrire_csv(tmp_path / "lieux.csv", [ligne]))
    assert erreurs == ["ligne 1, colonne pivot\u00a0: colonne obligatoire absente de l'en-tête"]


def test_fichiers_de_donnees_refuses(geographie):
    from tests.conftest import RACINE

    donnees = RACINE / "tests" / "structures" / "donnees"
    erreurs = refuser(donnees / "lieux-invalides.csv")
    assert erreurs == [
        "ligne 2, colonne pivot\u00a0: « 123 » n'est ni un SIRET (14 chiffres) ni un numéro RNA "
        "(W suivi de 9 caractères).",
        "ligne 3, colonne id\u00a0: identifiant « lieu-1 » déjà utilisé ligne 2",
    ]


def test_simulation(geographie, tmp_path):
    chemin = ecrire_csv(tmp_path / "lieux.csv", [ligne_valide()])
    sortie = importer(chemin, "--dry-run")
    assert (
        "1 lieux\u00a0: 1 créés, 0 modifiés, 0 inchangés (simulation, rien n'a été écrit)" in sortie
    )
    assert (Lieu.objects.tous().count(), Structure.objects.tous().count()) == (0, 0)


def test_reimport_et_modifications(geographie, tmp_path):
    lignes = [ligne_valide(id="a"), ligne_valide(id="b", nom="Cyberbase", latitude="48.1")]
    chemin = ecrire_csv(tmp_path / "lieux.csv", lignes, delimiteur=";", bom=True)
    assert "2 lieux\u00a0: 2 créés, 0 modifiés, 0 inchangés" in importer(chemin)
    assert Structure.objects.tous().count() == 1
    assert "2 lieux\u00a0: 0 créés, 0 modifiés, 2 inchangés" in importer(chemin)
    lignes[1]["horaires"] = "Sa 10:00-12:00"
    lignes.append(ligne_valide(id="c", nom="Tiers-lieu", latitude="48.2", pivot="W723000001"))
    chemin = ecrire_csv(tmp_path / "lieux.csv", lignes)
    assert "3 lieux\u00a0: 1 créés, 1 modifiés, 1 inchangés" in importer(chemin)
    b = Lieu.objects.tous().get(identifiant="b")
    assert b.horaires == "Sa 10:00-12:00"
    assert list(b.creneaux.values_list("jour", "debut", "fin")) == [(5, 600, 720)]
    assert Structure.objects.tous().count() == 2
    # --source only fills the rows without a source
    assert "3 lieux\u00a0: 0 créés, 0 modifiés, 3 inchangés" in importer(chemin, "--source", "X")
    sans_source = ecrire_csv(tmp_path / "s.csv", [ligne_valide(id="a", source="")])
    assert "1 lieux\u00a0: 1 créés" in importer(sans_source, "--source", "Ville")
    assert Lieu.objects.tous().filter(source="Ville", identifiant="a").exists()


def test_import_export_import(geographie, tmp_path):
    lignes = [
        ligne_valide(id="a", telephone="02 43 47 47 47|+33243000000"),
        ligne_valide(
            id="b",
            nom="Bus numérique",
            itinerance="itinérant",
            latitude="",
            longitude="",
            commune="yvre l'eveque",
            code_insee="",
            code_postal="72530",
        ),
    ]
    importer(ecrire_csv(tmp_path / "lieux.csv", lignes))
    avant = sorted(Lieu.objects.tous().values_list(), key=lambda t: t[0])
    # JSON: lists lose nothing, the second phone number included
    json_sortie = tmp_path / "export.json"
    call_command(
        "export_lieux", "--format", "json", "--sortie", str(json_sortie), stderr=io.StringIO()
    )
    assert "2 lieux\u00a0: 0 créés, 0 modifiés, 2 inchangés" in importer(json_sortie)
    assert sorted(Lieu.objects.tous().values_list(), key=lambda t: t[0]) == avant
    assert json.loads(json_sortie.read_text())[0]["telephone"] == [
        "+33243474747",
        "+33243000000",
    ]
    # CSV: the schema's pattern has room for one phone number, the first
    sortie = io.StringIO()
    call_command("export_lieux", stdout=sortie)
    export = tmp_path / "export.csv"
    export.write_text(sortie.getvalue(), encoding="utf-8")
    lu = list(csv.DictReader(io.StringIO(sortie.getvalue())))
    assert lu[0]["telephone"] == "+33243474747"
    assert lu[0]["formations_labels"] == "Étapes numériques(La Poste)"
    assert lu[1]["commune"] == "Yvré-l'Évêque" and lu[1]["code_insee"] == "72386"
    assert "2 lieux\u00a0: 0 créés, 1 modifiés, 1 inchangés" in importer(export)
    assert Lieu.objects.tous().get(identifiant="a").telephone == "+33243474747"


def test_chaque_import_laisse_une_trace_par_lieu(geographie, tmp_path):
    importer(ecrire_csv(tmp_path / "a.csv", [ligne_valide(id="a")]))
    lieu = Lieu.objects.tous().get()
    assert [v.history_change_reason for v in lieu.history.all()] == ["import"]
    importer(ecrire_csv(tmp_path / "b.csv", [ligne_valide(id="a", nom="Nouveau nom")]))
    importer(ecrire_csv(tmp_path / "c.csv", [ligne_valide(id="a", nom="Nouveau nom")]))
    versions = list(lieu.history.order_by("history_date", "history_id"))
    assert [(v.history_type, v.history_change_reason) for v in versions] == [
        ("+", "import"),
        ("~", "import"),  # the unchanged third import adds nothing
    ]
    assert versions[-1].nom == "Nouveau nom"


def test_export_filtres(geographie):
    LieuFactory(commune=geographie["le_mans"], identifiant="mans")
    LieuFactory(commune=geographie["angers_commune"], identifiant="angers", code_postal="49000")
    for options, attendus in [
        (["--commune", "49007"], ["angers"]),
        (["--epci", "247200132"], ["mans"]),
        ([], ["angers", "mans"]),
    ]:
        sortie = io.StringIO()
        call_command("export_lieux", *options, stdout=sortie)
        assert [r["id"] for r in csv.DictReader(io.StringIO(sortie.getvalue()))] == attendus


def test_export_valide_selon_le_schema(geographie, tmp_path):
    from frictionless import Resource, Schema

    lignes = [
        ligne_valide(id="a", telephone="+33243474747|+33243000000"),
        ligne_valide(
            id="b",
            nom="Autre",
            latitude="48.1",
            typologie="BIB|ASSO",
            publics_specifiquement_adresses="Jeunes|Seniors",
            modalites_accompagnement="À distance|En autonomie",
        ),
    ]
    importer(ecrire_csv(tmp_path / "lieux.csv", lignes))
    export = tmp_path / "export.csv"
    call_command("export_lieux", "--sortie", str(export), stderr=io.StringIO())
    schema = Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))
    rapport = Resource(path="export.csv", basepath=str(tmp_path), schema=schema).validate()
    # the schema spells "Étapes numériques(La Poste)" without the space, and its telephone
    # pattern has room for one number: the export follows it
    assert [e.message for t in rapport.tasks for e in t.errors] == []


def test_dialecte_v0(geographie, tmp_path):
    ligne = ligne_valide()
    v0 = {
        cle: valeur for cle, valeur in ligne.items() if cle not in ("courriels", "frais_a_charge")
    }
    v0.update(
        courriel="contact@mediatheque.fr",
        publics_accueillis="Seniors (+ 65 ans);Surdité",
        conditions_acces="Gratuit : Je peux accéder gratuitement au lieu et à ses services",
        labels_nationaux="CNFS;France Services",
        labels_autres="SudLabs",
        accessibilite="https://acceslibre.beta.gouv.fr/app/erp/1/",
        cle_ban="72181_1234_00054",
        services="Prendre en main un ordinateur;Accéder à du matériel",
        site_web="https://a.fr,https://b.fr",
        typologie="BIB;ASSO",
    )
    for colonne in (
        "dispositif_programmes_nationaux",
        "autres_formations_labels",
        "fiche_acces_libre",
        "publics_specifiquement_adresses",
    ):
        v0.pop(colonne)
    assert "1 lieux\u00a0: 1 créés" in importer(ecrire_csv(tmp_path / "v0.csv", [v0]))
    lieu = Lieu.objects.tous().get()
    assert lieu.courriels == "contact@mediatheque.fr"
    assert lieu.publics == ["seniors"] and lieu.prise_en_charge == ["surdite"]
    assert lieu.frais == ["gratuit"]
    assert lieu.programmes == [Programme.CONSEILLERS_NUMERIQUES, Programme.FRANCE_SERVICES]
    assert lieu.services == [Service.OUTILS_QUOTIDIEN, Service.ACCES_MATERIEL]
    assert lieu.autres_formations_labels == "SudLabs"
    assert lieu.site_web == "https://a.fr|https://b.fr"
    assert lieu.fiche_acces_libre == "https://acceslibre.beta.gouv.fr/app/erp/1/"


def test_dialecte_france_services(geographie, tmp_path):
    lignes = [
        {
            "id_fs": "FS-72-01",
            "lib_fs": "France services du Mans",
            "format_fs": "Fixe",
            "adresse": "1 place Saint-Pierre",
            "code_postal": "72000",
            "commune": "Le Mans",
            "code_insee": "72181",
            "latitude": "48.0",
            "longitude": "0.2",
            "telephone": "02 43 00 00 00",
            "mail": "fs@lemans.fr",
            "site_internet": "https://www.lemans.fr",
            "horaires": "Mo-Fr 09:00-17:00",
        },
        {
            "id_fs": "FS-72-02",
            "lib_fs": "France services itinérante",
            "format_fs": "Itinérant",
            "adresse": "Mairie",
            "code_postal": "72530",
            "commune": "Yvré-l'Évêque",
            "code_insee": "",
            "latitude": "",
            "longitude": "",
            "telephone": "",
            "mail": "",
            "site_internet": "",
            "horaires": "",
        },
    ]
    assert "2 lieux\u00a0: 2 créés" in importer(ecrire_csv(tmp_path / "fs.csv", lignes))
    fixe = Lieu.objects.tous().get(identifiant="FS-72-01")
    assert fixe.source == "France Services"
    assert fixe.programmes == [Programme.FRANCE_SERVICES]
    assert fixe.typologies == [Typologie.RFS]
    assert fixe.services == [Service.DEMARCHES]
    assert fixe.telephone == "+33243000000"
    assert not fixe.est_itinerant
    assert Lieu.objects.tous().get(identifiant="FS-72-02").est_itinerant


def test_doublons_probables(geographie, tmp_path):
    LieuFactory(
        commune=geographie["le_mans"],
        nom="Médiathèque Louis Aragon",
        latitude=48.0062,
        longitude=0.1997,
        source="Autre",
        identifiant="x",
    )
    lignes = [
        ligne_valide(id="a"),
        ligne_valide(id="b", nom="Mediatheque L. Aragon", latitude="48.00625"),
        ligne_valide(id="c", nom="Piscine", latitude="48.0061"),
        ligne_valide(id="d", nom="Médiathèque Louis Aragon", latitude="48.02"),
    ]
    sortie = importer(ecrire_csv(tmp_path / "lieux.csv", lignes))
    avertissements = [s for s in sortie.splitlines() if s.startswith("Doublon probable")]
    assert len(avertissements) == 3, avertissements
    assert (
        "ligne 2\u00a0: « Médiathèque Louis Aragon » est à 13 m de lieu existant"
        in (avertissements[0])
    )
    assert "4 lieux\u00a0: 4 créés" in sortie


def ligne_v0(**modifs) -> dict[str, str]:
    """A valid row without the columns only v1 has."""
    return {k: v for k, v in ligne_valide(**modifs).items() if k not in MARQUEURS_V1}


def test_v0_de_2022_virgules_et_conditions_access(geographie, tmp_path):
    """The national map's 2022 output: multi-values joined by ", ", ``conditions_access``."""
    objet = ligne_v0()
    objet.update(
        services="Prendre en main un smartphone ou une tablette, Prendre en main un ordinateur, "
        "Accéder à du matériel",
        conditions_access="Gratuit sous condition : La gratuité est conditionnée à des critères "
        "(situation familiale, convention avec un organisme social...), Payant",
        labels_nationaux="CNFS, France Services",
        courriel="contact@mediatheque.fr",
    )
    chemin = tmp_path / "v0-2022.json"
    chemin.write_text(json.dumps([objet]), encoding="utf-8")
    sortie = importer(chemin)
    assert "Format reconnu\u00a0: standard v0." in sortie
    assert "conditions_access → frais_a_charge\u00a0: 1" in sortie
    lieu = Lieu.objects.tous().get()
    assert lieu.services == [Service.OUTILS_QUOTIDIEN, Service.ACCES_MATERIEL]
    assert lieu.frais == ["gratuit_sous_condition", "payant"]
    assert lieu.programmes == [Programme.CONSEILLERS_NUMERIQUES, Programme.FRANCE_SERVICES]


def test_refus_v0_court_et_en_v0(geographie, tmp_path):
    objet = ligne_v0()
    objet.update(courriel="", services="Prendre en main une tablette, Réparer mon vélo")
    chemin = tmp_path / "v0.json"
    chemin.write_text(json.dumps([objet]), encoding="utf-8")
    erreurs = [e for e in refuser(chemin) if "services" in e]
    assert erreurs == [
        "ligne 2, colonne services\u00a0: valeur « Prendre en main une tablette » inconnue ; "
        "valeurs "
        "acceptées les plus proches\u00a0: « Prendre en main un ordinateur » ; « Prendre en "
        "main un "
        "smartphone ou une tablette »",
        "ligne 2, colonne services\u00a0: valeur « Réparer mon vélo » inconnue ; aucune des 15 "
        "valeurs acceptées n'en est proche",
    ]
    assert all(len(e) < 250 for e in erreurs)


def test_fichier_mixte_v0_v1(geographie, tmp_path):
    """v1 columns beside v0 ones: the v0 cell fills the v1 one when it is empty."""
    lignes = [
        ligne_valide(id="a", courriels="", publics_specifiquement_adresses="Jeunes"),
        ligne_valide(id="b", courriels="v1@exemple.fr", publics_specifiquement_adresses=""),
    ]
    lignes[0].update(courriel="v0@exemple.fr", publics_accueillis="Seniors (+ 65 ans)", x="1")
    lignes[1].update(courriel="ignore@exemple.fr", publics_accueillis="Surdité", x="2")
    sortie = importer(ecrire_csv(tmp_path / "mixte.csv", lignes))
    assert "Format reconnu\u00a0: standard v1.0.2 avec des colonnes v0." in sortie
    assert (
        "Valeurs reprises des colonnes v0\u00a0: courriel → courriels\u00a0: 1 ; "
        "publics_accueillis → "
        "publics_specifiquement_adresses\u00a0: 1." in sortie
    )
    assert "Colonnes ignorées\u00a0: x." in sortie
    a, b = Lieu.objects.tous().order_by("identifiant")
    assert (a.courriels, a.publics, a.prise_en_charge) == ("v0@exemple.fr", ["jeunes"], [])
    assert (b.courriels, b.publics, b.prise_en_charge) == ("v1@exemple.fr", [], ["surdite"])


def test_partiel_et_rejets(geographie, tmp_path):
    chemin = ecrire_csv(
        tmp_path / "lieux.csv",
        [
            ligne_valide(id="a"),
            ligne_valide(id="b", nom="Autre", pivot="12", code_postal="7200"),
            ligne_valide(id="c", nom="Troisième", latitude="48.1"),
        ],
    )
    with chemin.open("a", encoding="utf-8") as flux:
        flux.write("d,trop,peu\n")
    # all or nothing by default
    refuser(chemin)
    assert not Lieu.objects.tous().exists()
    with pytest.raises(CommandError, match="--rejets ne s'emploie qu'avec --partiel"):
        call_command("import_lieux", str(chemin), "--rejets", str(tmp_path / "r.csv"))
    rejets = tmp_path / "rejets.csv"
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command(
        "import_lieux",
        str(chemin),
        "--partiel",
        "--rejets",
        str(rejets),
        stdout=sortie,
        stderr=erreurs,
    )
    assert erreurs.getvalue().splitlines() == [
        "ligne 3, colonne pivot\u00a0: « 12 » n'est ni un SIRET (14 chiffres) ni un numéro RNA (W "
        "suivi de 9 caractères).",
        "ligne 3, colonne code_postal\u00a0: Le code postal doit compter 5 chiffres.",
        "ligne 5, colonne -\u00a0: 3 valeurs pour 32 colonnes dans l'en-tête",
    ]
    assert "2 lieux\u00a0: 2 créés, 0 modifiés, 0 inchangés, 2 ligne(s) refusée(s)" in (
        sortie.getvalue()
    )
    assert sorted(Lieu.objects.tous().values_list("identifiant", flat=True)) == ["a", "c"]
    with rejets.open(encoding="utf-8-sig") as flux:
        lues = list(csv.DictReader(flux, delimiter=";"))
    assert [(r["id"], r["motifs_du_refus"][:26]) for r in lues] == [
        ("b", "ligne 3, colonne pivot\u00a0: «"),
        ("d", "ligne 5, colonne -\u00a0: 3 val"),
    ]
    # the refused rows, fixed, import on their own
    corrigee = {k: v for k, v in lues[0].items() if k != "motifs_du_refus"}
    corrigee.update(pivot="43493312300029", code_postal="72000")
    assert "1 lieux\u00a0: 1 créés" in importer(ecrire_csv(tmp_path / "corrige.csv", [corrigee]))


def test_export_identifiants_de_deux_sources_et_pivot_inconnu(geographie, tmp_path):
    lignes = [
        ligne_valide(id="1", source="Dora"),
        ligne_valide(id="1", source="Conseiller numérique", nom="Autre", pivot="00000000000000"),
        ligne_valide(id="2", source="Dora", nom="Troisième", latitude="48.1"),
    ]
    importer(ecrire_csv(tmp_path / "lieux.csv", lignes))
    sans_pivot = Lieu.objects.tous().get(source="Conseiller numérique")
    assert sans_pivot.structure.pivot == ""
    avant = sorted(Lieu.objects.tous().values_list("source", "identifiant", "nom"))
    sortie = io.StringIO()
    call_command("export_lieux", stdout=sortie)
    lues = list(csv.DictReader(io.StringIO(sortie.getvalue())))
    assert [(r["id"], r["pivot"]) for r in lues] == [
        ("Conseiller numérique:1", "00000000000000"),
        ("Dora:1", "43493312300029"),
        ("2", "43493312300029"),
    ]
    Lieu.objects.tous().delete()
    Structure.objects.tous().delete()
    export = tmp_path / "export.csv"
    export.write_text(sortie.getvalue(), encoding="utf-8")
    assert "3 lieux\u00a0: 3 créés" in importer(export)
    assert sorted(Lieu.objects.tous().values_list("source", "identifiant", "nom")) == avant
    assert Lieu.objects.tous().get(source="Conseiller numérique").structure.pivot == ""
