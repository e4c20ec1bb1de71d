"""Followed beneficiaries: consent, probable duplicates, merge, erasure, retention purge."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from conseillers import beneficiaires as services
from conseillers.enums import Genre, TypeActivite
from conseillers.models import Activite, Beneficiaire
from conseillers.services import enregistrer_activite
from conseillers.tasks import purger_beneficiaires_inactifs
from tests.conseillers.factories import ActiviteFactory, BeneficiaireFactory, ConseillerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conseiller(geographie):
    return ConseillerFactory(commune=geographie["le_mans"])


def _activite(conseiller, *beneficiaires, date=None, **champs):
    activite = ActiviteFactory.build(
        conseiller=conseiller, date=date or timezone.localdate() - dt.timedelta(days=1), **champs
    )
    return enregistrer_activite(activite=activite, beneficiaires=list(beneficiaires))


# -- creation with consent --------------------------------------------------------------


def test_creation_avec_consentement_date(conseiller, geographie):
    avant = timezone.now()
    personne = services.creer_beneficiaire(
        conseiller=conseiller,
        prenom="  Amélie ",
        annee_naissance=1961,
        commune=geographie["yvre"],
        genre=Genre.FEMME,
        consentement=True,
    )
    assert personne.prenom == "Amélie"
    assert personne.prenom_recherche == "amelie"
    assert avant <= personne.consentement_le <= timezone.now()


def test_sans_consentement_rien_n_est_cree(conseiller):
    with pytest.raises(ValidationError) as erreur:
        services.creer_beneficiaire(
            conseiller=conseiller, prenom="Amélie", annee_naissance=1961, consentement=False
        )
    assert "Sans le consentement de la personne" in erreur.value.message_dict["consentement"][0]
    assert not Beneficiaire.objects.tous().exists()


def test_annee_de_naissance_future_refusee(conseiller):
    with pytest.raises(ValidationError) as erreur:
        services.creer_beneficiaire(
            conseiller=conseiller,
            prenom="Amélie",
            annee_naissance=timezone.localdate().year + 1,
            consentement=True,
        )
    assert erreur.value.message_dict["annee_naissance"] == [
        "L'année de naissance est dans le futur."
    ]
    assert not Beneficiaire.objects.tous().exists()


def test_le_texte_de_consentement_annonce_la_duree_de_conservation(settings):
    settings.BENEFICIAIRES_CONSERVATION_MOIS = 18
    assert "effacées après 18 mois sans visite" in services.texte_consentement()


# -- duplicates -------------------------------------------------------------------------


def test_doublons_probables_a_la_creation(conseiller, geographie):
    le_mans, yvre = geographie["le_mans"], geographie["yvre"]
    meme = BeneficiaireFactory(conseiller=conseiller, prenom="Élodie", annee_naissance=1980)
    meme.commune = le_mans
    meme.save()
    sans_commune = BeneficiaireFactory(conseiller=conseiller, prenom="elodie", annee_naissance=1980)
    BeneficiaireFactory(conseiller=conseiller, prenom="Elodie", annee_naissance=1981)
    BeneficiaireFactory(conseiller=conseiller, prenom="Elodie", annee_naissance=1980, commune=yvre)
    BeneficiaireFactory(prenom="Elodie", annee_naissance=1980, commune=le_mans)  # a colleague's

    trouves = services.doublons_probables(
        conseiller=conseiller, prenom="ELODIE ", annee_naissance=1980, commune=le_mans
    )
    assert list(trouves) == [meme, sans_commune]
    sans = services.doublons_probables(
        conseiller=conseiller, prenom="Élodie", annee_naissance=1980, commune=None
    )
    assert sans.count() == 4 - 1  # every commune matches a missing one; other year excluded
    assert not services.doublons_probables(
        conseiller=conseiller, prenom="Élodie", annee_naissance=None, commune=None
    ).exists()


def test_paires_de_doublons_calculees_par_la_base(
    conseiller, geographie, django_assert_num_queries
):
    le_mans, yvre = geographie["le_mans"], geographie["yvre"]
    a = BeneficiaireFactory(
        conseiller=conseiller, prenom="Jo", annee_naissance=1990, commune=le_mans
    )
    b = BeneficiaireFactory(conseiller=conseiller, prenom="jo", annee_naissance=1990, commune=None)
    c = BeneficiaireFactory(
        conseiller=conseiller, prenom="Jô", annee_naissance=1990, commune=le_mans
    )
    BeneficiaireFactory(conseiller=conseiller, prenom="Jo", annee_naissance=1991, commune=le_mans)
    d = BeneficiaireFactory(conseiller=conseiller, prenom="Luc", annee_naissance=1970, commune=yvre)
    BeneficiaireFactory(conseiller=conseiller, prenom="Luc", annee_naissance=1970, commune=le_mans)
    BeneficiaireFactory(prenom="Jo", annee_naissance=1990, commune=le_mans)  # a colleague's
    BeneficiaireFactory(conseiller=conseiller, prenom="Max", annee_naissance=None)
    BeneficiaireFactory(conseiller=conseiller, prenom="Max", annee_naissance=None)

    with django_assert_num_queries(2):
        paires = services.paires_de_doublons(conseiller)
    assert [(p.premier, p.second) for p in paires] == [(a, b), (a, c)]
    assert set(services.avec_doublons(conseiller)) == {a, b, c}
    assert d not in set(services.avec_doublons(conseiller))


# -- merge ------------------------------------------------------------------------------


def test_fusion(conseiller, geographie):
    ancien = timezone.now() - dt.timedelta(days=400)
    garde = BeneficiaireFactory(
        conseiller=conseiller, prenom="Jo", annee_naissance=1990, commune=None
    )
    doublon = BeneficiaireFactory(
        conseiller=conseiller,
        prenom="Jo",
        annee_naissance=1990,
        commune=geographie["le_mans"],
        genre=Genre.HOMME,
        consentement_le=ancien,
    )
    aujourd_hui = timezone.localdate()
    commune_aux_deux = _activite(conseiller, garde, doublon, date=aujourd_hui - dt.timedelta(5))
    au_doublon = _activite(conseiller, doublon, date=aujourd_hui - dt.timedelta(2))
    au_garde = _activite(conseiller, garde, date=aujourd_hui - dt.timedelta(9))

    resultat = services.fusionner_beneficiaires(conserve=garde, doublon=doublon)

    assert not Beneficiaire.objects.tous().filter(pk=doublon.pk).exists()
    assert resultat.pk == garde.pk
    assert resultat.consentement_le == ancien
    assert resultat.commune == geographie["le_mans"]
    assert resultat.genre == Genre.HOMME
    assert resultat.derniere_activite == aujourd_hui - dt.timedelta(2)
    for activite in (commune_aux_deux, au_doublon, au_garde):
        assert list(activite.beneficiaires.all()) == [resultat]
    assert Activite.objects.tous().count() == 3


def test_fusion_garde_les_informations_de_la_fiche_conservee(conseiller, geographie):
    garde = BeneficiaireFactory(
        conseiller=conseiller, annee_naissance=1990, commune=geographie["yvre"], genre=Genre.FEMME
    )
    doublon = BeneficiaireFactory(
        conseiller=conseiller, annee_naissance=1991, commune=geographie["le_mans"], genre="homme"
    )
    resultat = services.fusionner_beneficiaires(conserve=garde, doublon=doublon)
    assert (resultat.annee_naissance, resultat.commune, resultat.genre) == (
        1990,
        geographie["yvre"],
        Genre.FEMME,
    )
    assert resultat.consentement_le == garde.consentement_le  # the earlier one


def test_fusion_refusee_entre_conseillers_ou_sur_la_meme_fiche(conseiller):
    a = BeneficiaireFactory(conseiller=conseiller)
    autre = BeneficiaireFactory()
    with pytest.raises(ValidationError, match="même conseiller"):
        services.fusionner_beneficiaires(conserve=a, doublon=autre)
    with pytest.raises(ValidationError, match="deux fiches différentes"):
        services.fusionner_beneficiaires(conserve=a, doublon=a)
    assert Beneficiaire.objects.tous().count() == 2


def test_fusion_tout_ou_rien(conseiller, monkeypatch):
    garde = BeneficiaireFactory(conseiller=conseiller, commune=None, annee_naissance=None)
    doublon = BeneficiaireFactory(conseiller=conseiller, annee_naissance=1950)
    activite = _activite(conseiller, doublon)

    def panne(_identifiants):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "_rafraichir_derniere_activite", panne)
    with pytest.raises(RuntimeError):
        services.fusionner_beneficiaires(conserve=garde, doublon=doublon)
    assert Beneficiaire.objects.tous().filter(pk=doublon.pk).exists()
    assert list(activite.beneficiaires.all()) == [doublon]
    garde.refresh_from_db()
    assert garde.annee_naissance is None


# -- erasure ----------------------------------------------------------------------------


def test_suppression_les_activites_restent_anonymes(conseiller):
    personne = BeneficiaireFactory(conseiller=conseiller)
    activite = _activite(conseiller, personne)
    services.supprimer_beneficiaire(beneficiaire=personne)
    assert not Beneficiaire.objects.tous().exists()
    activite.refresh_from_db()
    assert activite.supprime_le is None
    assert activite.beneficiaires.count() == 0
    chiffres = Activite.objects.tous().chiffres()
    assert (chiffres["accompagnements"], chiffres["beneficiaires_suivis"]) == (1, 0)


# -- retention --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jour", "mois", "attendu"),
    [
        (dt.date(2026, 11, 24), 24, dt.date(2024, 11, 24)),
        (dt.date(2026, 3, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 3, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 1, 15), 13, dt.date(2024, 12, 15)),
    ],
)
def test_mois_avant(jour, mois, attendu):
    assert services.mois_avant(jour, mois) == attendu


@pytest.fixture
def fiches_aux_limites(conseiller):
    """Beneficiaries around the limit of 24 months before 24 November 2026."""
    limite = dt.date(2024, 11, 24)
    vus_la_veille = BeneficiaireFactory(conseiller=conseiller, prenom="Veille")
    vus_le_jour = BeneficiaireFactory(conseiller=conseiller, prenom="Limite")
    vus_recemment = BeneficiaireFactory(conseiller=conseiller, prenom="Récent")
    jamais_vu_ancien = BeneficiaireFactory(conseiller=conseiller, prenom="Ancien")
    jamais_vu_recent = BeneficiaireFactory(conseiller=conseiller, prenom="Nouveau")
    _activite(conseiller, vus_la_veille, date=limite - dt.timedelta(days=1))
    _activite(conseiller, vus_le_jour, date=limite, type=TypeActivite.COLLECTIF, nb_participants=5)
    _activite(conseiller, vus_recemment, vus_la_veille, date=dt.date(2023, 1, 1))
    _activite(conseiller, vus_recemment, date=dt.date(2026, 10, 1))
    Beneficiaire.objects.tous().filter(pk=jamais_vu_ancien.pk).update(
        cree_le=timezone.make_aware(dt.datetime(2024, 11, 23, 12))
    )
    Beneficiaire.objects.tous().filter(pk=jamais_vu_recent.pk).update(
        cree_le=timezone.make_aware(dt.datetime(2024, 11, 24, 12))
    )
    return {"limite": limite}


def _prenoms():
    return sorted(Beneficiaire.objects.tous().values_list("prenom", flat=True))


def test_purge_aux_dates_limites(fiches_aux_limites):
    avant = Activite.objects.tous().chiffres()
    resultat = services.purger_beneficiaires_inactifs(le=dt.date(2026, 11, 24), mois=24)
    assert resultat.date_limite == fiches_aux_limites["limite"]
    assert resultat.nombre == 2
    assert _prenoms() == ["Limite", "Nouveau", "Récent"]
    apres = Activite.objects.tous().chiffres()
    assert Activite.objects.tous().count() == 4
    for cle in ("activites", "accompagnements", "ateliers", "duree_minutes"):
        assert apres[cle] == avant[cle]
    assert (avant["beneficiaires_suivis"], apres["beneficiaires_suivis"]) == (3, 2)
    assert resultat.resume() == (
        "2 bénéficiaires suivis sans activité depuis le 24/11/2024 supprimés "
        "(conservation\u00a0: 24 mois)."
    )


def test_simulation_n_ecrit_rien(fiches_aux_limites):
    resultat = services.purger_beneficiaires_inactifs(
        le=dt.date(2026, 11, 24), mois=24, simulation=True
    )
    assert resultat.nombre == 2
    assert len(_prenoms()) == 5
    assert "seraient supprimés" in resultat.resume()
    assert "simulation, rien n'a été modifié" in resultat.resume()


def test_commande_et_reglage(conseiller, settings):
    settings.BENEFICIAIRES_CONSERVATION_MOIS = 6
    vieux = BeneficiaireFactory(conseiller=conseiller, prenom="Vieux")
    _activite(conseiller, vieux, date=timezone.localdate() - dt.timedelta(days=200))
    recent = BeneficiaireFactory(conseiller=conseiller, prenom="Récent")
    _activite(conseiller, recent, date=timezone.localdate() - dt.timedelta(days=100))

    sortie = StringIO()
    call_command("purger_beneficiaires", "--dry-run", stdout=sortie)
    assert sortie.getvalue().startswith("1 bénéficiaire suivi sans activité depuis le ")
    assert "serait supprimé (conservation\u00a0: 6 mois) — simulation" in sortie.getvalue()
    assert len(_prenoms()) == 2

    sortie = StringIO()
    call_command("purger_beneficiaires", stdout=sortie)
    assert sortie.getvalue().strip().endswith("supprimé (conservation\u00a0: 6 mois).")
    assert sortie.getvalue().count("\n") == 1
    assert _prenoms() == ["Récent"]


def test_commande_refuse_une_duree_nulle(conseiller):
    BeneficiaireFactory(conseiller=conseiller)
    with pytest.raises(CommandError, match="au moins un mois"):
        call_command("purger_beneficiaires", "--mois", "0")
    assert Beneficiaire.objects.tous().count() == 1


def test_tache_celery_et_planification(conseiller):
    vieux = BeneficiaireFactory(conseiller=conseiller)
    _activite(conseiller, vieux, date=dt.date(2020, 1, 2))
    resume = purger_beneficiaires_inactifs.delay().get()
    assert resume.startswith("1 bénéficiaire suivi")
    assert not Beneficiaire.objects.tous().exists()

    entree = settings.CELERY_BEAT_SCHEDULE["purge-des-beneficiaires-inactifs"]
    assert entree["task"] == "conseillers.tasks.purger_beneficiaires_inactifs"
    assert entree["schedule"].hour == {2}
    from inclusion.celery import app

    assert entree["task"] in app.tasks


def test_reglage_par_defaut():
    assert settings.BENEFICIAIRES_CONSERVATION_MOIS == 24


def test_fusion_d_une_fiche_supprimee_entre_temps(conseiller):
    garde = BeneficiaireFactory(conseiller=conseiller)
    doublon = BeneficiaireFactory(conseiller=conseiller)
    Beneficiaire.objects.tous().filter(pk=doublon.pk).delete()
    with pytest.raises(ValidationError, match="vient d'être supprimée"):
        services.fusionner_beneficiaires(conserve=garde, doublon=doublon)
    assert Beneficiaire.objects.tous().get() == garde
