"""/api/v1/indices/: latest result, parameters, scoping per role, the demo's published tables."""

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicateurs.indice.importation import importer_indicateurs
from indicateurs.indice.services import UnitePubliee, calculer_indice, charger_indice_publie
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

URL = reverse("api:indice-list")
ENTETE = "niveau,code,indicateur,valeur,millesime,source\n"


def publier(geographie, *, millesime=2022, **indices):
    communes = {c.pk: c for c in (geographie[n] for n in ("le_mans", "yvre", "angers_commune"))}
    return charger_indice_publie(
        unites=[UnitePubliee(indice=v, commune=communes[code]) for code, v in indices.items()],
        millesime=millesime,
        source="essai",
    )


def codes(reponse) -> list[str]:
    return [u["code"] for u in reponse.json()]


@pytest.mark.parametrize("role", ROLES)
def test_lecture_par_role_sur_son_territoire(client_de, geographie, role):
    publier(geographie, **{"72181": 4.36, "72386": 1.2, "49007": 2.5})
    reponse = client_de(role).get(URL, {"niveau": "commune", "millesime": 2022})
    # the index is read by those who steer a territory, as on its pages (docs/securite.md)
    attendu = {
        "anonyme": None,
        "conseiller": 403,
        "referent": 403,
        "coordinateur": ["72181", "72386"],
        "coordinateur_autre_territoire": ["49007"],
        "elu": ["72181", "72386"],
        "staff": ["72181", "49007", "72386"],  # most fragile first
    }[role]
    if attendu is None:
        assert reponse.status_code == 401
    elif attendu == 403:
        assert reponse.status_code == 403
        assert "coordinateurs et les élus" in reponse.json()["detail"]
    else:
        assert reponse.status_code == 200
        assert codes(reponse) == attendu


def test_territoire_sans_resultat_404(client_de, geographie):
    publier(geographie, **{"72181": 4.36})
    reponse = client_de("coordinateur_autre_territoire").get(URL, {"niveau": "commune"})
    assert reponse.status_code == 404
    assert reponse.json() == {
        "detail": "Aucun indice calculé ou publié pour ce niveau sur votre territoire."
    }


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({}, {"niveau": ["Le paramètre « niveau » est obligatoire (commune, iris ou quartier)."]}),
        (
            {"niveau": "region"},
            {"niveau": ["Niveau inconnu « region »\u00a0: commune, iris ou quartier."]},
        ),
        (
            {"niveau": "commune", "millesime": "deux"},
            {"millesime": ["Le millésime est une année, par exemple 2022."]},
        ),
        (
            {"niveau": "commune", "methode": "x"},
            {"methode": ["Méthode inconnue « x »\u00a0: rangs, ratio ou publie."]},
        ),
    ],
)
def test_parametres_invalides_400(client_de, geographie, parametres, message):
    reponse = client_de("elu").get(URL, parametres)
    assert reponse.status_code == 400
    assert reponse.json() == message


def test_dernier_resultat_et_format(client_de, geographie, comptes):
    importer_indicateurs(
        flux=io.StringIO(
            ENTETE + "commune,72181,pauvrete,1,2022,x\ncommune,72386,pauvrete,2,2022,x\n"
            "commune,72181,chomage,5,2022,x\ncommune,72181,pauvrete,7,2021,x\n"
        )
    )
    publier(geographie, millesime=2023, **{"72181": 1.0})
    premier = calculer_indice(niveau="commune", millesime=2022)
    second = calculer_indice(niveau="commune", millesime=2022, methode="ratio")
    client = client_de("elu")

    reponse = client.get(URL, {"niveau": "commune", "millesime": 2022})
    assert reponse["X-Indice-Resultat"] == str(second.pk)
    # ratio: pauvrete 1, 2 (mean 1.5) → 66.7, 133.3; chomage of Le Mans only → 100
    assert reponse.json() == [
        {
            "code": "72386",
            "nom": "Yvré-l'Évêque",
            "indice": pytest.approx(400 / 3),
            "axes": {
                "acces_numerique": pytest.approx(400 / 3),
                "acces_information": None,
                "competences_administratives": None,
                "competences_numeriques": None,
            },
            "scores": {"pauvrete": pytest.approx(400 / 3)},
        },
        {
            "code": "72181",
            "nom": "Le Mans",
            "indice": pytest.approx((200 / 3 + 100) / 2),
            "axes": {
                "acces_numerique": pytest.approx(200 / 3),
                "acces_information": None,
                "competences_administratives": 100.0,
                "competences_numeriques": None,
            },
            "scores": {"pauvrete": pytest.approx(200 / 3), "chomage": 100.0},
        },
    ]
    rangs = client.get(URL, {"niveau": "commune", "millesime": 2022, "methode": "rangs"})
    assert rangs["X-Indice-Resultat"] == str(premier.pk)
    assert [u["scores"] for u in rangs.json()] == [{"pauvrete": 3}, {"pauvrete": 0, "chomage": 3}]
    # without a vintage: the latest vintage (a published table of 2023)
    dernier = client.get(URL, {"niveau": "commune"})
    assert dernier["X-Indice-Methode"] == "publie"
    assert dernier.json() == [
        {"code": "72181", "nom": "Le Mans", "indice": 1.0, "axes": {}, "scores": {}}
    ]
    assert client.get(URL, {"niveau": "commune", "millesime": 2021}).status_code == 404


def test_nombre_de_requetes(client_de, geographie, django_assert_num_queries):
    publier(geographie, **{"72181": 4.36, "72386": 1.2})
    client = client_de("coordinateur")
    client.get(URL, {"niveau": "commune"})
    # session, user, user's territories, latest result, its units
    with django_assert_num_queries(5):
        assert client.get(URL, {"niveau": "commune"}).status_code == 200


def test_tables_publiees_de_la_demo_exactement(client_de, comptes, capsys, monkeypatch):
    from territoires.demo import FICHIER_COMMUNES, FICHIER_ZONES, titre

    # the reports do not matter here: two months instead of the demo's two years
    monkeypatch.setattr("inclusion.management.commands.load_demo.MOIS_DEMO", 2)
    call_command("import_territoires", verbosity=0)
    call_command("load_demo")
    call_command("load_demo")  # idempotent: the published tables are loaded once
    assert "90 unités d'indice publiées" in capsys.readouterr().out
    from comptes.models import User
    from indicateurs.indice.models import ResultatIndice

    assert ResultatIndice.objects.tous().filter(methode="publie").count() == 2
    client = client_de("anonyme")
    client.force_login(User.objects.get(email="elu@demo.test"))

    with FICHIER_ZONES.open(encoding="utf-8") as fichier:
        quartiers = {titre(ligne["zone"]): ligne["indice"] for ligne in csv.DictReader(fichier)}
    reponse = client.get(URL, {"niveau": "quartier", "millesime": 2022})
    assert reponse.status_code == 200
    recus = reponse.json()
    assert len(recus) == 71
    assert {u["nom"]: u["indice"] for u in recus} == {n: float(v) for n, v in quartiers.items()}
    assert [u["indice"] for u in recus] == sorted(
        (float(v) for v in quartiers.values()), reverse=True
    )
    assert '"nom":"Christ Sauveur","indice":4.36,' in reponse.content.decode()

    with FICHIER_COMMUNES.open(encoding="utf-8") as fichier:
        communes = {ligne["commune"]: ligne["indice"] for ligne in csv.DictReader(fichier)}
    recus = client.get(URL, {"niveau": "commune", "millesime": 2022}).json()
    assert len(recus) == 19
    from territoires.text import normaliser

    assert {normaliser(u["nom"]): u["indice"] for u in recus} == {
        normaliser(n): float(v) for n, v in communes.items()
    }
    assert recus[0] == {
        "code": "72095",
        "nom": "Coulaines",
        "indice": 4.84,
        "axes": {},
        "scores": {},
    }

    # the ranking page shows the same published values, in the published order, on the
    # communes' outlines; the fictitious indicators give a computed version beside it
    from indicateurs.indice.models import Contour

    assert Contour.objects.tous().filter(niveau="commune").count() == 352 + 176
    page = client.get(
        reverse("indicateurs:indice"), {"territoire": "247200132", "niveau": "commune"}
    )
    unites = page.context["unites"]
    assert page.context["resultat"].methode == "publie"
    assert {normaliser(u["nom"]): u["indice"] for u in unites} == {
        normaliser(n): float(v) for n, v in communes.items()
    }
    assert [u["indice"] for u in unites] == sorted(map(float, communes.values()), reverse=True)
    assert len(page.context["donnees_carte"]["contours"]["features"]) == 19
    calcule = ResultatIndice.objects.tous().get(methode="rangs", tache="load_demo")
    assert (calcule.millesime, calcule.nombre_unites) == (2021, 19)
    assert calcule.parametres["reference"]["code"] == "247200132"
