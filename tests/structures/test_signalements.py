"""The public's error reports in the back-office: whoever keeps a site handles them; a
coordinator of the site's territory follows each one (state, assignee, note) and the
visitor who left an address gets the answer by e-mail when it is closed. Retention."""

import datetime as dt
import html

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from structures.models import Signalement
from tests.comptes.factories import UserFactory
from tests.structures.factories import LieuFactory
from tests.structures.test_gestion import lieu_le_mans_du_referent

pytestmark = pytest.mark.django_db

LISTE = reverse("structures:signalements")


@pytest.fixture
def signalements(geographie):
    du_referent = lieu_le_mans_du_referent(geographie)
    autre_du_mans = LieuFactory(commune=geographie["le_mans"], nom="Mairie annexe")
    angers = LieuFactory(commune=geographie["angers_commune"], nom="Bibliothèque d'Angers")
    return {
        "referent": Signalement.objects.create(lieu=du_referent, message="Horaires faux"),
        "mans": Signalement.objects.create(
            lieu=autre_du_mans, message="Adresse\nincomplète", courriel="habitant@exemple.fr"
        ),
        "corrige": Signalement.objects.create(lieu=autre_du_mans, message="Vu", statut="corrige"),
        "angers": Signalement.objects.create(lieu=angers, message="Fermé"),
    }


def _vus(reponse) -> set[int]:
    return {s.pk for s in reponse.context["page"]}


def _texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def test_chacun_voit_les_signalements_des_lieux_qu_il_tient(client_de, signalements):
    s = signalements
    assert _vus(client_de("coordinateur").get(LISTE)) == {s["referent"].pk, s["mans"].pk}
    assert _vus(client_de("referent").get(LISTE)) == {s["referent"].pk}
    assert _vus(client_de("coordinateur_autre_territoire").get(LISTE)) == {s["angers"].pk}
    corriges = client_de("coordinateur").get(LISTE, {"statut": "corrige"})
    assert _vus(corriges) == {s["corrige"].pk}
    tous = client_de("coordinateur").get(LISTE, {"statut": "tous"})
    assert _vus(tous) == {s["referent"].pk, s["mans"].pk, s["corrige"].pk}
    # an unknown filter falls back to the open ones
    assert _vus(client_de("coordinateur").get(LISTE, {"statut": "x"})) == {
        s["referent"].pk,
        s["mans"].pk,
    }


def test_suivis_par_moi(client_de, comptes, signalements):
    Signalement.objects.tous().filter(pk=signalements["mans"].pk).update(
        assigne_a=comptes["coordinateur"], statut="en_cours"
    )
    client = client_de("coordinateur")
    assert _vus(client.get(LISTE, {"suivi": "moi"})) == {signalements["mans"].pk}
    assert _vus(client.get(LISTE, {"statut": "en_cours"})) == {signalements["mans"].pk}
    page = _texte(client.get(LISTE))
    assert "En cours" in page and "suivi par" in page


def test_nombre_de_requetes_de_la_liste(client_de, signalements, django_assert_num_queries):
    client = client_de("coordinateur")
    client.get(LISTE)
    for _ in range(15):
        Signalement.objects.create(lieu=signalements["mans"].lieu, message="Encore")
    # session, user, territories, count, page (sites, communes and assignees joined)
    with django_assert_num_queries(5):
        reponse = client.get(LISTE, {"statut": "tous"})
    assert reponse.context["page"].paginator.count == 18


def test_confier_noter_puis_corriger_avec_une_reponse(client_de, comptes, signalements):
    client = client_de("coordinateur")
    url = reverse("structures:signalement", args=[signalements["mans"].pk])
    page = _texte(client.get(url))
    assert "Adresse<br>incomplète" in page
    assert reverse("structures:modifier_lieu", args=[signalements["mans"].lieu_id]) in page
    assert "habitant@exemple.fr" in page
    mail.outbox.clear()
    reponse = client.post(
        url,
        {
            "statut": "en_cours",
            "assigne_a": comptes["coordinateur"].pk,
            "note": "Appeler la mairie annexe",
            "reponse": "",
        },
    )
    assert reponse.status_code == 302
    s = Signalement.objects.tous().get(pk=signalements["mans"].pk)
    assert (s.statut, s.assigne_a, s.note) == ("en_cours", comptes["coordinateur"], s.note)
    assert s.note == "Appeler la mairie annexe" and s.clos_le is None
    assert mail.outbox == []

    reponse = client.post(
        url,
        {
            "statut": "corrige",
            "assigne_a": comptes["coordinateur"].pk,
            "note": "Adresse corrigée",
            "repondre": "on",
            "reponse": "L'adresse est corrigée : 12 rue de la Paix.",
        },
        follow=True,
    )
    assert "et la réponse envoyée à habitant@exemple.fr." in _texte(reponse)
    (courriel,) = mail.outbox
    assert courriel.to == ["habitant@exemple.fr"]
    assert courriel.subject == "Votre signalement sur la page «\u202fMairie annexe\u202f»"
    assert "L'adresse est corrigée : 12 rue de la Paix." in courriel.body
    assert f"/lieux/{s.lieu_id}/" in courriel.body
    s.refresh_from_db()
    assert s.statut == "corrige" and s.clos_le and s.repondu_le
    assert s.reponse == "L'adresse est corrigée : 12 rue de la Paix."
    # answered once: the form no longer offers it
    page = client.get(url)
    assert "repondre" not in page.context["form"].fields
    assert "Réponse envoyée" in _texte(page)


def test_reponse_refusee_sans_texte_ou_sans_cloture(client_de, signalements):
    client = client_de("coordinateur")
    url = reverse("structures:signalement", args=[signalements["mans"].pk])
    mail.outbox.clear()
    vide = client.post(url, {"statut": "rejete", "repondre": "on", "reponse": " "})
    assert vide.status_code == 200
    assert "Écrivez la réponse à envoyer, ou décochez l'envoi par courriel." in _texte(vide)
    assert Signalement.objects.tous().get(pk=signalements["mans"].pk).statut == "nouveau"
    # still open: saved, the answer waits for the closing
    ouvert = client.post(url, {"statut": "en_cours", "repondre": "on", "reponse": "Merci"})
    assert ouvert.status_code == 302
    s = Signalement.objects.tous().get(pk=signalements["mans"].pk)
    assert (s.statut, s.repondu_le, s.reponse) == ("en_cours", None, "")
    assert mail.outbox == []


def test_seul_un_coordinateur_du_territoire_peut_suivre(client_de, comptes, signalements):
    client = client_de("coordinateur")
    url = reverse("structures:signalement", args=[signalements["mans"].pk])
    angers = comptes["coordinateur_autre_territoire"]
    reponse = client.post(url, {"statut": "en_cours", "assigne_a": angers.pk})
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in _texte(reponse)
    assert Signalement.objects.tous().get(pk=signalements["mans"].pk).assigne_a is None
    # a referent of the territory is not offered either
    choix = {u.pk for u in reponse.context["form"].fields["assigne_a"].queryset}
    assert choix == {comptes["coordinateur"].pk}
    # another territory's report does not exist for this coordinator
    autre = reverse("structures:signalement", args=[signalements["angers"].pk])
    assert client.get(autre).status_code == 404
    assert client.post(autre, {"statut": "corrige"}).status_code == 404
    assert Signalement.objects.tous().get(pk=signalements["angers"].pk).statut == "nouveau"


def test_un_courriel_refuse_n_enregistre_rien(client_de, signalements, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError("serveur de courriel injoignable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    client = client_de("coordinateur")
    client.raise_request_exception = False
    url = reverse("structures:signalement", args=[signalements["mans"].pk])
    reponse = client.post(url, {"statut": "corrige", "repondre": "on", "reponse": "Corrigé."})
    assert reponse.status_code == 500
    s = Signalement.objects.tous().get(pk=signalements["mans"].pk)
    assert (s.statut, s.repondu_le, s.clos_le) == ("nouveau", None, None)


def test_rouvrir_efface_la_date_de_cloture(client_de, signalements):
    client = client_de("coordinateur")
    url = reverse("structures:signalement", args=[signalements["corrige"].pk])
    client.post(url, {"statut": "rejete"})
    s = Signalement.objects.tous().get(pk=signalements["corrige"].pk)
    assert s.statut == "rejete" and s.clos_le
    client.post(url, {"statut": "en_cours"})
    assert Signalement.objects.tous().get(pk=s.pk).clos_le is None


def test_purge_des_signalements_anciens(geographie, settings):
    settings.SIGNALEMENTS_CONSERVATION_MOIS = 12
    lieu = LieuFactory(commune=geographie["le_mans"])
    ancien = Signalement.objects.create(lieu=lieu, message="Vieux", courriel="a@exemple.fr")
    recent = Signalement.objects.create(lieu=lieu, message="Récent")
    Signalement.objects.tous().filter(pk=ancien.pk).update(
        cree_le=timezone.now() - dt.timedelta(days=400)
    )
    from io import StringIO

    sortie = StringIO()
    call_command("purger_signalements", "--dry-run", stdout=sortie)
    assert "1 signalement d'erreur reçu avant le" in sortie.getvalue()
    assert "simulation" in sortie.getvalue()
    assert Signalement.objects.tous().count() == 2
    sortie = StringIO()
    call_command("purger_signalements", stdout=sortie)
    assert "conservation\u00a0: 12\u00a0mois" in sortie.getvalue()
    assert list(Signalement.objects.tous().values_list("pk", flat=True)) == [recent.pk]


def test_purge_refuse_une_duree_nulle():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="au moins un mois"):
        call_command("purger_signalements", "--mois", "0")


def test_un_coordinateur_du_departement_peut_suivre(client_de, comptes, geographie, signalements):
    departement = UserFactory(role=Role.COORDINATEUR, territoires=[geographie["sarthe"]])
    url = reverse("structures:signalement", args=[signalements["mans"].pk])
    reponse = client_de("coordinateur").post(
        url, {"statut": "en_cours", "assigne_a": departement.pk}
    )
    assert reponse.status_code == 302
    assert Signalement.objects.tous().get(pk=signalements["mans"].pk).assigne_a == departement
