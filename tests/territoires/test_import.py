import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from territoires.enums import TypeAncienneCommune, TypeZone
from territoires.models import (
    AncienneCommune,
    Commune,
    Departement,
    Epci,
    LocalitePostale,
    Region,
    Zone,
)
from territoires.services import DOSSIER_PAR_DEFAUT, DonneesInvalides, importer_territoires

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(tmp_path):
    """A small but complete copy of the national files (Sarthe, Maine-et-Loire)."""
    for nom in ("regions.csv", "departements.csv", "epci.csv"):
        shutil.copy(DOSSIER_PAR_DEFAUT / nom, tmp_path / nom)
    lignes = (DOSSIER_PAR_DEFAUT / "communes.csv").read_text(encoding="utf-8").splitlines()
    garder = [lignes[0]] + [li for li in lignes[1:] if li[:2] in ("72", "49")]
    (tmp_path / "communes.csv").write_text("\n".join(garder) + "\n", encoding="utf-8")
    return tmp_path


def _remplacer(chemin, ancien, nouveau):
    texte = chemin.read_text(encoding="utf-8")
    assert ancien in texte
    chemin.write_text(texte.replace(ancien, nouveau, 1), encoding="utf-8")


def test_import_complet_des_fichiers_nationaux():
    sortie = StringIO()
    call_command("import_territoires", stdout=sortie)
    # 18 régions and 101 départements, plus 6 overseas collectivities standing as both
    assert Region.objects.count() == 18 + 6
    assert Departement.objects.count() == 101 + 6
    assert Epci.objects.count() == 1255
    assert Commune.objects.count() == 34875 + 88
    assert "communes\u00a0: 34963 créé(s)" in sortie.getvalue()
    assert "arrondissements municipaux\u00a0: 45 créé(s)" in sortie.getvalue()
    assert "anciennes communes et communes déléguées\u00a0: 4826 créé(s)" in sortie.getvalue()
    assert "localités postales\u00a0: 941 créé(s)" in sortie.getvalue()
    assert len(sortie.getvalue().strip().splitlines()) == 1

    le_mans = Commune.objects.get(code_insee="72181")
    assert le_mans.nom == "Le Mans"
    assert le_mans.epci_id == "247200132"
    assert le_mans.departement.region.nom == "Pays de la Loire"
    assert le_mans.liste_codes_postaux == ["72000", "72100"]
    assert Commune.objects.get(code_insee="2A004").departement_id == "2A"
    assert Commune.objects.get(code_insee="01001").code_insee == "01001"
    sein = Commune.objects.get(code_insee="29083")
    assert sein.epci is None
    celles = Commune.objects.get(code_insee="15031")
    assert celles.latitude is None and celles.longitude is None
    assert Commune.objects.de_l_epci("247200132").count() == 20

    noumea = Commune.objects.get(code_insee="98818")
    assert (noumea.nom, noumea.departement.nom, noumea.departement.region_id) == (
        "Nouméa",
        "Nouvelle-Calédonie",
        "988",
    )
    assert noumea.epci is None and noumea.latitude is None
    assert (
        Commune.objects.filter(departement__in=["975", "977", "978", "986", "987", "988"]).count()
        == 88
    )
    paris_19 = Zone.objects.tous().get(code="75119")
    assert (paris_19.commune_id, paris_19.type, paris_19.nom) == (
        "75056",
        TypeZone.ARRONDISSEMENT,
        "Paris 19e Arrondissement",
    )
    assert Zone.objects.tous().filter(commune="69123", type=TypeZone.ARRONDISSEMENT).count() == 9
    assert Zone.objects.tous().filter(commune="13055", type=TypeZone.ARRONDISSEMENT).count() == 16
    pierrefitte = AncienneCommune.objects.get(code_insee="93059")
    assert (pierrefitte.nom, pierrefitte.commune_id, pierrefitte.type, pierrefitte.annee) == (
        "Pierrefitte-sur-Seine",
        "93066",
        TypeAncienneCommune.DELEGUEE,
        2025,
    )
    montfavet = LocalitePostale.objects.get(code_postal="84140", nom="MONTFAVET")
    assert montfavet.commune_id == "84007"

    # a second import changes nothing
    sortie = StringIO()
    call_command("import_territoires", stdout=sortie)
    assert "localités postales\u00a0: 0 créé(s), 0 modifié(s), 941 inchangé(s)" in sortie.getvalue()


def test_import_idempotent(dossier):
    premier = importer_territoires(dossier=dossier)
    assert premier.communes.crees == Commune.objects.count() > 500
    second = importer_territoires(dossier=dossier)
    assert (second.communes.crees, second.communes.modifies) == (0, 0)
    assert second.communes.inchanges == Commune.objects.count()
    assert second.epci.inchanges == 1255


def test_import_compte_les_modifications(dossier):
    importer_territoires(dossier=dossier)
    _remplacer(dossier / "communes.csv", "72181,Le Mans,", "72181,Le Mans-sur-Sarthe,")
    bilan = importer_territoires(dossier=dossier)
    assert bilan.communes.modifies == 1
    commune = Commune.objects.get(pk="72181")
    assert commune.nom == "Le Mans-sur-Sarthe"
    assert commune.nom_recherche == "le mans sur sarthe"


@pytest.mark.parametrize(
    ("fichier", "ancien", "nouveau", "attendu"),
    [
        ("communes.csv", "72181,Le Mans,72,", "72181,Le Mans,99,", "département « 99 » inconnu"),
        (
            "communes.csv",
            "72181,Le Mans,72,52,247200132",
            "72181,Le Mans,72,52,123456789",
            "EPCI « 123456789 » inconnu",
        ),
        ("communes.csv", "72181,Le Mans,", "7218,Le Mans,", "code INSEE invalide"),
        ("communes.csv", "72181,Le Mans,", "72181,,", "valeur obligatoire manquante"),
        (
            "epci.csv",
            "247200132,CU Le Mans Métropole,CU",
            "247200132,CU Le Mans Métropole,XX",
            "type « XX » inconnu",
        ),
        ("departements.csv", "72,Sarthe,52", "72,Sarthe,99", "région « 99 » inconnue"),
    ],
)
def test_erreur_de_ligne_rien_n_est_ecrit(dossier, fichier, ancien, nouveau, attendu):
    _remplacer(dossier / fichier, ancien, nouveau)
    with pytest.raises(DonneesInvalides) as erreur:
        importer_territoires(dossier=dossier)
    assert any(attendu in str(e) for e in erreur.value.erreurs), erreur.value.erreurs
    assert any(e.ligne >= 2 and e.fichier == fichier for e in erreur.value.erreurs)
    assert Commune.objects.count() == 0
    assert Region.objects.count() == 0


def test_population_et_coordonnees_invalides(dossier):
    _remplacer(dossier / "communes.csv", ",146249,", ",beaucoup,")
    _remplacer(
        dossier / "communes.csv",
        "72386,Yvré-l'Évêque,72,52,247200132,72530,4181,48.0",
        "72386,Yvré-l'Évêque,72,52,247200132,72530,4181,148.0",
    )
    with pytest.raises(DonneesInvalides) as erreur:
        importer_territoires(dossier=dossier)
    messages = [str(e) for e in erreur.value.erreurs]
    assert any(
        "colonne « population »\u00a0: « beaucoup » n'est pas un nombre entier" in m
        for m in messages
    )
    assert any("colonne « latitude »" in m and "hors de l'intervalle" in m for m in messages)


def test_doublon_signale_avec_sa_ligne(dossier):
    chemin = dossier / "regions.csv"
    chemin.write_text(
        chemin.read_text(encoding="utf-8") + "52,Pays de la Loire bis\n", encoding="utf-8"
    )
    with pytest.raises(DonneesInvalides) as erreur:
        importer_territoires(dossier=dossier)
    assert "déjà présent ligne" in str(erreur.value.erreurs[0])


def test_commande_echoue_avec_message_francais_et_n_ecrit_rien(dossier):
    _remplacer(dossier / "communes.csv", "72181,Le Mans,72,", "72181,Le Mans,99,")
    erreurs = StringIO()
    with pytest.raises(CommandError, match="aucune donnée n'a été écrite"):
        call_command("import_territoires", dossier=dossier, stderr=erreurs)
    assert "communes.csv, ligne" in erreurs.getvalue()
    assert Commune.objects.count() == 0


def test_fichier_absent_ou_en_tete_incomplet(tmp_path):
    (tmp_path / "regions.csv").write_text("code\n52\n", encoding="utf-8")
    with pytest.raises(DonneesInvalides) as erreur:
        importer_territoires(dossier=tmp_path)
    messages = [str(e) for e in erreur.value.erreurs]
    assert any("colonne(s) absente(s)" in m for m in messages)
    assert any("fichier introuvable" in m for m in messages)


def test_fichier_non_utf8(dossier):
    (dossier / "regions.csv").write_bytes("code,nom\n52,Pays de la Loire é\n".encode("latin-1"))
    with pytest.raises(DonneesInvalides, match="erreur"):
        importer_territoires(dossier=dossier)
