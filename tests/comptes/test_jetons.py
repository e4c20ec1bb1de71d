"""API tokens (finding 4 of issue 20): they expire, they are revoked by a new password (change,
reset, admin) and by a deactivation, their owner lists and revokes them, and using one
keeps the account from the inactive-account purge."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comptes.models import JetonApi, User
from comptes.purge import purger_comptes_inactifs
from comptes.services import JETONS_VALIDES_PAR_COMPTE, creer_jeton
from tests.comptes.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db

NOUVEAU = "un-autre-mot-de-passe-solide-2027"


def _obtenir(client, user, **donnees) -> dict:
    reponse = client.post(
        "/api/v1/jeton/", {"username": user.email, "password": MOT_DE_PASSE, **donnees}
    )
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def _moi(client, jeton: str):
    return client.get("/api/v1/moi/", HTTP_AUTHORIZATION=f"Token {jeton}")


@pytest.fixture
def avancer(monkeypatch):
    """``avancer(jours=91)``: the clock of the code under test moves forward."""
    depart = timezone.now()

    def deplacer(**ecart):
        monkeypatch.setattr(timezone, "now", lambda: depart + dt.timedelta(**ecart))

    return deplacer


# -- the token endpoint --------------------------------------------------------------


def test_un_nouveau_jeton_par_demande_et_seule_son_empreinte_est_gardee(client, comptes):
    user = comptes["conseiller"]
    premier = _obtenir(client, user, libelle="Tableur de suivi")
    second = _obtenir(client, user)
    assert premier["token"] != second["token"]
    assert premier["libelle"] == "Tableur de suivi"
    expire_le = dt.datetime.fromisoformat(premier["expire_le"])
    assert abs(expire_le - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    for jeton in (premier["token"], second["token"]):
        assert _moi(client, jeton).status_code == 200
    # the database keeps digests, never a token
    lignes = list(JetonApi.objects.de(user).values_list("digest", "token_key", "libelle"))
    assert len(lignes) == 2
    assert all(premier["token"] not in digest for digest, _, _ in lignes)
    assert all(len(cle) < len(premier["token"]) for _, cle, _ in lignes)


def test_obtenir_un_jeton_compte_comme_une_connexion(client, comptes):
    user = comptes["elu"]
    User.objects.filter(pk=user.pk).update(last_login=None)
    _obtenir(client, user)
    user.refresh_from_db()
    assert user.last_login is not None


def test_nombre_de_jetons_valides_borne(client, comptes):
    user = comptes["referent"]
    for _ in range(JETONS_VALIDES_PAR_COMPTE):
        creer_jeton(user)
    reponse = client.post("/api/v1/jeton/", {"username": user.email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 403
    assert "révoquez ceux qui ne servent plus" in reponse.json()["detail"]


@pytest.mark.parametrize(
    "entete",
    ["Token", "Token deux morceaux", "Token inconnu", "Token " + "é".encode().decode("latin-1")],
)
def test_en_tete_invalide_refuse_en_francais(client, comptes, entete):
    reponse = client.get("/api/v1/moi/", HTTP_AUTHORIZATION=entete)
    assert reponse.status_code == 401
    assert reponse["WWW-Authenticate"] == "Token"
    assert re.search(
        r"En-tête d'authentification invalide|Jeton invalide", reponse.json()["detail"]
    )


# -- expiry --------------------------------------------------------------------------


def test_jeton_expire_refuse_avec_un_message_en_francais(client, comptes, avancer, settings):
    settings.API_JETON_DUREE_JOURS = 30
    jeton = _obtenir(client, comptes["coordinateur"])["token"]
    avancer(days=29, hours=23)
    assert _moi(client, jeton).status_code == 200
    avancer(days=30, minutes=1)
    reponse = _moi(client, jeton)
    assert reponse.status_code == 401
    assert reponse.json()["detail"].startswith("Ce jeton a expiré le ")
    assert "demandez-en un nouveau" in reponse.json()["detail"]
    # its owner still sees it, marked expired, until they revoke it
    client.force_login(comptes["coordinateur"])
    assert "Expiré" in client.get(reverse("comptes:jetons")).content.decode()


def test_une_duree_de_validite_nulle_est_refusee_au_demarrage(settings):
    from inclusion.checks import verifier_portail

    settings.API_JETON_DUREE_JOURS = 0
    assert [e.id for e in verifier_portail(None)] == ["inclusion.E002"]


# -- revocation ----------------------------------------------------------------------


def test_changer_de_mot_de_passe_revoque_les_jetons(client, comptes):
    user = comptes["conseiller"]
    jetons = [_obtenir(client, user)["token"] for _ in range(2)]
    autre = _obtenir(client, comptes["elu"])["token"]
    client.force_login(user)
    reponse = client.post(
        reverse("comptes:changement_mot_de_passe"),
        {"old_password": MOT_DE_PASSE, "new_password1": NOUVEAU, "new_password2": NOUVEAU},
    )
    assert reponse.status_code == 302
    for jeton in jetons:
        assert _moi(client, jeton).status_code == 401
    assert _moi(client, autre).status_code == 200


def test_reinitialiser_le_mot_de_passe_revoque_les_jetons(client, comptes):
    user = comptes["referent"]
    jeton = _obtenir(client, user)["token"]
    client.post(reverse("comptes:reinitialisation"), {"email": user.email})
    lien = re.search(r"/mot-de-passe/nouveau/\S+/\S+/", mail.outbox[-1].body)[0]
    formulaire = client.get(lien, follow=True)
    assert formulaire.status_code == 200
    reponse = client.post(
        formulaire.redirect_chain[-1][0], {"new_password1": NOUVEAU, "new_password2": NOUVEAU}
    )
    assert reponse.status_code == 302
    assert reponse.url == reverse("comptes:mot_de_passe_modifie")
    assert _moi(client, jeton).status_code == 401


def test_l_administration_qui_change_le_mot_de_passe_revoque_les_jetons(client, comptes):
    user = comptes["elu"]
    jeton = _obtenir(client, user)["token"]
    client.force_login(comptes["staff"])
    reponse = client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "true", "password1": NOUVEAU, "password2": NOUVEAU},
    )
    assert reponse.status_code == 302
    assert _moi(client, jeton).status_code == 401


def test_desactiver_le_compte_revoque_les_jetons(client, comptes):
    """Deactivated then reactivated, the account's old tokens stay refused."""
    user = comptes["coordinateur"]
    jeton = _obtenir(client, user)["token"]
    user.is_active = False
    user.save()
    user.is_active = True
    user.save()
    assert _moi(client, jeton).status_code == 401
    assert not JetonApi.objects.de(user).exists()


def test_un_mot_de_passe_retire_revoque_les_jetons(comptes):
    user = comptes["elu"]
    creer_jeton(user)
    user.set_unusable_password()
    user.save()
    assert not JetonApi.objects.de(user).exists()


def test_la_mise_a_jour_du_hachage_a_la_connexion_ne_revoque_rien(client, comptes, settings):
    """Django re-hashes a password stored with fewer iterations at the next login: the
    password does not change, the tokens stay."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = comptes["conseiller"]
    ancien = creer_jeton(user)[1]
    hache = PBKDF2PasswordHasher().encode(MOT_DE_PASSE, "seldetest", iterations=1000)
    User.objects.filter(pk=user.pk).update(password=hache)
    _obtenir(client, user)
    user.refresh_from_db()
    assert user.password != hache
    assert _moi(client, ancien).status_code == 200


def test_enregistrer_le_compte_sans_changer_le_mot_de_passe_ne_revoque_rien(comptes):
    user = comptes["conseiller"]
    creer_jeton(user)
    user.nom = "Autre nom"
    user.save()
    assert JetonApi.objects.de(user).count() == 1


# -- last use ------------------------------------------------------------------------


def _mises_a_jour_des_jetons(requetes) -> int:
    return sum(
        1
        for requete in requetes
        if requete["sql"].startswith("UPDATE") and "comptes_jetonapi" in requete["sql"]
    )


def test_dernier_usage_note_au_plus_une_fois_par_minute(client, comptes, avancer):
    user = comptes["conseiller"]
    jeton = _obtenir(client, user)["token"]
    assert JetonApi.objects.de(user).get().dernier_usage is None
    with CaptureQueriesContext(connection) as premiere:
        assert _moi(client, jeton).status_code == 200
    assert _mises_a_jour_des_jetons(premiere.captured_queries) == 1
    note = JetonApi.objects.de(user).get().dernier_usage
    assert note is not None
    with CaptureQueriesContext(connection) as seconde:
        assert _moi(client, jeton).status_code == 200
    assert _mises_a_jour_des_jetons(seconde.captured_queries) == 0
    avancer(minutes=2)
    with CaptureQueriesContext(connection) as plus_tard:
        assert _moi(client, jeton).status_code == 200
    assert _mises_a_jour_des_jetons(plus_tard.captured_queries) == 1
    assert JetonApi.objects.de(user).get().dernier_usage > note


# -- the owner's page ----------------------------------------------------------------


def test_creer_voir_et_revoquer_ses_jetons(client, comptes):
    user = comptes["elu"]
    client.force_login(user)
    reponse = client.post(reverse("comptes:jetons"), {"libelle": "Tableur du conseil"})
    assert reponse.status_code == 200
    assert "no-store" in reponse["Cache-Control"]
    secret = reponse.context["secret"]
    assert f'value="{secret}"' in reponse.content.decode()
    assert _moi(client, secret).status_code == 200
    client.post(reverse("comptes:jetons"), {"libelle": "Script d'import"})

    liste = client.get(reverse("comptes:jetons")).content.decode()
    assert "Tableur du conseil" in liste and "Script d&#x27;import" in liste
    assert secret not in liste
    assert secret[:15] not in liste

    tableur = JetonApi.objects.de(user).get(libelle="Tableur du conseil")
    reponse = client.post(reverse("comptes:revoquer_jeton", args=[tableur.identifiant]))
    assert reponse.status_code == 302
    assert _moi(client, secret).status_code == 401
    assert list(JetonApi.objects.de(user).values_list("libelle", flat=True)) == ["Script d'import"]

    reponse = client.post(reverse("comptes:revoquer_jetons"), follow=True)
    assert "1 jeton révoqué" in reponse.content.decode()
    assert not JetonApi.objects.de(user).exists()


def test_libelle_obligatoire_rien_de_cree(client, comptes):
    client.force_login(comptes["conseiller"])
    reponse = client.post(reverse("comptes:jetons"), {"libelle": "  "})
    assert reponse.status_code == 200
    assert reponse.context["secret"] is None
    assert "Ce champ est obligatoire" in reponse.content.decode()
    assert not JetonApi.objects.exists()


@pytest.mark.parametrize(
    "role", ["conseiller", "referent", "coordinateur", "coordinateur_autre_territoire", "elu"]
)
def test_le_jeton_d_un_autre_compte_est_introuvable(client_de, comptes, role):
    """Whatever the role, another account's token is a 404 and stays valid; the page lists
    one's own tokens only."""
    autre = UserFactory()
    sien, secret = creer_jeton(autre, libelle="Outil d'un autre")
    client = client_de(role)
    reponse = client.post(reverse("comptes:revoquer_jeton", args=[sien.identifiant]))
    assert reponse.status_code == 404
    assert "Outil d" not in client.get(reverse("comptes:jetons")).content.decode()
    client.post(reverse("comptes:revoquer_jetons"))
    assert JetonApi.objects.filter(pk=sien.pk).exists()
    assert _moi(client, secret).status_code == 200


@pytest.mark.parametrize(
    "url", ["comptes:espace_conseiller", "comptes:espace_structure", "comptes:espace_elu"]
)
def test_chaque_espace_mene_aux_jetons(client, comptes, url):
    role = {"comptes:espace_conseiller": "conseiller", "comptes:espace_structure": "referent"}
    client.force_login(comptes[role.get(url, "elu")])
    assert reverse("comptes:jetons") in client.get(reverse(url)).content.decode()


def test_l_espace_coordination_mene_aux_jetons(client_de):
    reponse = client_de("coordinateur").get(reverse("comptes:espace_coordination"))
    assert reverse("comptes:jetons") in reponse.content.decode()


# -- the inactive-account purge ------------------------------------------------------


def test_la_purge_garde_un_compte_qui_utilise_l_api(client, comptes):
    """No login for 30 months, but its token used today: the account is active."""
    par_l_api = comptes["conseiller"]
    oublie = comptes["elu"]
    jeton = _obtenir(client, par_l_api)["token"]
    il_y_a_30_mois = timezone.now() - dt.timedelta(days=900)
    User.objects.filter(pk__in=[par_l_api.pk, oublie.pk]).update(
        last_login=il_y_a_30_mois, date_joined=il_y_a_30_mois
    )
    assert _moi(client, jeton).status_code == 200
    purger_comptes_inactifs()
    assert User.objects.filter(pk=par_l_api.pk).exists()
    assert not User.objects.filter(pk=oublie.pk).exists()


def test_la_purge_ne_compte_pas_un_jeton_inutilise_depuis_longtemps(comptes):
    user = comptes["referent"]
    jeton, _ = creer_jeton(user)
    loin = timezone.now() - dt.timedelta(days=900)
    User.objects.filter(pk=user.pk).update(last_login=loin, date_joined=loin)
    JetonApi.objects.filter(pk=jeton.pk).update(dernier_usage=loin)
    assert purger_comptes_inactifs().nombre == 1
    assert not User.objects.filter(pk=user.pk).exists()
    assert not JetonApi.objects.exists()


def test_la_purge_supprime_les_jetons_expires_avant_sa_limite(comptes):
    user = comptes["coordinateur"]
    vieux, _ = creer_jeton(user, libelle="vieux")
    recent, _ = creer_jeton(user, libelle="récent")
    JetonApi.objects.filter(pk=vieux.pk).update(expiry=timezone.now() - dt.timedelta(days=800))
    JetonApi.objects.filter(pk=recent.pk).update(expiry=timezone.now() - dt.timedelta(days=10))
    resultat = purger_comptes_inactifs()
    assert resultat.jetons == 1
    assert "1 jeton d'API expiré avant cette date supprimé" in resultat.resume()
    assert list(JetonApi.objects.values_list("libelle", flat=True)) == ["récent"]


# -- the tokens of DRF's authtoken, taken over ---------------------------------------


def test_les_anciens_jetons_sont_repris_haches_puis_la_table_supprimee(client, comptes):
    import importlib

    from django.apps import apps

    reprise = importlib.import_module("comptes.migrations.0004_reprise_des_jetons_drf")
    user = comptes["coordinateur"]
    ancien = "0123456789abcdef0123456789abcdef01234567"
    cree = timezone.now() - dt.timedelta(days=700)
    with connection.cursor() as curseur:
        curseur.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, created timestamp "
            "with time zone NOT NULL, user_id bigint NOT NULL)"
        )
        curseur.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [ancien, cree, user.pk])
    with connection.schema_editor() as editeur:
        reprise.reprendre_les_jetons(apps, editeur)
    assert "authtoken_token" not in connection.introspection.table_names()
    repris = JetonApi.objects.de(user).get()
    assert repris.created == cree
    assert repris.digest != ancien and ancien not in repris.digest
    assert dt.timedelta(days=29) < repris.expiry - timezone.now() <= dt.timedelta(days=30)
    assert _moi(client, ancien).status_code == 200
