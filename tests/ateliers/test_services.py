"""Workshops: versions of the sheets, requests under a convention, the workflow and its
e-mails, scheduling with conflicts (also two coordinators at once), registrations with a
waiting list, attendance, closing into activity reports, priorities, workload."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from ateliers import services
from ateliers.enums import StatutDemande
from ateliers.models import Animation, DemandeAtelier, EtapeDemande, SessionAtelier
from ateliers.services import NouvelleDemande, Refus, deposer_demande
from commun.formats import date_longue
from conseillers.enums import Jour, TypeActivite
from conseillers.models import Activite
from tests.ateliers.conftest import prochain
from tests.ateliers.factories import PDF, ConventionFactory, FicheFactory
from tests.conseillers.factories import MiseADispositionFactory
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db


def _demande(atelier, **changements):
    valeurs = {
        "structure": atelier["structure"],
        "version": atelier["version"],
        "lieu": atelier["lieu"],
        "creneaux": [prochain(1, 14)],
        "participants_attendus": 5,
        "public": "seniors",
    }
    valeurs.update(changements)
    return NouvelleDemande(**valeurs)


# -- catalogue ---------------------------------------------------------------------------


def test_modifier_une_fiche_publiee_ne_change_pas_les_demandes(atelier, demande):
    fiche = atelier["fiche"]
    assert services.publier_fiche(fiche).numero == 1  # unchanged: the same version
    fiche.titre = "Internet sans crainte"
    fiche.participants_max = 12
    version = services.publier_fiche(fiche)
    assert (version.numero, version.titre, fiche.version) == (2, "Internet sans crainte", 2)
    demande.refresh_from_db()
    assert (demande.version.numero, demande.version.participants_max) == (1, 8)
    assert demande.version.titre.startswith("Premiers pas sur internet")


def test_fiche_incoherente_refusee(geographie):
    fiche = FicheFactory.build(
        commune=geographie["le_mans"], format="parcours_court", nombre_seances=1
    )
    with pytest.raises(ValidationError, match="ne correspond pas au format"):
        services.publier_fiche(fiche)


# -- requests ------------------------------------------------------------------------------


def test_demande_deposee_avec_accuse_et_courriels(
    atelier, comptes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        demande = deposer_demande(
            _demande(atelier, creneaux=[prochain(3, 9), prochain(1, 14)]), par=comptes["referent"]
        )
    assert demande.statut == StatutDemande.SOUMISE
    assert demande.convention == atelier["convention"]
    assert [c.ordre for c in demande.creneaux.all()] == [1, 2]
    assert list(demande.etapes.values_list("statut", "par")) == [
        ("soumise", comptes["referent"].pk)
    ]
    (courriel,) = mail.outbox
    assert courriel.subject == f"[Atelier n° {demande.pk}] demande reçue"
    # the structure's referent and the métropole's coordinator; not the one of Angers
    assert courriel.to == sorted([comptes["referent"].email, comptes["coordinateur"].email])
    assert f"/ateliers/demandes/{demande.pk}/" in courriel.body


@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"participants_attendus": 2}, "Cet atelier accueille de 3 à 8 participants"),
        ({"participants_attendus": 9}, "vous en attendez 9"),
        ({"creneaux": []}, "Proposez un à trois créneaux différents."),
        (
            {"creneaux": [prochain(0, 9), prochain(1, 9), prochain(2, 9), prochain(3, 9)]},
            "Proposez un à trois créneaux différents.",
        ),
        (
            {"creneaux": [timezone.now() - dt.timedelta(days=1)]},
            "Les créneaux proposés doivent être à venir.",
        ),
    ],
)
def test_demande_refusee(atelier, comptes, changement, message):
    with pytest.raises(Refus, match=message):
        deposer_demande(_demande(atelier, **changement), par=comptes["referent"])
    assert not DemandeAtelier.objects.tous().exists()


def test_sans_convention_signee_ou_expiree(atelier, comptes):
    convention = atelier["convention"]
    convention.fin = timezone.localdate() - dt.timedelta(days=1)
    convention.debut = convention.fin - dt.timedelta(days=300)
    convention.save()
    with pytest.raises(Refus, match="n'a pas de convention de partenariat signée et en vigueur"):
        deposer_demande(_demande(atelier), par=comptes["referent"])
    assert convention.statut == "expirée"
    brouillon = ConventionFactory(structure=atelier["structure"], signee_le=None)
    assert brouillon.statut == "brouillon"
    with pytest.raises(Refus):
        deposer_demande(_demande(atelier), par=comptes["referent"])


def test_lieu_d_une_autre_structure(atelier, comptes, geographie):
    autre = LieuFactory(commune=geographie["le_mans"])
    with pytest.raises(Refus, match="n'appartient pas à cette structure"):
        deposer_demande(_demande(atelier, lieu=autre), par=comptes["referent"])


def test_etapes_horodatees_et_refus_motive(demande, comptes, django_capture_on_commit_callbacks):
    coordinateur = comptes["coordinateur"]
    with django_capture_on_commit_callbacks(execute=True):
        services.etudier(demande, par=coordinateur)
    with pytest.raises(Refus, match="Indiquez le motif du refus"):
        services.refuser(demande, motif="  ", par=coordinateur)
    with django_capture_on_commit_callbacks(execute=True):
        services.refuser(demande, motif="Pas de salle équipée.", par=coordinateur)
    demande.refresh_from_db()
    assert (demande.statut, demande.motif_refus) == ("refusee", "Pas de salle équipée.")
    etapes = list(EtapeDemande.objects.filter(demande=demande))
    assert [(e.statut, e.par) for e in etapes] == [
        ("soumise", comptes["referent"]),
        ("en_etude", coordinateur),
        ("refusee", coordinateur),
    ]
    assert etapes[0].le <= etapes[1].le <= etapes[2].le
    assert [m.subject for m in mail.outbox] == [
        f"[Atelier n° {demande.pk}] en étude",
        f"[Atelier n° {demande.pk}] refusée",
    ]
    assert "Pas de salle équipée." in mail.outbox[1].body
    with pytest.raises(Refus, match="Une demande refusée ne peut pas passer à « en étude »"):
        services.etudier(demande, par=coordinateur)


# -- scheduling ----------------------------------------------------------------------------


def test_planifier_un_parcours_une_seance_par_semaine(atelier, comptes, geographie):
    fiche = atelier["fiche"]
    fiche.format, fiche.nombre_seances, fiche.duree_minutes = "parcours_court", 3, 90
    version = services.publier_fiche(fiche)
    demande = deposer_demande(_demande(atelier, version=version), par=comptes["referent"])
    debut = prochain(2, 10)
    sessions = services.planifier(
        demande, debut=debut, conseillers=[atelier["camille"]], par=comptes["coordinateur"]
    )
    assert [(s.numero, s.debut, s.fin - s.debut, s.places) for s in sessions] == [
        (n, debut + dt.timedelta(weeks=n - 1), dt.timedelta(minutes=90), 8) for n in (1, 2, 3)
    ]
    demande.refresh_from_db()
    assert demande.statut == "planifiee"
    assert "En 3 séances à partir du" in demande.etapes.last().commentaire


def test_conflit_avec_un_autre_atelier(atelier, demande, comptes):
    camille = atelier["camille"]
    services.planifier(
        demande, debut=prochain(1, 14), conseillers=[camille], par=comptes["coordinateur"]
    )
    autre = deposer_demande(_demande(atelier), par=comptes["referent"])
    with pytest.raises(Refus, match="Camille Martin anime déjà « Premiers pas sur internet"):
        services.planifier(
            autre,
            debut=prochain(1, 15),  # 15:00-17:00 meets 14:00-16:00
            conseillers=[atelier["dominique"], camille],
            par=comptes["coordinateur"],
        )
    assert SessionAtelier.objects.tous().filter(demande=autre).count() == 0
    # back to back is fine
    services.planifier(
        autre, debut=prochain(1, 16), conseillers=[camille], par=comptes["coordinateur"]
    )


def test_conflit_avec_une_mise_a_disposition(atelier, demande, comptes):
    mise = MiseADispositionFactory(
        jours=[Jour.MARDI], heure_debut=dt.time(14), heure_fin=dt.time(17)
    )
    mise.conseillers.set([atelier["dominique"]])
    with pytest.raises(Refus, match="Dominique Durand est mis à disposition de"):
        services.planifier(
            demande,
            debut=prochain(1, 15),
            conseillers=[atelier["dominique"]],
            par=comptes["coordinateur"],
        )


def test_conflits_ecrivent_les_heures_en_francais(atelier, demande, comptes):
    """« de 14 h 30 à 16 h », « jusqu'à 16 h »: no ``14\\hi`` nor ``14h00`` (REDACTION.md)."""
    camille, dominique = atelier["camille"], atelier["dominique"]
    services.planifier(
        demande, debut=prochain(1, 14), conseillers=[camille], par=comptes["coordinateur"]
    )
    mise = MiseADispositionFactory(
        jours=[Jour.MARDI], heure_debut=dt.time(14, 30), heure_fin=dt.time(16)
    )
    mise.conseillers.set([dominique])
    debut = prochain(1, 15)
    messages = services.conflits([camille, dominique], [(debut, debut + dt.timedelta(hours=2))])
    assert len(messages) == 2
    le_mardi = date_longue(debut)
    assert messages[0].endswith(f"le {le_mardi} à 14\u00a0h (jusqu'à 16\u00a0h).")
    assert messages[1].endswith(f"le {le_mardi} à 15\u00a0h, de 14\u00a0h\u00a030 à 16\u00a0h.")
    assert not any(re.search(r"\\|\dh|h\d", m) for m in messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_deux_reservations_simultanees_une_seule_gagne(atelier, comptes):
    """Two coordinators book the same advisor at the same time for two requests: the
    database's exclusion constraint lets exactly one through."""
    if connection.vendor != "postgresql":
        pytest.skip("la contrainte d'exclusion n'existe que sur PostgreSQL")
    demandes = [
        deposer_demande(_demande(atelier), par=comptes["referent"]),
        deposer_demande(_demande(atelier), par=comptes["referent"]),
    ]
    # both pass the service's check before either writes: the database decides
    verifier = services.conflits
    barriere = threading.Barrier(2)

    def conflits_puis_attendre(*args, **kwargs):
        resultat = verifier(*args, **kwargs)
        barriere.wait(timeout=10)
        return resultat

    services.conflits = conflits_puis_attendre
    resultats = []

    def reserver(demande):
        try:
            services.planifier(
                demande,
                debut=prochain(1, 14),
                conseillers=[atelier["camille"]],
                par=comptes["coordinateur"],
            )
            resultats.append("réservé")
        except Refus as refus:
            resultats.append(str(refus))
        finally:
            connection.close()

    try:
        fils = [threading.Thread(target=reserver, args=(d,)) for d in demandes]
        for f in fils:
            f.start()
        for f in fils:
            f.join(timeout=30)
    finally:
        services.conflits = verifier
    assert sorted(resultats)[-1] == "réservé"
    assert resultats.count("réservé") == 1
    assert any("vient d'être réservé sur ce créneau" in r for r in resultats)
    assert Animation.objects.filter(conseiller=atelier["camille"]).count() == 1
    assert sorted(DemandeAtelier.objects.tous().values_list("statut", flat=True)) == [
        "planifiee",
        "soumise",
    ]


# -- participants, attendance, closing -----------------------------------------------------


@pytest.fixture
def planifiee(atelier, demande, comptes):
    services.planifier(
        demande,
        debut=prochain(1, 14),
        conseillers=[atelier["camille"], atelier["dominique"]],
        par=comptes["coordinateur"],
    )
    demande.refresh_from_db()
    return demande


def test_liste_d_attente_et_desistement(planifiee):
    inscrits = [services.inscrire(planifiee, f"Personne {i}.") for i in range(10)]
    assert [p.en_attente for p in inscrits] == [False] * 8 + [True, True]
    promu = services.desinscrire(inscrits[0])
    assert promu == inscrits[8]
    promu.refresh_from_db()
    assert not promu.en_attente
    assert services.desinscrire(inscrits[9]) is None  # a waiting one frees nothing
    with pytest.raises(Refus, match="Indiquez le prénom et l'initiale"):
        services.inscrire(planifiee, "   ")


def _passee(session, semaines: int = 0):
    """Move a planned session into the past (as if it had taken place)."""
    duree = session.fin - session.debut
    session.debut = timezone.now() - dt.timedelta(hours=3, weeks=semaines)
    session.fin = session.debut + duree
    session.save()
    Animation.objects.filter(session=session).update(debut=session.debut, fin=session.fin)
    return session


def test_cloture_cree_le_compte_rendu_de_chaque_animateur(planifiee, atelier, comptes):
    session = _passee(planifiee.sessions.get())
    with pytest.raises(Refus, match="Notez les présents avant de clôturer"):
        services.cloturer_session(session, par=comptes["conseiller"])
    inscrits = [services.inscrire(planifiee, n) for n in ("Ali B.", "Rose C.", "Jean D.")]
    services.enregistrer_presences(session, participants=[p.pk for p in inscrits[:2]])
    activites = services.cloturer_session(session, par=comptes["conseiller"])
    assert len(activites) == 2
    assert {a.conseiller for a in activites} == {atelier["camille"], atelier["dominique"]}
    for activite in activites:
        assert (activite.type, activite.nb_participants, activite.nb_participants_recurrents) == (
            TypeActivite.COLLECTIF,
            2,
            0,
        )
        assert (activite.duree_minutes, activite.lieu, activite.titre_atelier) == (
            120,
            atelier["lieu"],
            atelier["version"].titre,
        )
        assert activite.thematiques == ["navigation_internet"]
    planifiee.refresh_from_db()
    assert planifiee.statut == "realisee"
    with pytest.raises(Refus, match="déjà clôturée"):
        services.cloturer_session(session, par=comptes["conseiller"])
    assert Activite.objects.tous().count() == 2
    with pytest.raises(Refus, match="La séance est clôturée"):
        services.enregistrer_presences(session, presents=4)


def test_parcours_recurrents_et_assiduite(atelier, comptes):
    fiche = atelier["fiche"]
    fiche.format, fiche.nombre_seances = "parcours_court", 3
    version = services.publier_fiche(fiche)
    demande = deposer_demande(_demande(atelier, version=version), par=comptes["referent"])
    services.planifier(demande, debut=prochain(2, 10), conseillers=[atelier["camille"]], par=None)
    a, b, c = (services.inscrire(demande, n) for n in ("A.", "B.", "C."))
    presences = {1: [a, b, c], 2: [a, b], 3: [a, c]}
    for session in demande.sessions.order_by("numero"):
        _passee(session, semaines=3 - session.numero)
        services.enregistrer_presences(
            session, participants=[p.pk for p in presences[session.numero]]
        )
        (activite,) = services.cloturer_session(session, par=None)
        attendu = {1: (3, 0), 2: (2, 2), 3: (2, 2)}[session.numero]
        assert (activite.nb_participants, activite.nb_participants_recurrents) == attendu
    lignes = {ligne["participant"].nom: ligne for ligne in services.assiduite(demande)}
    assert {n: (ligne["venues"], ligne["assidu"]) for n, ligne in lignes.items()} == {
        "A.": (3, True),
        "B.": (2, True),  # 2 of 3 ≥ two thirds
        "C.": (2, True),
    }
    assert services.assiduite(demande, seuil=1)[1]["assidu"] is False


def test_presences_par_nombre(planifiee, comptes):
    session = _passee(planifiee.sessions.get())
    services.enregistrer_presences(session, presents=7)
    (activite, _) = services.cloturer_session(session, par=comptes["conseiller"])
    assert activite.nb_participants == 7


# -- priorities and workload ---------------------------------------------------------------


def test_priorite_par_indice_puis_attente(atelier, comptes, geographie):
    from indicateurs.indice.services import UnitePubliee, charger_indice_publie

    bellevue, sablons, _ = geographie["zones"]
    charger_indice_publie(
        unites=[UnitePubliee(indice=4.36, zone=bellevue), UnitePubliee(indice=1.2, zone=sablons)],
        millesime=2022,
        source="essai",
    )
    structure = atelier["structure"]
    fragile = LieuFactory(structure=structure, commune=geographie["le_mans"], zone=bellevue)
    aise = LieuFactory(structure=structure, commune=geographie["le_mans"], zone=sablons)
    recente = deposer_demande(_demande(atelier, lieu=fragile), par=comptes["referent"])
    ancienne = deposer_demande(_demande(atelier, lieu=aise), par=comptes["referent"])
    DemandeAtelier.objects.tous().filter(pk=ancienne.pk).update(
        cree_le=timezone.now() - dt.timedelta(days=60)
    )
    ancienne.refresh_from_db()
    classement = services.classer_demandes([recente, ancienne])
    # Bellevue: percentile rank 2/2 = 1; Les Sablons 1/2 = 0.5, + 60 days / 30 = 2.5
    assert [(p.demande, p.indice, p.attente_jours) for p in classement] == [
        (ancienne, 1.2, 60),
        (recente, 4.36, 0),
    ]
    assert [p.score for p in classement] == [pytest.approx(2.5), pytest.approx(1.0)]


def test_plan_de_charge(atelier, demande, comptes):
    debut = prochain(1, 14)
    services.planifier(demande, debut=debut, conseillers=[atelier["camille"]], par=None)
    mise = MiseADispositionFactory(
        jours=[Jour.JEUDI], heure_debut=dt.time(9), heure_fin=dt.time(12)
    )
    mise.conseillers.set([atelier["camille"]])
    lundi = debut.date() - dt.timedelta(days=debut.weekday())
    (charge, autre) = services.plan_de_charge([atelier["camille"], atelier["dominique"]], lundi)
    assert (charge.heures_ateliers, charge.heures_mises, charge.heures) == (2, 3, 5)
    assert autre.heures == 0
    assert [c.nature for c in charge.du_jour(debut.date())] == ["atelier"]


# -- conventions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("convention.docx", PDF, "La convention doit être un fichier PDF"),
        ("convention.pdf", b"<html>pas un pdf</html>", "n'est pas un PDF valide"),
        ("convention.pdf", PDF + b"x" * (5 * 1024 * 1024), "Mo\u00a0: 5 Mo au plus"),
    ],
)
def test_document_de_convention_verifie(nom, contenu, message):
    with pytest.raises(ValidationError) as refus:
        services.verifier_pdf(SimpleUploadedFile(nom, contenu))
    # the messages themselves: the exception's text escapes the no-break space
    assert any(message in m for m in refus.value.messages), refus.value.messages


def test_pdf_valide_accepte():
    services.verifier_pdf(SimpleUploadedFile("convention.pdf", PDF))


def test_rappel_avant_echeance(atelier, comptes):
    convention = atelier["convention"]
    convention.fin = timezone.localdate() + dt.timedelta(days=20)
    convention.save()
    autre = ConventionFactory(structure=StructureFactory(commune=atelier["lieu"].commune))
    assert services.rappeler_echeances() == 1
    assert services.rappeler_echeances() == 0  # once
    (courriel,) = mail.outbox
    assert "prend fin le" in courriel.body
    assert comptes["referent"].email in courriel.to
    autre.refresh_from_db()
    assert autre.rappel_envoye_le is None


def test_purge_des_participants_des_ateliers_termines(demande, atelier, comptes):
    from ateliers.models import Participant
    from ateliers.tasks import purger_participants

    services.planifier(demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None)
    for nom in ("Ali B.", "Rose C."):
        services.inscrire(demande, nom)
    # planned: kept whatever its age
    assert services.purger_participants(le=timezone.localdate() + dt.timedelta(days=800)) == 0
    services.annuler(demande, motif="Salle indisponible.", par=None)
    assert services.purger_participants() == 0  # just over: kept for now
    assert services.purger_participants(le=timezone.localdate() + dt.timedelta(days=400)) == 2
    assert not Participant.objects.exists()
    assert purger_participants.apply().get() == 0
    with pytest.raises(ValidationError):
        services.purger_participants(mois=0)


def test_supprimer_par_l_api_un_lieu_encore_utilise_repond_409(client_de, demande):
    """A site that a workshop request still names: the API refuses the deletion with its
    reason (409), instead of a ProtectedError and a 500; nothing is deleted."""
    from structures.models import Lieu

    lieu = demande.lieu
    reponse = client_de("staff").delete(f"/api/v1/lieux/{lieu.pk}/")
    assert reponse.status_code == 409
    assert reponse.json() == {
        "detail": "Suppression impossible\u00a0: cet objet est encore utilisé par 1 demande "
        "d'atelier. Retirez-les ou rattachez-les ailleurs d'abord."
    }
    assert Lieu.objects.tous().filter(pk=lieu.pk).exists()
