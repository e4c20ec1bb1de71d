"""compute_indice: the stored result, versioning, reference territory, command, Celery task."""

import io

import pytest
from django.core.management import call_command

from indicateurs.indice.importation import importer_indicateurs
from indicateurs.indice.models import IndiceUnite, ResultatIndice
from indicateurs.indice.services import calculer_indice
from indicateurs.permissions import peut_calculer_indice
from indicateurs.territoire import CalculImpossible, territoire_de_reference
from tests.territoires.factories import CommuneFactory

ENTETE = "niveau,code,indicateur,valeur,millesime,source\n"
# Le Mans, Yvré-l'Évêque (both in Le Mans Métropole, Sarthe) and Angers
VALEURS = ENTETE + (
    "commune,72181,pauvrete,1,2022,x\n"
    "commune,72386,pauvrete,2,2022,x\n"
    "commune,49007,pauvrete,3,2022,x\n"
    "commune,72181,age_65_plus,30,2022,x\n"
    "commune,49007,age_65_plus,10,2022,x\n"
)


@pytest.fixture
def valeurs(geographie):
    importer_indicateurs(flux=io.StringIO(VALEURS))
    return geographie


def unites(resultat) -> dict[str, IndiceUnite]:
    return {u.code: u for u in IndiceUnite.objects.tous().filter(resultat=resultat)}


@pytest.mark.django_db
def test_resultat_enregistre_par_unite(valeurs, comptes):
    resultat = calculer_indice(niveau="commune", millesime=2022, par=comptes["coordinateur"])
    assert (resultat.methode, resultat.parametres, resultat.nombre_unites) == (
        "rangs",
        {"echelle": 10.0},
        3,
    )
    assert resultat.calcule_par == comptes["coordinateur"]
    par_code = unites(resultat)
    # pauvrete 1, 2, 3 → p = 1/3, 2/3, 1 → −1, +1, +3; age_65_plus 30, 10 → +3, 0
    le_mans = par_code["72181"]
    assert (le_mans.nom, le_mans.commune_id, le_mans.zone_id) == ("Le Mans", "72181", None)
    assert le_mans.scores == {"pauvrete": -1, "age_65_plus": 3}
    assert le_mans.indice == pytest.approx(2 * 10 / 6)
    assert le_mans.axes == pytest.approx(
        {
            "acces_numerique": -10 / 3,
            "acces_information": None,
            "competences_administratives": None,
            "competences_numeriques": 10.0,
        }
    )
    assert par_code["72386"].scores == {"pauvrete": 1}
    assert par_code["72386"].indice == pytest.approx(10 / 3)
    assert par_code["49007"].scores == {"pauvrete": 3, "age_65_plus": 0}
    assert par_code["49007"].indice == pytest.approx(3 * 10 / 6)


@pytest.mark.django_db
def test_ratio_enregistre(valeurs):
    resultat = calculer_indice(niveau="commune", millesime=2022, methode="ratio")
    assert resultat.parametres == {}
    yvre = unites(resultat)["72386"]
    assert yvre.scores == pytest.approx({"pauvrete": 100.0})  # 100 × 2 ÷ mean(1, 2, 3)
    assert yvre.indice == pytest.approx(100.0)
    assert unites(resultat)["72181"].indice == pytest.approx((50 + 150) / 2)


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["247200132", "72"])
def test_territoire_de_reference(valeurs, reference):
    resultat = calculer_indice(niveau="commune", millesime=2022, reference=reference)
    par_code = unites(resultat)
    # only Le Mans and Yvré in the reference set: pauvrete 1, 2 → p = 0.5, 1 → 0, +3
    assert set(par_code) == {"72181", "72386"}
    assert par_code["72181"].scores == {"pauvrete": 0, "age_65_plus": 3}
    assert par_code["72386"].indice == pytest.approx(10.0)
    assert resultat.parametres["reference"]["code"] == reference


@pytest.mark.django_db
def test_reference_commune_et_reference_inconnue(valeurs):
    resultat = calculer_indice(niveau="commune", millesime=2022, reference="72181", echelle=3)
    assert {c: u.indice for c, u in unites(resultat).items()} == {"72181": 3.0}
    with pytest.raises(CalculImpossible, match="Territoire de référence inconnu\u00a0: « 12345 »"):
        calculer_indice(niveau="commune", millesime=2022, reference="12345")


@pytest.mark.django_db
def test_nouveau_calcul_n_ecrase_pas_le_precedent(valeurs):
    premier = calculer_indice(niveau="commune", millesime=2022)
    avant = {c: (u.indice, u.scores) for c, u in unites(premier).items()}
    importer_indicateurs(flux=io.StringIO(ENTETE + "commune,72181,pauvrete,9,2022,v2\n"))
    second = calculer_indice(niveau="commune", millesime=2022)
    assert second.pk != premier.pk
    assert {c: (u.indice, u.scores) for c, u in unites(premier).items()} == avant
    assert unites(second)["72181"].scores["pauvrete"] == 3
    latest = ResultatIndice.objects.tous().du_millesime("commune", 2022).plus_recent()
    assert latest == second


@pytest.mark.django_db
def test_parametres_refuses(valeurs):
    with pytest.raises(CalculImpossible, match="Aucune valeur d'indicateur pour le niveau iris"):
        calculer_indice(niveau="iris", millesime=2022)
    with pytest.raises(CalculImpossible, match="strictement positif"):
        calculer_indice(niveau="commune", millesime=2022, echelle=0)
    with pytest.raises(CalculImpossible, match="Méthode inconnue"):
        calculer_indice(niveau="commune", millesime=2022, methode="publie")
    assert not ResultatIndice.objects.tous().exists()


@pytest.mark.django_db
def test_commande_compute_indice(valeurs, capsys):
    call_command("compute_indice", "--niveau", "commune", "--millesime", "2022")
    resultat = ResultatIndice.objects.tous().get()
    assert capsys.readouterr().out == (
        f"Indice calculé\u00a0: résultat n° {resultat.pk}, 3 unités (commune, 2022), méthode "
        "rangs, "
        "échelle 10, référence\u00a0: toutes.\n"
    )
    assert resultat.tache == "compute_indice"
    call_command(
        "compute_indice",
        *("--niveau", "commune", "--millesime", "2022", "--methode", "ratio"),
        *("--reference", "247200132"),
    )
    assert capsys.readouterr().out.endswith(
        "2 unités (commune, 2022), méthode ratio, référence CU Le Mans Métropole (247200132).\n"
    )


@pytest.mark.django_db
def test_commande_compute_indice_en_erreur(valeurs, capsys, executer):
    assert executer("compute_indice", "--niveau", "quartier", "--millesime", "2022") == 1
    assert "Indice non calculé\u00a0: Aucune valeur d'indicateur" in capsys.readouterr().err
    argv = ("compute_indice", "--niveau", "commune", "--millesime", "2022", "--echelle", "-1")
    assert executer(*argv) == 1
    assert "L'échelle doit être un nombre strictement positif." in capsys.readouterr().err
    assert not ResultatIndice.objects.tous().exists()


@pytest.mark.django_db
def test_qui_peut_calculer(valeurs, comptes):
    metropole = territoire_de_reference("247200132")
    angers = territoire_de_reference("49007")
    le_mans = territoire_de_reference("72181")
    CommuneFactory(code_insee="72264", nom="Sablé-sur-Sarthe", departement=valeurs["sarthe"])
    sarthe = territoire_de_reference("72")
    coordinateur = comptes["coordinateur"]
    assert peut_calculer_indice(coordinateur, metropole)
    assert peut_calculer_indice(coordinateur, le_mans)
    assert not peut_calculer_indice(coordinateur, angers)
    assert not peut_calculer_indice(coordinateur, sarthe)  # wider than its territory
    assert not peut_calculer_indice(coordinateur, None)
    assert peut_calculer_indice(comptes["coordinateur_autre_territoire"], angers)
    assert peut_calculer_indice(comptes["staff"], None)
    for role in ("elu", "conseiller", "referent"):
        assert not peut_calculer_indice(comptes[role], le_mans), role
    assert not peut_calculer_indice(None, le_mans)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_tache_celery_sur_un_vrai_worker(celery_reel, valeurs, comptes):
    from indicateurs.indice.tasks import calculer_indice as tache

    envoi = tache.delay(
        niveau="commune",
        millesime=2022,
        methode="rangs",
        echelle=3,
        reference="247200132",
        par_id=comptes["staff"].pk,
    )
    pk = envoi.get(timeout=60)
    resultat = ResultatIndice.objects.tous().get(pk=pk)
    assert resultat.tache == f"celery:{envoi.id}"
    assert resultat.calcule_par == comptes["staff"]
    assert {c: u.indice for c, u in unites(resultat).items()} == pytest.approx(
        {"72181": 1.5, "72386": 3.0}
    )
    assert "indicateurs.tasks.calculer_indice" in celery_reel["journal"].read_text()
