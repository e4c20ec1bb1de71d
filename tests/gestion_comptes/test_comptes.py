"""The accounts' back office: invitations, role and territories, attachments,
deactivation, the bulk invitation, the audit trail, and the scope of each manager."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comptes import services
from comptes.enums import Role
from comptes.models import Invitation, JetonApi, User
from conseillers.models import Conseiller
from gestion_comptes import services as gestion
from tests.comptes.factories import MOT_DE_PASSE, UserFactory
from tests.conseillers.factories import ConseillerFactory
from tests.structures.factories import StructureFactory

pytestmark = pytest.mark.django_db

NOUVEAU = "une-phrase-de-passe-toute-neuve-2027"
CSV_ENTETE = "courriel;prenom;nom;role;structure_siret\r\n"


def _lien(courriel) -> str:
    return re.search(r"https?://\S+/invitation/\S+/", courriel.body).group(0)


def _chemin(lien: str) -> str:
    return "/" + lien.split("/", 3)[3]


@pytest.fixture
def coordinateur(comptes):
    return comptes["coordinateur"]


def _inviter_par_la_page(client, capture, **donnees):
    corps = {"email": "anne.martin@exemple.test", "role": "elu", "territoires": ["epci:247200132"]}
    corps.update(donnees)
    with capture(execute=True):
        return client.post(reverse("gestion_comptes:inviter"), corps)


# -- invitation, acceptance, expiry --------------------------------------------------------


def test_invitation_envoyee_puis_acceptee(client_de, django_capture_on_commit_callbacks):
    client = client_de("coordinateur")
    mail.outbox.clear()
    reponse = _inviter_par_la_page(
        client,
        django_capture_on_commit_callbacks,
        email=" Anne.Martin@Exemple.test ",
        prenom="Anne",
        nom="Martin",
    )
    invite = User.objects.get(email="anne.martin@exemple.test")
    assert reponse.status_code == 302 and reponse.url == reverse(
        "gestion_comptes:compte", args=[invite.pk]
    )
    assert invite.etat == "invite" and not invite.has_usable_password()
    assert [t.epci_id for t in invite.territoires.all()] == ["247200132"]
    (courriel,) = mail.outbox
    assert courriel.to == ["anne.martin@exemple.test"]
    assert "valable 7 jours" in courriel.body and "Bonjour Anne," in courriel.body
    assert "\u00a0:" in courriel.body and " :" not in courriel.body
    lien = _lien(courriel)

    anonyme = Client()
    page = anonyme.get(_chemin(lien))
    assert "Activer votre compte" in page.content.decode() and "anne.martin@exemple.test" in (
        page.content.decode()
    )
    trop_court = anonyme.post(_chemin(lien), {"new_password1": "court", "new_password2": "court"})
    assert (
        trop_court.status_code == 200 and not User.objects.get(pk=invite.pk).has_usable_password()
    )
    reponse = anonyme.post(_chemin(lien), {"new_password1": NOUVEAU, "new_password2": NOUVEAU})
    assert reponse.status_code == 302 and reponse.url == reverse("comptes:connexion")
    invite.refresh_from_db()
    assert invite.check_password(NOUVEAU) and invite.etat == "actif"
    assert invite.invitations.get().acceptee_le is not None
    # the link is spent
    assert "n'est plus valable" in anonyme.get(_chemin(lien)).content.decode()
    connexion = anonyme.post(
        reverse("comptes:connexion"), {"username": invite.email, "password": NOUVEAU}
    )
    assert connexion.status_code == 302 and anonyme.session[SESSION_KEY] == str(invite.pk)


def test_lien_expire_annule_ou_remplace(comptes, geographie, django_capture_on_commit_callbacks):
    staff = comptes["staff"]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.inviter(
            par=staff, email="x@exemple.test", role=Role.ELU, territoires=[geographie["le_mans"]]
        )
    premier = _chemin(_lien(mail.outbox[-1]))
    client = Client()
    assert "Enregistrer mon mot de passe" in client.get(premier).content.decode()

    # sent again: the first link stops working, the new one works, for the whole duration
    with django_capture_on_commit_callbacks(execute=True):
        services.renvoyer_invitation(par=staff, cible=invitation.user)
    second = _chemin(_lien(mail.outbox[-1]))
    assert second != premier
    assert "n'est plus valable" in client.get(premier).content.decode()
    assert "Enregistrer mon mot de passe" in client.get(second).content.decode()

    # past its date
    Invitation.objects.filter(pk=invitation.pk).update(expire_le=timezone.now())
    assert "n'est plus valable" in client.get(second).content.decode()
    reponse = client.post(second, {"new_password1": NOUVEAU, "new_password2": NOUVEAU})
    assert reponse.status_code == 200
    assert not User.objects.get(pk=invitation.user_id).has_usable_password()

    # a signature older than the setting's duration is refused even if the row says valid
    with django_capture_on_commit_callbacks(execute=True):
        services.renvoyer_invitation(par=staff, cible=invitation.user)
    troisieme = _chemin(_lien(mail.outbox[-1]))
    from django.core import signing

    vieux = signing.TimestampSigner(salt=services.SEL_INVITATION)
    vieux.timestamp = lambda: signing.b62_encode(
        int((timezone.now() - dt.timedelta(days=8)).timestamp())
    )
    jeton = str(Invitation.objects.ouvertes().get(user=invitation.user).jeton)
    assert "Enregistrer" in client.get(troisieme).content.decode()
    perime = reverse("comptes:invitation", args=[vieux.sign(jeton)])
    assert "n'est plus valable" in client.get(perime).content.decode()

    # cancelled
    services.annuler_invitation(par=staff, cible=invitation.user)
    assert "n'est plus valable" in client.get(troisieme).content.decode()


def test_une_adresse_deja_inscrite_est_refusee(
    client_de, comptes, django_capture_on_commit_callbacks
):
    client = client_de("coordinateur")
    existant = comptes["elu"]
    mail.outbox.clear()
    reponse = _inviter_par_la_page(
        client, django_capture_on_commit_callbacks, email=existant.email.upper()
    )
    assert reponse.status_code == 200
    assert "Un compte existe déjà avec cette adresse électronique." in reponse.content.decode()
    assert mail.outbox == []


def test_un_referent_s_invite_avec_sa_structure(
    client_de, geographie, django_capture_on_commit_callbacks
):
    structure = StructureFactory(commune=geographie["le_mans"], nom="Centre social Bellevue")
    ailleurs = StructureFactory(commune=geographie["angers_commune"], nom="CCAS d'Angers")
    client = client_de("coordinateur")
    sans = _inviter_par_la_page(client, django_capture_on_commit_callbacks, role="referent")
    assert "Choisissez la structure de ce référent." in sans.content.decode()
    hors = _inviter_par_la_page(
        client, django_capture_on_commit_callbacks, role="referent", structure=ailleurs.pk
    )
    assert hors.status_code == 200 and not User.objects.filter(email="anne.martin@exemple.test")
    _inviter_par_la_page(
        client, django_capture_on_commit_callbacks, role="referent", structure=structure.pk
    )
    invite = User.objects.get(email="anne.martin@exemple.test")
    assert list(structure.referents.all()) == [invite]
    actions = [e["action"] for e in _journal(client, invite)]
    assert "rattaché à la structure « Centre social Bellevue »" in actions


def _journal(client, compte):
    return client.get(reverse("gestion_comptes:compte", args=[compte.pk])).context["journal"]


# -- role, territories, attachment, deactivation -----------------------------------------


def test_modifier_role_et_territoires_dans_le_journal(client_de, comptes, geographie):
    client = client_de("coordinateur")
    cible = UserFactory(role=Role.ELU, territoires=[geographie["le_mans"]])
    reponse = client.post(
        reverse("gestion_comptes:compte", args=[cible.pk]),
        {"role": "conseiller", "territoires": ["epci:247200132", "commune:72386"]},
    )
    assert reponse.status_code == 302
    cible.refresh_from_db()
    assert cible.role == Role.CONSEILLER
    journal = _journal(client, cible)
    assert journal[0]["action"].startswith(
        "rôle et territoires modifiés (territoires\u00a0: Le Mans"
    )
    assert journal[0]["auteur"] == comptes["coordinateur"]
    assert {
        "champ": "rôle",
        "avant": "élu ou financeur",
        "apres": "conseiller ou conseillère numérique",
    } in journal[0]["changements"]
    # the date written out, as in prose: « le 8 décembre 2026 à 1 h 25 »
    from commun import formats

    page = client.get(reverse("gestion_comptes:compte", args=[cible.pk])).content.decode()
    moment = journal[0]["le"]
    quand = f"le {formats.date_longue(moment, avec_jour=False)} à {formats.heure(moment)} par"
    assert quand in html.unescape(page)
    assert f"le {timezone.localtime(moment):%d/%m/%Y}" not in page


def test_une_connexion_n_ecrit_pas_dans_le_journal(comptes):
    elu = comptes["elu"]
    versions = elu.history.count()
    assert (
        Client()
        .post(reverse("comptes:connexion"), {"username": elu.email, "password": MOT_DE_PASSE})
        .status_code
        == 302
    )
    assert elu.history.count() == versions


def test_rattacher_un_conseiller_a_son_profil(client_de, geographie):
    client = client_de("coordinateur")
    cible = UserFactory(role=Role.CONSEILLER, territoires=[geographie["le_mans"]])
    profil = ConseillerFactory(commune=geographie["le_mans"], email="profil@exemple.test")
    autre = ConseillerFactory(commune=geographie["angers_commune"], email="angers@exemple.test")
    refuse = client.post(
        reverse("gestion_comptes:rattacher", args=[cible.pk]), {"conseiller": autre.pk}
    )
    assert refuse.status_code == 200
    assert "Ce choix n'est pas de votre territoire" in html.unescape(refuse.content.decode())
    assert (
        client.post(
            reverse("gestion_comptes:rattacher", args=[cible.pk]),
            {"structure": StructureFactory(commune=geographie["le_mans"]).pk},
        ).status_code
        == 200
    )  # an advisor is not a referent
    assert (
        client.post(
            reverse("gestion_comptes:rattacher", args=[cible.pk]), {"conseiller": profil.pk}
        ).status_code
        == 302
    )
    assert Conseiller.objects.tous().get(pk=profil.pk).user == cible
    assert autre.user is None


def test_desactiver_ferme_les_sessions_et_revoque_les_jetons(client_de, comptes, geographie):
    cible = UserFactory(role=Role.ELU, territoires=[geographie["le_mans"]])
    navigateur = Client()
    navigateur.force_login(cible)
    autre = Client()
    autre.force_login(comptes["elu"])
    services.creer_jeton(cible, libelle="tableur")
    assert navigateur.get(reverse("comptes:espace_elu")).status_code == 200

    client = client_de("coordinateur")
    reponse = client.post(reverse("gestion_comptes:desactiver", args=[cible.pk]))
    assert reponse.status_code == 302
    cible.refresh_from_db()
    assert not cible.is_active and cible.etat == "desactive"
    assert not JetonApi.objects.filter(user=cible).exists()
    assert navigateur.get(reverse("comptes:espace_elu")).status_code == 302  # to the login page
    assert autre.get(reverse("comptes:espace_elu")).status_code == 200  # others stay
    assert (
        Client()
        .post(reverse("comptes:connexion"), {"username": cible.email, "password": MOT_DE_PASSE})
        .status_code
        == 200
    )
    assert _journal(client, cible)[0]["action"].startswith("compte désactivé")

    client.post(reverse("gestion_comptes:reactiver", args=[cible.pk]))
    cible.refresh_from_db()
    assert cible.is_active and cible.check_password(MOT_DE_PASSE)


def test_desactiver_annule_l_invitation(comptes, geographie):
    invitation = services.inviter(
        par=comptes["staff"],
        email="y@exemple.test",
        role=Role.ELU,
        territoires=[geographie["le_mans"]],
    )
    services.desactiver_compte(par=comptes["coordinateur"], cible=invitation.user)
    assert (
        services.invitation_du_lien(
            services.lien_d_invitation(invitation).rstrip("/").rsplit("/", 1)[1]
        )
        is None
    )
    assert not Invitation.objects.ouvertes().exists()


# -- scope: never another territory, never wider, never a role not held -----------------

# key offered or crafted -> the coordinators within whose territory it lies
# (coordinateur: Le Mans Métropole; coordinateur_autre_territoire: Angers Loire Métropole)
METROPOLE, ANGERS = "coordinateur", "coordinateur_autre_territoire"
TERRITOIRES = {
    "commune:72181": {METROPOLE},
    "commune:72386": {METROPOLE},
    "epci:247200132": {METROPOLE},
    "departement:72": set(),  # wider: a département is granted by who holds it
    "epci:244900015": {ANGERS},
    "commune:49007": {ANGERS},
    "departement:49": set(),
    "region:52": set(),  # not a level
    "commune:99999": set(),  # unknown
}
ROLES_DEMANDES = ["coordinateur", "conseiller", "referent", "elu", "", "staff", "superuser"]
ROLES_ACCORDES = {"coordinateur", "conseiller", "referent", "elu"}


@pytest.mark.parametrize("role_demande", ROLES_DEMANDES)
@pytest.mark.parametrize("territoire", sorted(TERRITOIRES))
@pytest.mark.parametrize(
    "qui", ["coordinateur", "coordinateur_autre_territoire", "conseiller", "referent", "elu"]
)
def test_inviter_jamais_plus_large(client_de, comptes, geographie, qui, territoire, role_demande):
    """Every account × every role asked × every territory, through crafted POSTs."""
    commune = geographie["angers_commune" if qui == ANGERS else "le_mans"]
    structure = StructureFactory(commune=commune)
    client = client_de(qui)
    mail.outbox.clear()
    donnees = {"email": "cible@exemple.test", "role": role_demande, "territoires": [territoire]}
    if role_demande == "referent":
        donnees["structure"] = structure.pk
    reponse = client.post(reverse("gestion_comptes:inviter"), donnees)
    permis = qui in TERRITOIRES[territoire] and role_demande in ROLES_ACCORDES
    cree = User.objects.filter(email="cible@exemple.test").first()
    if permis:
        assert reponse.status_code == 302 and cree.role == role_demande
        assert not cree.is_staff and not cree.is_superuser
    else:
        assert reponse.status_code == (200 if qui.startswith("coordinateur") else 403)
        assert cree is None
        if reponse.status_code == 200:
            assert "aria-invalid" in reponse.content.decode()


@pytest.mark.parametrize("territoire", ["sarthe", "maine", "angers", "angers_commune"])
def test_le_service_refuse_un_territoire_plus_large(comptes, geographie, territoire):
    """The service checks again, whatever the form offered."""
    with pytest.raises(ValidationError) as erreur:
        services.inviter(
            par=comptes["coordinateur"],
            email="z@exemple.test",
            role=Role.ELU,
            territoires=[geographie[territoire]],
        )
    assert "hors de votre territoire" in str(erreur.value)
    assert not User.objects.filter(email="z@exemple.test").exists()


@pytest.mark.parametrize("qui", ["conseiller", "referent", "elu"])
def test_les_autres_roles_ne_gerent_rien(comptes, geographie, qui):
    with pytest.raises(PermissionDenied):
        services.inviter(
            par=comptes[qui],
            email="z@exemple.test",
            role=Role.ELU,
            territoires=[geographie["le_mans"]],
        )
    with pytest.raises(PermissionDenied):
        services.desactiver_compte(par=comptes[qui], cible=comptes["elu"])


def test_un_compte_plus_large_se_voit_sans_se_modifier(client_de, comptes, geographie):
    """A Sarthe-wide account meets the métropole: listed, but neither changed nor
    deactivated by the métropole's coordinator; nor is the coordinator itself."""
    large = UserFactory(role=Role.COORDINATEUR, territoires=[geographie["sarthe"]])
    client = client_de("coordinateur")
    page = client.get(reverse("gestion_comptes:compte", args=[large.pk]))
    assert page.status_code == 200 and not page.context["modifiable"]
    assert "plus large que le vôtre" in page.content.decode()
    for nom in ("desactiver", "reactiver", "renvoyer_invitation", "annuler_invitation"):
        assert client.post(reverse(f"gestion_comptes:{nom}", args=[large.pk])).status_code == 403
    assert (
        client.post(
            reverse("gestion_comptes:compte", args=[large.pk]),
            {"role": "elu", "territoires": ["commune:72181"]},
        ).status_code
        == 403
    )
    soi = comptes["coordinateur"]
    assert client.post(reverse("gestion_comptes:desactiver", args=[soi.pk])).status_code == 403
    large.refresh_from_db()
    soi.refresh_from_db()
    assert large.is_active and large.role == Role.COORDINATEUR and soi.is_active


def test_liste_limitee_au_territoire(client_de, comptes, geographie, django_assert_num_queries):
    angevin = UserFactory(
        role=Role.ELU, email="angevin@exemple.test", territoires=[geographie["angers_commune"]]
    )
    client = client_de("coordinateur")
    page = client.get(reverse("gestion_comptes:liste"))
    emails = {c.email for c in page.context["page"]}
    assert comptes["elu"].email in emails and comptes["referent"].email in emails
    assert angevin.email not in emails and comptes["staff"].email not in emails
    assert comptes["coordinateur_autre_territoire"].email not in emails
    assert client.get(reverse("gestion_comptes:compte", args=[angevin.pk])).status_code == 404
    assert (
        client.get(reverse("gestion_comptes:compte", args=[comptes["staff"].pk])).status_code == 404
    )
    autre = client_de("coordinateur_autre_territoire")
    emails = {c.email for c in autre.get(reverse("gestion_comptes:liste")).context["page"]}
    assert angevin.email in emails and comptes["elu"].email not in emails


def test_filtres_de_la_liste(client_de, comptes, geographie):
    services.inviter(
        par=comptes["staff"],
        email="invite@exemple.test",
        role=Role.ELU,
        territoires=[geographie["le_mans"]],
    )
    inactif = UserFactory(role=Role.ELU, is_active=False, territoires=[geographie["le_mans"]])
    client = client_de("coordinateur")

    def emails(**filtres):
        reponse = client.get(reverse("gestion_comptes:liste"), filtres)
        return {c.email for c in reponse.context["page"]}

    assert emails(etat="invite") == {"invite@exemple.test"}
    assert emails(etat="desactive") == {inactif.email}
    assert comptes["elu"].email in emails(etat="actif")
    assert emails(role="referent") == {comptes["referent"].email}
    assert emails(q="INVITE@") == {"invite@exemple.test"}


def test_nombre_de_requetes_de_la_liste(client_de, comptes, geographie, django_assert_num_queries):
    client = client_de("coordinateur")
    client.get(reverse("gestion_comptes:liste"))  # session and caches warmed

    def compter(n):
        for _ in range(n):
            compte = UserFactory(role=Role.REFERENT, territoires=[geographie["le_mans"]])
            StructureFactory(commune=geographie["le_mans"], referents=[compte])
            services.inviter(
                par=comptes["staff"],
                email=f"invite{Invitation.objects.count()}@exemple.test",
                role=Role.ELU,
                territoires=[geographie["le_mans"]],
            )
        with django_assert_num_queries(NOMBRE_DE_REQUETES):
            reponse = client.get(reverse("gestion_comptes:liste"))
        return reponse

    compter(1)
    assert len(compter(10).context["page"]) > 10


# session, user, the user's territories (its perimeter), count, rows, and the rows'
# territories, structures and open invitations
NOMBRE_DE_REQUETES = 8


# -- bulk invitation ----------------------------------------------------------------------


def _envoyer(client, capture, lignes: str, partiel: bool = False, territoires=("epci:247200132",)):
    fichier = SimpleUploadedFile("lot.csv", (CSV_ENTETE + lignes).encode(), "text/csv")
    donnees = {"fichier": fichier, "territoires": list(territoires)}
    if partiel:
        donnees["partiel"] = "on"
    with capture(execute=True):
        return client.post(reverse("gestion_comptes:importer"), donnees)


def test_fichier_avec_une_ligne_fausse_refuse_en_entier(
    client_de, comptes, geographie, django_capture_on_commit_callbacks
):
    StructureFactory(commune=geographie["le_mans"], pivot="43493312300029")
    StructureFactory(commune=geographie["angers_commune"], pivot="12345678900011")
    client = client_de("coordinateur")
    mail.outbox.clear()
    lignes = (
        "a@exemple.test;Anne;Martin;elu;\r\n"
        "b@exemple.test;Bruno;Petit;referent;43493312300029\r\n"
        "c@exemple.test;Chloé;Durand;referent;12345678900011\r\n"
        "pas-une-adresse;D;E;elu;\r\n"
        f"{comptes['elu'].email};F;G;elu;\r\n"
        "a@exemple.test;Anne;Martin;elu;\r\n"
        "h@exemple.test;H;I;staff;\r\n"
        "j@exemple.test;J;K;elu;43493312300029\r\n"
    )
    avant = User.objects.count()
    reponse = _envoyer(client, django_capture_on_commit_callbacks, lignes)
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert "Fichier refusé" in texte and "personne n'est invité" in texte
    erreurs = dict(reponse.context["rapport"].erreurs)
    assert set(erreurs) == {4, 5, 6, 7, 8, 9}
    assert "aucune structure de votre territoire n'a le SIRET « 12345678900011 »" in erreurs[4]
    assert "n'est pas une adresse valide" in erreurs[5]
    assert "un compte existe déjà" in erreurs[6]
    assert "figure déjà plus haut" in erreurs[7]
    assert "le rôle « staff »" in erreurs[8]
    assert "laissez-la vide" in erreurs[9]
    assert "Ligne 4\u00a0: aucune structure" in texte.replace("&nbsp;", "\u00a0")
    assert User.objects.count() == avant and mail.outbox == []

    # the same file, « partiel »: the two good rows only
    reponse = _envoyer(client, django_capture_on_commit_callbacks, lignes, partiel=True)
    assert reponse.status_code == 200
    assert sorted(reponse.context["rapport"].invites) == ["a@exemple.test", "b@exemple.test"]
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.test", "b@exemple.test"]
    referent = User.objects.get(email="b@exemple.test")
    assert referent.structures.get().pivot == "43493312300029"
    assert referent.etat == "invite"


def test_fichier_correct(client_de, geographie, django_capture_on_commit_callbacks):
    profil = ConseillerFactory(commune=geographie["le_mans"], email="cnfs@exemple.test")
    client = client_de("coordinateur")
    mail.outbox.clear()
    reponse = _envoyer(
        client,
        django_capture_on_commit_callbacks,
        "cnfs@exemple.test;Camille;Roux;conseiller;\r\nelu@exemple.test;É;L;Élue;\r\n",
        territoires=["commune:72181"],
    )
    assert reponse.status_code == 302
    assert len(mail.outbox) == 2
    assert Conseiller.objects.tous().get(pk=profil.pk).user.email == "cnfs@exemple.test"
    assert User.objects.get(email="elu@exemple.test").role == Role.ELU


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"courriel;nom\r\na@exemple.test;A\r\n", "Colonnes manquantes"),
        ((CSV_ENTETE + "é@exemple.test;É;É;elu;\r\n").encode("latin-1"), "UTF-8"),
        (CSV_ENTETE.encode(), "aucune ligne"),
    ],
)
def test_fichier_illisible(client_de, contenu, message):
    fichier = SimpleUploadedFile("lot.csv", contenu, "text/csv")
    reponse = client_de("coordinateur").post(
        reverse("gestion_comptes:importer"), {"fichier": fichier, "territoires": ["epci:247200132"]}
    )
    assert reponse.status_code == 200 and message in reponse.content.decode()
    assert not User.objects.filter(email__startswith="a@").exists()


def test_fichier_pour_un_territoire_plus_large(comptes, geographie):
    rapport = gestion.inviter_depuis_fichier(
        par=comptes["coordinateur"],
        contenu=(CSV_ENTETE + "a@exemple.test;A;B;elu;\r\n").encode(),
        territoires=[geographie["sarthe"]],
    )
    assert not rapport.ecrit and "hors de votre territoire" in rapport.erreurs[0][1]
    assert not User.objects.filter(email="a@exemple.test").exists()


def test_controle_de_la_duree_des_invitations(settings):
    from inclusion.checks import verifier_portail

    settings.COMPTES_INVITATION_DUREE_JOURS = 0
    assert "inclusion.E004" in [e.id for e in verifier_portail(None)]
    settings.COMPTES_INVITATION_DUREE_JOURS = 7
    assert "inclusion.E004" not in [e.id for e in verifier_portail(None)]


@pytest.mark.parametrize("role_demande", ["elu", "referent", "", "staff"])
@pytest.mark.parametrize("territoire", sorted(TERRITOIRES))
@pytest.mark.parametrize(
    "qui", ["coordinateur", "coordinateur_autre_territoire", "conseiller", "referent", "elu"]
)
def test_modifier_jamais_plus_large(client_de, geographie, qui, territoire, role_demande):
    """Changing an account of Le Mans: every account × role × territory, crafted POSTs."""
    cible = UserFactory(role=Role.CONSEILLER, territoires=[geographie["le_mans"]])
    reponse = client_de(qui).post(
        reverse("gestion_comptes:compte", args=[cible.pk]),
        {"role": role_demande, "territoires": [territoire]},
    )
    permis = qui == METROPOLE and METROPOLE in TERRITOIRES[territoire]
    permis = permis and role_demande in ROLES_ACCORDES
    cible.refresh_from_db()
    if permis:
        assert reponse.status_code == 302 and cible.role == role_demande
    else:
        attendu = {METROPOLE: 200, ANGERS: 404}.get(qui, 403)
        assert reponse.status_code == attendu
        assert cible.role == Role.CONSEILLER
        assert [t.commune_id for t in cible.territoires.all()] == ["72181"]


@pytest.mark.parametrize("champ", ["prenom", "nom"])
@pytest.mark.parametrize("valeur", ["Anne\r\nBcc: x@y.test", "Anne\x00", "Anne\u2028Bis"])
def test_noms_sur_une_ligne(client_de, django_capture_on_commit_callbacks, champ, valeur):
    mail.outbox.clear()
    reponse = _inviter_par_la_page(
        client_de("coordinateur"), django_capture_on_commit_callbacks, **{champ: valeur}
    )
    assert reponse.status_code == 200
    texte = html.unescape(reponse.content.decode())
    # Django's own check refuses a NUL first, in French too
    assert "sur une seule ligne" in texte or "Le caractère nul n’est pas autorisé." in texte
    assert 'aria-invalid="true"' in texte
    assert not User.objects.filter(email="anne.martin@exemple.test").exists()
    assert mail.outbox == []


def test_fichier_aux_noms_sur_plusieurs_lignes(client_de, django_capture_on_commit_callbacks):
    reponse = _envoyer(
        client_de("coordinateur"),
        django_capture_on_commit_callbacks,
        'a@exemple.test;"Anne\nBcc: x@y.test";Martin;elu;\r\n',
    )
    assert reponse.status_code == 200
    assert dict(reponse.context["rapport"].erreurs)[2].startswith("le prénom ou le nom contient")
    assert not User.objects.filter(email="a@exemple.test").exists()


def test_invitations_sans_reponse_sur_l_accueil(client_de, comptes, geographie):
    """The coordination home counts the invited accounts of the territory only."""
    for email, territoire in [
        ("a@exemple.test", "le_mans"),
        ("b@exemple.test", "yvre"),
        ("c@exemple.test", "angers_commune"),
    ]:
        services.inviter(
            par=comptes["staff"], email=email, role=Role.ELU, territoires=[geographie[territoire]]
        )
    accepte = services.inviter(
        par=comptes["staff"],
        email="d@exemple.test",
        role=Role.ELU,
        territoires=[geographie["le_mans"]],
    )
    services.accepter_invitation(invitation=accepte, mot_de_passe=NOUVEAU)

    def tache(role):
        reponse = client_de(role).get(reverse("comptes:espace_coordination"))
        (t,) = [t for t in reponse.context["taches"] if t.singulier == "invitation sans réponse"]
        return t

    t = tache("coordinateur")
    assert t.nombre == 2 and t.libelle == "invitations sans réponse"
    liste = client_de("coordinateur").get(t.url)
    assert {c.email for c in liste.context["page"]} == {"a@exemple.test", "b@exemple.test"}
    assert tache("coordinateur_autre_territoire").nombre == 1
    assert tache("staff").nombre == 3


def test_fichier_au_nom_trop_long(client_de, django_capture_on_commit_callbacks):
    reponse = _envoyer(
        client_de("coordinateur"),
        django_capture_on_commit_callbacks,
        f"a@exemple.test;Anne;{'M' * 151};elu;\r\n",
    )
    assert reponse.status_code == 200
    assert "la colonne nom dépasse 150 caractères" in dict(reponse.context["rapport"].erreurs)[2]


def test_compte_cree_entre_la_verification_et_l_ecriture(comptes, geographie, monkeypatch):
    """A row valid when checked, refused when written: all rolled back, the row named."""
    verifier = gestion._verifier_ligne

    def puis_creer(par, numero, brute, vues):
        ligne = verifier(par, numero, brute, vues)
        if numero == 3:
            UserFactory(email="b@exemple.test", role=Role.ELU)
        return ligne

    monkeypatch.setattr(gestion, "_verifier_ligne", puis_creer)
    rapport = gestion.inviter_depuis_fichier(
        par=comptes["coordinateur"],
        contenu=(CSV_ENTETE + "a@exemple.test;A;B;elu;\r\nb@exemple.test;B;C;elu;\r\n").encode(),
        territoires=[geographie["le_mans"]],
    )
    assert not rapport.ecrit and rapport.invites == []
    assert rapport.erreurs == [(3, "Un compte existe déjà avec cette adresse électronique.")]
    assert not User.objects.filter(email="a@exemple.test").exists()


def test_structure_saisie_quand_le_territoire_en_a_beaucoup(client_de, geographie, settings):
    """Above SEUIL_AUTOCOMPLETION structures, the structure is typed (suggestions), and the
    server resolves the text within the territory only."""
    settings.SEUIL_AUTOCOMPLETION = 2
    for i in range(3):
        StructureFactory(commune=geographie["le_mans"], nom=f"Maison de quartier {i}")
    sablons = StructureFactory(commune=geographie["le_mans"], nom="Centre social des Sablons")
    StructureFactory(commune=geographie["angers_commune"], nom="Centre social d'Angers")
    client = client_de("coordinateur")
    page = client.get(reverse("gestion_comptes:inviter")).content.decode()
    assert 'data-autocompletion="' in page
    corps = {"email": "typee@exemple.test", "role": "referent", "territoires": ["commune:72181"]}
    angers = client.post(reverse("gestion_comptes:inviter"), {**corps, "structure": "Angers"})
    assert angers.status_code == 200
    assert "Aucun choix possible ne correspond" in html.unescape(angers.content.decode())
    reponse = client.post(reverse("gestion_comptes:inviter"), {**corps, "structure": "Sablons"})
    assert reponse.status_code == 302
    assert list(sablons.referents.values_list("email", flat=True)) == ["typee@exemple.test"]
