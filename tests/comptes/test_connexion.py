import re

import pytest
from django.core import mail
from django.urls import reverse

from comptes.models import TerritoireUtilisateur, User
from tests.comptes.factories import MOT_DE_PASSE, UserFactory

pytestmark = pytest.mark.django_db


def _connexion(client, email, mot_de_passe):
    return client.post(reverse("comptes:connexion"), {"username": email, "password": mot_de_passe})


@pytest.mark.parametrize(
    ("role", "espace"),
    [
        ("coordinateur", "/espace/coordination/"),
        ("conseiller", "/espace/conseiller/"),
        ("referent", "/espace/structure/"),
        ("elu", "/espace/elu/"),
        ("staff", "/admin/"),
    ],
)
def test_connexion_par_courriel_mene_a_l_espace_du_role(client, comptes, role, espace):
    user = comptes[role]
    reponse = _connexion(client, user.email.upper(), MOT_DE_PASSE)
    assert reponse.status_code == 302
    reponse = client.get(reponse.url)
    assert reponse.status_code == 302
    assert reponse.url == espace


def test_mauvais_mot_de_passe_message_francais(client, comptes):
    reponse = _connexion(client, comptes["conseiller"].email, "faux")
    assert reponse.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in reponse.content.decode()


def test_cinq_echecs_verrouillent_le_compte(client, comptes):
    email = comptes["conseiller"].email
    for _ in range(4):
        assert _connexion(client, email, "faux").status_code == 200
    reponse = _connexion(client, email, "faux")
    assert reponse.status_code == 429
    assert "Compte temporairement bloqué" in reponse.content.decode()
    # even the right password is refused while locked, from any address
    reponse = client.post(
        reverse("comptes:connexion"),
        {"username": email, "password": MOT_DE_PASSE},
        REMOTE_ADDR="10.9.8.7",
    )
    assert reponse.status_code == 429
    assert "bloqué pendant 15 minutes" in reponse.content.decode()
    # another account is not affected
    assert _connexion(client, comptes["elu"].email, MOT_DE_PASSE).status_code == 302


def test_verrou_leve_apres_le_delai(client, comptes, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    email = comptes["conseiller"].email
    for _ in range(5):
        _connexion(client, email, "faux")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(minutes=16)
    )
    assert _connexion(client, email, MOT_DE_PASSE).status_code == 302


def test_jeton_api_verrouille_aussi(client, comptes):
    email = comptes["conseiller"].email
    for _ in range(5):
        client.post("/api/v1/jeton/", {"username": email, "password": "faux"})
    reponse = client.post("/api/v1/jeton/", {"username": email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 429
    assert "bloqué pendant 15 minutes" in reponse.json()["detail"]


def _graphies(email: str) -> list[str]:
    return [email, email.upper(), email.capitalize(), email.swapcase(), f" {email} "]


def test_changer_la_casse_du_courriel_ne_contourne_pas_le_verrou(client, comptes):
    """Each spelling of the e-mail counts against the same account: five failures, then
    the right password under a sixth spelling is refused."""
    graphies = _graphies(comptes["conseiller"].email)
    for graphie in graphies:
        _connexion(client, graphie, "faux")
    reponse = _connexion(client, comptes["conseiller"].email.title(), MOT_DE_PASSE)
    assert reponse.status_code == 429
    for graphie in graphies:
        reponse = client.post("/api/v1/jeton/", {"username": graphie, "password": MOT_DE_PASSE})
        assert reponse.status_code == 429, graphie


def test_jeton_api_verrouille_quelle_que_soit_la_casse(client, comptes):
    graphies = _graphies(comptes["elu"].email)
    for graphie in graphies:
        client.post("/api/v1/jeton/", {"username": graphie, "password": "faux"})
    reponse = client.post(
        "/api/v1/jeton/", {"username": comptes["elu"].email.title(), "password": MOT_DE_PASSE}
    )
    assert reponse.status_code == 429
    assert _connexion(client, comptes["elu"].email, MOT_DE_PASSE).status_code == 429


def test_reinitialisation_quelle_que_soit_la_casse(client, comptes):
    reponse = client.post(
        reverse("comptes:reinitialisation"), {"email": f"  {comptes['elu'].email.upper()} "}
    )
    assert reponse.status_code == 302
    assert [m.to for m in mail.outbox] == [[comptes["elu"].email]]


def test_les_courriels_sont_enregistres_normalises(db):
    assert UserFactory(email="Camille.Martin@Exemple.FR").email == "camille.martin@exemple.fr"


def test_jeton_api_puis_appel_authentifie(client, comptes):
    user = comptes["coordinateur"]
    reponse = client.post("/api/v1/jeton/", {"username": user.email, "password": MOT_DE_PASSE})
    assert reponse.status_code == 200
    jeton = reponse.json()["token"]
    moi = client.get("/api/v1/moi/", HTTP_AUTHORIZATION=f"Token {jeton}")
    assert moi.status_code == 200
    assert moi.json()["role"] == "coordinateur"
    assert moi.json()["territoires"] == [
        {"niveau": "epci", "code": "247200132", "nom": "CU Le Mans Métropole"}
    ]
    assert client.get("/api/v1/moi/", HTTP_AUTHORIZATION="Token faux").status_code == 401


def test_deconnexion(client, comptes):
    client.force_login(comptes["elu"])
    reponse = client.post(reverse("comptes:deconnexion"))
    assert reponse.status_code == 302
    assert client.get("/espace/elu/").status_code == 302


def test_reinitialisation_du_mot_de_passe(client, comptes):
    user = comptes["referent"]
    reponse = client.post(reverse("comptes:reinitialisation"), {"email": user.email})
    assert reponse.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Réinitialisation de votre mot de passe" in message.subject
    lien = re.search(r"https?://[^/]+(/mot-de-passe/nouveau/\S+)", message.body).group(1)
    reponse = client.get(lien, follow=True)
    assert "Nouveau mot de passe" in reponse.content.decode()
    formulaire = reponse.redirect_chain[-1][0]
    reponse = client.post(formulaire, {"new_password1": "court", "new_password2": "court"})
    assert "Ce mot de passe est trop court" in reponse.content.decode()
    nouveau = "une-phrase-de-passe-neuve-2026"
    reponse = client.post(formulaire, {"new_password1": nouveau, "new_password2": nouveau})
    assert reponse.status_code == 302
    user.refresh_from_db()
    assert user.check_password(nouveau)


def test_reinitialisation_adresse_inconnue_ne_revele_rien(client, db):
    reponse = client.post(reverse("comptes:reinitialisation"), {"email": "inconnu@exemple.test"})
    assert reponse.status_code == 302
    assert not mail.outbox


def test_changement_de_mot_de_passe(client, comptes):
    user = comptes["elu"]
    client.force_login(user)
    url = reverse("comptes:changement_mot_de_passe")
    reponse = client.post(url, {"old_password": "faux", "new_password1": "x", "new_password2": "x"})
    contenu = reponse.content.decode()
    assert "Votre ancien mot de passe est incorrect" in contenu
    assert 'aria-invalid="true"' in contenu
    nouveau = "encore-une-phrase-de-passe-2026"
    reponse = client.post(
        url, {"old_password": MOT_DE_PASSE, "new_password1": nouveau, "new_password2": nouveau}
    )
    assert reponse.status_code == 302


def test_contraintes_du_modele(geographie):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError, match="Un compte actif a un rôle"):
        User.objects.create_user("sans-role@exemple.test", "x" * 12, role="")
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoireUtilisateur.objects.create(
            user=user, commune=geographie["le_mans"], epci=geographie["metropole"]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoireUtilisateur.objects.create(user=user)
    assert User.objects.create_user("Majuscules@Exemple.TEST", "x" * 12, role="elu").email == (
        "majuscules@exemple.test"
    )
