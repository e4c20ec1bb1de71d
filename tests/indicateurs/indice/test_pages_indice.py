"""The index pages: ranking, map data, a unit's detail, exports, computing a new version.

Hand-computed dataset, reference set = the five communes of Le Mans Métropole below
(Angers has values too, outside the reference, and must change nothing):

    commune          pauvrete  chomage  age_65_plus
    A Le Mans           10        5         —
    B Yvré              20        4         —
    C Coulaines         30        3         —
    D Allonnes          40        2         —
    E Sargé             50        1        31

pauvrete: p = 0.2 0.4 0.6 0.8 1.0 → −2 −1 +1 +2 +3; chomage reversed → +3 +2 +1 −1 −2;
age_65_plus alone → p = 1 → +3. Index = sum × 10 ÷ (3 k):
A, B, D = 1 × 10/6 = 1.667; C = 2 × 10/6 = 3.333; E = 4 × 10/9 = 4.444.
"""

from __future__ import annotations

import csv
import html
import io

import pytest
from django.urls import reverse

from indicateurs.indice.models import Contour, IndiceUnite, ResultatIndice
from indicateurs.indice.services import UnitePubliee, Valeur, calculer_indice, charger_indice_publie
from indicateurs.indice.services import enregistrer_valeurs as enregistrer
from tests.structures.factories import LieuFactory
from tests.territoires.factories import CommuneFactory

pytestmark = pytest.mark.django_db

METROPOLE = "247200132"
CARRE = {
    "type": "Polygon",
    "coordinates": [[[0.1, 47.9], [0.3, 47.9], [0.3, 48.1], [0.1, 48.1], [0.1, 47.9]]],
}


@pytest.fixture
def communes(geographie):
    g = geographie
    autres = {
        code: CommuneFactory(
            code_insee=code,
            nom=nom,
            departement=g["sarthe"],
            epci=g["metropole"],
            population=population,
            latitude=48.0,
            longitude=0.25,
        )
        for code, nom, population in (
            ("72095", "Coulaines", 7700),
            ("72003", "Allonnes", 11000),
            ("72328", "Sargé-lès-le-Mans", 3800),
        )
    }
    return {
        "A": g["le_mans"],
        "B": g["yvre"],
        "C": autres["72095"],
        "D": autres["72003"],
        "E": autres["72328"],
        "angers": g["angers_commune"],
    }


def _valeurs(communes, millesime=2022):
    lignes = {
        "A": {"pauvrete": 10, "chomage": 5},
        "B": {"pauvrete": 20, "chomage": 4},
        "C": {"pauvrete": 30, "chomage": 3},
        "D": {"pauvrete": 40, "chomage": 2},
        "E": {"pauvrete": 50, "chomage": 1, "age_65_plus": 31},
        "angers": {"pauvrete": 99, "chomage": 99},
    }
    enregistrer(
        valeurs=[
            Valeur("commune", c.pk, indicateur, valeur, millesime, "essai", c.pk, None)
            for cle, c in communes.items()
            for indicateur, valeur in lignes[cle].items()
        ]
    )


@pytest.fixture
def resultat(communes):
    _valeurs(communes)
    return calculer_indice(niveau="commune", millesime=2022, reference=METROPOLE)


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def _url(**parametres):
    base = {"territoire": METROPOLE, "niveau": "commune"}
    base.update(parametres)
    return reverse("indicateurs:indice") + "?" + "&".join(f"{k}={v}" for k, v in base.items())


def test_classement_du_plus_fragile_au_moins_fragile(client_de, resultat, communes):
    reponse = client_de("elu").get(_url())
    assert reponse.status_code == 200
    unites = reponse.context["unites"]
    assert [(u["nom"], u["rang"]) for u in unites] == [
        ("Sargé-lès-le-Mans", 1),
        ("Coulaines", 2),
        ("Allonnes", 3),
        ("Le Mans", 3),
        ("Yvré-l'Évêque", 3),
    ]  # ties share their rank, then by INSEE code (72003 < 72181 < 72386)
    assert unites[0]["indice"] == pytest.approx(40 / 9)
    assert unites[1]["indice"] == pytest.approx(20 / 6)
    assert unites[0]["competences_numeriques"] == pytest.approx(10.0)
    assert unites[0]["classe"] == 5
    contenu = texte(reponse)
    assert "Angers" not in contenu.split('id="table-classement"')[1]
    assert reverse("indicateurs:indice_unite", args=[unites[0]["pk"]]) in contenu
    assert "Accès aux interfaces numériques" in contenu  # the axes' columns


def test_carte_contours_cercles_et_lieux(client_de, resultat, communes):
    Contour.objects.create(
        niveau="commune",
        code="72181",
        nom="Le Mans",
        commune=communes["A"],
        geometrie=CARRE,
        latitude=48.0,
        longitude=0.2,
        population=145004,
    )
    LieuFactory(nom="Médiathèque Aragon", commune=communes["A"], latitude=48.0, longitude=0.2)
    LieuFactory(nom="Hors territoire", commune=communes["angers"], latitude=47.4, longitude=-0.5)
    donnees = client_de("coordinateur").get(_url()).context["donnees_carte"]
    contours = donnees["contours"]["features"]
    assert [f["properties"]["nom"] for f in contours] == ["Le Mans"]
    assert contours[0]["geometry"] == CARRE
    assert contours[0]["properties"]["population"] == 145004
    cercles = {c["nom"]: c for c in donnees["cercles"]}
    assert set(cercles) == {"Sargé-lès-le-Mans", "Coulaines", "Allonnes", "Yvré-l'Évêque"}
    assert cercles["Coulaines"]["population"] == 7700  # the commune's own when no contour
    assert (cercles["Coulaines"]["lat"], cercles["Coulaines"]["lon"]) == (48.0, 0.25)
    assert [lieu[1] for lieu in donnees["lieux"]] == ["Médiathèque Aragon"]
    assert donnees["url_unite"].endswith("/0/")


def test_choix_de_la_version(client_de, resultat, communes):
    publie = charger_indice_publie(
        unites=[UnitePubliee(indice=9.9, commune=communes["B"])],
        millesime=2023,
        source="publication d'essai",
    )
    client = client_de("coordinateur")
    reponse = client.get(_url())
    assert reponse.context["resultat"] == publie  # the latest vintage first
    assert [u["nom"] for u in reponse.context["unites"]] == ["Yvré-l'Évêque"]
    assert "publication d'essai" in texte(reponse)
    reponse = client.get(_url(resultat=resultat.pk))
    assert reponse.context["resultat"] == resultat
    assert len(reponse.context["unites"]) == 5
    reponse = client.get(_url(resultat=999999))
    assert "classement" not in reponse.context
    assert "Choisissez une version de l'indice de la liste." in texte(reponse)


def test_aucun_indice(client_de, geographie):
    reponse = client_de("coordinateur").get(_url(niveau="iris"))
    assert reponse.status_code == 200
    assert 'id="aucun-indice"' in texte(reponse)


def test_territoire_d_un_autre(client_de, resultat):
    assert client_de("coordinateur_autre_territoire").get(_url()).status_code == 403


def test_detail_ce_qui_porte_l_indice(client_de, resultat, communes):
    unite = IndiceUnite.objects.tous().get(resultat=resultat, code="72328")
    reponse = client_de("elu").get(reverse("indicateurs:indice_unite", args=[unite.pk]))
    assert reponse.status_code == 200
    detail = reponse.context["detail"]
    assert (detail.rang, detail.sur) == (1, 5)
    assert [(i.code, i.score) for i in detail.moteurs] == [("age_65_plus", 3), ("pauvrete", 3)]
    assert [(i.code, i.score) for i in detail.atouts] == [("chomage", -2)]
    assert detail.axe_principal.code == "acces_numerique"  # 10, tied with the last axis
    indicateurs = {i.code: i for axe in detail.axes for i in axe.indicateurs}
    assert indicateurs["pauvrete"].valeur == 50
    assert indicateurs["pauvrete"].moyenne == pytest.approx(30)  # Angers is not in the reference
    assert indicateurs["chomage"].moyenne == pytest.approx(3)
    assert indicateurs["non_couverture_thd"].valeur is None
    contenu = texte(reponse)
    assert "Le Mans Métropole" in contenu  # the reference territory
    assert f"territoire={METROPOLE}" in reponse.context["retour"]


def test_detail_ratio(client_de, communes):
    _valeurs(communes)
    resultat = calculer_indice(
        niveau="commune", millesime=2022, methode="ratio", reference=METROPOLE
    )
    unite = IndiceUnite.objects.tous().get(resultat=resultat, code="72328")
    detail = (
        client_de("coordinateur")
        .get(reverse("indicateurs:indice_unite", args=[unite.pk]))
        .context["detail"]
    )
    # pauvrete 50 / mean 30 → 166.7 (driver, ≥ 120); chomage 1 / 3 → 33.3 (asset, ≤ 80)
    assert [(i.code, round(i.score, 1)) for i in detail.moteurs] == [("pauvrete", 166.7)]
    assert [(i.code, round(i.score, 1)) for i in detail.atouts] == [("chomage", 33.3)]


def test_detail_indice_publie_et_historique(client_de, resultat, communes):
    publie = charger_indice_publie(
        unites=[UnitePubliee(indice=4.36, commune=communes["A"])], millesime=2022, source="x"
    )
    unite = IndiceUnite.objects.tous().get(resultat=publie)
    reponse = client_de("coordinateur").get(reverse("indicateurs:indice_unite", args=[unite.pk]))
    contenu = texte(reponse)
    assert 'id="sans-detail"' in contenu
    calcule = IndiceUnite.objects.tous().get(resultat=resultat, code="72181")
    assert reverse("indicateurs:indice_unite", args=[calcule.pk]) in contenu  # other version


def test_detail_d_un_autre_territoire(client_de, resultat, communes):
    publie = charger_indice_publie(
        unites=[UnitePubliee(indice=1.0, commune=communes["angers"])], millesime=2022, source="x"
    )
    angers = IndiceUnite.objects.tous().get(resultat=publie)
    url = reverse("indicateurs:indice_unite", args=[angers.pk])
    assert client_de("coordinateur").get(url).status_code == 404
    assert client_de("coordinateur_autre_territoire").get(url).status_code == 200


def test_export_csv(client_de, resultat):
    reponse = client_de("coordinateur").get(_url().replace("/indice/?", "/indice.csv?"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert f"indice-{METROPOLE}-commune-" in reponse["Content-Disposition"]
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][0].startswith("Indice de fragilité numérique, communes de CU Le Mans")
    entete = lignes[3]
    assert entete[:5] == ["Rang", "Code", "Unité", "Population", "Indice"]
    assert "Score\u00a0: taux de pauvreté" in entete
    premiere = dict(zip(entete, lignes[4], strict=True))
    assert (premiere["Rang"], premiere["Code"], premiere["Population"]) == ("1", "72328", "3800")
    assert premiere["Indice"] == "4,4444"
    assert premiere["Score\u00a0: taux de pauvreté"] == "3,0"
    assert premiere["Score\u00a0: locaux non couverts en très haut débit"] == ""
    assert len(lignes) == 4 + 5


def test_export_xlsx(client_de, resultat):
    from openpyxl import load_workbook

    reponse = client_de("elu").get(_url().replace("/indice/?", "/indice.xlsx?"))
    assert reponse.status_code == 200
    classeur = load_workbook(io.BytesIO(reponse.content))
    assert classeur.sheetnames == ["Classement"]
    feuille = classeur.active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[1][:5] == ("Rang", "Code", "Unité", "Population", "Indice")
    assert lignes[2][:5] == (1, "72328", "Sargé-lès-le-Mans", 3800, pytest.approx(4.4444))
    assert len(lignes) == 2 + 5
    # numbers with a format, the header frozen, a missing score an empty cell
    assert feuille.freeze_panes == "A3"
    rang, code, _, population, indice = feuille[3][:5]
    assert (rang.number_format, population.number_format) == ("#,##0", "#,##0")
    assert code.data_type == "s"  # an INSEE code stays text
    assert indice.data_type == "n" and indice.number_format == "#,##0.0000"
    entete = lignes[1]
    colonne = entete.index("Score\u00a0: locaux non couverts en très haut débit")
    assert lignes[2][colonne] is None


def test_export_parametres_invalides(client_de, resultat):
    url = reverse("indicateurs:indice_csv") + f"?territoire={METROPOLE}&niveau=canton"
    reponse = client_de("coordinateur").get(url)
    assert reponse.status_code == 400
    assert "Choisissez communes, quartiers ou IRIS." in texte(reponse)


# -- computing -------------------------------------------------------------------------------


def _calcul(**champs):
    donnees = {
        "reference": METROPOLE,
        "niveau": "commune",
        "millesime": "2022",
        "methode": "rangs",
        "echelle": "100",
    }
    donnees.update(champs)
    return donnees


def test_calcul_par_un_coordinateur(client_de, communes, comptes):
    _valeurs(communes)
    client = client_de("coordinateur")
    assert client.get(reverse("indicateurs:indice_calculer")).status_code == 200
    reponse = client.post(reverse("indicateurs:indice_calculer"), _calcul(), follow=True)
    assert reponse.redirect_chain[-1][0].startswith(reverse("indicateurs:indice"))
    resultat = ResultatIndice.objects.tous().get()
    assert (resultat.methode, resultat.parametres["echelle"], resultat.nombre_unites) == (
        "rangs",
        100.0,
        5,
    )
    assert resultat.parametres["reference"]["code"] == METROPOLE
    assert resultat.calcule_par == comptes["coordinateur"]
    assert reponse.context["resultat"] == resultat
    assert reponse.context["unites"][0]["indice"] == pytest.approx(400 / 9)
    assert "Le nouvel indice est calculé" in texte(reponse)


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        ({"millesime": "2019"}, "Aucune valeur d'indicateur n'a été importée"),
        ({"millesime": "deux mille"}, "Le millésime est une année, par exemple 2021."),
        ({"echelle": "-3"}, "L'échelle doit être un nombre strictement positif."),
        ({"echelle": "dix"}, "Saisissez un nombre pour l'échelle, par exemple 10 ou 100."),
        ({"methode": "moyenne"}, "Choisissez la méthode des rangs ou du ratio."),
        ({"niveau": ""}, "Choisissez le niveau des unités."),
    ],
)
def test_calcul_refuse_avec_un_message(client_de, communes, champs, message):
    _valeurs(communes)
    reponse = client_de("coordinateur").post(
        reverse("indicateurs:indice_calculer"), _calcul(**champs)
    )
    assert reponse.status_code == 400
    assert message in texte(reponse)
    assert not ResultatIndice.objects.tous().exists()


def test_calcul_hors_de_son_territoire(client_de, communes):
    _valeurs(communes)
    reponse = client_de("coordinateur_autre_territoire").post(
        reverse("indicateurs:indice_calculer"), _calcul()
    )
    assert reponse.status_code == 403
    assert not ResultatIndice.objects.tous().exists()


@pytest.mark.parametrize("role", ["elu", "conseiller", "referent"])
def test_calcul_refuse_aux_autres_roles(client_de, communes, role):
    _valeurs(communes)
    reponse = client_de(role).post(reverse("indicateurs:indice_calculer"), _calcul())
    assert reponse.status_code == 403
    assert not ResultatIndice.objects.tous().exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_calcul_sur_un_vrai_worker(celery_reel, client_de, communes, comptes):
    """With a real worker the page answers at once and the version appears when computed."""
    import time

    _valeurs(communes)
    reponse = client_de("coordinateur").post(
        reverse("indicateurs:indice_calculer"), _calcul(methode="ratio"), follow=True
    )
    assert "Le calcul est lancé" in texte(reponse) or "Le nouvel indice est calculé" in texte(
        reponse
    )
    limite = time.monotonic() + 60
    while not ResultatIndice.objects.tous().exists() and time.monotonic() < limite:
        time.sleep(0.2)
    resultat = ResultatIndice.objects.tous().get()
    assert (resultat.methode, resultat.nombre_unites) == ("ratio", 5)
    assert resultat.tache.startswith("celery:") and resultat.tache != "celery:local"
    assert resultat.calcule_par == comptes["coordinateur"]
    assert "indicateurs.tasks.calculer_indice" in celery_reel["journal"].read_text()
