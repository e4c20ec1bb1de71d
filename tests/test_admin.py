"""The Django admin, the technical team's tool: every list, add, change, delete and history
page of every registered model answers, with an object of each model, for a superuser and
for a staff account limited to some permissions."""

from __future__ import annotations

import contextlib

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from tests.ateliers.acces_ateliers import _demande_du_mans
from tests.comptes.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def un_de_chaque(geographie, comptes):
    """At least one row of every model the admin shows."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group

    from ateliers.models import SessionAtelier
    from comptes.services import creer_jeton
    from conseillers.models import Conseiller
    from indicateurs.enums import Indicateur, Methode, Niveau
    from indicateurs.models import ResultatIndice, ValeurIndicateur
    from structures.models import Lieu, Signalement
    from territoires.models import AncienneCommune, LocalitePostale
    from tests.conseillers.factories import (
        ActiviteFactory,
        BeneficiaireFactory,
        MiseADispositionFactory,
    )
    from tests.structures.factories import ArretFactory

    Group.objects.create(name="Support")
    trace = {"user_agent": "Firefox", "http_accept": "text/html", "path_info": "/connexion/"}
    AccessAttempt.objects.create(
        **trace, username="x@exemple.fr", get_data="", post_data="", failures_since_start=1
    )
    AccessFailureLog.objects.create(**trace, username="x@exemple.fr")
    AccessLog.objects.create(**trace, username="coordination@exemple.fr")
    creer_jeton(comptes["coordinateur"], libelle="Tableur")
    from comptes.services import inviter

    inviter(
        par=comptes["staff"],
        email="invitee@exemple.test",
        role="elu",
        territoires=[geographie["le_mans"]],
    )
    ValeurIndicateur.objects.create(
        niveau=Niveau.COMMUNE,
        code="72181",
        indicateur=Indicateur.values[0],
        valeur=12.5,
        millesime=2021,
        commune=geographie["le_mans"],
    )
    ResultatIndice.objects.create(niveau=Niveau.COMMUNE, millesime=2021, methode=Methode.RANGS)
    demande = _demande_du_mans(geographie)
    session = SessionAtelier.objects.tous().get(demande=demande)
    lieu = Lieu.objects.tous().get(pk=demande.lieu_id)
    ArretFactory(lieu=lieu, commune=geographie["le_mans"])
    Signalement.objects.create(lieu=lieu, message="Les horaires ont changé.")
    from reseau.models import Desinscription
    from reseau.services import Cible, envoyer_message
    from tests.reseau.factories import ContactFactory, GroupeFactory

    groupe = GroupeFactory(epci=geographie["metropole"])
    ContactFactory(structure=lieu.structure, groupes=[groupe])
    Desinscription.objects.create(courriel="parti@exemple.test")
    envoyer_message(
        par=comptes["coordinateur"], cible=Cible("groupe", groupe=groupe), sujet="S", texte="T"
    )
    conseiller = Conseiller.objects.tous().first()
    MiseADispositionFactory(structure=lieu.structure, lieu=lieu, conseillers=[conseiller])
    activite = ActiviteFactory(conseiller=conseiller, lieu=lieu, commune=geographie["le_mans"])
    activite.beneficiaires.add(BeneficiaireFactory(conseiller=conseiller))
    AncienneCommune.objects.create(
        code_insee="72999", nom="Ancienne commune", type="ancienne", commune=geographie["yvre"]
    )
    LocalitePostale.objects.create(
        code_postal="72100", nom="LE MANS CEDEX 9", commune=geographie["le_mans"]
    )
    from tests.imports.factories import ImportFactory

    ImportFactory(cree_par=comptes["coordinateur"])
    return {"session": session, "demande": demande}


def _modeles():
    return sorted(admin.site._registry.items(), key=lambda paire: paire[0]._meta.label)


def _pages(modele, modele_admin) -> list[tuple[str, str]]:
    """(name, URL) of the admin pages of a model, with its first row."""
    meta = modele._meta
    base = f"admin:{meta.app_label}_{meta.model_name}"
    pages = [("liste", reverse(f"{base}_changelist")), ("ajout", reverse(f"{base}_add"))]
    gestionnaire = modele._default_manager
    lignes = gestionnaire.tous() if hasattr(gestionnaire, "tous") else gestionnaire.all()
    objet = lignes.order_by("pk").first()
    assert objet is not None, f"aucun objet {meta.label} pour parcourir ses pages"
    for page in ("change", "delete", "history"):
        with contextlib.suppress(NoReverseMatch):
            pages.append((page, reverse(f"{base}_{page}", args=[objet.pk])))
    return pages


def test_chaque_page_de_l_administration_repond_au_superutilisateur(client_de, un_de_chaque):
    client = client_de("staff")
    reponses = {}
    for modele, modele_admin in _modeles():
        for page, url in _pages(modele, modele_admin):
            reponse = client.get(url)
            reponses[(modele._meta.label, page)] = reponse.status_code
            assert reponse.status_code in (200, 403), (url, reponse.status_code)
    refusees = {cle: code for cle, code in reponses.items() if code != 200}
    # only what an admin class forbids on purpose: computed index results, django-axes'
    # login records and API tokens (created by their owner, who alone sees the secret) are
    # not added by hand
    assert refusees == {
        ("indicateurs.ResultatIndice", "ajout"): 403,
        ("comptes.JetonApi", "ajout"): 403,
        ("comptes.Invitation", "ajout"): 403,  # sent from /gestion/comptes/ only
        ("imports.Import", "ajout"): 403,  # uploaded from /gestion/imports/ only
        ("axes.AccessAttempt", "ajout"): 403,
        ("axes.AccessFailureLog", "ajout"): 403,
        ("axes.AccessLog", "ajout"): 403,
    }
    # and a search in every list
    for modele, modele_admin in _modeles():
        if modele_admin.search_fields:
            meta = modele._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            assert client.get(url, {"q": "a"}).status_code == 200


def test_un_compte_technique_aux_droits_limites(client, geographie, un_de_chaque):
    """A staff account (not superuser) allowed to view and change sites only: those pages
    answer, the others are refused, and it cannot add or delete sites."""
    technicien = UserFactory(role="", is_staff=True, is_superuser=False)
    technicien.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="structures", codename__in=["view_lieu", "change_lieu"]
        )
    )
    client.force_login(technicien)
    lieu = un_de_chaque["demande"].lieu
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:structures_lieu_changelist")).status_code == 200
    assert client.get(reverse("admin:structures_lieu_change", args=[lieu.pk])).status_code == 200
    assert client.get(reverse("admin:structures_lieu_add")).status_code == 403
    assert client.get(reverse("admin:structures_lieu_delete", args=[lieu.pk])).status_code == 403
    assert client.get(reverse("admin:structures_structure_changelist")).status_code == 403
    assert client.get(reverse("admin:conseillers_activite_changelist")).status_code == 403
    assert client.get(reverse("admin:comptes_user_changelist")).status_code == 403
