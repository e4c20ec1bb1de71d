"""Workshop pages through the test client: request, decide, schedule, register, close;
the agenda and its iCalendar feed; what each role may see."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ateliers import services
from ateliers.models import Animation, DemandeAtelier, SessionAtelier
from conseillers.models import Activite
from tests.ateliers.conftest import prochain
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def _formulaire_demande(atelier, **changements):
    donnees = {
        "fiche": str(atelier["fiche"].pk),
        "lieu": str(atelier["lieu"].pk),
        "creneau_1": prochain(1, 14).strftime("%Y-%m-%dT%H:%M"),
        "creneau_2": "",
        "creneau_3": "",
        "participants_attendus": "6",
        "public": "habitants du quartier",
        "notes": "",
    }
    donnees.update(changements)
    return donnees


def test_un_referent_demande_un_atelier(client_de, atelier, django_capture_on_commit_callbacks):
    client = client_de("referent")
    page = client.get(reverse("ateliers:nouvelle_demande"))
    assert page.status_code == 200
    assert atelier["fiche"].titre in texte(page)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("ateliers:nouvelle_demande"), _formulaire_demande(atelier))
    demande = DemandeAtelier.objects.tous().get()
    assert reponse.status_code == 302
    assert reponse.url == reverse("ateliers:demande", args=[demande.pk])
    assert len(mail.outbox) == 1
    suivi = client.get(reponse.url)
    assert "Votre demande n° " in texte(suivi) and "soumise" in texte(suivi)


@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"participants_attendus": "20"}, "Cet atelier accueille de 3 à 8 participants"),
        ({"creneau_1": "demain"}, "Date et heure invalides"),
        ({"creneau_1": ""}, "Indiquez la date et l'heure."),
        ({"public": ""}, "Décrivez le public attendu."),
        ({"fiche": "999999"}, "Choisissez un atelier du catalogue."),
    ],
)
def test_demande_invalide_en_francais(client_de, atelier, changement, message):
    reponse = client_de("referent").post(
        reverse("ateliers:nouvelle_demande"), _formulaire_demande(atelier, **changement)
    )
    assert reponse.status_code == 400
    assert message in texte(reponse)
    assert not DemandeAtelier.objects.tous().exists()


def test_lieu_d_une_autre_structure_non_propose(client_de, atelier, geographie):
    autre = LieuFactory(commune=geographie["le_mans"])
    reponse = client_de("referent").post(
        reverse("ateliers:nouvelle_demande"), _formulaire_demande(atelier, lieu=str(autre.pk))
    )
    assert reponse.status_code == 400
    assert "Choisissez un lieu de votre structure." in texte(reponse)


def test_le_referent_d_une_autre_structure_ne_voit_rien(client_de, demande, comptes, geographie):
    from comptes.enums import Role
    from tests.comptes.factories import UserFactory

    autre = UserFactory(role=Role.REFERENT, territoires=[geographie["le_mans"]])
    StructureFactory(commune=geographie["le_mans"], referents=[autre])
    client = client_de("anonyme")
    client.force_login(autre)
    assert client.get(reverse("ateliers:demande", args=[demande.pk])).status_code == 404
    assert demande.version.titre not in texte(client.get(reverse("ateliers:demandes")))
    session_autre = client.post(
        reverse("ateliers:demande", args=[demande.pk]), {"action": "annuler"}
    )
    assert session_autre.status_code == 404


def _boutons(reponse) -> list[str]:
    import re

    return re.findall(r'<button type="submit"[^>]*>([^<]+)</button>', texte(reponse))


def test_seules_les_actions_utiles_a_chaque_etat(client_de, demande, atelier):
    url = reverse("ateliers:demande", args=[demande.pk])

    def boutons(role):
        return _boutons(client_de(role).get(url))

    # submitted: the coordination studies, plans or refuses; the structure may withdraw it
    assert boutons("coordinateur") == [
        "Passer en étude",
        "Planifier l'atelier",
        "Refuser la demande",
    ]
    assert boutons("referent") == ["Annuler la demande"]
    client_de("coordinateur").post(url, {"action": "etudier"})
    assert "Passer en étude" not in boutons("coordinateur")
    debut = prochain(1, 14)
    client_de("coordinateur").post(
        url,
        {
            "action": "planifier",
            "plan-debut": debut.strftime("%Y-%m-%dT%H:%M"),
            "plan-conseillers": [str(atelier["camille"].pk)],
            "plan-intervalle_jours": "7",
        },
    )
    # planned: nothing left to refuse; both may cancel the workshop
    assert boutons("coordinateur") == ["Annuler l'atelier"]
    assert boutons("referent") == ["Annuler l'atelier"]
    client_de("coordinateur").post(url, {"action": "annuler"})
    assert boutons("coordinateur") == [] and boutons("referent") == []


def test_coordinateur_etudie_planifie_et_voit_la_charge(client_de, demande, atelier):
    client = client_de("coordinateur")
    page = client.get(reverse("ateliers:demande", args=[demande.pk]))
    assert page.status_code == 200
    assert "Plan de charge" in texte(page)
    client.post(reverse("ateliers:demande", args=[demande.pk]), {"action": "etudier"})
    debut = prochain(1, 14)
    reponse = client.post(
        reverse("ateliers:demande", args=[demande.pk]),
        {
            "action": "planifier",
            "plan-debut": debut.strftime("%Y-%m-%dT%H:%M"),
            "plan-conseillers": [str(atelier["camille"].pk)],
            "plan-intervalle_jours": "7",
            "plan-publique": "on",
        },
    )
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == "planifiee"
    planning = client.get(reverse("ateliers:planification"), {"semaine": debut.date().isoformat()})
    assert "Premiers pas sur internet" in texte(planning)
    # the workload in hours and minutes (« 2 h », never « 2,0 h »)
    assert "2\u00a0h<span" in texte(planning)
    assert "dont ateliers 2\u00a0h</span>" in texte(planning)


def test_planification_en_conflit_refusee_avec_un_message(client_de, demande, atelier, comptes):
    services.planifier(
        services.deposer_demande(
            services.NouvelleDemande(
                structure=atelier["structure"],
                version=atelier["version"],
                lieu=atelier["lieu"],
                creneaux=[prochain(1, 14)],
                participants_attendus=4,
                public="x",
            ),
            par=comptes["referent"],
        ),
        debut=prochain(1, 14),
        conseillers=[atelier["camille"]],
        par=None,
    )
    reponse = client_de("coordinateur").post(
        reverse("ateliers:demande", args=[demande.pk]),
        {
            "action": "planifier",
            "plan-debut": prochain(1, 15).strftime("%Y-%m-%dT%H:%M"),
            "plan-conseillers": [str(atelier["camille"].pk)],
            "plan-intervalle_jours": "7",
        },
    )
    assert reponse.status_code == 400
    assert "Réservation impossible\u00a0: Camille Martin anime déjà" in texte(reponse)
    demande.refresh_from_db()
    assert demande.statut == "soumise"


def test_refus_sans_motif(client_de, demande):
    reponse = client_de("coordinateur").post(
        reverse("ateliers:demande", args=[demande.pk]), {"action": "refuser", "refus-motif": ""}
    )
    assert reponse.status_code == 400
    assert "Indiquez le motif du refus" in texte(reponse)


def test_le_conseiller_note_les_presents_et_cloture(client_de, demande, atelier, comptes):
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    session = SessionAtelier.objects.tous().get()
    session.debut, session.fin = (
        timezone.now() - dt.timedelta(hours=3),
        timezone.now() - dt.timedelta(hours=1),
    )
    session.save()
    Animation.objects.update(debut=session.debut, fin=session.fin)
    client = client_de("conseiller")
    url = reverse("ateliers:seance", args=[session.pk])
    for nom in ("Ali B.", "Rose C."):
        client.post(url, {"action": "inscrire", "inscription-nom": nom})
    inscrits = list(demande.participants.values_list("pk", flat=True))
    reponse = client.post(
        url, {"action": "cloturer", "presences-participants": [str(i) for i in inscrits]}
    )
    assert reponse.status_code == 302
    activite = Activite.objects.tous().get()
    assert (activite.conseiller, activite.type, activite.nb_participants) == (
        atelier["camille"],
        "collectif",
        2,
    )
    page = client.get(url)
    assert "Clôturée le" in texte(page)
    assert client.post(url, {"action": "cloturer"}).status_code == 400
    assert Activite.objects.tous().count() == 1


def test_agenda_public_et_ical(client_de, demande, atelier, geographie):
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    client = client_de("anonyme")
    page = client.get(reverse("ateliers:agenda"))
    assert page.status_code == 200
    assert "Premiers pas sur internet" in texte(page)
    assert "8 places restantes" in texte(page)
    filtre = client.get(reverse("ateliers:agenda"), {"thematique": "email"})
    assert "Aucune séance à venir pour ces critères." in texte(filtre)
    refus = client.get(reverse("ateliers:agenda"), {"commune": "99999"})
    assert refus.status_code == 400
    assert "Choisissez une commune de la liste." in texte(refus)
    ical = client.get(reverse("ateliers:agenda_ics"))
    assert ical["Content-Type"] == "text/calendar; charset=utf-8"
    contenu = ical.content.decode()
    assert "BEGIN:VEVENT" in contenu and "SUMMARY:Premiers pas sur internet" in contenu
    assert "Centre social des Sablons" in contenu


def test_agenda_par_quartier(client_de, demande, atelier, geographie):
    bellevue, sablons = geographie["zones"][:2]
    atelier["lieu"].zone = sablons
    atelier["lieu"].save()
    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    client = client_de("anonyme")
    page = texte(client.get(reverse("ateliers:agenda"), {"quartier": str(sablons.pk)}))
    assert "Premiers pas sur internet" in page and "Les Sablons (Le Mans)" in page
    assert "niveau débutant" in page
    ailleurs = client.get(reverse("ateliers:agenda"), {"quartier": str(bellevue.pk)})
    assert ailleurs.status_code == 400  # only the districts with sessions are offered
    assert "Choisissez un quartier de la liste." in texte(ailleurs)


def test_agenda_sans_les_seances_privees_ni_passees(client_de, demande, atelier):
    services.planifier(
        demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None, publique=False
    )
    assert "Premiers pas" not in texte(client_de("anonyme").get(reverse("ateliers:agenda")))
