"""Monthly statistics: figures on hand-built data, idempotency, concurrency, late entries,
the real worker, the beat schedule, scoping of the API."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conseillers.enums import Canal, Orientation, Thematique, TypeActivite
from conseillers.models import Activite
from conseillers.services import supprimer_activite
from indicateurs.statistiques.calcul import (
    Filtres,
    calculer_mois,
    calculer_periode,
    lire_mois,
    reprendre_saisies_tardives,
    serie_mensuelle,
)
from indicateurs.statistiques.models import AxeStatistique, CalculStatistiques, StatistiqueMensuelle
from tests.conseillers.factories import ActiviteFactory, BeneficiaireFactory, ConseillerFactory
from tests.structures.factories import StructureFactory

pytestmark = pytest.mark.django_db

MARS = dt.date(2026, 3, 1)
AVRIL = dt.date(2026, 4, 1)


@pytest.fixture
def donnees(geographie):
    """Two advisors of Le Mans (one structure), one of Angers; known figures in March."""
    cyber = StructureFactory(nom="Cyber-base")
    alice = ConseillerFactory(commune=geographie["le_mans"], structure=cyber, prenom="Alice")
    bruno = ConseillerFactory(commune=geographie["le_mans"], structure=cyber, prenom="Bruno")
    chloe = ConseillerFactory(commune=geographie["angers_commune"], structure=None)
    bellevue = geographie["zones"][0]
    suivie = BeneficiaireFactory(conseiller=alice)
    # Alice, March: 2 individual supports (one returning), 1 workshop of 8 (3 returning)
    premier = ActiviteFactory(
        conseiller=alice,
        date=dt.date(2026, 3, 2),
        duree_minutes=45,
        canal=Canal.AUTRE_LIEU,
        commune=geographie["le_mans"],
        zone=bellevue,
        thematiques=[Thematique.EMAIL, Thematique.BUREAUTIQUE],
        age_60_69=1,
        statut_retraite=1,
        orientation=Orientation.FRANCE_SERVICES,
    )
    premier.beneficiaires.add(suivie)
    second = ActiviteFactory(
        conseiller=alice,
        date=dt.date(2026, 3, 20),
        duree_minutes=20,
        nb_participants_recurrents=1,
        canal=Canal.DISTANCE,
        thematiques=[Thematique.EMAIL],
    )
    second.beneficiaires.add(suivie)
    ActiviteFactory(
        conseiller=alice,
        date=dt.date(2026, 3, 31),
        type=TypeActivite.COLLECTIF,
        nb_participants=8,
        nb_participants_recurrents=3,
        duree_minutes=120,
        canal=Canal.AUTRE_LIEU,
        commune=geographie["yvre"],
        thematiques=[Thematique.NAVIGATION_INTERNET],
        age_18_24=2,
        age_60_69=6,
    )
    # Bruno, March: 1 one-off request; April: 1 individual support
    ActiviteFactory(
        conseiller=bruno,
        date=dt.date(2026, 3, 10),
        type=TypeActivite.PONCTUEL,
        duree_minutes=10,
        canal=Canal.AUTRE_LIEU,
        commune=geographie["le_mans"],
        zone=bellevue,
        thematiques=[Thematique.EMAIL],
    )
    ActiviteFactory(conseiller=bruno, date=dt.date(2026, 4, 3), duree_minutes=60)
    # Chloé (Angers), March: 1 individual support; a deleted report is not counted
    ActiviteFactory(conseiller=chloe, date=dt.date(2026, 3, 5), duree_minutes=30)
    supprimee = ActiviteFactory(conseiller=chloe, date=dt.date(2026, 3, 6))
    supprimer_activite(activite=supprimee)
    return {"alice": alice, "bruno": bruno, "chloe": chloe, "cyber": cyber, "suivie": suivie}


def _ligne(axe, commune, cle=""):
    return StatistiqueMensuelle.objects.tous().get(mois=MARS, axe=axe, commune=commune, cle=cle)


def test_chiffres_connus_par_territoire(donnees, geographie):
    calcul = calculer_mois(MARS)
    le_mans = _ligne(AxeStatistique.TERRITOIRE, geographie["le_mans"])
    assert le_mans.activites == 4
    assert le_mans.accompagnements == 11  # 1 + 1 + 8 + 1
    assert le_mans.accompagnements_recurrents == 4
    assert le_mans.personnes_accompagnees == 7
    assert le_mans.ateliers == 1
    assert le_mans.participants_ateliers == 8
    assert le_mans.accompagnements_individuels == 2
    assert le_mans.demandes_ponctuelles == 1
    assert le_mans.duree_minutes == 45 + 20 + 120 + 10
    assert le_mans.beneficiaires_suivis == 1  # one person, two reports
    assert le_mans.canal_autre_lieu == 3
    assert le_mans.canal_distance == 1
    assert (le_mans.duree_moins_30, le_mans.duree_30_60, le_mans.duree_60_120) == (2, 1, 0)
    assert le_mans.duree_120_plus == 1
    assert le_mans.age_60_69 == 7
    assert le_mans.age_18_24 == 2
    assert le_mans.statut_retraite == 1
    assert le_mans.orientation_france_services == 1
    assert le_mans.thematique_email == 3
    assert le_mans.participants_email == 3
    assert le_mans.participants_navigation_internet == 8
    angers = _ligne(AxeStatistique.TERRITOIRE, geographie["angers_commune"])
    assert (angers.activites, angers.accompagnements) == (1, 1)
    assert calcul.activites == 5
    assert calcul.lignes == StatistiqueMensuelle.objects.tous().filter(mois=MARS).count()


def test_axes_structure_conseiller_commune_et_quartier(donnees, geographie):
    calculer_mois(MARS)
    le_mans = geographie["le_mans"]
    structure = _ligne(AxeStatistique.STRUCTURE, le_mans, str(donnees["cyber"].pk))
    assert (structure.activites, structure.accompagnements) == (4, 11)
    alice = _ligne(AxeStatistique.CONSEILLER, le_mans, str(donnees["alice"].pk))
    assert (alice.activites, alice.accompagnements, alice.beneficiaires_suivis) == (3, 10, 1)
    assert alice.structure == donnees["cyber"]
    bruno = _ligne(AxeStatistique.CONSEILLER, le_mans, str(donnees["bruno"].pk))
    assert (bruno.activites, bruno.demandes_ponctuelles) == (1, 1)
    # where the activity took place: Le Mans (2), Yvré (the workshop), none (at a distance)
    lieux = {
        s.cle: s.accompagnements
        for s in StatistiqueMensuelle.objects.tous().filter(
            mois=MARS, axe=AxeStatistique.COMMUNE, commune=le_mans
        )
    }
    assert lieux == {"72181": 2, "72386": 8, "": 1}
    bellevue = _ligne(AxeStatistique.ZONE, le_mans, str(geographie["zones"][0].pk))
    assert (bellevue.activites, bellevue.beneficiaires_suivis) == (2, 1)
    assert bellevue.zone == geographie["zones"][0]
    # an advisor without a structure: key ""
    assert _ligne(AxeStatistique.STRUCTURE, geographie["angers_commune"]).activites == 1


def test_recalcul_idempotent(donnees):
    calculer_mois(MARS)
    avant = list(StatistiqueMensuelle.objects.tous().filter(mois=MARS).values())
    calculer_mois(MARS)
    apres = list(StatistiqueMensuelle.objects.tous().filter(mois=MARS).values())
    cle = lambda ligne: (ligne["axe"], ligne["commune_id"], ligne["cle"])  # noqa: E731
    ignorer = {"id", "calcule_le"}
    assert sorted(
        ({k: v for k, v in ligne.items() if k not in ignorer} for ligne in avant), key=cle
    ) == sorted(({k: v for k, v in ligne.items() if k not in ignorer} for ligne in apres), key=cle)
    assert CalculStatistiques.objects.count() == 2


def test_un_territoire_ne_remplace_que_ses_lignes(donnees, geographie):
    calculer_mois(MARS)
    angers = _ligne(AxeStatistique.TERRITOIRE, geographie["angers_commune"])
    ActiviteFactory(conseiller=donnees["alice"], date=dt.date(2026, 3, 15))
    from indicateurs.territoire import territoire_de_reference

    calculer_mois(MARS, territoire_de_reference("247200132"))
    assert _ligne(AxeStatistique.TERRITOIRE, geographie["le_mans"]).activites == 5
    assert _ligne(AxeStatistique.TERRITOIRE, geographie["angers_commune"]).pk == angers.pk


def test_mois_sans_activite_ne_laisse_aucune_ligne(donnees):
    calculer_mois(MARS)
    for activite in donnees["alice"].activites.all():
        supprimer_activite(activite=activite)
    for activite in donnees["bruno"].activites.all():
        supprimer_activite(activite=activite)
    for activite in donnees["chloe"].activites.all():
        if activite.supprime_le is None:
            supprimer_activite(activite=activite)
    calculer_mois(MARS)
    assert not StatistiqueMensuelle.objects.tous().filter(mois=MARS).exists()


def test_saisie_tardive_recalculee(donnees, geographie):
    calculer_mois(MARS)
    calculer_mois(AVRIL)
    reprendre_saisies_tardives()  # first run: starts the clock
    # the reports were entered two hours ago, the months computed one hour ago
    Activite.objects.tous().update(modifie_le=timezone.now() - dt.timedelta(hours=2))
    CalculStatistiques.objects.update(debut=timezone.now() - dt.timedelta(hours=1))
    tardive = ActiviteFactory(conseiller=donnees["bruno"], date=dt.date(2026, 3, 28))
    calculs = reprendre_saisies_tardives()
    assert [(c.mois, c.communes) for c in calculs] == [(MARS, 1)]
    assert _ligne(AxeStatistique.TERRITOIRE, geographie["le_mans"]).activites == 5
    # Angers was not touched; a correction of a report counts too
    assert _ligne(AxeStatistique.TERRITOIRE, geographie["angers_commune"]).activites == 1
    CalculStatistiques.objects.update(debut=timezone.now() - dt.timedelta(hours=1))
    supprimer_activite(activite=tardive)
    reprendre_saisies_tardives()
    assert _ligne(AxeStatistique.TERRITOIRE, geographie["le_mans"]).activites == 4


def test_commande(donnees, capsys):
    call_command("compute_statistiques", "--mois", "2026-03", "--au", "2026-04")
    sortie = capsys.readouterr().out
    assert sortie.startswith(
        "Statistiques calculées pour 2 mois (03/2026 à 04/2026)\u00a0: 6 activités"
    )
    assert StatistiqueMensuelle.objects.tous().filter(mois=AVRIL).exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--mois", "2026-13"], "--mois « 2026-13 » invalide\u00a0: format attendu AAAA-MM"),
        (["--mois", "mars"], "format attendu AAAA-MM"),
        (["--mois", "2026-04", "--au", "2026-03"], "Le mois de fin précède le mois de début."),
        (["--mois", "2026-04", "--territoire", "99999"], "Territoire de référence inconnu"),
        (["--mois", "2019-12"], "les comptes rendus commencent en 2020"),
    ],
)
def test_commande_refuse_les_mauvaises_valeurs(geographie, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("compute_statistiques", *arguments)
    assert not StatistiqueMensuelle.objects.tous().exists()


def test_lire_mois():
    assert lire_mois("2026-03") == MARS
    with pytest.raises(ValueError, match="format attendu"):
        lire_mois("2026-3")


def test_planification_beat():
    taches = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    mensuel = taches["indicateurs.tasks.compute_statistiques"]
    assert mensuel.day_of_month == {1}
    assert mensuel.hour == {3}
    reprise = taches["indicateurs.tasks.reprendre_statistiques"]
    assert reprise.minute == set(range(0, 60, 15))


def test_tache_sans_mois_calcule_le_mois_ecoule(donnees, monkeypatch):
    from indicateurs.statistiques import calcul as statistiques
    from indicateurs.statistiques.tasks import compute_statistiques

    monkeypatch.setattr(statistiques.timezone, "localdate", lambda: dt.date(2026, 4, 1))
    resultat = compute_statistiques.delay().get()
    assert resultat["mois"] == "2026-03"
    assert CalculStatistiques.objects.get().motif == "mensuel"


# -- concurrency and the real worker -------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_deux_calculs_simultanes_laissent_un_seul_jeu(postgres, donnees):
    erreurs = []
    depart = threading.Barrier(2)

    def calculer():
        try:
            depart.wait()
            calculer_mois(MARS)
        except Exception as erreur:  # pragma: no cover - reported below
            erreurs.append(erreur)
        finally:
            connection.close()

    fils = [threading.Thread(target=calculer) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(60)
    assert not erreurs
    assert CalculStatistiques.objects.filter(mois=MARS).count() == 2
    lignes = StatistiqueMensuelle.objects.tous().filter(mois=MARS)
    assert lignes.count() == CalculStatistiques.objects.filter(mois=MARS).first().lignes
    assert lignes.filter(axe=AxeStatistique.TERRITOIRE).count() == 2


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_tache_mensuelle_sur_un_vrai_worker(celery_reel, donnees, geographie):
    from indicateurs.statistiques.tasks import compute_statistiques

    envoi = compute_statistiques.delay("2026-03", "247200132")
    resultat = envoi.get(timeout=60)
    assert resultat["mois"] == "2026-03"
    calcul = CalculStatistiques.objects.get(pk=resultat["calcul"])
    assert calcul.tache == f"celery:{envoi.id}"
    assert _ligne(AxeStatistique.TERRITOIRE, geographie["le_mans"]).accompagnements == 11
    assert not StatistiqueMensuelle.objects.tous().filter(commune=geographie["angers_commune"])
    assert "indicateurs.tasks.compute_statistiques" in celery_reel["journal"].read_text()


# -- reading: API and scoping --------------------------------------------------------------

URL = "/api/v1/statistiques/mensuelles/"


def test_api_serie_total_et_moyenne(donnees, client_de):
    calculer_periode(MARS, AVRIL)
    reponse = client_de("coordinateur").get(URL, {"du": "2026-02", "au": "2026-04"})
    assert reponse.status_code == 200
    donnees_api = reponse.json()
    assert (donnees_api["du"], donnees_api["au"]) == ("2026-02", "2026-04")
    assert [m["mois"] for m in donnees_api["mois"]] == ["2026-02", "2026-03", "2026-04"]
    assert [m["accompagnements"] for m in donnees_api["mois"]] == [0, 11, 1]
    assert donnees_api["total"]["accompagnements"] == 12
    assert donnees_api["total"]["personnes_accompagnees"] == 8
    assert donnees_api["moyenne_mensuelle"]["accompagnements"] == 4  # 12 / 3
    assert donnees_api["moyenne_mensuelle"]["personnes_accompagnees"] == 3  # 2.67 → 3
    assert donnees_api["moyenne_mensuelle"]["ateliers"] == 0  # 1 / 3 = 0.33 → 0
    # 1.5 rounds half up to 2
    deux = client_de("coordinateur").get(URL, {"du": "2026-03", "au": "2026-04"}).json()
    assert deux["moyenne_mensuelle"]["accompagnements_individuels"] == 2  # 3 / 2
    mars = donnees_api["mois"][1]
    assert mars["temps_total_heures"] == 3.3  # 195 min
    assert mars["pourcentages"]["age_60_69"] == 63.6  # 7 / 11
    assert mars["pourcentages"]["age_non_renseigne"] == 18.2
    assert donnees_api["mois"][0]["pourcentages"]["age_60_69"] is None


def test_api_filtres(donnees, client_de, geographie):
    calculer_periode(MARS, AVRIL)
    client = client_de("staff")
    parametres = {"du": "2026-03", "au": "2026-03"}
    tout = client.get(URL, parametres).json()
    assert tout["total"]["accompagnements"] == 12
    angers = client.get(URL, {**parametres, "territoire": "49"}).json()
    assert angers["total"]["accompagnements"] == 1
    structure = client.get(URL, {**parametres, "structure": donnees["cyber"].pk}).json()
    assert structure["total"]["accompagnements"] == 11
    bruno = client.get(URL, {**parametres, "conseiller": donnees["bruno"].pk}).json()
    assert bruno["total"]["demandes_ponctuelles"] == 1
    assert bruno["total"]["accompagnements"] == 1


@pytest.mark.parametrize(
    ("role", "accompagnements"),
    [("coordinateur", 11), ("elu", 11), ("coordinateur_autre_territoire", 1), ("staff", 12)],
)
def test_api_perimetre(donnees, client_de, role, accompagnements):
    calculer_mois(MARS)
    reponse = client_de(role).get(URL, {"du": "2026-03", "au": "2026-03"})
    assert reponse.json()["total"]["accompagnements"] == accompagnements
    # another territory's code gives nothing more
    autre = client_de(role).get(URL, {"du": "2026-03", "au": "2026-03", "territoire": "49"})
    attendu = 0 if role in ("coordinateur", "elu") else 1
    assert autre.json()["total"]["accompagnements"] == attendu


def test_api_conseiller_et_referent(donnees, client_de, comptes):
    calculer_mois(MARS)
    alice = donnees["alice"]
    alice.user = comptes["conseiller"]
    alice.save()
    donnees["cyber"].referents.add(comptes["referent"])
    parametres = {"du": "2026-03", "au": "2026-03"}
    assert client_de("conseiller").get(URL, parametres).json()["total"]["accompagnements"] == 10
    # someone else's id gives nothing
    autre = client_de("conseiller").get(URL, {**parametres, "conseiller": donnees["bruno"].pk})
    assert autre.json()["total"]["accompagnements"] == 0
    client_de("conseiller").logout()
    assert client_de("referent").get(URL, parametres).json()["total"]["accompagnements"] == 11


def test_un_referent_ne_lit_pas_les_chiffres_de_chaque_conseiller(donnees, client_de, comptes):
    """A referent reads its structure's figures, not each of its advisors' (read by the
    advisor and the coordination: docs/securite.md, « Décisions »)."""
    calculer_mois(MARS)
    donnees["cyber"].referents.add(comptes["referent"])
    parametres = {"du": "2026-03", "au": "2026-03"}
    client = client_de("referent")
    assert client.get(URL, parametres).json()["total"]["accompagnements"] == 11
    par_conseiller = client.get(URL, {**parametres, "conseiller": donnees["alice"].pk}).json()
    assert par_conseiller["total"]["accompagnements"] == 0
    coordination = client_de("coordinateur").get(
        URL, {**parametres, "conseiller": donnees["alice"].pk}
    )
    assert coordination.json()["total"]["accompagnements"] == 10


def test_api_anonyme_refuse(client):
    assert client.get(URL).status_code == 401


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"du": "2026-13"}, "du « 2026-13 » invalide"),
        ({"du": "2026-05", "au": "2026-03"}, "La période est inversée"),
        ({"territoire": "XYZ"}, "Territoire inconnu"),
        ({"structure": "abc"}, "structure « abc » invalide"),
        ({"du": "2020-01", "au": "2030-12"}, "Période trop longue"),
    ],
)
def test_api_parametres_invalides(client_de, parametres, message):
    reponse = client_de("coordinateur").get(URL, parametres)
    assert reponse.status_code == 400
    assert message in reponse.json()["detail"]


def test_serie_sans_instantane_vaut_zero(comptes):
    serie = serie_mensuelle(comptes["elu"], Filtres(MARS, AVRIL))
    assert serie["total"]["accompagnements"] == 0
    assert serie["moyenne_mensuelle"]["accompagnements"] == 0
    assert reverse("api:statistiques-mensuelles") == URL


def test_reprise_sans_changement_garde_une_seule_trace(donnees):
    calculer_mois(MARS)
    Activite.objects.tous().update(modifie_le=timezone.now() - dt.timedelta(hours=2))
    CalculStatistiques.objects.update(debut=timezone.now() - dt.timedelta(hours=1))
    for _ in range(3):
        assert [c.lignes for c in reprendre_saisies_tardives()] == [0]
    assert CalculStatistiques.objects.filter(motif="reprise").count() == 1
    assert CalculStatistiques.objects.filter(motif="manuel").count() == 1
