"""Public statistics: a coordination publishes its territory's monthly figures, a structure
or an advisor shares its own by a revocable link; small numbers are suppressed, and the
figures are the dashboard's."""

import csv
import io

import pytest
from django.urls import reverse

from donnees.models import PartageStatistiques, PublicationStatistiques
from donnees.statistiques import chiffres
from indicateurs.statistiques.calcul import Filtres, calculer_periode, serie_mensuelle
from indicateurs.territoire import territoire_de_reference
from tests.indicateurs.statistiques.test_statistiques import AVRIL, MARS

pytestmark = pytest.mark.django_db
METROPOLE = "247200132"


@pytest.fixture
def calcule(donnees):
    calculer_periode(MARS, AVRIL)
    return donnees


def _publier(client, **champs):
    donnees = {
        "territoire": METROPOLE,
        "chiffres": ["personnes_accompagnees", "accompagnements", "ateliers"],
        "nombre_mois": "12",
        "publiee": "on",
        **champs,
    }
    return client.post(reverse("donnees:statistiques_publiees"), donnees)


def test_la_page_publiee_donne_les_chiffres_du_tableau_de_bord(calcule, client_de, comptes):
    assert _publier(client_de("coordinateur")).status_code == 302
    publication = PublicationStatistiques.objects.get()
    assert publication.nom == "CU Le Mans Métropole"
    assert publication.history.count() == 1

    publiques = chiffres(codes=publication.chiffres, nombre_mois=12, territoire=METROPOLE)
    filtres = Filtres(MARS.replace(year=2025, month=12), AVRIL.replace(month=11))
    filtres = Filtres(filtres.du, filtres.au, territoire_de_reference(METROPOLE))
    tableau = serie_mensuelle(comptes["elu"], filtres)  # what the officials read
    assert publiques.codes_mois == [m["mois"] for m in tableau["mois"]]
    for ligne in publiques.lignes:
        for valeur, mois in zip(ligne.mois, tableau["mois"], strict=True):
            attendu = mois[ligne.code]
            assert valeur == (None if 0 < attendu < 5 else attendu), (ligne.code, mois["mois"])
    # March 2026: 11 accompaniments; April: 1, a small number, suppressed
    accompagnements = next(lg for lg in publiques.lignes if lg.code == "accompagnements")
    mars = publiques.codes_mois.index("2026-03")
    assert accompagnements.mois[mars] == 11 and accompagnements.mois[mars + 1] is None
    assert accompagnements.total == 12

    page = client_de("anonyme").get(
        reverse("donnees:statistiques_publication", args=[publication.pk])
    )
    assert page.status_code == 200
    contenu = page.content.decode()
    assert "L&#x27;inclusion numérique en chiffres — CU Le Mans Métropole" in contenu
    assert "<td>11</td>" in contenu and "moins de 5" in contenu
    assert "Demandes ponctuelles" not in contenu  # not chosen: not published
    liste = client_de("anonyme").get(reverse("donnees:statistiques")).content.decode()
    assert "CU Le Mans Métropole" in liste


def test_le_csv_des_chiffres_publies(calcule, client_de):
    _publier(client_de("coordinateur"))
    reponse = client_de("anonyme").get(reverse("donnees:statistiques_csv"))
    assert reponse.status_code == 200
    lignes = list(csv.DictReader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert len(lignes) == 3 * 12  # three figures, twelve months
    mars = next(
        lg for lg in lignes if lg["indicateur"] == "accompagnements" and lg["mois"] == "2026-03"
    )
    avril = next(
        lg for lg in lignes if lg["indicateur"] == "accompagnements" and lg["mois"] == "2026-04"
    )
    assert (mars["valeur"], avril["valeur"]) == ("11", "")  # suppressed: empty
    deja = client_de("anonyme").get(
        reverse("donnees:statistiques_csv"), HTTP_IF_NONE_MATCH=reponse["ETag"]
    )
    assert deja.status_code == 304


def test_une_publication_retiree_n_est_plus_lisible(calcule, client_de):
    client = client_de("coordinateur")
    _publier(client)
    publication = PublicationStatistiques.objects.get()
    reponse = client.post(
        reverse("donnees:modifier_publication", args=[publication.pk]),
        {"chiffres": ["accompagnements"], "nombre_mois": "12"},
    )
    assert reponse.status_code == 302
    assert (
        client_de("anonyme")
        .get(reverse("donnees:statistiques_publication", args=[publication.pk]))
        .status_code
        == 404
    )
    lignes = (
        client_de("anonyme").get(reverse("donnees:statistiques_csv")).content.decode("utf-8-sig")
    )
    assert lignes.strip() == "territoire;nom;indicateur;libelle;mois;valeur"


def test_un_coordinateur_ne_publie_que_ses_territoires(calcule, client_de):
    refus = _publier(client_de("coordinateur"), territoire="49007")
    assert refus.status_code == 400
    assert "Choisissez un des territoires de votre compte." in refus.content.decode()
    assert not PublicationStatistiques.objects.exists()
    _publier(client_de("coordinateur"))
    publication = PublicationStatistiques.objects.get()
    autre = client_de("coordinateur_autre_territoire")
    assert (
        autre.get(reverse("donnees:modifier_publication", args=[publication.pk])).status_code == 404
    )
    assert (
        "CU Le Mans Métropole"
        not in autre.get(reverse("donnees:statistiques_publiees")).content.decode()
    )


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        ({"chiffres": []}, "Choisissez au moins un chiffre à publier."),
        ({"nombre_mois": "40"}, "Publiez 36 mois au plus."),
    ],
)
def test_une_publication_mal_remplie_est_refusee_en_francais(calcule, client_de, champs, message):
    reponse = _publier(client_de("coordinateur"), **champs)
    assert reponse.status_code == 400
    assert message in reponse.content.decode()
    assert not PublicationStatistiques.objects.exists()


def test_un_conseiller_partage_ses_chiffres_puis_revoque_le_lien(calcule, client_de, comptes):
    alice = calcule["alice"]
    alice.user = comptes["conseiller"]
    alice.save()
    client = client_de("conseiller")
    assert (
        client.post(reverse("donnees:partages"), {"cible": f"conseiller:{alice.pk}"}).status_code
        == 302
    )
    lien = PartageStatistiques.objects.get()
    assert lien.conseiller == alice and len(lien.jeton) >= 32
    page = client_de("anonyme").get(reverse("donnees:statistiques_partage", args=[lien.jeton]))
    assert page.status_code == 200
    contenu = page.content.decode()
    assert "Alice" in contenu and "<td>10</td>" in contenu  # her 10 accompaniments of March
    assert page["X-Robots-Tag"] == "noindex"

    assert client.post(reverse("donnees:revoquer_partage", args=[lien.pk])).status_code == 302
    assert (
        client_de("anonyme")
        .get(reverse("donnees:statistiques_partage", args=[lien.jeton]))
        .status_code
        == 404
    )
    assert (
        client_de("anonyme")
        .get(reverse("donnees:statistiques_partage", args=["jeton-invente"]))
        .status_code
        == 404
    )


def test_on_ne_partage_que_ce_qui_est_a_soi(calcule, client_de, comptes):
    alice = calcule["alice"]
    alice.user = comptes["conseiller"]
    alice.save()
    bruno = calcule["bruno"]
    refus = client_de("conseiller").post(
        reverse("donnees:partages"), {"cible": f"conseiller:{bruno.pk}"}
    )
    assert refus.status_code == 400
    assert "Choisissez une structure ou un profil de la liste." in refus.content.decode()
    assert not PartageStatistiques.objects.exists()
    # another's link cannot be revoked
    lien = PartageStatistiques.objects.create(conseiller=bruno)
    assert (
        client_de("conseiller")
        .post(reverse("donnees:revoquer_partage", args=[lien.pk]))
        .status_code
        == 404
    )
    lien.refresh_from_db()
    assert lien.revoque_le is None


def test_un_referent_partage_les_chiffres_de_sa_structure(calcule, client_de, comptes):
    cyber = calcule["alice"].structure
    cyber.referents.add(comptes["referent"])
    client = client_de("referent")
    assert (
        client.post(reverse("donnees:partages"), {"cible": f"structure:{cyber.pk}"}).status_code
        == 302
    )
    lien = PartageStatistiques.objects.get()
    contenu = (
        client_de("anonyme")
        .get(reverse("donnees:statistiques_partage", args=[lien.jeton]))
        .content.decode()
    )
    assert "Cyber-base" in contenu and "<td>11</td>" in contenu
