"""The advisor's activity reports: defaults, every rule through the form, edit, duplicate,
soft delete and restore, audit trail, history filters and query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conseillers.enums import Canal, Jour, Materiel, Thematique, TypeActivite
from conseillers.models import Activite
from conseillers.saisie import durees_ordonnees
from conseillers.services import enregistrer_activite, profil_conseiller, supprimer_activite
from tests.comptes.factories import UserFactory
from tests.conseillers.factories import (
    ActiviteFactory,
    BeneficiaireFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)
from tests.structures.factories import ArretFactory, LieuFactory

pytestmark = pytest.mark.django_db

NOUVELLE = reverse("conseillers:nouvelle_activite")
HISTORIQUE = reverse("conseillers:activites")


def _aujourd_hui():
    return timezone.localdate()


@pytest.fixture
def conseiller(comptes, geographie):
    """The ``conseiller`` account's profile, working at one site of Le Mans."""
    profil = profil_conseiller(user=comptes["conseiller"])
    profil.lieux.add(LieuFactory(commune=geographie["le_mans"], nom="Médiathèque Aragon"))
    return profil


@pytest.fixture
def lieu(conseiller):
    return conseiller.lieux.get()


@pytest.fixture
def client_conseiller(client_de, conseiller):
    return client_de("conseiller")


def donnees(site, **changements) -> dict:
    """A complete, valid POST: an individual report at ``lieu``, 30 minutes, e-mail."""
    data = {
        "date": _aujourd_hui().isoformat(),
        "type": TypeActivite.INDIVIDUEL,
        "duree": "30",
        "duree_minutes": "",
        "canal": Canal.LIEU_ACTIVITE,
        "lieu": str(site.pk),
        "arret": "",
        "commune": "",
        "nb_participants": "1",
        "nb_participants_recurrents": "0",
        "thematiques": [Thematique.EMAIL],
        "materiel": [Materiel.ORDINATEUR],
        "autonomie": "",
        "orientation": "",
        "titre_atelier": "",
        "niveau_atelier": "",
        "notes": "",
    }
    for cle, valeur in changements.items():
        if valeur is None:
            data.pop(cle, None)
        else:
            data[cle] = valeur
    return data


def _activite(conseiller, **champs):
    return ActiviteFactory(conseiller=conseiller, **champs)


# -- defaults --------------------------------------------------------------------------


def test_formulaire_vierge_sans_historique(client_conseiller):
    reponse = client_conseiller.get(NOUVELLE)
    assert reponse.status_code == 200
    initiales = reponse.context["formulaire"].initial
    assert initiales["date"] == _aujourd_hui()
    assert initiales["type"] == TypeActivite.INDIVIDUEL
    assert "duree" not in initiales
    contenu = reponse.content.decode()
    assert "ne notez jamais le nom de la personne" in contenu
    assert "conseillers/saisie-activite.js" in contenu


def test_valeurs_reprises_de_la_derniere_activite(client_conseiller, conseiller, geographie):
    _activite(conseiller, date=_aujourd_hui() - dt.timedelta(days=5), duree_minutes=90)
    _activite(
        conseiller,
        date=_aujourd_hui() - dt.timedelta(days=1),
        type=TypeActivite.PONCTUEL,
        canal=Canal.AUTRE_LIEU,
        commune=geographie["yvre"],
        duree_minutes=45,
    )
    supprimee = _activite(conseiller, date=_aujourd_hui(), duree_minutes=120)
    supprimer_activite(activite=supprimee)
    formulaire = client_conseiller.get(NOUVELLE).context["formulaire"]
    assert formulaire.initial["type"] == TypeActivite.PONCTUEL
    assert formulaire.initial["canal"] == Canal.AUTRE_LIEU
    assert formulaire.initial["commune"] == geographie["yvre"].pk
    assert formulaire.initial["duree"] == "45"
    assert formulaire.initial["duree_minutes"] is None
    assert formulaire.initial["date"] == _aujourd_hui()
    assert formulaire["duree"].value() == "45"


def test_duree_hors_propositions_reprise_en_autre_duree(client_conseiller, conseiller):
    _activite(conseiller, duree_minutes=50)
    formulaire = client_conseiller.get(NOUVELLE).context["formulaire"]
    assert formulaire.initial["duree"] == "autre"
    assert formulaire.initial["duree_minutes"] == 50


def _mise_a_disposition_du_jour(conseiller, geographie):
    aujourd_hui = _aujourd_hui()
    return MiseADispositionFactory(
        conseillers=[conseiller],
        structure__commune=geographie["yvre"],
        date_debut=aujourd_hui - dt.timedelta(days=30),
        jours=[list(Jour)[aujourd_hui.weekday()]],
    )


def test_mise_a_disposition_du_jour_preremplit_son_lieu(
    client_conseiller, conseiller, geographie, lieu
):
    _activite(conseiller, canal=Canal.LIEU_ACTIVITE, lieu=lieu)
    mise = _mise_a_disposition_du_jour(conseiller, geographie)
    # not that day: the last report's site stays
    MiseADispositionFactory(
        conseillers=[conseiller],
        date_debut=_aujourd_hui() - dt.timedelta(days=30),
        jours=[list(Jour)[(_aujourd_hui().weekday() + 1) % 7]],
    )
    formulaire = client_conseiller.get(NOUVELLE).context["formulaire"]
    assert formulaire.initial["canal"] == Canal.LIEU_ACTIVITE
    assert formulaire.initial["lieu"] == mise.lieu_id
    assert mise.lieu in formulaire.fields["lieu"].queryset


def test_parametre_lieu_l_emporte(client_conseiller, conseiller, geographie, lieu):
    _mise_a_disposition_du_jour(conseiller, geographie)
    formulaire = client_conseiller.get(f"{NOUVELLE}?lieu={lieu.pk}").context["formulaire"]
    assert formulaire.initial["lieu"] == lieu.pk
    assert formulaire.initial["canal"] == Canal.LIEU_ACTIVITE
    # a site where the advisor does not work is ignored
    ailleurs = LieuFactory(commune=geographie["le_mans"])
    formulaire = client_conseiller.get(f"{NOUVELLE}?lieu={ailleurs.pk}").context["formulaire"]
    assert formulaire.initial.get("lieu") != ailleurs.pk


def test_durees_les_plus_frequentes_d_abord(client_conseiller, conseiller):
    for duree, nombre in ((90, 3), (15, 2), (30, 1), (50, 4)):
        for _ in range(nombre):
            _activite(conseiller, duree_minutes=duree)
    supprimees = [_activite(conseiller, duree_minutes=120) for _ in range(5)]
    for activite in supprimees:
        supprimer_activite(activite=activite)
    ActiviteFactory(duree_minutes=60)  # another advisor's habits do not count
    assert durees_ordonnees(conseiller) == [90, 15, 30, 45, 60, 120]
    formulaire = client_conseiller.get(NOUVELLE).context["formulaire"]
    assert [v for v, _ in formulaire.fields["duree"].choices] == [
        "90",
        "15",
        "30",
        "45",
        "60",
        "120",
        "autre",
    ]


def test_thematiques_favorites_en_premier_et_lieux_du_conseiller(
    client_conseiller, conseiller, geographie, lieu
):
    conseiller.thematiques_favorites = [Thematique.SANTE, Thematique.BUREAUTIQUE]
    conseiller.save()
    LieuFactory(commune=geographie["le_mans"], nom="Lieu d'un autre")
    formulaire = client_conseiller.get(NOUVELLE).context["formulaire"]
    codes = [v for v, _ in formulaire.fields["thematiques"].choices]
    assert codes[:2] == [Thematique.BUREAUTIQUE, Thematique.SANTE] or codes[:2] == [
        Thematique.SANTE,
        Thematique.BUREAUTIQUE,
    ]
    assert len(codes) == 19
    assert len(formulaire.fields["thematiques_administratives"].choices) == 11
    assert list(formulaire.fields["lieu"].queryset) == [lieu]
    communes = set(formulaire.fields["commune"].queryset)
    assert communes == {geographie["le_mans"], geographie["yvre"]}


# -- recording ---------------------------------------------------------------------------


def test_enregistre_puis_formulaire_suivant_prerempli(client_conseiller, comptes, lieu):
    reponse = client_conseiller.post(NOUVELLE, donnees(lieu, duree="45"))
    assert reponse.status_code == 302
    assert reponse.url == NOUVELLE
    activite = Activite.objects.tous().get()
    assert activite.conseiller.user == comptes["conseiller"]
    assert activite.cree_par == comptes["conseiller"]
    assert activite.source == "saisie"
    assert activite.duree_minutes == 45
    assert activite.commune_id == lieu.commune_id  # derived from the site
    assert activite.thematiques == [Thematique.EMAIL]
    assert activite.history.get().history_change_reason == "création"
    suite = client_conseiller.get(reponse.url)
    assert "Activité enregistrée\u00a0: accompagnement individuel" in suite.content.decode()
    assert "Vous pouvez saisir la suivante" in suite.content.decode()
    assert suite.context["formulaire"].initial["duree"] == "45"
    assert suite.context["formulaire"].initial["lieu"] == lieu.pk


def test_atelier_collectif_avec_repartitions(client_conseiller, lieu):
    reponse = client_conseiller.post(
        NOUVELLE,
        donnees(
            lieu,
            type=TypeActivite.COLLECTIF,
            duree="120",
            nb_participants="6",
            nb_participants_recurrents="2",
            titre_atelier="Premiers pas sur la tablette",
            niveau_atelier="debutant",
            age_60_69="4",
            age_70_plus="2",
            statut_retraite="6",
            thematiques=[Thematique.PRENDRE_EN_MAIN_MATERIEL, Thematique.DEMARCHES_ADMINISTRATIVES],
            thematiques_administratives=["logement", "argent_impots"],
            materiel=[Materiel.TABLETTE],
        ),
    )
    assert reponse.status_code == 302, reponse.context["formulaire"].errors
    activite = Activite.objects.tous().get()
    assert (activite.nb_participants, activite.nb_participants_recurrents) == (6, 2)
    assert (activite.age_60_69, activite.age_70_plus, activite.age_18_24) == (4, 2, 0)
    assert activite.statut_retraite == 6
    assert activite.thematiques == [
        Thematique.PRENDRE_EN_MAIN_MATERIEL,
        Thematique.DEMARCHES_ADMINISTRATIVES,
        Thematique.LOGEMENT,
        Thematique.ARGENT_IMPOTS,
    ]
    assert activite.titre_atelier == "Premiers pas sur la tablette"


def test_autre_duree_et_saisie_tardive(client_conseiller, lieu):
    reponse = client_conseiller.post(
        NOUVELLE, donnees(lieu, duree="autre", duree_minutes="50", date="2020-01-01")
    )
    assert reponse.status_code == 302
    activite = Activite.objects.tous().get()
    assert (activite.duree_minutes, activite.date) == (50, dt.date(2020, 1, 1))


def test_domicile_dans_une_commune_du_territoire(client_conseiller, geographie, lieu):
    reponse = client_conseiller.post(
        NOUVELLE,
        donnees(lieu, canal=Canal.DOMICILE, commune=str(geographie["yvre"].pk)),
    )
    assert reponse.status_code == 302
    activite = Activite.objects.tous().get()
    assert activite.lieu is None  # the site sent along (hidden by the script) is dropped
    assert activite.commune == geographie["yvre"]


def test_itinerance_avec_arret(client_conseiller, conseiller, geographie):
    bus = LieuFactory(commune=geographie["le_mans"], itinerance=["itinerant"])
    arret = ArretFactory(lieu=bus, commune=geographie["yvre"])
    conseiller.lieux.add(bus)
    reponse = client_conseiller.post(
        NOUVELLE, donnees(bus, canal=Canal.ITINERANT, arret=str(arret.pk))
    )
    assert reponse.status_code == 302
    activite = Activite.objects.tous().get()
    assert (activite.lieu, activite.arret, activite.commune) == (bus, arret, geographie["yvre"])
    # the stop's site is named in the option (the script filters the stops by site)
    contenu = client_conseiller.get(NOUVELLE).content.decode()
    assert f'data-lieu="{bus.pk}"' in contenu


def test_personne_deja_accompagnee(client_conseiller, conseiller, lieu):
    reponse = client_conseiller.post(NOUVELLE, donnees(lieu, deja_accompagnee="on"))
    assert reponse.status_code == 302
    assert Activite.objects.tous().get().nb_participants_recurrents == 1


def test_beneficiaire_suivi_deja_venu_compte_comme_recurrent(client_conseiller, conseiller, lieu):
    nouvelle = BeneficiaireFactory(conseiller=conseiller)
    habitue = BeneficiaireFactory(conseiller=conseiller)
    ancienne = _activite(conseiller)
    ancienne.beneficiaires.add(habitue)

    client_conseiller.post(NOUVELLE, donnees(lieu, beneficiaires=[str(nouvelle.pk)]))
    premiere = Activite.objects.tous().exclude(pk=ancienne.pk).get()
    assert premiere.nb_participants_recurrents == 0
    assert list(premiere.beneficiaires.all()) == [nouvelle]

    client_conseiller.post(NOUVELLE, donnees(lieu, beneficiaires=[str(habitue.pk)]))
    seconde = Activite.objects.tous().latest("pk")
    assert seconde.nb_participants_recurrents == 1
    habitue.refresh_from_db()
    assert habitue.derniere_activite == _aujourd_hui()


def test_beneficiaire_d_un_autre_conseiller_refuse(client_conseiller, lieu):
    autre = BeneficiaireFactory()
    reponse = client_conseiller.post(NOUVELLE, donnees(lieu, beneficiaires=[str(autre.pk)]))
    assert reponse.status_code == 200
    assert not Activite.objects.tous().exists()


# -- every rule, through the form --------------------------------------------------------

DEMAIN = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
COLLECTIF = {"type": TypeActivite.COLLECTIF, "nb_participants": "5"}

REGLES = {
    "un participant en individuel": (
        {"nb_participants": "3"},
        "nb_participants",
        "Un accompagnement individuel ou une demande ponctuelle concerne une seule personne.",
    ),
    "un participant en demande ponctuelle": (
        {"type": TypeActivite.PONCTUEL, "nb_participants": "2"},
        "nb_participants",
        "concerne une seule personne",
    ),
    "au moins un participant en atelier": (
        {**COLLECTIF, "nb_participants": "0"},
        "nb_participants",
        "supérieure ou égale à 1",
    ),
    "au plus cent participants": (
        {**COLLECTIF, "nb_participants": "101"},
        "nb_participants",
        "inférieure ou égale à 100",
    ),
    "récurrents parmi les participants": (
        {**COLLECTIF, "nb_participants_recurrents": "6"},
        "nb_participants_recurrents",
        "Il ne peut pas y avoir plus de personnes déjà accompagnées que de participants.",
    ),
    "répartition par âge": (
        {**COLLECTIF, "age_18_24": "2", "age_25_39": "1"},
        "age_moins_12",
        "La répartition par âge totalise 3 au lieu de 5 participant(s)",
    ),
    "répartition par statut": (
        {"statut_en_emploi": "2"},
        "statut_scolarise",
        "La répartition par statut totalise 2 au lieu de 1 participant(s)",
    ),
    "au moins une thématique": (
        {"thematiques": []},
        "thematiques",
        "Choisissez au moins une thématique.",
    ),
    "démarches sans la thématique": (
        {"thematiques_administratives": ["logement"]},
        "thematiques",
        "vont avec la thématique « démarches administratives »",
    ),
    "aucun matériel exclusif": (
        {"materiel": [Materiel.AUCUN, Materiel.TELEPHONE]},
        "materiel",
        "« Aucun matériel » ne se combine pas avec un autre matériel.",
    ),
    "date future": ({"date": DEMAIN}, "date", "La date ne peut pas être dans le futur."),
    "date avant 2020": (
        {"date": "2019-12-31"},
        "date",
        "La date ne peut pas être antérieure au 1er janvier 2020.",
    ),
    "date illisible": ({"date": "hier"}, "date", "Saisissez une date valide"),
    "lieu requis dans un lieu d'activité": (
        {"lieu": ""},
        "lieu",
        "Choisissez le lieu de l'activité.",
    ),
    "lieu requis en itinérance": (
        {"canal": Canal.ITINERANT, "lieu": ""},
        "lieu",
        "Choisissez le lieu de l'activité.",
    ),
    "commune requise dans un autre lieu": (
        {"canal": Canal.AUTRE_LIEU},
        "commune",
        "Choisissez la commune de l'activité.",
    ),
    "commune requise à domicile": (
        {"canal": Canal.DOMICILE},
        "commune",
        "Choisissez la commune de l'activité.",
    ),
    "autonomie seulement en individuel": (
        {"type": TypeActivite.PONCTUEL, "autonomie": "autonome"},
        "autonomie",
        "L'autonomie ne se note que pour un accompagnement individuel.",
    ),
    "titre seulement en atelier": (
        {"titre_atelier": "Atelier"},
        "titre_atelier",
        "Le titre ne se note que pour un atelier collectif.",
    ),
    "niveau seulement en atelier": (
        {"niveau_atelier": "avance"},
        "niveau_atelier",
        "Le niveau ne se note que pour un atelier collectif.",
    ),
    "durée requise": ({"duree": None}, "duree", "Choisissez la durée de l'activité."),
    "autre durée à préciser": (
        {"duree": "autre"},
        "duree_minutes",
        "Indiquez la durée en minutes.",
    ),
    "autre durée au plus une journée": (
        {"duree": "autre", "duree_minutes": "721"},
        "duree_minutes",
        "inférieure ou égale à 720",
    ),
    "une seule durée": (
        {"duree": "30", "duree_minutes": "50"},
        "duree",
        "Choisissez une durée proposée ou « autre durée », pas les deux",
    ),
    "type requis": ({"type": None}, "type", "Ce champ est obligatoire."),
    "type inconnu": ({"type": "visite"}, "type", "Sélectionnez un choix valide."),
    "notes limitées": ({"notes": "x" * 1001}, "notes", "au plus 1000 caractères"),
}


@pytest.mark.parametrize("regle", sorted(REGLES))
def test_chaque_regle_en_francais_et_rien_n_est_ecrit(client_conseiller, lieu, regle):
    changements, champ, message = REGLES[regle]
    reponse = client_conseiller.post(NOUVELLE, donnees(lieu, **changements))
    assert reponse.status_code == 200
    formulaire = reponse.context["formulaire"]
    erreurs = formulaire.errors.get(champ, [])
    assert any(message in e for e in erreurs), formulaire.errors
    assert len(erreurs) == len(set(erreurs)), "message répété"
    assert not Activite.objects.tous().exists()
    contenu = reponse.content.decode()
    assert "L'activité n'a pas été enregistrée" in contenu
    assert f'id="id_{champ}_erreurs"' in contenu
    # what was typed is kept
    if "notes" in changements:
        assert formulaire["notes"].value() == changements["notes"]
    assert formulaire["lieu"].value() == donnees(lieu, **changements).get("lieu")


def test_lieu_hors_des_lieux_du_conseiller(client_conseiller, geographie, lieu):
    ailleurs = LieuFactory(commune=geographie["le_mans"])
    reponse = client_conseiller.post(NOUVELLE, donnees(lieu, lieu=str(ailleurs.pk)))
    assert reponse.context["formulaire"].errors["lieu"] == [
        "Ce lieu ne fait pas partie de vos lieux d'activité."
    ]
    assert not Activite.objects.tous().exists()


def test_commune_hors_du_territoire(client_conseiller, geographie, lieu):
    reponse = client_conseiller.post(
        NOUVELLE,
        donnees(lieu, canal=Canal.AUTRE_LIEU, commune=str(geographie["angers_commune"].pk)),
    )
    assert reponse.context["formulaire"].errors["commune"] == [
        "Cette commune n'est pas dans votre territoire."
    ]
    assert not Activite.objects.tous().exists()


def test_arret_d_un_autre_lieu(client_conseiller, conseiller, geographie, lieu):
    bus = LieuFactory(commune=geographie["le_mans"], itinerance=["itinerant"])
    conseiller.lieux.add(bus)
    arret = ArretFactory(lieu=bus)
    reponse = client_conseiller.post(
        NOUVELLE, donnees(lieu, canal=Canal.ITINERANT, arret=str(arret.pk))
    )
    assert (
        "Cet arrêt n'appartient pas au lieu choisi."
        in reponse.context["formulaire"].errors["arret"]
    )
    assert not Activite.objects.tous().exists()


# -- edit, duplicate, delete, restore, audit trail -------------------------------------


def test_modifier_une_activite(client_conseiller, comptes, conseiller, lieu):
    activite = enregistrer_activite(
        activite=Activite(
            conseiller=conseiller,
            date=_aujourd_hui() - dt.timedelta(days=2),
            duree_minutes=30,
            type=TypeActivite.INDIVIDUEL,
            canal=Canal.LIEU_ACTIVITE,
            lieu=lieu,
            thematiques=[Thematique.EMAIL],
        ),
        user=comptes["conseiller"],
    )
    url = reverse("conseillers:modifier_activite", args=[activite.pk])
    formulaire = client_conseiller.get(url).context["formulaire"]
    assert formulaire["duree"].value() == "30"
    assert formulaire["date"].value() == activite.date

    conseiller.lieux.remove(lieu)  # a site the advisor left stays choosable on their report
    reponse = client_conseiller.post(
        url,
        donnees(
            lieu,
            date=activite.date.isoformat(),
            duree="45",
            thematiques=[Thematique.EMAIL, Thematique.DEMARCHES_ADMINISTRATIVES],
            thematiques_administratives=["logement"],
            autonomie="autonome",
        ),
    )
    assert reponse.status_code == 302
    assert reponse.url == HISTORIQUE
    activite.refresh_from_db()
    assert activite.duree_minutes == 45
    assert Activite.objects.tous().count() == 1

    journal = client_conseiller.get(reverse("conseillers:historique_activite", args=[activite.pk]))
    assert journal.status_code == 200
    versions = journal.context["versions"]
    assert [v["action"] for v in versions] == ["modification", "création"]
    assert versions[0]["auteur"] == comptes["conseiller"]
    changements = {c["champ"]: (c["avant"], c["apres"]) for c in versions[0]["changements"]}
    assert changements["durée (minutes)"] == ("30 min", "45 min")
    assert changements["thématiques"] == (
        "courriels",
        "courriels, démarches administratives, logement",
    )
    assert changements["autonomie de la personne"] == ("—", "autonome")
    assert "date" not in changements
    contenu = journal.content.decode()
    assert "Durée (minutes)" in contenu
    assert "Première version de l'activité." in contenu


def test_modifier_vers_autre_lieu_montre_les_noms(
    client_conseiller, comptes, conseiller, lieu, geographie
):
    activite = enregistrer_activite(
        activite=Activite(
            conseiller=conseiller,
            date=_aujourd_hui(),
            duree_minutes=30,
            type=TypeActivite.INDIVIDUEL,
            canal=Canal.LIEU_ACTIVITE,
            lieu=lieu,
            thematiques=[Thematique.EMAIL],
        ),
        user=comptes["conseiller"],
    )
    client_conseiller.post(
        reverse("conseillers:modifier_activite", args=[activite.pk]),
        donnees(lieu, canal=Canal.AUTRE_LIEU, commune=str(geographie["yvre"].pk)),
    )
    versions = client_conseiller.get(
        reverse("conseillers:historique_activite", args=[activite.pk])
    ).context["versions"]
    changements = {c["champ"]: (c["avant"], c["apres"]) for c in versions[0]["changements"]}
    assert changements["lieu"] == ("Médiathèque Aragon", "—")
    assert changements["commune"] == ("Le Mans", "Yvré-l'Évêque")
    assert changements["lieu de l'activité"] == (
        "dans un de mes lieux d'activité",
        "dans un autre lieu",
    )


def test_modification_invalide_ne_change_rien(client_conseiller, conseiller, lieu):
    activite = _activite(conseiller, canal=Canal.LIEU_ACTIVITE, lieu=lieu)
    reponse = client_conseiller.post(
        reverse("conseillers:modifier_activite", args=[activite.pk]),
        donnees(lieu, duree="60", date=DEMAIN),
    )
    assert reponse.status_code == 200
    activite.refresh_from_db()
    assert activite.duree_minutes == 30
    assert activite.history.count() == 1


def test_dupliquer(client_conseiller, conseiller, lieu):
    source = _activite(
        conseiller,
        date=_aujourd_hui() - dt.timedelta(days=10),
        type=TypeActivite.COLLECTIF,
        canal=Canal.LIEU_ACTIVITE,
        lieu=lieu,
        nb_participants=8,
        nb_participants_recurrents=3,
        duree_minutes=90,
        titre_atelier="Sécurité en ligne",
        thematiques=[Thematique.SECURITE_NUMERIQUE],
        notes="salle du fond",
    )
    url = reverse("conseillers:dupliquer_activite", args=[source.pk])
    formulaire = client_conseiller.get(url).context["formulaire"]
    assert formulaire.initial["date"] == _aujourd_hui()
    assert formulaire["titre_atelier"].value() == "Sécurité en ligne"
    assert formulaire["nb_participants"].value() == 8
    assert formulaire["duree"].value() == "90"
    assert formulaire["thematiques"].value() == [Thematique.SECURITE_NUMERIQUE]
    assert not formulaire["notes"].value()

    reponse = client_conseiller.post(
        url,
        donnees(
            lieu,
            type=TypeActivite.COLLECTIF,
            nb_participants="7",
            nb_participants_recurrents="3",
            titre_atelier="Sécurité en ligne",
            duree="90",
            thematiques=[Thematique.SECURITE_NUMERIQUE],
        ),
    )
    assert reponse.status_code == 302
    copie = Activite.objects.tous().exclude(pk=source.pk).get()
    assert (copie.date, copie.nb_participants, copie.titre_atelier) == (
        _aujourd_hui(),
        7,
        "Sécurité en ligne",
    )
    assert copie.history.get().history_change_reason == f"duplication de l'activité n° {source.pk}"
    source.refresh_from_db()
    assert source.nb_participants == 8


def test_supprimer_puis_restaurer(client_conseiller, comptes, conseiller):
    activite = _activite(conseiller)
    url = reverse("conseillers:supprimer_activite", args=[activite.pk])
    confirmation = client_conseiller.get(url)
    assert confirmation.status_code == 200
    assert "Supprimer l'activité du" in confirmation.content.decode()
    activite.refresh_from_db()
    assert activite.supprime_le is None

    assert client_conseiller.post(url).url == HISTORIQUE
    activite.refresh_from_db()
    assert activite.supprime_le is not None
    assert client_conseiller.get(HISTORIQUE).context["page"].paginator.count == 0
    supprimees = client_conseiller.get(f"{HISTORIQUE}?supprimees=on")
    assert [a.pk for a in supprimees.context["page"]] == [activite.pk]
    assert "Restaurer" in supprimees.content.decode()
    # a deleted report is restored before it is edited
    modifier = client_conseiller.get(reverse("conseillers:modifier_activite", args=[activite.pk]))
    assert modifier.status_code == 302

    restaurer = reverse("conseillers:restaurer_activite", args=[activite.pk])
    assert client_conseiller.get(restaurer).status_code == 405
    assert client_conseiller.post(restaurer).status_code == 302
    activite.refresh_from_db()
    assert activite.supprime_le is None
    assert client_conseiller.get(HISTORIQUE).context["page"].paginator.count == 1

    versions = client_conseiller.get(
        reverse("conseillers:historique_activite", args=[activite.pk])
    ).context["versions"]
    assert [v["action"] for v in versions[:2]] == ["restauration", "suppression"]
    assert versions[1]["auteur"] == comptes["conseiller"]
    assert versions[1]["changements"][0]["champ"] == "supprimée le"


@pytest.mark.parametrize(
    "nom",
    [
        "modifier_activite",
        "dupliquer_activite",
        "supprimer_activite",
        "restaurer_activite",
        "historique_activite",
    ],
)
def test_activite_d_un_autre_conseiller_introuvable(client_conseiller, geographie, nom):
    autre = ConseillerFactory(
        user=UserFactory(territoires=[geographie["metropole"]]), commune=geographie["le_mans"]
    )
    activite = _activite(autre)
    url = reverse(f"conseillers:{nom}", args=[activite.pk])
    assert client_conseiller.get(url).status_code in (404, 405)
    # the audit trail is read-only: it refuses any POST before looking for the report
    attendu = 405 if nom == "historique_activite" else 404
    assert client_conseiller.post(url, donnees(LieuFactory())).status_code == attendu
    activite.refresh_from_db()
    assert activite.supprime_le is None
    assert Activite.objects.tous().count() == 1


def test_staff_sans_profil_conseiller(client_de, comptes):
    assert client_de("staff").get(NOUVELLE).status_code == 403


# -- history -------------------------------------------------------------------------------


def test_historique_filtres_et_totaux(client_conseiller, conseiller, geographie, lieu):
    aujourd_hui = _aujourd_hui()
    individuel = _activite(conseiller, date=aujourd_hui, canal=Canal.LIEU_ACTIVITE, lieu=lieu)
    individuel.commune = lieu.commune
    individuel.save()
    atelier = _activite(
        conseiller,
        date=aujourd_hui - dt.timedelta(days=40),
        type=TypeActivite.COLLECTIF,
        nb_participants=10,
        nb_participants_recurrents=4,
        duree_minutes=120,
        thematiques=[Thematique.SECURITE_NUMERIQUE],
    )
    domicile = _activite(
        conseiller,
        date=aujourd_hui - dt.timedelta(days=3),
        type=TypeActivite.PONCTUEL,
        canal=Canal.DOMICILE,
        commune=geographie["yvre"],
        thematiques=[Thematique.DEMARCHES_ADMINISTRATIVES, Thematique.LOGEMENT],
    )
    supprimee = _activite(conseiller, date=aujourd_hui)
    supprimer_activite(activite=supprimee)
    ActiviteFactory(date=aujourd_hui)  # another advisor's

    def liste(requete=""):
        reponse = client_conseiller.get(f"{HISTORIQUE}?{requete}")
        assert reponse.status_code == 200
        return [a.pk for a in reponse.context["page"]], reponse.context["chiffres"]

    pks, chiffres = liste()
    assert pks == [individuel.pk, domicile.pk, atelier.pk]  # newest first
    assert chiffres["activites"] == 3
    assert chiffres["accompagnements"] == 12
    assert chiffres["personnes_accompagnees"] == 8
    assert chiffres["duree_minutes"] == 180
    debut = (aujourd_hui - dt.timedelta(days=7)).isoformat()
    assert liste(f"du={debut}")[0] == [individuel.pk, domicile.pk]
    assert liste(f"au={debut}")[0] == [atelier.pk]
    pks, chiffres = liste("type=collectif")
    assert pks == [atelier.pk]
    assert chiffres["participants_ateliers"] == 10
    assert liste("thematique=logement")[0] == [domicile.pk]
    assert liste("canal=domicile")[0] == [domicile.pk]
    assert liste(f"commune={geographie['yvre'].pk}")[0] == [domicile.pk]
    assert liste(f"commune={geographie['le_mans'].pk}&type=individuel")[0] == [individuel.pk]
    assert liste("supprimees=on")[0] == [supprimee.pk]
    # a wrong filter is reported and ignored
    reponse = client_conseiller.get(f"{HISTORIQUE}?type=visite&du=hier")
    assert "Saisissez une date valide." in reponse.content.decode()
    assert reponse.context["page"].paginator.count == 3
    contenu = client_conseiller.get(HISTORIQUE).content.decode()
    assert "3 h" in contenu  # total time
    assert "prévention en sécurité numérique" in contenu


def test_historique_nombre_de_requetes_constant(
    client_conseiller, conseiller, lieu, django_assert_num_queries
):
    def compter():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as requetes:
            assert client_conseiller.get(HISTORIQUE).status_code == 200
        return len(requetes)

    _activite(conseiller, canal=Canal.LIEU_ACTIVITE, lieu=lieu)
    compter()  # warm the session
    peu = compter()
    bus = LieuFactory(commune=lieu.commune, itinerance=["itinerant"])
    for rang in range(60):
        _activite(
            conseiller,
            canal=Canal.ITINERANT if rang % 2 else Canal.LIEU_ACTIVITE,
            lieu=bus if rang % 2 else lieu,
            arret=ArretFactory(lieu=bus) if rang % 2 else None,
            commune=lieu.commune,
        )
    # session, user, profile, communes of the filter and their count (a typed commune above
    # SEUIL_AUTOCOMPLETION), count, page, figures, followed people
    with django_assert_num_queries(peu):
        reponse = client_conseiller.get(HISTORIQUE)
    assert len(reponse.context["page"]) == 50
    assert peu <= 10
    deuxieme = client_conseiller.get(f"{HISTORIQUE}?page=2")
    assert len(deuxieme.context["page"]) == 11


def test_durees_frequentes_puis_croissantes_et_thematiques_obligatoires(
    client_conseiller, conseiller
):
    """The three most used durations first, then the others ascending, and the form says
    so; « Thématiques », required, is marked as such."""
    for duree, nombre in ((45, 5), (30, 4), (60, 3), (15, 2), (120, 1)):
        for _ in range(nombre):
            _activite(conseiller, duree_minutes=duree)
    assert durees_ordonnees(conseiller) == [45, 30, 60, 15, 90, 120]
    contenu = client_conseiller.get(NOUVELLE).content.decode()
    assert "Vos durées les plus fréquentes d&#x27;abord" in contenu or (
        "Vos durées les plus fréquentes d'abord" in contenu
    )
    debut = contenu.index('id="groupe-thematiques"')
    legende = contenu[debut : contenu.index("</legend>", debut)]
    assert "(obligatoire)" in legende
