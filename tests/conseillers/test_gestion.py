"""Coordination back-office of advisors and assignments: lists, skills map, forms, scope."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conseillers.enums import Jour, Programme, Thematique, TypeActivite
from conseillers.models import Activite, Conseiller, MiseADisposition
from tests.conseillers.factories import (
    ActiviteFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db

AUJOURD_HUI = timezone.localdate()
LISTE = reverse("conseillers:gestion_conseillers")
COMPETENCES = reverse("conseillers:competences_conseillers")
MISES = reverse("conseillers:mises_a_disposition")


@pytest.fixture
def equipe(geographie):
    """Three advisors of Le Mans Métropole and one of Angers."""
    structure = StructureFactory(nom="Ville du Mans", commune=geographie["le_mans"])
    lieu = LieuFactory(nom="Médiathèque Aragon", commune=geographie["le_mans"], structure=structure)
    alice = ConseillerFactory(
        email="alice.durand@exemple.test",
        prenom="Alice",
        nom="Durand",
        commune=geographie["le_mans"],
        structure=structure,
        lieux=[lieu],
        competences=[Thematique.INTELLIGENCE_ARTIFICIELLE, Thematique.EMAIL],
        programme=Programme.CONSEILLER_NUMERIQUE,
        date_debut_contrat=dt.date(2024, 9, 1),
    )
    bruno = ConseillerFactory(
        email="bruno.petit@exemple.test",
        prenom="Bruno",
        nom="Petit",
        commune=geographie["yvre"],
        thematiques_favorites=[Thematique.INTELLIGENCE_ARTIFICIELLE],
    )
    chloe = ConseillerFactory(
        email="chloe.roux@exemple.test",
        prenom="Chloé",
        nom="Roux",
        commune=geographie["le_mans"],
        competences=[Thematique.INTELLIGENCE_ARTIFICIELLE],
        date_fin_contrat=AUJOURD_HUI - dt.timedelta(days=10),  # no longer under contract
    )
    angevin = ConseillerFactory(
        email="angevin@exemple.test",
        prenom="Armand",
        nom="Angevin",
        commune=geographie["angers_commune"],
        competences=[Thematique.INTELLIGENCE_ARTIFICIELLE],
    )
    ActiviteFactory(conseiller=alice, date=AUJOURD_HUI - dt.timedelta(days=2))
    ActiviteFactory(conseiller=bruno, date=AUJOURD_HUI - dt.timedelta(days=40))
    return {
        "structure": structure,
        "lieu": lieu,
        "alice": alice,
        "bruno": bruno,
        "chloe": chloe,
        "angevin": angevin,
    }


def _noms(reponse) -> list[str]:
    return [str(c) for c in reponse.context["page"]]


# -- the list ---------------------------------------------------------------------------


def test_liste_du_territoire_et_compteur_sans_activite(client_de, equipe):
    reponse = client_de("coordinateur").get(LISTE)
    assert reponse.status_code == 200
    assert _noms(reponse) == ["Alice Durand", "Bruno Petit", "Chloé Roux"]
    # Bruno (40 days ago); Chloé never reported but her contract has ended
    assert reponse.context["sans_activite"] == 1
    contenu = reponse.content.decode()
    assert "1</strong> conseiller sans activité depuis 30 jours" in contenu
    assert "Angevin" not in contenu
    autre = client_de("coordinateur_autre_territoire").get(LISTE)
    assert _noms(autre) == ["Armand Angevin"]


@pytest.mark.parametrize(
    ("parametres", "attendus"),
    [
        ({"q": "durand"}, ["Alice Durand"]),
        ({"q": "bruno.petit@"}, ["Bruno Petit"]),
        ({"q": "chloé roux"}, ["Chloé Roux"]),
        (
            {"thematique": "intelligence_artificielle"},
            ["Alice Durand", "Bruno Petit", "Chloé Roux"],
        ),
        ({"thematique": "email"}, ["Alice Durand"]),
        ({"commune": "72386"}, ["Bruno Petit"]),
        ({"programme": "conseiller_numerique"}, ["Alice Durand"]),
        ({"sous_contrat": "on"}, ["Alice Durand", "Bruno Petit"]),
        ({"sans_activite": "on"}, ["Bruno Petit", "Chloé Roux"]),
        ({"sans_activite": "on", "sous_contrat": "on"}, ["Bruno Petit"]),
    ],
)
def test_filtres_de_la_liste(client_de, equipe, parametres, attendus):
    assert _noms(client_de("coordinateur").get(LISTE, parametres)) == attendus


def test_filtre_invalide_en_francais(client_de, equipe):
    reponse = client_de("coordinateur").get(LISTE, {"commune": "49007", "programme": "x"})
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Choisissez une commune de la liste." in contenu
    assert "Choisissez un dispositif de la liste." in contenu


def test_derniere_activite_affichee(client_de, equipe):
    reponse = client_de("coordinateur").get(LISTE)
    par_nom = {str(c): c for c in reponse.context["page"]}
    assert par_nom["Alice Durand"].derniere_activite == AUJOURD_HUI - dt.timedelta(days=2)
    assert par_nom["Chloé Roux"].derniere_activite is None


@pytest.mark.parametrize("nombre", [1, 20])
def test_liste_nombre_de_requetes_constant(
    client_de, equipe, geographie, django_assert_num_queries, nombre
):
    for conseiller in ConseillerFactory.create_batch(nombre, commune=geographie["le_mans"]):
        ActiviteFactory(conseiller=conseiller)
    client = client_de("coordinateur")
    client.get(LISTE)
    # session, user, perimeter, the filter's communes and their number (a <select> or a
    # typed choice), count, page, count without activity
    with django_assert_num_queries(8):
        assert client.get(LISTE, {"sous_contrat": "on"}).status_code == 200


# -- the skills map ---------------------------------------------------------------------


def test_carte_des_competences(client_de, equipe):
    reponse = client_de("coordinateur").get(COMPETENCES)
    assert reponse.status_code == 200
    lignes = {
        ligne["thematique"].value: ligne["conseillers"] for ligne in reponse.context["lignes"]
    }
    assert len(lignes) == len(Thematique)
    # Chloé is no longer under contract, Armand works in Angers
    assert [(str(c), favorite) for c, favorite in lignes["intelligence_artificielle"]] == [
        ("Alice Durand", False),
        ("Bruno Petit", True),
    ]
    assert [str(c) for c, _ in lignes["email"]] == ["Alice Durand"]
    assert lignes["logement"] == []
    contenu = reponse.content.decode()
    assert "Intelligence artificielle" in contenu
    assert "(thématique favorite)" in contenu


@pytest.mark.parametrize(
    ("q", "codes"),
    [
        ("intelligence", ["intelligence_artificielle"]),
        ("INTELLIGENCE_ARTIFICIELLE", ["intelligence_artificielle"]),
        ("démarches", ["demarches_administratives"]),
        ("sante", ["sante", "social_sante"]),
        ("astrologie", []),
    ],
)
def test_recherche_d_une_thematique(client_de, equipe, q, codes):
    reponse = client_de("coordinateur").get(COMPETENCES, {"q": q})
    assert [ligne["thematique"].value for ligne in reponse.context["lignes"]] == codes
    if not codes:
        assert "Aucune thématique ne correspond à « astrologie »." in reponse.content.decode()


def test_carte_nombre_de_requetes(client_de, equipe, django_assert_num_queries):
    client = client_de("coordinateur")
    client.get(COMPETENCES)
    with django_assert_num_queries(4):  # session, user, perimeter, advisors
        client.get(COMPETENCES)


# -- one advisor ------------------------------------------------------------------------


def test_fiche_d_un_conseiller(client_de, equipe, geographie):
    alice = equipe["alice"]
    MiseADispositionFactory(
        structure__commune=geographie["yvre"], convention="Convention CCAS", conseillers=[alice]
    )
    MiseADispositionFactory(
        structure__commune=geographie["le_mans"],
        convention="Convention terminée",
        date_debut=dt.date(2024, 1, 1),
        date_fin=dt.date(2024, 12, 31),
        conseillers=[alice],
    )
    ActiviteFactory(
        conseiller=alice,
        date=AUJOURD_HUI,
        type=TypeActivite.COLLECTIF,
        nb_participants=7,
        duree_minutes=90,
    )
    ActiviteFactory(conseiller=alice, date=AUJOURD_HUI - dt.timedelta(days=45))
    reponse = client_de("coordinateur").get(reverse("conseillers:conseiller", args=[alice.pk]))
    assert reponse.status_code == 200
    contexte = reponse.context
    assert [m.convention for m in contexte["mises_en_cours"]] == ["Convention CCAS"]
    assert [m.convention for m in contexte["mises_passees"]] == ["Convention terminée"]
    assert contexte["recentes"].paginator.count == 2
    assert contexte["derniere_activite"] == AUJOURD_HUI
    debut_du_mois = AUJOURD_HUI.replace(day=1)
    attendues = 1 + (AUJOURD_HUI - dt.timedelta(days=2) >= debut_du_mois)
    assert contexte["chiffres_du_mois"]["activites"] == attendues
    assert contexte["chiffres_du_mois"]["ateliers"] == 1
    contenu = reponse.content.decode()
    assert "Médiathèque Aragon" in contenu
    assert "intelligence artificielle, courriels" in contenu or "courriels, intelligence" in contenu
    assert f"Dernière activité enregistrée le {AUJOURD_HUI.day}" in contenu


def test_fiche_pagine_les_activites_et_ecrit_les_durees(client_de, equipe):
    alice = equipe["alice"]
    Activite.objects.tous().filter(conseiller=alice).delete()
    for i in range(23):
        ActiviteFactory(
            conseiller=alice, date=AUJOURD_HUI - dt.timedelta(days=i % 20), duree_minutes=45
        )
    ActiviteFactory(conseiller=alice, date=AUJOURD_HUI, duree_minutes=90)
    url = reverse("conseillers:conseiller", args=[alice.pk])
    client = client_de("coordinateur")
    premiere = client.get(url)
    recentes = premiere.context["recentes"]
    assert recentes.paginator.count == 24 and len(recentes.object_list) == 20
    contenu = premiere.content.decode()
    assert "Activités des 30 derniers jours (24)" in contenu and "Page 1 sur 2" in contenu
    assert 'aria-label="Pages des activités récentes"' in contenu
    assert "1\u00a0h\u00a030</td>" in contenu and "45\u00a0min</td>" in contenu
    assert " minutes<" not in contenu
    seconde = client.get(url, {"page": 2})
    assert len(seconde.context["recentes"].object_list) == 4
    vues = {a.pk for a in recentes.object_list} | {
        a.pk for a in seconde.context["recentes"].object_list
    }
    assert len(vues) == 24


def test_fiche_d_un_autre_territoire_404(client_de, equipe):
    client = client_de("coordinateur_autre_territoire")
    for nom in ("conseiller", "modifier_conseiller"):
        assert (
            client.get(reverse(f"conseillers:{nom}", args=[equipe["alice"].pk])).status_code == 404
        )
    reponse = client.post(
        reverse("conseillers:modifier_conseiller", args=[equipe["alice"].pk]), {"nom": "X"}
    )
    assert reponse.status_code == 404
    assert Conseiller.objects.tous().get(pk=equipe["alice"].pk).nom == "Durand"


# -- the advisor's form -----------------------------------------------------------------


def _profil(geographie, **autres) -> dict:
    donnees = {
        "email": "Nouvelle.Conseillere@Exemple.test",
        "prenom": "Nadia",
        "nom": "Benali",
        "commune": "72181",
        "competences": ["intelligence_artificielle", "securite_numerique"],
        "thematiques_favorites": ["email"],
        "date_debut_contrat": "2025-09-01",
        "date_fin_contrat": "2027-08-31",
        "programme": "collectivite",
        "ligne_financement": "DGE 2025",
    }
    donnees.update(autres)
    return donnees


def test_creer_un_conseiller_relie_son_compte(client_de, comptes, equipe, geographie):
    compte = comptes["conseiller"]
    reponse = client_de("coordinateur").post(
        reverse("conseillers:creer_conseiller"),
        _profil(
            geographie,
            email=compte.email.upper(),
            structure=equipe["structure"].pk,
            lieux=[equipe["lieu"].pk],
        ),
    )
    fiche = Conseiller.objects.tous().get(email=compte.email.lower())
    assert reponse.status_code == 302
    assert reponse.url == reverse("conseillers:conseiller", args=[fiche.pk])
    assert fiche.user == compte
    assert fiche.competences == ["securite_numerique", "intelligence_artificielle"]
    assert list(fiche.lieux.all()) == [equipe["lieu"]]
    assert fiche.date_fin_contrat == dt.date(2027, 8, 31)
    suivie = client_de("coordinateur").get(reponse.url)
    assert "Son compte de connexion y est relié." in suivie.content.decode()


def test_un_profil_cree_ailleurs_ne_capture_pas_le_compte(client, client_de, comptes, geographie):
    """Capture: Angers' coordinator creates a profile with the e-mail of a Le Mans advisor's
    account; when that account opens its space, it is not attached to Angers' profile, and
    its reports never belong to Angers."""
    from conseillers.models import Activite

    compte = comptes["conseiller"]
    client_de("coordinateur_autre_territoire").post(
        reverse("conseillers:creer_conseiller"),
        {
            **_profil(geographie, email=compte.email),
            "commune": "49007",
            "structure": "",
            "lieux": [],
        },
    )
    capteur = Conseiller.objects.tous().get(email=compte.email)
    assert capteur.commune_id == "49007" and capteur.user is None
    client.force_login(compte)
    reponse = client.get(reverse("conseillers:nouvelle_activite"))
    assert reponse.status_code == 403
    capteur.refresh_from_db()
    assert capteur.user is None
    assert not Activite.objects.tous().exists()


def test_l_adresse_d_un_conseiller_d_un_autre_territoire_n_est_pas_devoilee(client_de, geographie):
    """Le Mans' coordinator types the address of an Angers advisor: refused (one profile
    per address) without the advisor's name, structure or territory."""
    angevin = ConseillerFactory(
        email="angevin@exemple.test", prenom="Ange", nom="Vin", commune=geographie["angers_commune"]
    )
    reponse = client_de("coordinateur").post(
        reverse("conseillers:creer_conseiller"), _profil(geographie, email=angevin.email)
    )
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert "un profil de conseiller que vous ne gérez pas" in contenu
    assert "Ange" not in contenu and "Vin" not in contenu and "Angers" not in contenu


def test_compte_d_un_autre_territoire_non_relie(client_de, comptes, geographie):
    from comptes.enums import Role
    from tests.comptes.factories import UserFactory

    angevine = UserFactory(role=Role.CONSEILLER, territoires=[geographie["angers"]])
    client_de("coordinateur").post(
        reverse("conseillers:creer_conseiller"), _profil(geographie, email=angevine.email)
    )
    assert Conseiller.objects.tous().get(email=angevine.email).user is None


@pytest.mark.parametrize(
    ("modifications", "champ", "message"),
    [
        (
            {"date_debut_contrat": "2026-09-01", "date_fin_contrat": "2026-08-31"},
            "date_fin_contrat",
            "La fin du contrat (31/08/2026) précède son début (01/09/2026).",
        ),
        (
            {"email": "ALICE.durand@exemple.test"},
            "email",
            "Un conseiller a déjà cette adresse électronique.",
        ),
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse électronique valide"),
        ({"commune": "49007"}, "commune", "Choisissez une commune de votre territoire."),
        ({"commune": ""}, "commune", "Choisissez la commune de rattachement du conseiller."),
        ({"competences": ["astrologie"]}, "competences", "Choisissez des thématiques de la liste."),
        ({"date_debut_contrat": "32/13/2025"}, "date_debut_contrat", "Saisissez une date valide"),
    ],
)
def test_erreurs_du_profil_en_francais(
    client_de, equipe, geographie, modifications, champ, message
):
    avant = Conseiller.objects.tous().count()
    reponse = client_de("coordinateur").post(
        reverse("conseillers:creer_conseiller"), _profil(geographie, **modifications)
    )
    assert reponse.status_code == 200
    erreurs = reponse.context["formulaire"].errors[champ]
    assert any(message in e for e in erreurs), erreurs
    assert "Le profil n'a pas été enregistré" in reponse.content.decode()
    assert Conseiller.objects.tous().count() == avant


def test_structure_et_lieux_d_un_autre_territoire_refuses(client_de, equipe, geographie):
    ailleurs = LieuFactory(commune=geographie["angers_commune"])
    reponse = client_de("coordinateur").post(
        reverse("conseillers:creer_conseiller"),
        _profil(geographie, structure=ailleurs.structure.pk, lieux=[ailleurs.pk]),
    )
    erreurs = reponse.context["formulaire"].errors
    assert erreurs["structure"] == ["Choisissez une structure de votre territoire."]
    assert erreurs["lieux"] == ["Choisissez des lieux de votre territoire."]


def test_modifier_un_conseiller(client_de, equipe, geographie):
    bruno = equipe["bruno"]
    reponse = client_de("coordinateur").post(
        reverse("conseillers:modifier_conseiller", args=[bruno.pk]),
        _profil(geographie, email=bruno.email, prenom="Bruno", nom="Petit-Martin"),
    )
    assert reponse.status_code == 302
    bruno.refresh_from_db()
    assert bruno.nom == "Petit-Martin"
    assert bruno.commune_id == "72181"
    assert bruno.ligne_financement == "DGE 2025"
    formulaire = client_de("coordinateur").get(
        reverse("conseillers:modifier_conseiller", args=[bruno.pk])
    )
    assert 'value="2025-09-01"' in formulaire.content.decode()


# -- assignments ------------------------------------------------------------------------


def _mise(equipe, **autres) -> dict:
    donnees = {
        "structure": equipe["structure"].pk,
        "lieu": equipe["lieu"].pk,
        "conseillers": [equipe["alice"].pk, equipe["bruno"].pk],
        "convention": "Convention 2026-014",
        "convention_signee_le": "2025-12-15",
        "date_debut": "2026-01-05",
        "date_fin": "2026-06-30",
        "jours": ["ma", "je"],
        "heure_debut": "14:00",
        "heure_fin": "17:30",
        "type_intervention": "permanence",
        "commentaire": "Accueil au premier étage.",
    }
    donnees.update(autres)
    return donnees


def test_creer_puis_modifier_une_mise_a_disposition(client_de, comptes, equipe):
    client = client_de("coordinateur")
    reponse = client.post(reverse("conseillers:creer_mise_a_disposition"), _mise(equipe))
    assert reponse.status_code == 302
    mise = MiseADisposition.objects.tous().get()
    assert mise.jours == [Jour.MARDI, Jour.JEUDI]
    assert set(mise.conseillers.all()) == {equipe["alice"], equipe["bruno"]}
    assert mise.heure_fin == dt.time(17, 30)

    modifier = reverse("conseillers:modifier_mise_a_disposition", args=[mise.pk])
    reponse = client.post(modifier, _mise(equipe, jours=["lu"], heure_fin="18:00"))
    assert reponse.status_code == 302
    mise.refresh_from_db()
    assert mise.jours == [Jour.LUNDI]

    page = client.get(modifier)
    historique = page.context["historique"]
    assert [ligne["operation"] for ligne in historique] == ["modification", "création"]
    assert historique[0]["enregistrement"].history_user == comptes["coordinateur"]
    assert set(historique[0]["champs"]) == {"jours de présence", "heure de départ"}
    assert "Historique des modifications" in page.content.decode()


@pytest.mark.parametrize(
    ("modifications", "champ", "message"),
    [
        ({"jours": []}, "jours", "Cochez au moins un jour de présence."),
        (
            {"date_debut": "2026-06-01", "date_fin": "2026-05-31"},
            "date_fin",
            "La fin de la mise à disposition précède son début.",
        ),
        ({"heure_fin": "13:00"}, "heure_fin", "L'heure de départ doit suivre l'heure d'arrivée."),
        ({"convention": ""}, "convention", "Indiquez la référence ou l'intitulé de la convention."),
        ({"conseillers": []}, "conseillers", "Choisissez au moins un conseiller."),
        ({"heure_debut": "25:00"}, "heure_debut", "Saisissez une heure au format HH:MM."),
    ],
)
def test_erreurs_de_mise_a_disposition(client_de, equipe, modifications, champ, message):
    reponse = client_de("coordinateur").post(
        reverse("conseillers:creer_mise_a_disposition"), _mise(equipe, **modifications)
    )
    assert reponse.status_code == 200
    assert reponse.context["formulaire"].errors[champ] == [message]
    assert not MiseADisposition.objects.tous().exists()


def test_le_lieu_appartient_a_la_structure(client_de, equipe, geographie):
    autre_lieu = LieuFactory(commune=geographie["le_mans"], nom="Maison de quartier")
    reponse = client_de("coordinateur").post(
        reverse("conseillers:creer_mise_a_disposition"), _mise(equipe, lieu=autre_lieu.pk)
    )
    assert reponse.context["formulaire"].errors["lieu"] == [
        "Ce lieu n'appartient pas à la structure d'accueil."
    ]


def test_conseiller_d_un_autre_territoire_refuse(client_de, equipe):
    reponse = client_de("coordinateur").post(
        reverse("conseillers:creer_mise_a_disposition"),
        _mise(equipe, conseillers=[equipe["angevin"].pk]),
    )
    assert reponse.context["formulaire"].errors["conseillers"] == [
        "Choisissez des conseillers de votre territoire."
    ]


def test_liste_des_mises_a_disposition(client_de, equipe, geographie, django_assert_num_queries):
    MiseADispositionFactory(
        structure=equipe["structure"],
        lieu=equipe["lieu"],
        convention="Convention en cours",
        conseillers=[equipe["alice"]],
    )
    MiseADispositionFactory(
        structure__commune=geographie["yvre"],
        convention="Convention passée",
        date_debut=dt.date(2024, 1, 1),
        date_fin=dt.date(2024, 6, 30),
        conseillers=[equipe["bruno"]],
    )
    etrangere = MiseADispositionFactory(
        structure__commune=geographie["angers_commune"], convention="Convention angevine"
    )
    client = client_de("coordinateur")
    client.get(MISES)
    with django_assert_num_queries(5):  # session, user, perimeter, assignments, advisors
        reponse = client.get(MISES)
    assert [m.convention for m in reponse.context["en_cours"]] == ["Convention en cours"]
    assert [m.convention for m in reponse.context["passees"]] == ["Convention passée"]
    contenu = reponse.content.decode()
    assert "Convention angevine" not in contenu
    assert "mardi, jeudi, de 14\u00a0h à 17\u00a0h" in contenu
    assert "Alice Durand" in contenu
    modifier = reverse("conseillers:modifier_mise_a_disposition", args=[etrangere.pk])
    assert client.get(modifier).status_code == 404
    assert client.post(modifier, _mise(equipe)).status_code == 404


def test_espace_coordination_mene_a_la_gestion(client_de, equipe):
    contenu = client_de("coordinateur").get(reverse("comptes:espace_coordination")).content.decode()
    assert LISTE in contenu
    assert f"{LISTE}?sans_activite=on&amp;sous_contrat=on" in contenu
    assert (
        "Conseiller sous contrat sans activité depuis 30\u00a0jours"
        '<span class="visually-hidden">&nbsp;: 1</span></a>'
    ) in contenu
    assert COMPETENCES in contenu
    assert MISES in contenu


def test_commune_et_structure_saisies_au_dela_du_seuil(client_de, equipe, geographie, settings):
    settings.SEUIL_AUTOCOMPLETION = 0
    client = client_de("coordinateur")
    for url in (
        reverse("conseillers:creer_conseiller"),
        reverse("conseillers:creer_mise_a_disposition"),
        reverse("conseillers:gestion_conseillers"),
    ):
        assert "data-autocompletion" in client.get(url).content.decode(), url
    structure = equipe["structure"]
    reponse = client.post(
        reverse("conseillers:creer_conseiller"),
        _profil(
            geographie,
            commune="Yvré-l'Évêque (72386)",
            structure=f"{structure.nom}, {structure.commune.nom} (n°\u00a0{structure.pk})",
        ),
    )
    assert reponse.status_code == 302
    nadia = Conseiller.objects.tous().get(prenom="Nadia")
    assert nadia.commune == geographie["yvre"] and nadia.structure == structure
    erreur = client.post(
        reverse("conseillers:creer_conseiller"), _profil(geographie, commune="Angers")
    )
    assert "Aucun choix possible ne correspond à «\u202fAngers\u202f»" in erreur.content.decode()
    filtre = client.get(reverse("conseillers:gestion_conseillers"), {"commune": "le mans"})
    assert filtre.context["recherche"].cleaned_data["commune"] == geographie["le_mans"]
