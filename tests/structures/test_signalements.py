"""The public's error reports: their limits (per client address, per site) and the
coordinators' daily digest that replaced one e-mail per report."""

from __future__ import annotations

import html
import re
import smtplib
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings as reglages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from comptes.enums import Role
from structures.models import Signalement
from structures.services import SUJET_RESUME, envoyer_resume_des_signalements
from tests.comptes.factories import UserFactory
from tests.structures.factories import LieuFactory

pytestmark = pytest.mark.django_db

MESSAGE = "Le lieu est fermé le lundi matin."


def _signaler(client, lieu, message=MESSAGE, adresse="203.0.113.7", **donnees):
    return client.post(
        reverse("structures:signaler", args=[lieu.pk]),
        {"message": message, **donnees},
        REMOTE_ADDR=adresse,
    )


def _texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


# -- limits ------------------------------------------------------------------------------


def test_le_sixieme_signalement_d_une_adresse_dans_l_heure_est_refuse(
    client, geographie, settings, horloge_des_limites
):
    settings.LIMITE_SIGNALEMENTS_PAR_ADRESSE = "5/h"
    lieux = [LieuFactory(commune=geographie["le_mans"]) for _ in range(2)]
    for i in range(5):
        assert _signaler(client, lieux[i % 2]).status_code == 302
    reponse = _signaler(client, lieux[0], "Sixième message, qui ne doit pas être enregistré.")
    assert reponse.status_code == 429
    assert 1 <= int(reponse["Retry-After"]) <= 3600
    texte = _texte(reponse)
    assert "Vous avez envoyé beaucoup de signalements en peu de temps." in texte
    assert re.search(r"n'a pas été enregistré\u00a0: réessayez dans \d+\u00a0(min|h)", texte)
    # the site's page again, the text kept for later
    assert lieux[0].nom in texte
    assert "Sixième message, qui ne doit pas être enregistré." in texte
    assert Signalement.objects.tous().count() == 5
    assert not mail.outbox
    # another address is not concerned; the same one may report again an hour later
    assert _signaler(client, lieux[0], adresse="198.51.100.4").status_code == 302
    horloge_des_limites["t"] += 3600
    assert _signaler(client, lieux[0]).status_code == 302
    assert Signalement.objects.tous().count() == 7


def test_chaque_envoi_compte_pour_l_adresse_meme_refuse_ou_piege(
    client, geographie, settings, horloge_des_limites
):
    """Every post counts against the address: invalid forms and the bots' trap too."""
    settings.LIMITE_SIGNALEMENTS_PAR_ADRESSE = "2/h"
    lieu = LieuFactory(commune=geographie["le_mans"])
    assert _signaler(client, lieu, "court").status_code == 200
    assert _signaler(client, lieu, site_internet="https://x.example").status_code == 302
    assert _signaler(client, lieu).status_code == 429
    assert not Signalement.objects.tous().exists()


def test_limite_par_lieu(client, geographie, settings, horloge_des_limites):
    """Many addresses on one site: past the site's rate, refused; other sites go on."""
    settings.LIMITE_SIGNALEMENTS_PAR_LIEU = "3/d"
    lieu, autre = (LieuFactory(commune=geographie["le_mans"]) for _ in range(2))
    for i in range(3):
        assert _signaler(client, lieu, adresse=f"192.0.2.{i + 1}").status_code == 302
    # an invalid form does not use up the site's quota: it stores nothing
    assert _signaler(client, lieu, "court", adresse="192.0.2.50").status_code == 200
    reponse = _signaler(client, lieu, adresse="192.0.2.99")
    assert reponse.status_code == 429
    assert "Ce lieu a reçu beaucoup de signalements aujourd'hui" in _texte(reponse)
    assert Signalement.objects.tous().filter(lieu=lieu).count() == 3
    assert _signaler(client, autre, adresse="192.0.2.99").status_code == 302
    horloge_des_limites["t"] += 86400
    assert _signaler(client, lieu, adresse="192.0.2.99").status_code == 302


def test_l_adresse_est_celle_que_lit_django_axes(client, geographie, settings, horloge_des_limites):
    """Behind PROXY_COUNT proxies, the address the proxy saw: what the client writes in
    X-Forwarded-For itself does not give it a new counter; without a proxy, the header
    is ignored."""
    settings.LIMITE_SIGNALEMENTS_PAR_ADRESSE = "1/h"
    lieu = LieuFactory(commune=geographie["le_mans"])
    proxy = "10.0.0.1"

    def par_le_mandataire(transmise: str):
        return client.post(
            reverse("structures:signaler", args=[lieu.pk]),
            {"message": MESSAGE},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=transmise,
        )

    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert par_le_mandataire("198.51.100.1").status_code == 302
    assert par_le_mandataire("198.51.100.2").status_code == 429  # the header is not trusted
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert par_le_mandataire("198.51.100.1").status_code == 302
    assert par_le_mandataire("198.51.100.2").status_code == 302
    assert par_le_mandataire("6.6.6.6, 198.51.100.1").status_code == 429
    # IPv6: one subscriber's /64 is one client
    assert par_le_mandataire("2001:db8:1:2::1").status_code == 302
    assert par_le_mandataire("2001:db8:1:2:ffff::9").status_code == 429


# -- the daily digest ----------------------------------------------------------------------


@pytest.fixture
def territoire(geographie):
    """Coordinators of Le Mans Métropole, of Angers, of both, and of the Sarthe."""
    metropole, angers = geographie["metropole"], geographie["angers"]
    return {
        "metropole": UserFactory(role=Role.COORDINATEUR, territoires=[metropole]),
        "angers": UserFactory(role=Role.COORDINATEUR, territoires=[angers]),
        "les_deux": UserFactory(role=Role.COORDINATEUR, territoires=[metropole, angers]),
        "sarthe": UserFactory(role=Role.COORDINATEUR, territoires=[geographie["sarthe"]]),
        "conseiller": UserFactory(role=Role.CONSEILLER, territoires=[metropole]),
        "aragon": LieuFactory(commune=geographie["le_mans"], nom="Médiathèque Aragon"),
        "yvre": LieuFactory(commune=geographie["yvre"], nom="Mairie d'Yvré"),
        "roseraie": LieuFactory(commune=geographie["angers_commune"], nom="Espace Roseraie"),
    }


def _courriels() -> dict[str, str]:
    assert all(len(m.to) == 1 for m in mail.outbox)
    return {m.to[0]: m.body for m in mail.outbox}


def test_le_resume_regroupe_les_signalements_par_coordinateur(territoire):
    for lieu, message in [
        (territoire["aragon"], "Aragon : le lieu est fermé le lundi matin."),
        (territoire["aragon"], "Aragon : le téléphone a changé."),
        (territoire["yvre"], "Yvré : l'adresse est fausse."),
        (territoire["roseraie"], "Roseraie : le lieu a déménagé."),
    ]:
        Signalement.objects.create(lieu=lieu, message=message)
    assert envoyer_resume_des_signalements() == 4
    assert {m.subject for m in mail.outbox} == {SUJET_RESUME}
    courriels = _courriels()
    coordination = {nom: territoire[nom].email for nom in ("metropole", "angers", "les_deux")}
    assert set(courriels) == {*coordination.values(), territoire["sarthe"].email}
    # one e-mail each, with the reports of their territory and only those
    metropole = courriels[coordination["metropole"]]
    assert "3 erreurs ont été signalées" in metropole
    assert metropole.count("Aragon :") == 2 and "Yvré :" in metropole
    assert "Roseraie" not in metropole
    angers = courriels[coordination["angers"]]
    assert "Une erreur a été signalée" in angers
    assert "Roseraie : le lieu a déménagé." in angers
    assert "Aragon" not in angers and "Yvré" not in angers
    assert "4 erreurs ont été signalées" in courriels[coordination["les_deux"]]
    assert "Roseraie" not in courriels[territoire["sarthe"].email]
    assert territoire["conseiller"].email not in courriels
    # each report in one digest: marked, and a second run sends nothing
    assert not Signalement.objects.tous().filter(notifie_le__isnull=True).exists()
    mail.outbox.clear()
    assert envoyer_resume_des_signalements() == 0
    assert not mail.outbox


def test_le_resume_ne_reprend_que_les_nouveaux(territoire):
    ancien = Signalement.objects.create(lieu=territoire["aragon"], message="Déjà transmis hier.")
    envoyer_resume_des_signalements()
    Signalement.objects.create(
        lieu=territoire["aragon"], message="Traité avant le résumé.", statut="traite"
    )
    Signalement.objects.create(lieu=territoire["aragon"], message="Arrivé ce matin.")
    mail.outbox.clear()
    assert envoyer_resume_des_signalements() == 3  # metropole, les_deux, sarthe
    for corps in _courriels().values():
        assert "Arrivé ce matin." in corps
        assert "Déjà transmis hier." not in corps and "Traité avant" not in corps
    ancien.refresh_from_db()
    assert ancien.notifie_le is not None


def test_un_signalement_sans_coordinateur_attend(geographie):
    """No coordinator for the site's territory: the report waits for one."""
    lieu = LieuFactory(commune=geographie["angers_commune"])
    signalement = Signalement.objects.create(lieu=lieu, message=MESSAGE)
    assert envoyer_resume_des_signalements() == 0
    signalement.refresh_from_db()
    assert signalement.notifie_le is None
    coordinateur = UserFactory(role=Role.COORDINATEUR, territoires=[geographie["angers"]])
    assert envoyer_resume_des_signalements() == 1
    assert mail.outbox[0].to == [coordinateur.email]


def test_un_resume_refuse_par_le_serveur_est_envoye_au_suivant(territoire, monkeypatch):
    """SMTP down: the task fails (Celery tries again), nothing is marked as sent."""
    from django.core.mail.backends.locmem import EmailBackend

    Signalement.objects.create(lieu=territoire["roseraie"], message=MESSAGE)

    def refus(self, messages):
        raise smtplib.SMTPServerDisconnected("serveur injoignable")

    with monkeypatch.context() as m:
        m.setattr(EmailBackend, "send_messages", refus)
        with pytest.raises(smtplib.SMTPException):
            envoyer_resume_des_signalements()
    assert Signalement.objects.tous().get().notifie_le is None
    assert envoyer_resume_des_signalements() == 2  # angers, les_deux


def test_un_message_hostile_ne_casse_pas_le_courriel(territoire):
    """CR/LF, a header or a line of the e-mail imitated, control characters, a message far
    longer than the form allows: the subject and recipients are fixed, the text quoted."""
    piege = (
        "Bonjour\r\nBcc: victime@exemple.fr\r\n\r\nFiche du lieu\u00a0: https://piege.example/"
        "\rSubject: urgent\x1b[31m\x7f\u2028fin " + "x" * 10_000
    )
    Signalement.objects.create(
        lieu=territoire["roseraie"], message=piege, courriel="habitant@exemple.fr"
    )
    assert envoyer_resume_des_signalements() == 2
    for message in mail.outbox:
        assert message.subject == SUJET_RESUME
        assert len(message.to) == 1 and not message.bcc and not message.cc
        brut = message.message()
        assert brut["Bcc"] is None and brut["Subject"] == SUJET_RESUME
        octets = brut.as_bytes()
        assert max(len(ligne) for ligne in octets.split(b"\n")) <= 998
        corps = brut.get_payload(decode=True).decode()
        lignes = corps.splitlines()
        # the public's lines are quoted, none passes for a line of the e-mail
        assert "> Bcc: victime@exemple.fr" in lignes
        assert any(ligne.startswith("> Subject: urgent[31mfin xxx") for ligne in lignes)
        assert [ligne for ligne in lignes if ligne.startswith("Fiche du lieu")] == [
            f"Fiche du lieu\u00a0: {reglages.PORTAIL_URL}/lieux/{territoire['roseraie'].pk}/"
        ]
        assert "x" * 10_000 in corps
        assert not re.search(r"[\x1b\x7f\u2028]", corps)
        assert "Adresse pour répondre\u00a0: habitant@exemple.fr" in corps


def test_commande_et_tache_du_matin(territoire):
    from inclusion.celery import app
    from structures import tasks

    sortie = StringIO()
    call_command("envoyer_signalements", stdout=sortie)
    assert sortie.getvalue() == "Aucun nouveau signalement à transmettre.\n"
    Signalement.objects.create(lieu=territoire["yvre"], message=MESSAGE)
    call_command("envoyer_signalements", stdout=sortie)
    assert "3 courriels de synthèse envoyés." in sortie.getvalue()
    planifiee = reglages.CELERY_BEAT_SCHEDULE["resume-des-signalements"]
    assert planifiee["task"] == "structures.tasks.envoyer_resume_des_signalements"
    assert planifiee["task"] == tasks.envoyer_resume_des_signalements.name
    assert planifiee["task"] in app.tasks
    assert planifiee["schedule"] == crontab(hour=7, minute=45)


def test_les_signalements_d_avant_le_resume_sont_deja_transmis(territoire):
    """The migration marks the reports received before the digest existed: each was
    e-mailed at once, none goes into the first digest."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("structures.migrations.0005_signalements_notifies")
    ancien = Signalement.objects.create(lieu=territoire["aragon"], message=MESSAGE)
    migration.deja_transmis(apps, None)
    ancien.refresh_from_db()
    assert ancien.notifie_le == ancien.cree_le
    assert envoyer_resume_des_signalements() == 0
