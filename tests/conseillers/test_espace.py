"""The advisor's own space: profile, planning, statistics, followed beneficiaries (views)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from conseillers.enums import Canal, Genre, Jour, Thematique, TypeActivite, TypeIntervention
from conseillers.models import Activite, Beneficiaire, Conseiller
from conseillers.services import profil_conseiller
from tests.conseillers.factories import (
    ActiviteFactory,
    BeneficiaireFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moi(comptes):
    """The profile of the ``conseiller`` account (created in Le Mans on first access)."""
    return profil_conseiller(user=comptes["conseiller"])


@pytest.fixture
def client_conseiller(client_de, moi):
    return client_de("conseiller")


def _saisie(lieu) -> str:
    return f"{reverse('conseillers:nouvelle_activite')}?lieu={lieu.pk}"


# -- profile ----------------------------------------------------------------------------


def test_profil_cree_au_premier_acces_et_contrat_en_lecture_seule(client_de, comptes, geographie):
    assert not Conseiller.objects.tous().exists()
    reponse = client_de("conseiller").get(reverse("conseillers:profil"))
    assert reponse.status_code == 200
    conseiller = Conseiller.objects.tous().get(user=comptes["conseiller"])
    assert conseiller.commune == geographie["le_mans"]
    contenu = reponse.content.decode()
    assert 'Commune de rattachement</dt><dd class="col-sm-8">Le Mans</dd>' in contenu
    for champ in ("date_debut_contrat", "date_fin_contrat", "programme", "ligne_financement"):
        assert f'name="{champ}"' not in contenu


def test_profil_enregistre_lieux_competences_et_thematiques(client_conseiller, moi, geographie):
    moi.date_fin_contrat = dt.date(2027, 6, 30)
    moi.save()
    mediatheque = LieuFactory(commune=geographie["le_mans"], nom="Médiathèque Aragon")
    LieuFactory(commune=geographie["yvre"], nom="Mairie d'Yvré")
    reponse = client_conseiller.post(
        reverse("conseillers:profil"),
        {
            "lieux": [mediatheque.pk],
            "competences": [Thematique.BUREAUTIQUE, Thematique.SANTE],
            "thematiques_favorites": [Thematique.DEMARCHES_ADMINISTRATIVES],
            "autres_competences": "langue des signes, anglais",
            "date_fin_contrat": "2030-01-01",
            "ligne_financement": "piratage",
        },
    )
    assert reponse.status_code == 302
    moi.refresh_from_db()
    assert list(moi.lieux.all()) == [mediatheque]
    assert moi.competences == [Thematique.BUREAUTIQUE, Thematique.SANTE]
    assert moi.thematiques_favorites == [Thematique.DEMARCHES_ADMINISTRATIVES]
    assert moi.autres_competences == "langue des signes, anglais"
    assert moi.date_fin_contrat == dt.date(2027, 6, 30)
    assert moi.ligne_financement == ""


def test_profil_refuse_un_lieu_hors_territoire(client_conseiller, moi, geographie):
    angers = LieuFactory(commune=geographie["angers_commune"], nom="Maison Angers")
    reponse = client_conseiller.post(
        reverse("conseillers:profil"),
        {"lieux": [angers.pk], "competences": ["inconnue"], "autres_competences": "x"},
    )
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Choisissez des lieux de votre territoire." in contenu
    assert "Choisissez des thématiques de la liste." in contenu
    assert "Maison Angers" not in contenu
    moi.refresh_from_db()
    assert (moi.lieux.count(), moi.autres_competences) == (0, "")


def test_profil_garde_un_lieu_hors_territoire_choisi_par_la_coordination(
    client_conseiller, moi, geographie
):
    angers = LieuFactory(commune=geographie["angers_commune"])
    moi.lieux.add(angers)
    client_conseiller.post(reverse("conseillers:profil"), {"autres_competences": ""})
    assert list(moi.lieux.all()) == [angers]


# -- planning ---------------------------------------------------------------------------


def test_planning_de_la_semaine(client_conseiller, moi, geographie):
    le_mans = geographie["le_mans"]
    accueil = StructureFactory(commune=le_mans, nom="Centre social Bellevue")
    mise = MiseADispositionFactory(
        structure=accueil,
        lieu=LieuFactory(structure=accueil, commune=le_mans, nom="Salle Bellevue"),
        conseillers=[moi],
        convention="Convention 2026-007",
        date_debut=dt.date(2026, 1, 1),
        date_fin=dt.date(2026, 12, 31),
        type_intervention=TypeIntervention.ATELIERS,
    )  # Tuesdays and Thursdays 14:00-17:00
    MiseADispositionFactory(
        conseillers=[moi],
        structure=StructureFactory(commune=le_mans, nom="Structure terminée"),
        date_debut=dt.date(2025, 1, 1),
        date_fin=dt.date(2025, 12, 31),
    )
    MiseADispositionFactory(
        conseillers=[ConseillerFactory(commune=le_mans)],
        structure=StructureFactory(commune=le_mans, nom="Structure d'un collègue"),
    )
    mon_lieu = LieuFactory(commune=le_mans, nom="Espace Gué", horaires="Mo,We 09:00-12:00")
    moi.lieux.add(mon_lieu)

    reponse = client_conseiller.get(reverse("conseillers:planning") + "?semaine=2026-W48")
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Semaine du lundi 23 novembre au dimanche 29 novembre 2026" in contenu
    jours = {j.nom: j for j in reponse.context["jours"]}
    assert [m.pk for m, _lien in jours["mardi"].presences] == [mise.pk]
    assert [m.pk for m, _lien in jours["jeudi"].presences] == [mise.pk]
    assert not jours["lundi"].presences
    assert jours["mardi"].presences[0][1] == _saisie(mise.lieu)
    assert [(lieu, h) for lieu, h, _ in jours["lundi"].ouvertures] == [
        (mon_lieu, "9\u00a0h – 12\u00a0h")
    ]
    assert jours["mercredi"].ouvertures[0][2] == _saisie(mon_lieu)
    assert not jours["mardi"].ouvertures
    assert (
        "Présence prévue dans les structures d'accueil cette semaine&nbsp;: <strong>6 h</strong>"
        in (contenu)
    )
    assert f'href="{_saisie(mise.lieu)}"' in contenu
    assert "Convention 2026-007" in contenu
    assert "Structure terminée" not in contenu
    assert "Structure d'un collègue" not in contenu
    assert "?semaine=2026-W47" in contenu and "?semaine=2026-W49" in contenu


def test_planning_semaine_partielle_et_semaine_inconnue(client_conseiller, moi, geographie):
    MiseADispositionFactory(
        conseillers=[moi],
        date_debut=dt.date(2026, 11, 26),  # a Thursday: only that day counts this week
        jours=[Jour.MARDI, Jour.JEUDI],
        heure_debut=dt.time(9, 0),
        heure_fin=dt.time(12, 30),
    )
    reponse = client_conseiller.get(reverse("conseillers:planning") + "?semaine=2026-W48")
    assert reponse.context["presence"] == "3 h 30"
    reponse = client_conseiller.get(reverse("conseillers:planning") + "?semaine=n-importe-quoi")
    assert reponse.status_code == 200
    assert "Semaine inconnue" in reponse.content.decode()
    lundi = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    assert reponse.context["lundi"] == lundi


# -- statistics -------------------------------------------------------------------------

PERIODE = {"du": "2026-09-01", "au": "2026-10-31"}


@pytest.fixture
def activites(moi, geographie):
    """Four reports in September-October 2026, and three that must not be counted."""
    le_mans, yvre = geographie["le_mans"], geographie["yvre"]
    r1 = ActiviteFactory(
        conseiller=moi,
        date=dt.date(2026, 9, 10),
        duree_minutes=20,
        thematiques=[Thematique.EMAIL],
        age_25_39=1,
        statut_en_emploi=1,
    )
    r2 = ActiviteFactory(
        conseiller=moi,
        date=dt.date(2026, 9, 15),
        type=TypeActivite.PONCTUEL,
        duree_minutes=30,
        nb_participants_recurrents=1,
        thematiques=[Thematique.EMAIL, Thematique.NAVIGATION_INTERNET],
    )
    ActiviteFactory(
        conseiller=moi,
        date=dt.date(2026, 10, 5),
        type=TypeActivite.COLLECTIF,
        canal=Canal.AUTRE_LIEU,
        commune=le_mans,
        duree_minutes=90,
        nb_participants=8,
        nb_participants_recurrents=3,
        thematiques=[Thematique.BUREAUTIQUE],
        age_60_69=5,
        age_70_plus=3,
        statut_retraite=8,
    )
    r4 = ActiviteFactory(
        conseiller=moi,
        date=dt.date(2026, 10, 20),
        canal=Canal.DOMICILE,
        commune=yvre,
        duree_minutes=120,
        thematiques=[Thematique.DEMARCHES_ADMINISTRATIVES, Thematique.LOGEMENT],
    )
    suivie = BeneficiaireFactory(conseiller=moi)
    r1.beneficiaires.add(suivie)
    r4.beneficiaires.add(suivie)
    r2.beneficiaires.add(BeneficiaireFactory(conseiller=moi))
    # not counted: before the period, deleted, a colleague's
    ActiviteFactory(conseiller=moi, date=dt.date(2026, 8, 31), duree_minutes=600)
    ActiviteFactory(
        conseiller=moi, date=dt.date(2026, 10, 1), supprime_le=timezone.now(), duree_minutes=600
    )
    ActiviteFactory(date=dt.date(2026, 10, 1), duree_minutes=600)


def _ligne(libelle, *cellules):
    return f'<th scope="row">{libelle}</th>' + "".join(f"<td>{c}</td>" for c in cellules)


def test_statistiques_calculees_a_la_main(client_conseiller, activites):
    reponse = client_conseiller.get(reverse("conseillers:statistiques"), PERIODE)
    assert reponse.status_code == 200
    totaux = reponse.context["totaux"]
    assert totaux["activites"] == 4
    assert totaux["accompagnements"] == 11
    assert totaux["accompagnements_recurrents"] == 4
    assert totaux["personnes_accompagnees"] == 7
    assert totaux["ateliers"] == 1
    assert totaux["participants_ateliers"] == 8
    assert totaux["accompagnements_individuels"] == 2
    assert totaux["demandes_ponctuelles"] == 1
    assert totaux["duree_minutes"] == 260
    assert totaux["beneficiaires_suivis"] == 2
    cles = {code: valeur for code, _libelle, valeur in reponse.context["chiffres_cles"]}
    assert cles["temps"] == "4 h 20"
    assert cles["accompagnements"] == "11 (dont 4 récurrents)"
    assert cles["personnes-accompagnees"] == "7"

    contenu = reponse.content.decode()
    assert "Du 1er septembre 2026 au 31 octobre 2026" in contenu
    pour_cent = "\u00a0%"
    # per month: participants, reports, workshops
    assert _ligne("Septembre 2026", "2", "2", "0") in contenu
    assert _ligne("Octobre 2026", "9", "2", "1") in contenu
    # per theme: reports, share of the reports, participants
    assert _ligne("Courriels", "2", f"50,0{pour_cent}", "2") in contenu
    assert _ligne("Bureautique", "1", f"25,0{pour_cent}", "8") in contenu
    assert _ligne("Logement", "1", f"25,0{pour_cent}", "1") in contenu
    assert "Santé en ligne" not in contenu
    # per channel
    assert _ligne("À distance (téléphone, visio)", "2", f"50,0{pour_cent}", "2") in contenu
    assert _ligne("Dans un autre lieu", "1", f"25,0{pour_cent}", "8") in contenu
    assert _ligne("Au domicile de la personne", "1", f"25,0{pour_cent}", "1") in contenu
    assert _ligne("En itinérance (aller vers)", "0", f"0,0{pour_cent}", "0") in contenu
    # duration bands (20, 30, 90 and 120 minutes: the bounds go to the upper band)
    for libelle in (
        "Moins de 30 min",
        "De 30 min à moins d&#x27;1 h",
        "De 1 h à moins de 2 h",
        "2 h et plus",
    ):
        assert _ligne(libelle, "1", f"25,0{pour_cent}") in contenu
    # ages and statuses: share of the 11 participants, one decimal
    assert _ligne("25 à 39 ans", f"9,1{pour_cent}", "1") in contenu
    assert _ligne("60 à 69 ans", f"45,5{pour_cent}", "5") in contenu
    assert _ligne("70 ans et plus", f"27,3{pour_cent}", "3") in contenu
    assert _ligne("Moins de 12 ans", f"0,0{pour_cent}", "0") in contenu
    assert _ligne("Retraité", f"72,7{pour_cent}", "8") in contenu
    assert _ligne("En emploi", f"9,1{pour_cent}", "1") in contenu
    assert contenu.count(_ligne("Non renseigné", f"18,2{pour_cent}", "2")) == 2
    # charts: one SVG per chart, with its table
    assert contenu.count("<svg") == 6
    assert contenu.count('">Données du graphique «') == 6  # each chart's table caption
    assert "Personnes accompagnées</dt>" in contenu  # the definitions


def test_statistiques_periode_par_defaut_mois_en_cours(client_conseiller, moi):
    aujourd_hui = timezone.localdate()
    ActiviteFactory(conseiller=moi, date=aujourd_hui.replace(day=1), duree_minutes=45)
    ActiviteFactory(conseiller=moi, date=aujourd_hui.replace(day=1) - dt.timedelta(days=1))
    reponse = client_conseiller.get(reverse("conseillers:statistiques"))
    assert (reponse.context["du"], reponse.context["au"]) == (
        aujourd_hui.replace(day=1),
        aujourd_hui,
    )
    assert reponse.context["totaux"]["duree_minutes"] == 45
    contenu = reponse.content.decode()
    for libelle in ("Ce mois-ci", "Le mois dernier", "Cette année", "Les 12 derniers mois"):
        assert libelle in contenu


def test_statistiques_periode_incorrecte(client_conseiller, moi):
    reponse = client_conseiller.get(
        reverse("conseillers:statistiques"), {"du": "2026-10-31", "au": "2026-09-01"}
    )
    assert reponse.status_code == 200
    assert "La date de fin précède la date de début." in reponse.content.decode()
    assert reponse.context["du"] == timezone.localdate().replace(day=1)
    reponse = client_conseiller.get(reverse("conseillers:statistiques"), {"du": "demain"})
    assert "Saisissez une date de début valide" in reponse.content.decode()


def test_statistiques_nombre_de_requetes_constant(
    client_conseiller, moi, activites, django_assert_num_queries
):
    # session, user, advisor profile; then totals, followed beneficiaries, months, channels,
    # duration bands
    with django_assert_num_queries(8):
        client_conseiller.get(reverse("conseillers:statistiques"), PERIODE)
    for jour in range(1, 20):
        ActiviteFactory(conseiller=moi, date=dt.date(2026, 9, jour), type=TypeActivite.PONCTUEL)
    with django_assert_num_queries(8):
        reponse = client_conseiller.get(
            reverse("conseillers:statistiques"), {"du": "2025-01-01", "au": "2026-10-31"}
        )
    assert reponse.context["totaux"]["activites"] == 4 + 19 + 1
    assert len(reponse.context["graphiques"][0].barres) == 22  # every month, even empty


# -- followed beneficiaries -------------------------------------------------------------


def test_liste_recherche_derniere_visite_et_activites(
    client_conseiller, moi, django_assert_num_queries
):
    amelie = BeneficiaireFactory(conseiller=moi, prenom="Amélie")
    BeneficiaireFactory(conseiller=moi, prenom="Bruno")
    BeneficiaireFactory(prenom="Amélie d'un collègue")
    for jour in (3, 8):
        ActiviteFactory(conseiller=moi, date=dt.date(2026, 10, jour)).beneficiaires.add(amelie)
    ActiviteFactory(
        conseiller=moi, date=dt.date(2026, 10, 9), supprime_le=timezone.now()
    ).beneficiaires.add(amelie)
    Beneficiaire.objects.tous().filter(pk=amelie.pk).update(derniere_activite=dt.date(2026, 10, 8))

    with django_assert_num_queries(6):  # session, user, profile, count, page, duplicates
        reponse = client_conseiller.get(reverse("conseillers:beneficiaires"), {"q": "AMELIE"})
    personnes = list(reponse.context["page"])
    assert personnes == [amelie]
    assert personnes[0].nb_activites == 2
    contenu = reponse.content.decode()
    assert "8 octobre 2026" in contenu
    assert "Bruno" not in contenu and "collègue" not in contenu


def _nouveau(**changements):
    return {
        "prenom": "Amélie",
        "annee_naissance": "1961",
        "commune": "72181",
        "genre": Genre.FEMME,
        "consentement": "on",
        **changements,
    }


def test_creation_avec_consentement(client_conseiller, moi):
    reponse = client_conseiller.get(reverse("conseillers:nouveau_beneficiaire"))
    assert "Pour compter vos prochaines visites" in reponse.content.decode()
    avant = timezone.now()
    reponse = client_conseiller.post(reverse("conseillers:nouveau_beneficiaire"), _nouveau())
    assert reponse.status_code == 302
    personne = Beneficiaire.objects.tous().get()
    assert (personne.conseiller, personne.prenom, personne.commune_id) == (moi, "Amélie", "72181")
    assert personne.consentement_le >= avant


@pytest.mark.parametrize(
    ("changements", "message"),
    [
        ({"consentement": ""}, "Sans le consentement de la personne, aucune fiche"),
        ({"prenom": ""}, "Indiquez le prénom ou les initiales de la personne."),
        ({"annee_naissance": "1850"}, "Indiquez une année de naissance entre 1900 et"),
        ({"annee_naissance": "2099"}, "Indiquez une année de naissance entre 1900 et"),
        ({"commune": "49007"}, "Choisissez une commune de votre territoire."),
        ({"genre": "autre"}, "Choisissez un genre de la liste."),
    ],
)
def test_creation_refusee(client_conseiller, moi, changements, message):
    reponse = client_conseiller.post(
        reverse("conseillers:nouveau_beneficiaire"), _nouveau(**changements)
    )
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not Beneficiaire.objects.tous().exists()


def test_creation_d_un_doublon_probable_demande_confirmation(client_conseiller, moi, geographie):
    existante = BeneficiaireFactory(
        conseiller=moi, prenom="amelie", annee_naissance=1961, commune=None
    )
    reponse = client_conseiller.post(reverse("conseillers:nouveau_beneficiaire"), _nouveau())
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Cette personne a peut-être déjà une fiche" in contenu
    assert reverse("conseillers:modifier_beneficiaire", args=[existante.pk]) in contenu
    assert Beneficiaire.objects.tous().count() == 1

    reponse = client_conseiller.post(
        reverse("conseillers:nouveau_beneficiaire"), _nouveau(confirmer_doublon="on")
    )
    assert reponse.status_code == 302
    assert Beneficiaire.objects.tous().count() == 2


def test_modifier_sa_fiche(client_conseiller, moi, geographie):
    personne = BeneficiaireFactory(conseiller=moi, prenom="Jo", annee_naissance=1990)
    consentement = personne.consentement_le
    url = reverse("conseillers:modifier_beneficiaire", args=[personne.pk])
    assert "Accord recueilli le" in client_conseiller.get(url).content.decode()
    reponse = client_conseiller.post(
        url, {"prenom": "J. D.", "annee_naissance": "1991", "commune": "72386", "genre": "homme"}
    )
    assert reponse.status_code == 302
    personne.refresh_from_db()
    assert (personne.prenom, personne.annee_naissance, personne.commune_id) == (
        "J. D.",
        1991,
        "72386",
    )
    assert personne.consentement_le == consentement
    reponse = client_conseiller.post(url, {"prenom": "", "genre": "homme"})
    assert "Indiquez le prénom ou les initiales" in reponse.content.decode()
    personne.refresh_from_db()
    assert personne.prenom == "J. D."


def test_supprimer_sa_fiche_garde_les_activites(client_conseiller, moi):
    personne = BeneficiaireFactory(conseiller=moi, prenom="Jo")
    activite = ActiviteFactory(conseiller=moi)
    activite.beneficiaires.add(personne)
    url = reverse("conseillers:supprimer_beneficiaire", args=[personne.pk])
    reponse = client_conseiller.get(url)
    assert "Son activité reste dans vos comptes rendus" in reponse.content.decode()
    assert Beneficiaire.objects.tous().exists()
    reponse = client_conseiller.post(url)
    assert reponse.status_code == 302
    assert not Beneficiaire.objects.tous().exists()
    assert Activite.objects.tous().filter(pk=activite.pk, nb_participants=1).exists()


def test_les_donnees_d_une_personne_a_lui_remettre(client_conseiller, moi, geographie):
    personne = BeneficiaireFactory(
        conseiller=moi, prenom="Jo", annee_naissance=1950, commune=geographie["le_mans"]
    )
    vue = ActiviteFactory(conseiller=moi, thematiques=["email"])
    vue.beneficiaires.add(personne)
    ActiviteFactory(conseiller=moi)  # not hers
    reponse = client_conseiller.get(
        reverse("conseillers:exporter_beneficiaire", args=[personne.pk])
    )
    assert reponse["Content-Disposition"].startswith('attachment; filename="donnees-beneficiaire-')
    donnees = reponse.json()
    assert donnees["beneficiaire"]["prenom_ou_initiales"] == "Jo"
    assert donnees["beneficiaire"]["annee_naissance"] == 1950
    assert donnees["beneficiaire"]["commune_de_residence"] == "Le Mans"
    assert [a["date"] for a in donnees["activites"]] == [vue.date.isoformat()]
    assert donnees["activites"][0]["thematiques"] == ["courriels"]
    assert "24 mois après la dernière activité" in donnees["conservation"]


@pytest.mark.parametrize(
    "nom", ["modifier_beneficiaire", "supprimer_beneficiaire", "exporter_beneficiaire"]
)
def test_la_fiche_d_un_autre_conseiller_est_introuvable(client_conseiller, moi, nom):
    autre = BeneficiaireFactory()
    url = reverse(f"conseillers:{nom}", args=[autre.pk])
    assert client_conseiller.get(url).status_code == 404
    # the export is read-only: it refuses any POST before looking for the record
    attendu = 405 if nom == "exporter_beneficiaire" else 404
    assert client_conseiller.post(url, {"prenom": "X"}).status_code == attendu
    autre.refresh_from_db()
    assert autre.prenom != "X"


def test_doublons_et_fusion(client_conseiller, moi, geographie):
    a = BeneficiaireFactory(conseiller=moi, prenom="Jo", annee_naissance=1990, commune=None)
    b = BeneficiaireFactory(
        conseiller=moi, prenom="JO", annee_naissance=1990, commune=geographie["yvre"]
    )
    activite = ActiviteFactory(conseiller=moi, date=dt.date(2026, 10, 2))
    activite.beneficiaires.add(b)
    reponse = client_conseiller.get(reverse("conseillers:doublons_beneficiaires"))
    assert [(p.premier, p.second) for p in reponse.context["paires"]] == [(a, b)]
    contenu = reponse.content.decode()
    assert f"Garder la fiche n° {a.pk} et y fusionner la fiche n° {b.pk}" in contenu

    url = reverse("conseillers:fusionner_beneficiaires")
    assert client_conseiller.get(url).status_code == 405
    reponse = client_conseiller.post(url, {"conserve": a.pk, "doublon": b.pk}, follow=True)
    assert "a été fusionnée dans" in reponse.content.decode()
    assert "Aucun doublon probable" in reponse.content.decode()
    a.refresh_from_db()
    assert a.commune == geographie["yvre"]
    assert a.derniere_activite == dt.date(2026, 10, 2)
    assert list(activite.beneficiaires.all()) == [a]
    assert not Beneficiaire.objects.tous().filter(pk=b.pk).exists()


def test_fusion_refusee(client_conseiller, moi):
    a = BeneficiaireFactory(conseiller=moi)
    autre = BeneficiaireFactory()
    url = reverse("conseillers:fusionner_beneficiaires")
    reponse = client_conseiller.post(url, {"conserve": a.pk, "doublon": a.pk}, follow=True)
    assert "Choisissez deux fiches différentes à fusionner." in reponse.content.decode()
    reponse = client_conseiller.post(url, {"conserve": a.pk, "doublon": "abc"}, follow=True)
    assert "Choisissez la fiche à garder et celle à fusionner." in reponse.content.decode()
    assert client_conseiller.post(url, {"conserve": a.pk, "doublon": autre.pk}).status_code == 404
    assert client_conseiller.post(url, {"conserve": autre.pk, "doublon": a.pk}).status_code == 404
    assert Beneficiaire.objects.tous().count() == 2


def test_les_autres_roles_ne_fusionnent_pas(client_de, comptes, moi):
    a, b = BeneficiaireFactory(conseiller=moi), BeneficiaireFactory(conseiller=moi)
    for role in ("coordinateur", "staff", "elu"):
        reponse = client_de(role).post(
            reverse("conseillers:fusionner_beneficiaires"), {"conserve": a.pk, "doublon": b.pk}
        )
        assert reponse.status_code == 403
    assert Beneficiaire.objects.tous().count() == 2


# -- the advisor's home ----------------------------------------------------------------


def test_menu_de_l_espace_conseiller(client_conseiller):
    contenu = client_conseiller.get(reverse("comptes:espace_conseiller")).content.decode()
    for nom in (
        "nouvelle_activite",
        "activites",
        "planning",
        "statistiques",
        "beneficiaires",
        "profil",
    ):
        assert f'href="{reverse(f"conseillers:{nom}")}"' in contenu


def test_un_conseiller_sans_territoire_est_prevenu(client, geographie):
    sans = User.objects.create_user(email="sans@exemple.test", password="x" * 20, role="conseiller")
    client.force_login(sans)
    reponse = client.get(reverse("conseillers:planning"))
    assert reponse.status_code == 403


def test_communes_saisies_au_dela_du_seuil(client_conseiller, moi, geographie, settings):
    """A territory with more communes than SEUIL_AUTOCOMPLETION: the activity, the
    beneficiary and the history's filter take a commune typed with suggestions, among the
    advisor's territory only."""
    settings.SEUIL_AUTOCOMPLETION = 0
    for url in (
        reverse("conseillers:nouvelle_activite"),
        reverse("conseillers:nouveau_beneficiaire"),
        reverse("conseillers:activites"),
    ):
        contenu = client_conseiller.get(url).content.decode()
        assert 'data-autocompletion="/gestion/suggestions/communes/"' in contenu, url
        assert '<select name="commune"' not in contenu, url
    reponse = client_conseiller.post(
        reverse("conseillers:nouveau_beneficiaire"), _nouveau(commune="Yvré-l'Évêque (72386)")
    )
    assert reponse.status_code == 302
    assert Beneficiaire.objects.tous().get().commune == geographie["yvre"]
    # a commune of another territory is not found, in French beside the field
    reponse = client_conseiller.post(
        reverse("conseillers:nouveau_beneficiaire"), _nouveau(prenom="Jo", commune="Angers")
    )
    assert reponse.status_code == 200
    assert "Aucun choix possible ne correspond à «\u202fAngers\u202f»" in reponse.content.decode()
    filtre = client_conseiller.get(reverse("conseillers:activites"), {"commune": "le mans"})
    assert filtre.context["filtres"].cleaned_data["commune"] == geographie["le_mans"]
    # the suggestions are the territory's communes
    suggestions = client_conseiller.get(
        reverse("structures:suggestions_communes"), {"q": "angers"}
    ).json()["suggestions"]
    assert suggestions == []
