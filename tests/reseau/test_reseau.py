"""The network: contacts with their legal basis, groups, mailings (one message per
recipient with its own unsubscribe link, logged), opt-outs; scoped to the territory."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
from email import message_from_bytes

import pytest
from django.core import mail
from django.urls import reverse

from comptes.enums import Role
from reseau import services
from reseau.models import Contact, Desinscription, Envoi
from reseau.services import Cible
from tests.comptes.factories import UserFactory
from tests.reseau.factories import ContactFactory, GroupeFactory
from tests.structures.factories import StructureFactory

pytestmark = pytest.mark.django_db


def _texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


@pytest.fixture
def reseau(geographie, comptes):
    g = geographie
    fs = StructureFactory(
        commune=g["le_mans"], nom="France Services du Mans", programmes=["france_services"]
    )
    ccas = StructureFactory(commune=g["yvre"], nom="CCAS d'Yvré", typologies=["CCAS"])
    angers = StructureFactory(commune=g["angers_commune"], nom="CCAS d'Angers", typologies=["CCAS"])
    fs.referents.add(comptes["referent"])
    collectif = GroupeFactory(nom="Collectif numérique", nature="reseau", epci=g["metropole"])
    return {
        "fs": fs,
        "ccas": ccas,
        "angers": angers,
        "collectif": collectif,
        "lea": ContactFactory(
            structure=fs,
            prenom="Léa",
            nom="Bernard",
            courriel="lea@exemple.test",
            groupes=[collectif],
        ),
        "sam": ContactFactory(
            structure=ccas,
            prenom="Sam",
            nom="Durand",
            courriel="SAM@exemple.test",
            groupes=[collectif],
        ),
        "tel": ContactFactory(
            structure=ccas, prenom="Tel", nom="Seul", courriel="", telephone="+33243474747"
        ),
        "ange": ContactFactory(
            structure=angers, prenom="Ange", nom="Angevin", courriel="ange@exemple.test"
        ),
    }


def test_liste_des_contacts_du_territoire(client_de, reseau, django_assert_num_queries):
    client = client_de("coordinateur")
    url = reverse("reseau:contacts")
    client.get(url)
    for _ in range(10):
        ContactFactory(structure=reseau["ccas"], groupes=[reseau["collectif"]])
    # session, user, territories, groups of the filter, count, page, its groups
    with django_assert_num_queries(7):
        reponse = client.get(url)
    page = _texte(reponse)
    assert reponse.context["page"].paginator.count == 13
    assert "Angevin" not in page
    assert "Intérêt légitime (mission de service public), depuis le 2 novembre 2026" in page
    assert "02 43 47 47 47" in page
    filtre = client.get(url, {"q": "yvré"})
    assert filtre.context["page"].paginator.count == 12
    groupe = client.get(url, {"groupe": reseau["collectif"].pk})
    assert groupe.context["page"].paginator.count == 12
    angers = client_de("coordinateur_autre_territoire").get(url)
    assert [c.nom for c in angers.context["page"]] == ["Angevin"]


def test_les_contacts_d_une_structure(client_de, reseau):
    client = client_de("coordinateur")
    url = reverse("reseau:contacts")
    reponse = client.get(url, {"structure": reseau["ccas"].pk})
    assert {c.nom for c in reponse.context["page"]} == {"Durand", "Seul"}
    page = _texte(reponse)
    assert "Contacts de CCAS d'Yvré" in page
    assert f"/gestion/reseau/contacts/nouveau/?structure={reseau['ccas'].pk}" in page
    formulaire = client.get(reverse("reseau:creer_contact"), {"structure": reseau["ccas"].pk})
    assert formulaire.context["form"]["structure"].value() == reseau["ccas"].pk
    # another territory's structure is not found
    assert client.get(url, {"structure": reseau["angers"].pk}).status_code == 404


def test_ajouter_un_contact_avec_son_consentement(client_de, reseau):
    client = client_de("coordinateur")
    reponse = client.post(
        reverse("reseau:creer_contact"),
        {
            "structure": reseau["fs"].pk,
            "prenom": "Inès",
            "nom": "Moreau",
            "fonction": "Animatrice",
            "courriel": "ines@exemple.test",
            "telephone": "06 12 34 56 78",
            "base_legale": "consentement",
            "base_legale_le": "2026-12-01",
            "groupes": [reseau["collectif"].pk],
        },
    )
    assert reponse.status_code == 302
    contact = Contact.objects.tous().get(nom="Moreau")
    assert contact.telephone == "+33612345678"
    assert list(contact.groupes.all()) == [reseau["collectif"]]
    assert contact.base_legale_lisible == "consentement recueilli le 1er décembre 2026"


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        (
            {"courriel": "", "telephone": ""},
            "Donnez une adresse électronique ou un numéro de téléphone",
        ),
        ({"telephone": "12"}, "n'est pas un numéro de téléphone valide"),
        ({"courriel": "pas-une-adresse"}, "Saisissez une adresse e-mail valide."),
        ({"base_legale_le": "2030-01-01"}, "La date ne peut pas être dans le futur."),
        ({"base_legale": "autre"}, "Sélectionnez un choix valide"),
    ],
)
def test_contact_refuse_en_francais(client_de, reseau, champs, message):
    donnees = {
        "structure": reseau["fs"].pk,
        "prenom": "Inès",
        "nom": "Refusée",
        "courriel": "ines@exemple.test",
        "base_legale": "mission",
        "base_legale_le": "2026-12-01",
        **champs,
    }
    reponse = client_de("coordinateur").post(reverse("reseau:creer_contact"), donnees)
    assert reponse.status_code == 200
    assert message in _texte(reponse)
    assert not Contact.objects.tous().filter(nom="Refusée").exists()


def test_une_structure_d_un_autre_territoire_est_refusee(client_de, reseau):
    reponse = client_de("coordinateur").post(
        reverse("reseau:creer_contact"),
        {
            "structure": reseau["angers"].pk,
            "prenom": "X",
            "nom": "Ailleurs",
            "courriel": "x@exemple.test",
            "base_legale": "mission",
            "base_legale_le": "2026-12-01",
        },
    )
    assert "Sélectionnez un choix valide" in _texte(reponse)
    assert not Contact.objects.tous().filter(nom="Ailleurs").exists()


def test_les_membres_d_un_autre_territoire_restent(client_de, reseau, comptes, geographie):
    # a département-wide group holds a contact of each territory
    groupe = GroupeFactory(nom="Sarthe et Anjou", departement=geographie["sarthe"])
    groupe.membres.add(reseau["lea"], reseau["ange"])
    client = client_de("coordinateur")
    # the métropole's coordinator does not see a département's group
    assert client.get(reverse("reseau:groupe", args=[groupe.pk])).status_code == 404
    sarthe = UserFactory(role=Role.COORDINATEUR, territoires=[geographie["sarthe"]])
    client.force_login(sarthe)
    reponse = client.post(
        reverse("reseau:groupe", args=[groupe.pk]),
        {
            "groupe-nom": "Sarthe et Anjou",
            "groupe-nature": "groupe_de_travail",
            "membres-membres": [reseau["sam"].pk],
        },
    )
    assert reponse.status_code == 302
    assert set(groupe.membres.all()) == {reseau["sam"], reseau["ange"]}


def test_groupes_et_leurs_membres(client_de, reseau, django_assert_num_queries):
    client = client_de("coordinateur")
    client.get(reverse("reseau:groupes"))
    GroupeFactory(nom="Groupe aidants", epci=None)  # the technical team's: national
    with django_assert_num_queries(4):
        reponse = client.get(reverse("reseau:groupes"))
    assert [(g.nom, g.nombre_membres) for g in reponse.context["groupes"]] == [
        ("Collectif numérique", 2)
    ]
    cree = client.post(
        reverse("reseau:groupes"), {"nom": "Groupe accueil", "nature": "groupe_de_travail"}
    )
    assert cree.status_code == 302
    refuse = client.post(reverse("reseau:groupes"), {"nom": "", "nature": "x"})
    assert "Ce champ est obligatoire." in _texte(refuse)


def test_les_publics_d_un_envoi(comptes, reseau):
    user = comptes["coordinateur"]
    referents = services.adresses(user=user, cible=Cible(Role.REFERENT and "referents"))
    assert referents == [comptes["referent"].email.lower()]
    ccas = services.adresses(user=user, cible=Cible("typologie", typologie="CCAS"))
    assert ccas == ["sam@exemple.test"]  # Angers is not in the territory, Tel has no address
    fs = services.adresses(user=user, cible=Cible("programme", programme="france_services"))
    assert fs == sorted(["lea@exemple.test", comptes["referent"].email.lower()])
    groupe = services.adresses(user=user, cible=Cible("groupe", groupe=reseau["collectif"]))
    assert groupe == ["lea@exemple.test", "sam@exemple.test"]
    Desinscription.objects.create(courriel="sam@exemple.test")
    groupe = services.adresses(user=user, cible=Cible("groupe", groupe=reseau["collectif"]))
    assert groupe == ["lea@exemple.test"]


def test_les_contacts_d_une_structure_archivee_ne_recoivent_rien(comptes, reseau):
    from django.utils import timezone

    from structures.models import Structure

    user = comptes["coordinateur"]
    Structure.objects.tous().filter(pk=reseau["ccas"].pk).update(archivee_le=timezone.now())
    assert services.adresses(user=user, cible=Cible("typologie", typologie="CCAS")) == []
    groupe = services.adresses(user=user, cible=Cible("groupe", groupe=reseau["collectif"]))
    assert groupe == ["lea@exemple.test"]


def test_apercu_puis_envoi_a_un_groupe(
    client_de, comptes, reseau, settings, django_capture_on_commit_callbacks
):
    settings.PORTAIL_URL = "https://portail.exemple.test"
    client = client_de("coordinateur")
    url = reverse("reseau:ecrire")
    donnees = {
        "audience": "groupe",
        "groupe": reseau["collectif"].pk,
        "sujet": "Réunion du collectif",
        "texte": "Bonjour,\n\nLa réunion aura lieu mardi 15 décembre à 14 h.",
    }
    mail.outbox.clear()
    apercu = client.post(url, {**donnees, "action": "apercu"})
    assert "2 destinataires — Membres du groupe «\u202fCollectif numérique\u202f»" in _texte(apercu)
    assert mail.outbox == [] and not Envoi.objects.tous().exists()

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {**donnees, "action": "envoyer"})
    reponse = client.get(reponse.url)
    assert "part vers 2 destinataires" in _texte(reponse)
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@exemple.test", "sam@exemple.test"]
    liens = set()
    for message in mail.outbox:
        assert message.subject == "Réunion du collectif"
        assert message.reply_to == [comptes["coordinateur"].email]
        assert "La réunion aura lieu mardi 15 décembre à 14 h." in message.body
        lien = re.search(r"https://portail\.exemple\.test/desinscription/\S+/", message.body).group(
            0
        )
        assert message.extra_headers["List-Unsubscribe"] == f"<{lien}>"
        liens.add(lien)
    assert len(liens) == 2
    envoi = Envoi.objects.tous().get()
    assert (envoi.auteur, envoi.nombre_destinataires, envoi.nombre_envoyes) == (
        comptes["coordinateur"],
        2,
        2,
    )
    assert envoi.termine_le and envoi.adresses == []
    historique = _texte(reponse)
    assert "Réunion du collectif" in historique and "2 partis" in historique


def test_envoi_sans_destinataire_refuse(client_de, reseau):
    Desinscription.objects.create(courriel="sam@exemple.test")
    reponse = client_de("coordinateur").post(
        reverse("reseau:ecrire"),
        {
            "audience": "typologie",
            "typologie": "CCAS",
            "sujet": "S",
            "texte": "T",
            "action": "envoyer",
        },
    )
    assert "Aucun destinataire" in _texte(reponse)
    assert not Envoi.objects.tous().exists()


def test_envoi_refuse_sans_le_choix_du_public(client_de, reseau):
    reponse = client_de("coordinateur").post(
        reverse("reseau:ecrire"),
        {"audience": "typologie", "sujet": "S", "texte": "T", "action": "envoyer"},
    )
    assert "Choisissez la typologie des structures." in _texte(reponse)
    autre = GroupeFactory(nom="Angers", epci=None, commune=None)
    autre.commune = reseau["angers"].commune
    autre.save()
    reponse = client_de("coordinateur").post(
        reverse("reseau:ecrire"),
        {"audience": "groupe", "groupe": autre.pk, "sujet": "S", "texte": "T", "action": "envoyer"},
    )
    assert "Sélectionnez un choix valide" in _texte(reponse)
    assert not Envoi.objects.tous().exists()


def test_desinscription_puis_envoi_suivant_sans_elle(
    client, client_de, reseau, django_capture_on_commit_callbacks
):
    jeton = services.jeton_de_desinscription("Lea@Exemple.test")
    url = reverse("reseau:desinscription", args=[jeton])
    page = client.get(url)
    assert "L'adresse lea@exemple.test ne recevra plus" in _texte(page)
    assert not Desinscription.objects.exists()  # opening the link changes nothing
    fait = client.post(url)
    assert "C'est noté" in _texte(fait)
    assert Desinscription.objects.get().courriel == "lea@exemple.test"
    assert "est déjà désinscrite" in _texte(client.get(url))
    client.post(url)
    assert Desinscription.objects.count() == 1
    faux = reverse("reseau:desinscription", args=[jeton[:-2] + "xx"])
    assert "n'est pas valide" in _texte(client.get(faux))
    assert client.post(faux).status_code == 404
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_de("coordinateur").post(
            reverse("reseau:ecrire"),
            {
                "audience": "groupe",
                "groupe": reseau["collectif"].pk,
                "sujet": "Suite",
                "texte": "Texte",
                "action": "envoyer",
            },
        )
    assert [m.to for m in mail.outbox] == [["sam@exemple.test"]]


def test_historique_des_envois(client_de, comptes, reseau, django_assert_num_queries):
    for n in range(3):
        services.envoyer_message(
            par=comptes["coordinateur"],
            cible=Cible("groupe", groupe=reseau["collectif"]),
            sujet=f"Message {n}",
            texte="Texte",
        )
    client = client_de("coordinateur")
    client.get(reverse("reseau:envois"))
    # session, user, territories, count, page with the authors
    with django_assert_num_queries(5):
        reponse = client.get(reverse("reseau:envois"))
    assert [e.sujet for e in reponse.context["page"]] == ["Message 2", "Message 1", "Message 0"]
    autre = client_de("coordinateur_autre_territoire").get(reverse("reseau:envois"))
    assert autre.context["page"].paginator.count == 0


def test_contact_supprime_avec_sa_structure(reseau):
    reseau["ccas"].delete()
    assert not Contact.objects.tous().filter(nom__in=["Durand", "Seul"]).exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_un_gros_envoi_part_du_worker(celery_reel, comptes, geographie):
    """60 recipients (more than one batch): the real worker sends one message each."""
    structure = StructureFactory(commune=geographie["le_mans"], typologies=["BIB"])
    for n in range(60):
        ContactFactory(structure=structure, courriel=f"bib{n}@exemple.test")
    boite = celery_reel["boite"]
    avant = set(boite.iterdir())
    envoi = services.envoyer_message(
        par=comptes["coordinateur"],
        cible=Cible("typologie", typologie="BIB"),
        sujet="Lettre des médiathèques",
        texte="Bonjour à toutes les médiathèques.",
    )
    fin = time.monotonic() + 60
    while Envoi.objects.tous().get(pk=envoi.pk).termine_le is None:
        assert time.monotonic() < fin, celery_reel["journal"].read_text()[-3000:]
        time.sleep(0.3)
    envoi = Envoi.objects.tous().get(pk=envoi.pk)
    assert (envoi.nombre_destinataires, envoi.nombre_envoyes) == (60, 60)
    destinataires = []
    for fichier in set(boite.iterdir()) - avant:
        for bloc in fichier.read_bytes().split(b"-" * 79):
            if "Bonjour à toutes".encode() in bloc:
                destinataires.append(message_from_bytes(bloc.strip())["To"])
    assert sorted(destinataires) == sorted(f"bib{n}@exemple.test" for n in range(60))
    assert dt.date.today()  # the log keeps no address once sent
    assert envoi.adresses == []
