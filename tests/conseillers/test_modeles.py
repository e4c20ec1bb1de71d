"""Advisors' models: the rules of a report, the figures, the services and the audit trail."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from comptes.enums import Role
from conseillers.enums import Canal, Materiel, Thematique, TypeActivite
from conseillers.models import Activite, Conseiller, MiseADisposition
from conseillers.services import (
    enregistrer_activite,
    profil_conseiller,
    restaurer_activite,
    supprimer_activite,
)
from tests.comptes.factories import UserFactory
from tests.conseillers.factories import (
    ActiviteFactory,
    BeneficiaireFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)
from tests.structures.factories import ArretFactory, LieuFactory

pytestmark = pytest.mark.django_db

HIER = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def conseiller(geographie):
    return ConseillerFactory(commune=geographie["le_mans"])


def _activite(conseiller, **champs) -> Activite:
    valeurs = {
        "conseiller": conseiller,
        "date": HIER,
        "duree_minutes": 30,
        "type": TypeActivite.INDIVIDUEL,
        "canal": Canal.DISTANCE,
        "nb_participants": 1,
        "thematiques": [Thematique.EMAIL],
    }
    valeurs.update(champs)
    return Activite(**valeurs)


def _erreurs(activite) -> dict:
    with pytest.raises(ValidationError) as exc:
        enregistrer_activite(activite=activite)
    assert not Activite.objects.tous().exists(), "rien n'est écrit sur une erreur"
    return exc.value.message_dict


# -- rules ------------------------------------------------------------------------------


def test_une_activite_valide_est_enregistree(conseiller):
    activite = enregistrer_activite(activite=_activite(conseiller))
    assert activite.pk and activite.source == "saisie"


@pytest.mark.parametrize(
    ("champs", "champ", "extrait"),
    [
        ({"date": timezone.localdate() + dt.timedelta(days=1)}, "date", "futur"),
        ({"date": dt.date(2019, 12, 31)}, "date", "2020"),
        ({"nb_participants": 2}, "nb_participants", "une seule personne"),
        ({"type": TypeActivite.PONCTUEL, "nb_participants": 3}, "nb_participants", "une seule"),
        ({"type": TypeActivite.COLLECTIF, "nb_participants": 101}, "nb_participants", "100"),
        ({"nb_participants_recurrents": 2}, "nb_participants_recurrents", "plus de personnes"),
        ({"age_25_39": 1, "age_40_59": 1}, "age_moins_12", "totalise 2 au lieu de 1"),
        ({"statut_retraite": 2}, "statut_scolarise", "totalise 2"),
        ({"thematiques": []}, "thematiques", ""),
        ({"thematiques": [Thematique.LOGEMENT]}, "thematiques", "démarches administratives"),
        ({"thematiques": ["inconnue"]}, "thematiques", "inconnue"),
        ({"materiel": [Materiel.AUCUN, Materiel.TABLETTE]}, "materiel", "Aucun matériel"),
        ({"canal": Canal.LIEU_ACTIVITE}, "lieu", "lieu"),
        ({"canal": Canal.ITINERANT}, "lieu", "lieu"),
        ({"canal": Canal.AUTRE_LIEU}, "commune", "commune"),
        ({"canal": Canal.DOMICILE}, "commune", "commune"),
        ({"duree_minutes": 0}, "duree_minutes", ""),
        ({"duree_minutes": 721}, "duree_minutes", ""),
        ({"type": TypeActivite.PONCTUEL, "autonomie": "autonome"}, "autonomie", "individuel"),
        ({"titre_atelier": "Mails"}, "titre_atelier", "collectif"),
        ({"niveau_atelier": "debutant"}, "niveau_atelier", "collectif"),
        ({"notes": "x" * 1001}, "notes", ""),
    ],
)
def test_chaque_regle_refuse_avec_un_message_en_francais(conseiller, champs, champ, extrait):
    erreurs = _erreurs(_activite(conseiller, **champs))
    assert champ in erreurs, erreurs
    assert extrait in " ".join(erreurs[champ])


def test_un_atelier_de_cent_participants_avec_repartitions_completes(conseiller):
    activite = enregistrer_activite(
        activite=_activite(
            conseiller,
            type=TypeActivite.COLLECTIF,
            nb_participants=100,
            nb_participants_recurrents=100,
            age_60_69=60,
            age_70_plus=40,
            statut_retraite=100,
            titre_atelier="Découvrir la tablette",
            niveau_atelier="debutant",
            thematiques=[Thematique.DEMARCHES_ADMINISTRATIVES, Thematique.LOGEMENT],
        )
    )
    assert activite.thematiques == ["demarches_administratives", "logement"]


def test_les_contraintes_de_la_base_tiennent_sans_le_modele(conseiller):
    activite = enregistrer_activite(activite=_activite(conseiller))
    requete = Activite.objects.tous().filter(pk=activite.pk)
    for valeurs in (
        {"nb_participants": 2},
        {"age_18_24": 2},
        {"statut_en_emploi": 3},
        {"nb_participants_recurrents": 2},
        {"date": dt.date(2019, 1, 1)},
        {"thematiques": ""},
        {"canal": Canal.LIEU_ACTIVITE},
        {"canal": Canal.DOMICILE},
        {"type": "autre"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            requete.update(**valeurs)


def test_le_lieu_donne_la_commune_et_le_quartier(conseiller, geographie):
    lieu = LieuFactory(commune=geographie["le_mans"], zone=geographie["zones"][0])
    activite = enregistrer_activite(
        activite=_activite(conseiller, canal=Canal.LIEU_ACTIVITE, lieu=lieu)
    )
    assert activite.commune == geographie["le_mans"]
    assert activite.zone == geographie["zones"][0]


def test_l_arret_d_un_lieu_itinerant_donne_sa_commune(conseiller, geographie):
    lieu = LieuFactory(commune=geographie["le_mans"])
    arret = ArretFactory(lieu=lieu, commune=geographie["yvre"])
    activite = enregistrer_activite(
        activite=_activite(conseiller, canal=Canal.ITINERANT, lieu=lieu, arret=arret)
    )
    assert activite.commune == geographie["yvre"] and activite.zone is None
    autre = ArretFactory(commune=geographie["yvre"])
    assert "arret" in _erreurs_sans_table(
        _activite(conseiller, canal=Canal.ITINERANT, lieu=lieu, arret=autre)
    )


def _erreurs_sans_table(activite) -> dict:
    with pytest.raises(ValidationError) as exc:
        enregistrer_activite(activite=activite)
    return exc.value.message_dict


def test_a_distance_ni_lieu_ni_arret(conseiller, geographie):
    lieu = LieuFactory(commune=geographie["le_mans"])
    activite = enregistrer_activite(activite=_activite(conseiller, canal=Canal.DISTANCE, lieu=lieu))
    assert activite.lieu is None and activite.commune is None


# -- figures ----------------------------------------------------------------------------


def test_chiffres_definitions_nationales(conseiller, geographie):
    autre = ConseillerFactory(commune=geographie["le_mans"])
    ActiviteFactory(conseiller=conseiller, duree_minutes=45, nb_participants_recurrents=1)
    ActiviteFactory(conseiller=conseiller, type=TypeActivite.PONCTUEL, duree_minutes=15)
    ActiviteFactory(
        conseiller=autre,
        type=TypeActivite.COLLECTIF,
        nb_participants=8,
        nb_participants_recurrents=3,
        age_60_69=5,
        age_70_plus=3,
        duree_minutes=120,
        thematiques=[Thematique.EMAIL, Thematique.SECURITE_NUMERIQUE],
    )
    ActiviteFactory(conseiller=conseiller, supprime_le=timezone.now())  # deleted: left out
    beneficiaire = BeneficiaireFactory(conseiller=conseiller)
    for activite in Activite.objects.tous().visibles().filter(conseiller=conseiller):
        activite.beneficiaires.add(beneficiaire)

    chiffres = Activite.objects.tous().visibles().chiffres(thematiques=True)

    assert chiffres["activites"] == 3
    assert chiffres["accompagnements"] == 10
    assert chiffres["accompagnements_recurrents"] == 4
    assert chiffres["personnes_accompagnees"] == 6
    assert chiffres["ateliers"] == 1
    assert chiffres["participants_ateliers"] == 8
    assert chiffres["accompagnements_individuels"] == 1
    assert chiffres["demandes_ponctuelles"] == 1
    assert chiffres["duree_minutes"] == 180
    assert chiffres["beneficiaires_suivis"] == 1
    assert (chiffres["age_60_69"], chiffres["age_70_plus"]) == (5, 3)
    assert chiffres["thematique_email"] == 3 and chiffres["participants_email"] == 10
    assert chiffres["thematique_securite_numerique"] == 1
    assert chiffres["participants_securite_numerique"] == 8

    par_conseiller = {
        ligne["conseiller"]: ligne
        for ligne in Activite.objects.tous().visibles().chiffres("conseiller")
    }
    assert par_conseiller[conseiller.pk]["accompagnements"] == 2
    assert par_conseiller[autre.pk]["personnes_accompagnees"] == 5


def test_un_beneficiaire_suivi_sur_plusieurs_activites_ne_gonfle_pas_les_sommes(conseiller):
    activite = ActiviteFactory(
        conseiller=conseiller, type=TypeActivite.COLLECTIF, nb_participants=5
    )
    activite.beneficiaires.add(*BeneficiaireFactory.create_batch(3, conseiller=conseiller))
    chiffres = Activite.objects.tous().chiffres()
    assert chiffres["accompagnements"] == 5
    assert chiffres["beneficiaires_suivis"] == 3


# -- scoping ----------------------------------------------------------------------------


def test_qui_voit_quelles_activites(comptes, geographie):
    a_moi = profil_conseiller(user=comptes["conseiller"])
    collegue = ConseillerFactory(commune=geographie["yvre"])
    ailleurs = ConseillerFactory(commune=geographie["angers_commune"])
    mienne = ActiviteFactory(conseiller=a_moi)
    de_collegue = ActiviteFactory(conseiller=collegue)
    d_angers = ActiviteFactory(conseiller=ailleurs)

    def visibles(role):
        user = comptes[role]
        if user is None:
            from django.contrib.auth.models import AnonymousUser

            user = AnonymousUser()
        return set(Activite.objects.consultables_par(user))

    assert visibles("conseiller") == {mienne}
    assert visibles("coordinateur") == {mienne, de_collegue}
    assert visibles("coordinateur_autre_territoire") == {d_angers}
    assert visibles("referent") == set()
    assert visibles("elu") == set()
    assert visibles("anonyme") == set()
    assert visibles("staff") == {mienne, de_collegue, d_angers}
    assert set(Activite.objects.modifiables_par(comptes["coordinateur"])) == set()
    assert set(Activite.objects.modifiables_par(comptes["conseiller"])) == {mienne}


def test_conseillers_inactifs_et_competences(geographie):
    actif = ConseillerFactory(commune=geographie["le_mans"], competences=[Thematique.SANTE])
    silencieux = ConseillerFactory(
        commune=geographie["le_mans"], thematiques_favorites=[Thematique.INTELLIGENCE_ARTIFICIELLE]
    )
    jamais = ConseillerFactory(commune=geographie["le_mans"])
    ActiviteFactory(conseiller=actif, date=timezone.localdate() - dt.timedelta(days=29))
    ActiviteFactory(conseiller=silencieux, date=timezone.localdate() - dt.timedelta(days=30))
    ActiviteFactory(conseiller=actif, date=timezone.localdate() - dt.timedelta(days=40))

    inactifs = set(Conseiller.objects.tous().sans_activite_depuis(30))
    assert inactifs == {silencieux, jamais}
    assert set(Conseiller.objects.tous().avec_competence("intelligence_artificielle")) == {
        silencieux
    }
    assert set(Conseiller.objects.tous().avec_competence("sante", "bureautique")) == {actif}
    derniere = dict(
        Conseiller.objects.tous().avec_derniere_activite().values_list("pk", "derniere_activite")
    )
    assert derniere[actif.pk] == timezone.localdate() - dt.timedelta(days=29)
    assert derniere[jamais.pk] is None


def test_conseiller_contrat_et_actifs(geographie):
    fini = ConseillerFactory(
        commune=geographie["le_mans"],
        date_debut_contrat=dt.date(2023, 1, 1),
        date_fin_contrat=dt.date(2024, 12, 31),
    )
    en_cours = ConseillerFactory(
        commune=geographie["le_mans"], date_debut_contrat=dt.date(2024, 1, 1)
    )
    assert set(Conseiller.objects.tous().actifs(dt.date(2025, 6, 1))) == {en_cours}
    fini.date_fin_contrat = dt.date(2022, 1, 1)
    with pytest.raises(ValidationError, match="précède son début"):
        fini.full_clean()


# -- assignments ------------------------------------------------------------------------


def test_mise_a_disposition_jours_et_lieu_de_la_structure(geographie, conseiller):
    mad = MiseADispositionFactory(
        structure__commune=geographie["le_mans"], conseillers=[conseiller]
    )
    assert mad.minutes_par_semaine == 360
    assert mad.libelle_jours() == "mardi, jeudi"
    mardi = dt.date(2026, 11, 24)
    assert set(MiseADisposition.objects.tous().le_jour(mardi)) == {mad}
    assert not MiseADisposition.objects.tous().le_jour(mardi + dt.timedelta(days=1)).exists()
    assert not MiseADisposition.objects.tous().en_cours(dt.date(2025, 12, 31)).exists()
    assert set(conseiller.lieux_d_activite()) == {mad.lieu}

    mad.lieu = LieuFactory(commune=geographie["le_mans"])
    with pytest.raises(ValidationError, match="n'appartient pas à la structure"):
        mad.full_clean()
    mad.refresh_from_db()
    mad.heure_fin = dt.time(13, 0)
    with pytest.raises(ValidationError, match="départ doit suivre"):
        mad.full_clean()


# -- services ---------------------------------------------------------------------------


def test_profil_conseiller_cree_dans_la_commune_la_plus_peuplee(comptes, geographie):
    user = comptes["conseiller"]
    profil = profil_conseiller(user=user)
    assert profil.commune == geographie["le_mans"] and profil.email == user.email
    user.refresh_from_db()
    assert profil_conseiller(user=user) == profil
    assert Conseiller.objects.tous().count() == 1


def test_profil_conseiller_rattache_un_conseiller_importe(geographie):
    importe = ConseillerFactory(email="karim@exemple.test", commune=geographie["yvre"], nom="")
    user = UserFactory(
        email="karim@exemple.test",
        role=Role.CONSEILLER,
        nom="Benali",
        territoires=[geographie["metropole"]],
    )
    profil = profil_conseiller(user=user)
    assert profil.pk == importe.pk and profil.user == user and profil.nom == "Benali"


def test_profil_conseiller_sans_territoire(db):
    user = UserFactory(role=Role.CONSEILLER)
    assert profil_conseiller(user=user) is None


def test_piste_d_audit_et_suppression_douce(comptes, conseiller):
    user = comptes["conseiller"]
    conseiller.user = user  # an advisor writes its own reports
    conseiller.save(update_fields=["user"])
    activite = enregistrer_activite(activite=_activite(conseiller), user=user)
    activite.duree_minutes = 60
    enregistrer_activite(activite=activite, user=user)
    supprimer_activite(activite=activite, user=user)
    assert not Activite.objects.tous().visibles().exists()
    restaurer_activite(activite=activite, user=user)
    assert Activite.objects.tous().visibles().count() == 1

    versions = list(activite.history.order_by("history_date"))
    assert [v.history_change_reason for v in versions] == [
        "création",
        "modification",
        "suppression",
        "restauration",
    ]
    assert all(v.history_user == user for v in versions)
    difference = versions[1].diff_against(versions[0])
    assert [(c.field, c.old, c.new) for c in difference.changes] == [("duree_minutes", 30, 60)]


def test_la_derniere_activite_d_un_beneficiaire_suit_ses_activites(conseiller):
    beneficiaire = BeneficiaireFactory(conseiller=conseiller)
    ancienne = enregistrer_activite(
        activite=_activite(conseiller, date=dt.date(2025, 3, 1)), beneficiaires=[beneficiaire]
    )
    recente = enregistrer_activite(
        activite=_activite(conseiller, date=dt.date(2026, 3, 1)), beneficiaires=[beneficiaire]
    )
    beneficiaire.refresh_from_db()
    assert beneficiaire.derniere_activite == dt.date(2026, 3, 1)
    supprimer_activite(activite=recente)
    beneficiaire.refresh_from_db()
    assert beneficiaire.derniere_activite == dt.date(2025, 3, 1)
    enregistrer_activite(activite=ancienne, beneficiaires=[])
    beneficiaire.refresh_from_db()
    assert beneficiaire.derniere_activite is None
