"""Back-office of the sites: access, list, form checks, per-day hours editor, stops."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from comptes.models import User
from structures.forms.gestion import plages_hebdomadaires
from structures.models import Arret, Creneau, Lieu
from tests.structures.factories import ArretFactory, LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db

SIRET_VALIDE = "43493312300029"


def lieu_le_mans_du_referent(geo) -> Lieu:
    """A Le Mans site whose structure has the ``referent`` account as referent."""
    referent = User.objects.get(role="referent")
    structure = StructureFactory(commune=geo["le_mans"], referents=[referent])
    return LieuFactory(commune=geo["le_mans"], structure=structure)


def _jours_vides() -> dict:
    return {
        "horaires-TOTAL_FORMS": "7",
        "horaires-INITIAL_FORMS": "0",
        "horaires-MIN_NUM_FORMS": "7",
        "horaires-MAX_NUM_FORMS": "7",
    }


def donnees(
    lieu: Lieu | None = None, *, structure_choisie=None, commune_choisie=None, **changements
):
    """A complete, valid POST for the site form; ``changements`` override fields."""
    data = {
        "structure": str(structure_choisie.pk if structure_choisie else lieu.structure_id),
        "nom": lieu.nom if lieu else "Médiathèque Louis-Aragon",
        "adresse": lieu.adresse if lieu else "54 rue du Port",
        "complement_adresse": "",
        "code_postal": lieu.code_postal if lieu else "72000",
        "commune": str(commune_choisie.pk if commune_choisie else lieu.commune_id),
        "zone": "",
        "latitude": "48.0061",
        "longitude": "0.1996",
        "telephone": "",
        "courriels": "",
        "site_web": "",
        "prise_rdv": "",
        "fiche_acces_libre": "",
        "horaires": "",
        "saisie_horaires": "par_jour",
        "presentation_resume": "",
        "presentation_detail": "",
        "structure_parente": "",
        "typologies": ["BIB"],
        "itinerance": ["fixe"],
        "services": ["demarches"],
        "frais": ["gratuit"],
        "modalites_acces": ["se_presenter"],
        "autres_formations_labels": "",
        "mediateur_present": "on",
        **_jours_vides(),
        "arrets-TOTAL_FORMS": "0",
        "arrets-INITIAL_FORMS": "0",
        "arrets-MIN_NUM_FORMS": "0",
        "arrets-MAX_NUM_FORMS": "50",
    }
    if lieu is not None:
        existants = list(lieu.arrets.order_by("pk"))
        data["arrets-TOTAL_FORMS"] = data["arrets-INITIAL_FORMS"] = str(len(existants))
        for rang, arret in enumerate(existants):
            data.update(
                {
                    f"arrets-{rang}-id": str(arret.pk),
                    f"arrets-{rang}-lieu": str(lieu.pk),
                    f"arrets-{rang}-nom": arret.nom,
                    f"arrets-{rang}-adresse": arret.adresse,
                    f"arrets-{rang}-commune": arret.commune_id,
                    f"arrets-{rang}-latitude": "" if arret.latitude is None else arret.latitude,
                    f"arrets-{rang}-longitude": "" if arret.longitude is None else arret.longitude,
                    f"arrets-{rang}-horaires": arret.horaires,
                }
            )
    data.update(changements)
    return {cle: valeur for cle, valeur in data.items() if valeur is not None}


def _erreurs(reponse) -> str:
    """Every error message of the page's forms, as one plain-text string."""
    contexte = reponse.context
    formulaires = [contexte["formulaire"], *contexte["editeur"].forms, *contexte["arrets"].forms]
    morceaux = [m for f in formulaires for erreurs in f.errors.values() for m in erreurs]
    morceaux += list(contexte["arrets"].non_form_errors())
    return " ".join(morceaux)


@pytest.fixture
def structure_le_mans(geographie):
    return StructureFactory(commune=geographie["le_mans"], pivot=SIRET_VALIDE)


@pytest.fixture
def lieu_le_mans(geographie, structure_le_mans):
    return LieuFactory(
        commune=geographie["le_mans"], structure=structure_le_mans, nom="Espace Bellevue"
    )


# -- access ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["conseiller", "elu"])
@pytest.mark.parametrize("nom", ["gestion_lieux", "creer_lieu"])
def test_conseiller_et_elu_refuses(client_de, role, nom):
    reponse = client_de(role).get(reverse(f"structures:{nom}"))
    assert reponse.status_code == 403
    assert "Vous n'avez pas accès à cette page." in reponse.content.decode()


@pytest.mark.parametrize("role", ["conseiller", "elu"])
def test_conseiller_et_elu_ne_modifient_pas(client_de, lieu_le_mans, role):
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    assert client_de(role).get(url).status_code == 403
    assert client_de(role).post(url, donnees(lieu_le_mans, nom="Piraté")).status_code == 403
    lieu_le_mans.refresh_from_db()
    assert lieu_le_mans.nom == "Espace Bellevue"


def test_anonyme_renvoye_vers_la_connexion(client, lieu_le_mans):
    reponse = client.get(reverse("structures:modifier_lieu", args=[lieu_le_mans.pk]))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("comptes:connexion"))


def test_referent_ne_modifie_pas_le_lieu_d_une_autre_structure(client_de, comptes, lieu_le_mans):
    client = client_de("referent")
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, donnees(lieu_le_mans, nom="Piraté")).status_code == 404
    lieu_le_mans.structure.referents.add(comptes["referent"])
    assert client.get(url).status_code == 200


def test_coordinateur_d_angers_ne_voit_pas_un_lieu_du_mans(client_de, lieu_le_mans):
    client = client_de("coordinateur_autre_territoire")
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, donnees(lieu_le_mans, nom="Piraté")).status_code == 404
    lieu_le_mans.refresh_from_db()
    assert lieu_le_mans.nom == "Espace Bellevue"


def test_referent_ne_peut_rattacher_qu_a_ses_structures(
    client_de, comptes, geographie, lieu_le_mans
):
    lieu_le_mans.structure.referents.add(comptes["referent"])
    autre = StructureFactory(commune=geographie["le_mans"], pivot=SIRET_VALIDE)
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    reponse = client_de("referent").post(url, donnees(lieu_le_mans, structure_choisie=autre))
    assert reponse.status_code == 200
    assert "Choisissez une structure que vous pouvez gérer." in _erreurs(reponse)
    lieu_le_mans.refresh_from_db()
    assert lieu_le_mans.structure_id != autre.pk


def test_coordinateur_ne_place_pas_un_lieu_hors_de_son_territoire(
    client_de, geographie, structure_le_mans
):
    reponse = client_de("coordinateur").post(
        reverse("structures:creer_lieu"),
        donnees(structure_choisie=structure_le_mans, commune_choisie=geographie["angers_commune"]),
    )
    assert "Choisissez une commune de votre territoire." in _erreurs(reponse)
    assert not Lieu.objects.tous().exists()


# -- list ------------------------------------------------------------------------------


def test_liste_du_coordinateur_et_du_referent(client_de, comptes, geographie, lieu_le_mans):
    a_yvre = LieuFactory(commune=geographie["yvre"], nom="Mairie Yvré")
    a_angers = LieuFactory(commune=geographie["angers_commune"], nom="Maison Angers")
    du_referent = lieu_le_mans_du_referent(geographie)

    contenu = client_de("coordinateur").get(reverse("structures:gestion_lieux")).content.decode()
    for lieu in (lieu_le_mans, a_yvre, du_referent):
        assert lieu.nom in contenu
        assert reverse("structures:modifier_lieu", args=[lieu.pk]) in contenu
    assert a_angers.nom not in contenu
    assert "3 lieux" in contenu
    assert "guide.pdf?epci=247200132" in contenu

    client = client_de("referent")
    reponse = client.get(reverse("structures:gestion_lieux"))
    assert [lieu.pk for lieu in reponse.context["page"]] == [du_referent.pk]
    assert "guide.pdf?commune=72181" in reponse.content.decode()


def test_liste_recherche_filtre_et_pagination(client_de, geographie):
    for rang in range(30):
        LieuFactory(commune=geographie["le_mans"], nom=f"Point numérique {rang:02d}")
    LieuFactory(commune=geographie["yvre"], nom="Médiathèque d'Yvré")
    client = client_de("coordinateur")
    url = reverse("structures:gestion_lieux")

    reponse = client.get(url)
    assert reponse.context["page"].paginator.count == 31
    assert len(reponse.context["page"]) == 25
    assert "page 1 sur 2" in reponse.content.decode()
    suivante = client.get(url, {"page": 2})
    assert len(suivante.context["page"]) == 6

    reponse = client.get(url, {"q": "mediatheque"})
    assert [lieu.nom for lieu in reponse.context["page"]] == ["Médiathèque d'Yvré"]
    reponse = client.get(url, {"commune": geographie["yvre"].pk})
    assert [lieu.nom for lieu in reponse.context["page"]] == ["Médiathèque d'Yvré"]
    reponse = client.get(url, {"commune": geographie["angers_commune"].pk})
    assert "Choisissez une commune de la liste." in reponse.content.decode()


def test_liste_nombre_de_requetes_constant(client_de, geographie, django_assert_num_queries):
    client = client_de("coordinateur")
    url = reverse("structures:gestion_lieux")
    LieuFactory(commune=geographie["le_mans"])
    client.get(url)  # warm up the session
    # with the communes named like the word, and their count (a <select> or a typed choice)
    with django_assert_num_queries(8) as peu:
        client.get(url, {"q": "espace"})
    for _ in range(20):
        LieuFactory(commune=geographie["yvre"], itinerance=["itinerant"])
    with django_assert_num_queries(len(peu.captured_queries)):
        reponse = client.get(url, {"q": "espace"})
    assert "oui" in reponse.content.decode()


# -- creating and editing ----------------------------------------------------------------


def test_creation_complete(client_de, geographie, structure_le_mans):
    data = donnees(
        structure_choisie=structure_le_mans,
        commune_choisie=geographie["le_mans"],
        telephone="02 43 47 47 47 | 06.12.34.56.78",
        courriels="contact@exemple.fr|accueil@exemple.fr",
        site_web="https://www.exemple.fr",
        **{
            "horaires-0-debut_1": "09:00",
            "horaires-0-fin_1": "12:00",
            "horaires-0-debut_2": "14:00",
            "horaires-0-fin_2": "17:30",
            "horaires-5-debut_1": "10:00",
            "horaires-5-fin_1": "00:00",
        },
    )
    reponse = client_de("coordinateur").post(reverse("structures:creer_lieu"), data, follow=True)
    assert "Le lieu « Médiathèque Louis-Aragon » a été créé." in reponse.content.decode()
    lieu = Lieu.objects.tous().get()
    assert lieu.telephone == "+33243474747|+33612345678"
    assert lieu.liste_courriels == ["contact@exemple.fr", "accueil@exemple.fr"]
    assert lieu.horaires == "Mo 09:00-12:00,14:00-17:30; Sa 10:00-24:00"
    assert lieu.date_maj == timezone.localdate()
    assert lieu.identifiant
    assert Creneau.objects.filter(lieu=lieu).count() == 3


@pytest.mark.parametrize(
    ("changements", "message"),
    [
        ({"nom": ""}, "Indiquez le nom du lieu."),
        ({"adresse": ""}, "Indiquez l'adresse du lieu."),
        ({"code_postal": "7200"}, "Le code postal doit compter 5 chiffres"),
        ({"code_postal": "72 00A"}, "Le code postal doit compter 5 chiffres"),
        ({"commune": ""}, "Choisissez la commune du lieu."),
        ({"services": []}, "Cochez au moins un service proposé."),
        ({"services": ["inconnu"]}, "Sélectionnez un choix valide"),
        ({"frais": ["hors_de_prix"]}, "Sélectionnez un choix valide"),
        ({"telephone": "12345"}, "« 12345 » n'est pas un numéro de téléphone valide"),
        (
            {"telephone": "02 43 47 47 47|abc"},
            "« abc » n'est pas un numéro de téléphone valide",
        ),
        ({"courriels": "ok@exemple.fr|pas-un-courriel"}, "« pas-un-courriel » n'est pas une"),
        ({"site_web": "www exemple"}, "« www exemple » n'est pas une adresse web valide"),
        ({"prise_rdv": "rendez-vous"}, "Saisissez une adresse web complète"),
        ({"presentation_resume": "x" * 281}, "doit tenir en 280 caractères"),
        ({"latitude": "91"}, "La latitude doit être comprise entre -90 et 90."),
        ({"longitude": "-181"}, "La longitude doit être comprise entre -180 et 180."),
        ({"longitude": ""}, "Indiquez la latitude et la longitude, ou ni l'une ni l'autre."),
        ({"latitude": "nord"}, "Saisissez une latitude en degrés décimaux"),
        (
            {"saisie_horaires": "avancee", "horaires": "Lu 9h-12h"},
            "Horaires illisibles au format OpenStreetMap",
        ),
        (
            {"horaires-1-debut_1": "14:00", "horaires-1-fin_1": "12:00"},
            "Mardi, créneau 1\u00a0: l'heure de fin (12:00) doit être après l'heure de début "
            "(14:00).",
        ),
        (
            {
                "horaires-2-debut_1": "09:00",
                "horaires-2-fin_1": "12:00",
                "horaires-2-debut_2": "11:00",
                "horaires-2-fin_2": "13:00",
            },
            "Mercredi\u00a0: les créneaux 1 et 2 se chevauchent.",
        ),
        (
            {"horaires-3-debut_2": "09:00"},
            "Jeudi, créneau 2\u00a0: indiquez l'heure de début et l'heure de fin.",
        ),
        ({"horaires-4-fin_3": "25:00"}, "Saisissez une heure au format HH:MM."),
    ],
)
def test_messages_de_validation_en_francais(
    client_de, geographie, lieu_le_mans, changements, message
):
    avant = Lieu.objects.tous().values().get(pk=lieu_le_mans.pk)
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    reponse = client_de("coordinateur").post(url, donnees(lieu_le_mans, **changements))
    assert reponse.status_code == 200
    assert message in _erreurs(reponse)
    assert "Le lieu n'a pas été enregistré" in reponse.content.decode()
    assert Lieu.objects.tous().values().get(pk=lieu_le_mans.pk) == avant


def test_structure_sans_pivot_refusee(client_de, geographie):
    structure = StructureFactory(commune=geographie["le_mans"], pivot="")
    reponse = client_de("coordinateur").post(
        reverse("structures:creer_lieu"),
        donnees(structure_choisie=structure, commune_choisie=geographie["le_mans"]),
    )
    assert "n'a pas de SIRET ou de numéro RNA valide" in _erreurs(reponse)
    assert not Lieu.objects.tous().exists()


# -- the per-day hours editor --------------------------------------------------------------


def test_editeur_par_jour_aller_retour(client_de, lieu_le_mans):
    client = client_de("coordinateur")
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    initial = client.get(url).context["editeur"]
    assert initial.forms[0].initial == {
        "debut_1": "09:00",
        "fin_1": "12:00",
        "debut_2": "14:00",
        "fin_2": "17:30",
    }
    assert initial.forms[6].initial == {}

    creneaux = {}
    for jour in range(5):
        creneaux[f"horaires-{jour}-debut_1"] = "08:30"
        creneaux[f"horaires-{jour}-fin_1"] = "12:00"
    creneaux["horaires-2-debut_2"] = "13:30"
    creneaux["horaires-2-fin_2"] = "18:00"
    reponse = client.post(url, donnees(lieu_le_mans, **creneaux))
    assert reponse.status_code == 302
    lieu_le_mans.refresh_from_db()
    assert (
        lieu_le_mans.horaires == "Mo,Tu 08:30-12:00; We 08:30-12:00,13:30-18:00; Th,Fr 08:30-12:00"
    )

    editeur = client.get(url).context["editeur"]
    assert editeur.forms[2].initial == {
        "debut_1": "08:30",
        "fin_1": "12:00",
        "debut_2": "13:30",
        "fin_2": "18:00",
    }
    assert editeur.forms[4].initial == {"debut_1": "08:30", "fin_1": "12:00"}
    page = client.get(url).content.decode()
    assert 'aria-hidden="true">1. de</span>' in page
    assert "mercredi, début du créneau 2" in page


def test_horaires_avances_conserves(client_de, lieu_le_mans):
    lieu_le_mans.horaires = "Mo-Fr 09:00-12:00; PH off"
    lieu_le_mans.save()
    client = client_de("coordinateur")
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    reponse = client.get(url)
    assert reponse.context["horaires_representables"] is False
    assert reponse.context["formulaire"]["saisie_horaires"].value() == "avancee"
    contenu = reponse.content.decode()
    assert "la saisie par jour ne sait pas représenter" in contenu
    assert "Mo-Fr 09:00-12:00; PH off" in contenu

    reponse = client.post(
        url,
        donnees(
            lieu_le_mans,
            nom="Espace Bellevue rénové",
            saisie_horaires="avancee",
            horaires="Mo-Fr 09:00-12:00; PH off",
        ),
    )
    assert reponse.status_code == 302
    lieu_le_mans.refresh_from_db()
    assert lieu_le_mans.nom == "Espace Bellevue rénové"
    assert lieu_le_mans.horaires == "Mo-Fr 09:00-12:00; PH off"


def test_plages_hebdomadaires():
    assert plages_hebdomadaires("") == []
    assert plages_hebdomadaires("Mo-Fr 09:00-12:00; PH off") is None
    assert plages_hebdomadaires("Mo 08:00-09:00,10:00-11:00,12:00-13:00,14:00-15:00") is None
    assert plages_hebdomadaires("n'importe quoi") is None
    assert len(plages_hebdomadaires("Mo-Fr 09:00-12:00")) == 5
    annee = timezone.localdate().year + 1
    assert plages_hebdomadaires(f"{annee} Jan 01-{annee} Jan 31 Mo 09:00-12:00") is None


# -- stops, and all-or-nothing saving ----------------------------------------------------


def test_arrets_d_un_lieu_itinerant(client_de, geographie, lieu_le_mans):
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    arret = {
        "arrets-TOTAL_FORMS": "1",
        "arrets-0-nom": "Place du marché",
        "arrets-0-commune": geographie["yvre"].pk,
        "arrets-0-horaires": "Tu 14:00-17:00",
        "arrets-0-latitude": "48.01",
        "arrets-0-longitude": "0.26",
    }
    client = client_de("coordinateur")
    reponse = client.post(url, donnees(lieu_le_mans, **arret))
    assert "Seul un lieu itinérant a des arrêts" in _erreurs(reponse)
    assert not Arret.objects.exists()

    reponse = client.post(url, donnees(lieu_le_mans, itinerance=["itinerant"], **arret))
    assert reponse.status_code == 302
    assert Arret.objects.get().nom == "Place du marché"


def test_arret_invalide_rien_n_est_enregistre(client_de, geographie, lieu_le_mans):
    lieu_le_mans.itinerance = ["itinerant"]
    lieu_le_mans.date_maj = dt.date(2024, 1, 1)
    lieu_le_mans.save()
    existant = ArretFactory(lieu=lieu_le_mans, nom="Parvis de la gare")
    avant = Lieu.objects.tous().values().get(pk=lieu_le_mans.pk)
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    data = donnees(
        lieu_le_mans,
        nom="Nouveau nom",
        itinerance=["itinerant"],
        **{
            "arrets-0-nom": "Parvis renommé",
            "arrets-TOTAL_FORMS": "2",
            "arrets-1-nom": "Arrêt fautif",
            "arrets-1-commune": geographie["le_mans"].pk,
            "arrets-1-horaires": "mardi après-midi",
        },
    )
    reponse = client_de("coordinateur").post(url, data)
    assert reponse.status_code == 200
    assert "Horaires illisibles au format OpenStreetMap" in _erreurs(reponse)
    assert Lieu.objects.tous().values().get(pk=lieu_le_mans.pk) == avant
    assert list(Arret.objects.values_list("nom", flat=True)) == [existant.nom]


def test_erreur_a_l_enregistrement_annule_tout(client_de, lieu_le_mans, monkeypatch):
    """A failure after the site is written (e.g. while saving stops) rolls everything back."""
    from structures import services

    def recalcul_en_panne(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "recalculer_creneaux", recalcul_en_panne)
    avant = Lieu.objects.tous().values().get(pk=lieu_le_mans.pk)
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    client = client_de("coordinateur")
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(url, donnees(lieu_le_mans, nom="Nom jamais écrit"))
    assert Lieu.objects.tous().values().get(pk=lieu_le_mans.pk) == avant


def test_historique_du_lieu(client_de, comptes, lieu_le_mans):
    client = client_de("coordinateur")
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    reponse = client.post(
        url, donnees(lieu_le_mans, nom="Espace numérique Bellevue", services=["demarches"])
    )
    assert reponse.status_code == 302
    page = html.unescape(client.get(url).content.decode())
    journal = page[page.index('id="journal-lieu"') :]
    auteur = comptes["coordinateur"].nom_complet
    assert "<strong>Modification</strong> le" in journal and f"par {auteur}" in journal
    assert "Nom\u00a0: Espace Bellevue → Espace numérique Bellevue" in journal
    assert "Services\u00a0: " in journal
    assert "<strong>Création</strong> le" in journal  # the factory's, by no one
    # the referent of the site's structure reads it too; another territory never reaches it
    assert client_de("coordinateur_autre_territoire").get(url).status_code == 404


def test_code_postal_et_point_controles_avec_la_commune(client_de, geographie, lieu_le_mans):
    """The form says which postal codes the commune has, and how far the point lies from
    it, with the import's rule (territoires.resolution); nothing is saved."""
    avant = Lieu.objects.tous().values().get(pk=lieu_le_mans.pk)
    url = reverse("structures:modifier_lieu", args=[lieu_le_mans.pk])
    reponse = client_de("coordinateur").post(
        url, donnees(lieu_le_mans, code_postal="49000", latitude="47.47", longitude="-0.55")
    )
    assert reponse.status_code == 200
    erreurs = _erreurs(reponse)
    assert (
        "Le code postal 49000 n'est pas celui du Mans (72000, 72100)\u00a0: corrigez le code "
        "postal ou la commune."
    ) in erreurs
    assert (
        "Ce point est à 81\u00a0km du centre de Le Mans (30\u00a0km au plus)\u00a0: vérifiez la "
        "commune ou les coordonnées."
    ) in erreurs
    assert Lieu.objects.tous().values().get(pk=lieu_le_mans.pk) == avant
    reponse = client_de("coordinateur").post(url, donnees(lieu_le_mans, code_postal="72100"))
    assert reponse.status_code == 302
    assert Lieu.objects.tous().get(pk=lieu_le_mans.pk).code_postal == "72100"
