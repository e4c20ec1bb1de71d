"""Coverage analysis: hand-computed geography on the equator, then the database and the page.

On the equator one hundredth of a degree of longitude is R × π / 18,000 with the mean Earth
radius R = 6,371.0088 km, that is 1.1119508 km: every expected distance below is a
multiple of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import math

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from conseillers.enums import Jour
from indicateurs.couverture import analyse as couverture
from indicateurs.couverture.analyse import analyser, distances_km, heures_hebdomadaires
from indicateurs.indice.models import Contour
from indicateurs.indice.services import UnitePubliee, charger_indice_publie
from indicateurs.territoire import Territoire
from structures.enums import Service
from tests.conseillers.factories import ConseillerFactory, MiseADispositionFactory
from tests.structures.factories import ArretFactory, LieuFactory
from tests.territoires.factories import CommuneFactory, EpciFactory

CENTIEME_KM = 6371.0088 * math.pi / 18_000  # 0.01° of longitude on the equator


def unites(*lignes) -> pd.DataFrame:
    """(code, population, indice, longitude or None, lieux, heures) on the equator."""
    return pd.DataFrame(
        [
            {
                "cle": code,
                "code": code,
                "nom": f"Unité {code}",
                "population": np.nan if population is None else float(population),
                "indice": np.nan if indice is None else float(indice),
                "latitude": np.nan if longitude is None else 0.0,
                "longitude": np.nan if longitude is None else float(longitude),
                "lieux": lieux,
                "heures": float(heures),
            }
            for code, population, indice, longitude, lieux, heures in lignes
        ]
    )


def points(*lignes) -> pd.DataFrame:
    """(cle, longitude) on the equator."""
    return pd.DataFrame(
        [
            {"cle": cle, "nom": f"Lieu {cle}", "latitude": 0.0, "longitude": float(lon)}
            for cle, lon in lignes
        ]
    )


# A and B 1.11 km apart, C 11 km from A, D holds the only offer 55.6 km from A, E has no
# point, F has no population. With X = 2 km and threshold 5, A, B and C are fragile and
# without offer: 2,900 inhabitants.
GEOGRAPHIE = unites(
    ("A", 1000, 8, 0.00, 0, 0),
    ("B", 1000, 7, 0.01, 0, 0),
    ("C", 900, 9, 0.10, 0, 0),
    ("D", 5000, 1, 0.50, 2, 12),
    ("E", 200, 10, None, 0, 0),
    ("F", None, 2, 0.30, 1, 3),
)
OFFRES = points(("m", 0.50))


def test_haversine_sur_l_equateur_et_le_long_d_un_meridien():
    d = distances_km([0.0, 0.0], [0.0, 0.0], [0.0, 1.0], [0.01, 0.0])
    assert d.shape == (2, 2)
    assert d[0, 0] == pytest.approx(CENTIEME_KM, rel=1e-9)
    assert d[0, 1] == pytest.approx(100 * CENTIEME_KM, rel=1e-9)  # 1° of latitude
    assert d[1, 0] == pytest.approx(CENTIEME_KM, rel=1e-9)
    # antipodes: half the circumference
    assert distances_km([0.0], [0.0], [0.0], [180.0])[0, 0] == pytest.approx(math.pi * 6371.0088)


def test_plus_proche_par_blocs(monkeypatch):
    monkeypatch.setattr(couverture, "CELLULES_PAR_BLOC", 2)  # one unit per block
    d, positions = couverture.plus_proche([0.0, 0.0, 0.0], [0.0, 0.2, 0.41], [0.0, 0.0], [0.1, 0.4])
    assert positions.tolist() == [0, 0, 1]
    assert d == pytest.approx([10 * CENTIEME_KM, 10 * CENTIEME_KM, CENTIEME_KM])
    vide, aucune = couverture.plus_proche([0.0], [0.0], [], [])
    assert math.isnan(vide[0]) and aucune[0] == -1


def test_distances_ratios_et_statuts():
    analyse = analyser(GEOGRAPHIE, OFFRES, rayon_km=2, k=0, seuil=5)
    t = analyse.unites.set_index("code")
    assert t.loc["A", "distance_km"] == pytest.approx(50 * CENTIEME_KM)
    assert t.loc["C", "distance_km"] == pytest.approx(40 * CENTIEME_KM)
    assert t.loc["D", "distance_km"] == 0
    assert t.loc["D", "offre_proche"] == "Lieu m"
    assert t.loc["D", "lieux_pour_10000"] == pytest.approx(4.0)  # 2 sites for 5,000
    assert t.loc["D", "heures_pour_10000"] == pytest.approx(24.0)  # 12 h for 5,000
    assert t.loc["A", "lieux_pour_10000"] == 0
    assert math.isnan(t.loc["F", "lieux_pour_10000"])  # population unknown
    assert t["statut"].to_dict() == {
        "A": "sans_offre",
        "B": "sans_offre",
        "C": "sans_offre",
        "D": "couverte",
        "E": "sans_point",
        "F": "sans_offre",
    }
    assert math.isnan(t.loc["E", "distance_km"])
    assert t["fragile"].to_dict() == {
        "A": True,
        "B": True,
        "C": True,
        "D": False,
        "E": True,
        "F": False,
    }


def test_liste_sans_offre_et_population_sommee():
    analyse = analyser(GEOGRAPHIE, OFFRES, rayon_km=2, k=0, seuil=5)
    # E is fragile but has no point: it can be neither covered nor uncovered
    assert analyse.sans_offre["code"].tolist() == ["C", "A", "B"]  # most fragile first
    assert analyse.population_sans_offre == 2900
    assert analyse.sans_point["code"].tolist() == ["E"]
    assert len(analyse.toutes_sans_offre) == 4  # F too, not fragile
    # within 55 km of an offer, only A (55.6 km) remains without offer (B is at 54.5 km)
    large = analyser(GEOGRAPHIE, OFFRES, rayon_km=55, k=0, seuil=5)
    assert large.sans_offre["code"].tolist() == ["A"]
    assert large.population_sans_offre == 1000


def test_seuil_par_defaut_troisieme_quartile():
    # indices 1, 2, 7, 8, 9, 10: the 0.75 quantile is 8 + 0.75 × (9 − 8) = 8.75
    analyse = analyser(GEOGRAPHIE, OFFRES, rayon_km=2, k=0)
    assert analyse.seuil == pytest.approx(8.75)
    assert analyse.seuil_par_defaut
    assert sorted(analyse.fragiles["code"]) == ["C", "E"]
    assert analyse.sans_offre["code"].tolist() == ["C"]
    assert analyse.population_sans_offre == 900


def test_sans_indice_personne_n_est_fragile():
    sans_indice = GEOGRAPHIE.assign(indice=np.nan)
    analyse = analyser(sans_indice, OFFRES, rayon_km=2, k=3)
    assert analyse.seuil is None
    assert analyse.sans_offre.empty and analyse.suggestions == []


def test_glouton_l_ordre_compte_et_l_egalite_va_au_premier():
    """A's and B's points each bring A and B (2,000 inhabitants), C's point brings C (900).
    The two best places taken one by one are A then C (2,900), not A and B (2,000); A and
    B tie (same population, same number of units): A, first in the order, wins."""
    analyse = analyser(GEOGRAPHIE, OFFRES, rayon_km=2, k=2, seuil=5)
    premier, second = analyse.suggestions
    assert (premier.rang, premier.cle, premier.type) == (1, "A", "unite")
    assert premier.unites["code"].tolist() == ["A", "B"]
    assert premier.unites["distance_km"].tolist() == pytest.approx([0, CENTIEME_KM])
    assert (premier.population, premier.unites_couvertes) == (2000, 2)
    assert (second.cle, second.population, second.population_cumulee) == ("C", 900, 2900)
    assert (premier.latitude, premier.longitude) == (0.0, 0.0)
    assert analyse.population_couverte_par_suggestions == 2900
    assert analyse.population_sans_offre_apres == 0


def test_glouton_s_arrete_quand_plus_rien_n_est_a_couvrir():
    analyse = analyser(GEOGRAPHIE, OFFRES, rayon_km=2, k=5, seuil=5)
    assert [s.cle for s in analyse.suggestions] == ["A", "C"]
    assert analyser(GEOGRAPHIE, OFFRES, rayon_km=2, k=0, seuil=5).suggestions == []


def test_egalite_de_population_le_plus_d_unites_l_emporte():
    """P's point brings P alone (600); Q's point brings Q and R (300 + 300): same population,
    Q brings more units and is chosen although P comes first."""
    geo = unites(
        ("P", 600, 9, 0.00, 0, 0),
        ("Q", 300, 9, 1.00, 0, 0),
        ("R", 300, 9, 1.01, 0, 0),
    )
    analyse = analyser(geo, points(("loin", 10.0)), rayon_km=2, k=1, seuil=5)
    assert [s.cle for s in analyse.suggestions] == ["Q"]
    assert analyse.suggestions[0].unites["code"].tolist() == ["Q", "R"]


def test_population_inconnue_compte_zero_mais_l_unite_reste_a_couvrir():
    geo = unites(("P", None, 9, 0.00, 0, 0), ("Q", None, 9, 1.00, 0, 0))
    analyse = analyser(geo, points(("loin", 10.0)), rayon_km=2, k=3, seuil=5)
    assert [(s.cle, s.population) for s in analyse.suggestions] == [("P", 0), ("Q", 0)]
    assert analyse.population_sans_offre == 0


def test_un_lieu_partenaire_peut_etre_le_meilleur_emplacement():
    """A and B are 3.3 km apart: each point brings one unit with X = 2 km, the partner site
    halfway (1.67 km from each) brings both."""
    geo = unites(("A", 1000, 9, 0.00, 0, 0), ("B", 1000, 9, 0.03, 0, 0))
    candidats = points(("lieu-7", 0.015))
    analyse = analyser(geo, points(("loin", 10.0)), rayon_km=2, k=2, seuil=5, candidats=candidats)
    (seul,) = analyse.suggestions
    assert (seul.cle, seul.type, seul.nom, seul.population) == (
        "lieu-7",
        "lieu",
        "Lieu lieu-7",
        2000,
    )
    assert seul.unites["distance_km"].tolist() == pytest.approx([1.5 * CENTIEME_KM] * 2)


def test_portee_de_recherche():
    analyse = analyser(GEOGRAPHIE, OFFRES, rayon_km=2, k=0, seuil=5, portee_km=30)
    t = analyse.unites.set_index("code")
    assert math.isnan(t.loc["A", "distance_km"])  # 55.6 km: beyond the search
    assert t.loc["A", "statut"] == "sans_offre"
    assert pd.isna(t.loc["A", "offre_proche"])
    assert t.loc["F", "distance_km"] == pytest.approx(20 * CENTIEME_KM)


def test_sans_aucune_offre():
    analyse = analyser(GEOGRAPHIE, points(), rayon_km=2, k=1, seuil=5)
    assert analyse.unites["distance_km"].isna().all()
    assert analyse.population_sans_offre == 2900
    assert analyse.suggestions[0].cle == "A"


def test_heures_hebdomadaires():
    mises = pd.DataFrame(
        {
            "heure_debut": [dt.time(14, 0), dt.time(9, 30)],
            "heure_fin": [dt.time(17, 0), dt.time(12, 0)],
            "jours": [["mardi", "jeudi"], ["lundi"]],
            "conseillers": [3, 0],
        }
    )
    assert heures_hebdomadaires(mises).tolist() == [18.0, 0.0]


# -- reading the database ------------------------------------------------------------------


@pytest.fixture
def territoire(geographie):
    """Le Mans (contour: 150,000 inhabitants) and Yvré (no contour) 0.1° of longitude apart,
    a site of another EPCI just across the border from Yvré, published indices."""
    g = geographie
    Contour.objects.create(
        niveau="commune",
        code="72181",
        nom="Le Mans",
        commune=g["le_mans"],
        latitude=48.0,
        longitude=0.2,
        population=150_000,
        source="contours de test, 2024",
    )
    g["yvre"].latitude, g["yvre"].longitude = 48.0, 0.3
    g["yvre"].save()
    voisine = CommuneFactory(
        code_insee="72334", nom="Savigné-l'Évêque", epci=EpciFactory(siren="200000001")
    )
    lieu = LieuFactory(
        nom="Maison France services",
        commune=g["le_mans"],
        latitude=48.0,
        longitude=0.2,
        services=[Service.DEMARCHES],
    )
    frontiere = LieuFactory(
        nom="Médiathèque de Savigné",
        commune=voisine,
        latitude=48.0,
        longitude=0.32,
        services=[Service.DEMARCHES, Service.PARENTALITE],
    )
    MiseADispositionFactory(
        structure=lieu.structure,
        lieu=lieu,
        conseillers=[ConseillerFactory(), ConseillerFactory()],
        date_debut=dt.date(2020, 1, 1),
        jours=[Jour.MARDI, Jour.JEUDI],
        heure_debut=dt.time(14, 0),
        heure_fin=dt.time(17, 0),
    )
    MiseADispositionFactory(  # ended: does not count
        structure=lieu.structure,
        lieu=lieu,
        conseillers=[ConseillerFactory()],
        date_debut=dt.date(2020, 1, 1),
        date_fin=dt.date(2021, 1, 1),
    )
    charger_indice_publie(
        unites=[
            UnitePubliee(indice=2.72, commune=g["le_mans"]),
            UnitePubliee(indice=4.5, commune=g["yvre"]),
        ],
        millesime=2022,
        source="essai",
    )
    return {"lieu": lieu, "frontiere": frontiere, "voisine": voisine, **g}


METROPOLE = Territoire("epci", "247200132", "CU Le Mans Métropole")


def test_lecture_des_communes(territoire):
    donnees = couverture.lire_donnees(
        territoire=METROPOLE, niveau="commune", rayon_km=5, le=dt.date(2026, 3, 1)
    )
    t = donnees.unites.set_index("code")
    assert list(t.index) == ["72181", "72386"]
    assert t.loc["72181", "population"] == 150_000  # the contour's
    assert t.loc["72386", "population"] == 4181  # the reference geography's
    assert (t.loc["72386", "latitude"], t.loc["72386", "longitude"]) == (48.0, 0.3)
    assert t["indice"].tolist() == [2.72, 4.5]
    assert t["lieux"].tolist() == [1, 0]
    assert t["heures"].tolist() == [12.0, 0.0]  # 3 h × 2 days × 2 advisors
    assert donnees.resultat.parametres == {"source": "essai"}
    assert donnees.sources_population[0] == "contours de test, 2024"
    # the neighbouring site counts as an offer
    assert set(donnees.offres["nom"]) == {"Maison France services", "Médiathèque de Savigné"}
    analyse = analyser(
        donnees.unites, donnees.offres, rayon_km=5, k=1, seuil=4, portee_km=donnees.portee_km
    )
    yvre = analyse.unites.set_index("code").loc["72386"]
    attendu = distances_km([48.0], [0.3], [48.0], [0.32])[0, 0]
    assert yvre["distance_km"] == pytest.approx(attendu)
    assert attendu == pytest.approx(1.488, abs=1e-3)
    assert yvre["offre_proche"] == "Médiathèque de Savigné"
    assert analyse.sans_offre.empty


def test_un_service_et_les_arrets_itinerants(territoire):
    donnees = couverture.lire_donnees(
        territoire=METROPOLE, niveau="commune", service=Service.PARENTALITE, rayon_km=1
    )
    assert donnees.unites["lieux"].tolist() == [0, 0]
    assert donnees.offres["nom"].tolist() == ["Médiathèque de Savigné"]
    # the Le Mans site, without the service, is a candidate place
    assert donnees.candidats["cle"].tolist() == [f"lieu-{territoire['lieu'].pk}"]
    ArretFactory(
        lieu=territoire["frontiere"], nom="Place de l'église", latitude=48.0, longitude=0.201
    )
    donnees = couverture.lire_donnees(
        territoire=METROPOLE, niveau="commune", service=Service.PARENTALITE, rayon_km=1
    )
    assert "Place de l'église (arrêt de Médiathèque de Savigné)" in set(donnees.offres["nom"])
    analyse = analyser(donnees.unites, donnees.offres, rayon_km=1, k=1, seuil=4)
    le_mans = analyse.unites.set_index("code").loc["72181"]
    assert le_mans["statut"] == "couverte"


def test_lecture_des_quartiers(territoire):
    bellevue, sablons, _roseraie = territoire["zones"]
    Contour.objects.create(
        niveau="quartier",
        code=str(bellevue.pk),
        nom="Bellevue",
        commune=territoire["le_mans"],
        zone=bellevue,
        latitude=48.01,
        longitude=0.2,
        population=6000,
        source="recensement 2021, IRIS regroupés",
    )
    charger_indice_publie(
        unites=[UnitePubliee(indice=4.36, zone=bellevue), UnitePubliee(indice=5.1, zone=sablons)],
        millesime=2022,
        source="quartiers",
    )
    LieuFactory(commune=territoire["le_mans"], zone=bellevue, latitude=48.01, longitude=0.2)
    donnees = couverture.lire_donnees(territoire=METROPOLE, niveau="quartier", rayon_km=2)
    t = donnees.unites.set_index("code")
    assert sorted(t.index) == sorted([str(bellevue.pk), str(sablons.pk)])  # not Angers'
    assert t.loc[str(bellevue.pk), "population"] == 6000
    assert t.loc[str(bellevue.pk), "lieux"] == 1
    assert math.isnan(t.loc[str(sablons.pk), "latitude"])  # index, no outline
    assert donnees.communes_sans_unite == 1  # Yvré
    analyse = analyser(donnees.unites, donnees.offres, rayon_km=2, k=1, seuil=4)
    assert analyse.sans_point["nom"].tolist() == ["Les Sablons"]


# -- the page ----------------------------------------------------------------------------------


URL = reverse("indicateurs:couverture")


def test_page_par_defaut(client_de, territoire, django_assert_max_num_queries):
    client = client_de("coordinateur")
    with django_assert_max_num_queries(20):
        reponse = client.get(URL)
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "CU Le Mans Métropole" in contenu
    assert "indice ≥ 4,06" in contenu  # 2.72 + 0.75 × (4.5 − 2.72) = 4.055
    assert "troisième quartile" in contenu
    assert reponse.context["analyse"].rayon_km == 5
    assert "donnees-couverture" in contenu
    assert "contours de test, 2024" in contenu


def test_page_sans_offre_et_suggestions(client_de, territoire):
    reponse = client_de("elu").get(URL, {"territoire": "247200132", "rayon": "1", "seuil": "4"})
    analyse = reponse.context["analyse"]
    assert analyse.sans_offre["code"].tolist() == ["72386"]
    assert reponse.context["analyse"].population_sans_offre == 4181
    assert [s.nom for s in analyse.suggestions] == ["Yvré-l'Évêque"]
    contenu = reponse.content.decode()
    assert 'id="total-sans-offre">4\u202f181<' in contenu or 'id="total-sans-offre">4\xa0181<' in (
        contenu
    )
    carte = reponse.context["donnees_carte"]
    assert carte["suggestions"] == [[1, "Yvré-l'Évêque", 48.0, 0.3, 4181]]
    assert carte["rayon_km"] == 1


def test_tri_cote_serveur(client_de, territoire):
    client = client_de("coordinateur")
    croissant = client.get(URL, {"tri": "population", "ordre": "asc"}).context["unites"]
    assert [u["code"] for u in croissant] == ["72386", "72181"]
    decroissant = client.get(URL, {"tri": "population", "ordre": "desc"}).context["unites"]
    assert [u["code"] for u in decroissant] == ["72181", "72386"]
    par_nom = client.get(URL, {"tri": "nom", "ordre": "asc"})
    assert [u["code"] for u in par_nom.context["unites"]] == ["72181", "72386"]
    assert 'aria-sort="ascending"' in par_nom.content.decode()


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"rayon": "abc"}, "Saisissez une distance en kilomètres, par exemple 5 ou 2,5."),
        ({"rayon": "0,1"}, "La distance doit être d'au moins 0,5\u00a0km."),
        ({"rayon": "80"}, "La distance ne peut pas dépasser 50\u00a0km."),
        ({"k": "50"}, "Au plus 20 emplacements."),
        ({"k": "-1"}, "Le nombre d'emplacements ne peut pas être négatif."),
        ({"k": "deux"}, "Saisissez un nombre entier d'emplacements, par exemple 3."),
        ({"seuil": "haut"}, "Saisissez un nombre pour le seuil, par exemple 3 ou 2,5."),
        ({"niveau": "region"}, "Choisissez communes, quartiers ou IRIS."),
        ({"service": "astrologie"}, "Choisissez un service de la liste."),
    ],
)
def test_erreurs_en_francais(client_de, territoire, parametres, message):
    reponse = client_de("coordinateur").get(URL, parametres)
    assert reponse.status_code == 200
    assert reponse.context.get("analyse") is None
    assert message in html.unescape(reponse.content.decode())
    assert 'aria-invalid="true"' in reponse.content.decode()


def test_virgule_decimale_acceptee(client_de, territoire):
    reponse = client_de("coordinateur").get(URL, {"rayon": "2,5", "seuil": "4,5"})
    assert reponse.context["analyse"].rayon_km == 2.5
    assert reponse.context["analyse"].seuil == 4.5


def test_pas_le_territoire_d_un_autre(client_de, territoire):
    client = client_de("coordinateur_autre_territoire")
    assert client.get(URL, {"territoire": "247200132"}).status_code == 403
    # its own territory: Angers, without index
    reponse = client.get(URL)
    assert reponse.status_code == 200
    assert reponse.context["territoire"].code == "244900015"
    assert "aucun indice calculé ou publié" in reponse.content.decode()


def test_staff_choisit_n_importe_quel_territoire(client_de, territoire):
    reponse = client_de("staff").get(URL, {"territoire": "247200132"})
    assert reponse.context["territoire"].nom == "CU Le Mans Métropole"
    inconnu = client_de("staff").get(URL, {"territoire": "999999999"})
    assert inconnu.status_code == 200
    assert "Choisissez un de vos territoires." in inconnu.content.decode()


def test_export_csv(client_de, territoire):
    """Like the other CSVs: semicolons, decimal commas, BOM; the radius asked for."""
    reponse = client_de("coordinateur").get(
        reverse("indicateurs:couverture_csv"), {"rayon": "1", "seuil": "4", "tri": "nom"}
    )
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert "couverture-247200132-commune-" in reponse["Content-Disposition"]
    assert reponse.content.startswith("\ufeff".encode())
    texte = reponse.content.decode("utf-8-sig")
    assert texte.splitlines()[0] == ";".join(couverture_entete())
    lignes = list(csv.reader(io.StringIO(texte), delimiter=";"))
    assert lignes[0] == couverture_entete()
    assert lignes[1][:6] == ["72386", "Yvré-l'Évêque", "4181", "4,5", "oui", "0"]
    assert lignes[1][-3:] == ["1,488", "Médiathèque de Savigné", "sans offre"]
    assert lignes[2][:3] == ["72181", "Le Mans", "150000"]
    assert lignes[2][7:9] == ["12,0", "0,8"]  # 12 h for 150,000 inhabitants
    statuts = {ligne[-1] for ligne in lignes[1:]}
    assert "offre à moins de 1\u00a0km" in statuts
    assert not any("X km" in statut for statut in statuts)
    demi = client_de("coordinateur").get(reverse("indicateurs:couverture_csv"), {"rayon": "2.5"})
    assert "offre à moins de 2,5\u00a0km" in demi.content.decode("utf-8-sig")
    erreur = client_de("coordinateur").get(reverse("indicateurs:couverture_csv"), {"k": "x"})
    assert erreur.status_code == 400
    assert "Saisissez un nombre entier" in erreur.content.decode()


def couverture_entete() -> list[str]:
    from indicateurs.couverture.views.pilotage import ENTETE_CSV

    return ENTETE_CSV
