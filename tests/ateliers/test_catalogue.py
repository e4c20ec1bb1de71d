"""The catalogue (sheets, versions, publishing), the partnership conventions (signed PDF,
status, reminder task) and the printable quarterly programme, through the test client."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from django.conf import settings as reglages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ateliers import services
from ateliers.enums import StatutFiche
from ateliers.models import Convention, FicheAtelier
from ateliers.programme import Trimestre, programme_de
from tests.ateliers.conftest import prochain
from tests.ateliers.factories import PDF, ConventionFactory
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db


def connecte(user) -> Client:
    """A client of its own: ``client_de`` shares one client between roles."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def _fiche(geographie, **changements) -> dict:
    donnees = {
        "titre": "Mon smartphone au quotidien",
        "commune": geographie["le_mans"].pk,
        "thematiques": ["prendre_en_main_materiel"],
        "niveau": "debutant",
        "format": "parcours_court",
        "nombre_seances": "3",
        "duree_minutes": "90",
        "participants_min": "4",
        "participants_max": "8",
        "public_cible": "seniors",
        "objectifs": "Prendre en main son smartphone.",
        "contenu": "Réglages, applications, appels vidéo.",
        "prerequis": "",
        "moyens": ["salle", "connexion"],
    }
    donnees.update(changements)
    return donnees


# -- catalogue -------------------------------------------------------------------------------


def test_brouillon_puis_publication_puis_nouvelle_version(comptes, geographie, atelier):
    coordination = connecte(comptes["coordinateur"])
    reponse = coordination.post(reverse("ateliers:fiche_nouvelle"), _fiche(geographie))
    fiche = FicheAtelier.objects.tous().get(titre="Mon smartphone au quotidien")
    assert reponse.status_code == 302 and fiche.statut == StatutFiche.BROUILLON
    referent = connecte(comptes["referent"])
    # a draft is not offered
    assert "Mon smartphone" not in texte(referent.get(reverse("ateliers:catalogue")))
    assert referent.get(reverse("ateliers:fiche", args=[fiche.pk])).status_code == 404

    coordination.post(reverse("ateliers:fiche", args=[fiche.pk]), {"action": "publier"})
    fiche.refresh_from_db()
    assert (fiche.statut, fiche.version) == (StatutFiche.PUBLIEE, 1)
    assert "Mon smartphone au quotidien" in texte(referent.get(reverse("ateliers:catalogue")))

    # edited without publishing: the referent still reads and requests version 1
    coordination.post(
        reverse("ateliers:fiche_modifier", args=[fiche.pk]),
        _fiche(geographie, titre="Smartphone\u00a0: les bases", action="enregistrer"),
    )
    page = coordination.get(reverse("ateliers:fiche", args=[fiche.pk]))
    assert "modifications non publiées" in texte(page)
    lu = texte(referent.get(reverse("ateliers:fiche", args=[fiche.pk])))
    assert "Mon smartphone au quotidien" in lu and "les bases" not in lu
    formulaire = texte(referent.get(reverse("ateliers:nouvelle_demande")))
    assert "Mon smartphone au quotidien" in formulaire and "les bases" not in formulaire
    v1 = services.version_courante(fiche)
    demande = services.deposer_demande(
        services.NouvelleDemande(
            structure=atelier["structure"],
            version=v1,
            lieu=atelier["lieu"],
            creneaux=[prochain(2, 10)],
            participants_attendus=5,
            public="seniors",
        ),
        par=None,
    )
    # published: version 2; the request made on version 1 keeps it
    coordination.post(
        reverse("ateliers:fiche_modifier", args=[fiche.pk]),
        _fiche(geographie, titre="Smartphone\u00a0: les bases", action="publier"),
    )
    fiche.refresh_from_db()
    demande.refresh_from_db()
    assert fiche.version == 2
    assert demande.version.titre == "Mon smartphone au quotidien"
    assert "Smartphone\u00a0: les bases" in texte(
        referent.get(reverse("ateliers:fiche", args=[fiche.pk]))
    )
    versions = texte(coordination.get(reverse("ateliers:fiche", args=[fiche.pk])))
    assert "Versions publiées" in versions and "Mon smartphone au quotidien" in versions


@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"titre": ""}, "Indiquez le titre de l'atelier."),
        ({"thematiques": []}, "Cochez au moins une thématique."),
        ({"thematiques": ["astrologie"]}, "Choisissez des thématiques de la liste."),
        ({"participants_min": "9"}, "Le maximum de participants est inférieur au minimum."),
        ({"nombre_seances": "1"}, "Le nombre de séances ne correspond pas au format"),
        ({"duree_minutes": "600"}, "Au plus 480."),
        ({"duree_minutes": "deux heures"}, "Saisissez un nombre entier."),
        ({"participants_max": "80"}, "Au plus 50."),
        ({"objectifs": ""}, "Indiquez les objectifs de l'atelier."),
        ({"moyens": ["piscine"]}, "Choisissez des moyens de la liste."),
    ],
)
def test_fiche_invalide_en_francais(client_de, geographie, changement, message):
    reponse = client_de("coordinateur").post(
        reverse("ateliers:fiche_nouvelle"), _fiche(geographie, **changement)
    )
    assert reponse.status_code == 400
    assert message in texte(reponse)
    assert not FicheAtelier.objects.tous().exists()


def test_fiche_d_une_commune_hors_territoire_refusee(client_de, geographie):
    reponse = client_de("coordinateur").post(
        reverse("ateliers:fiche_nouvelle"), _fiche(geographie, commune=geographie["angers"].pk)
    )
    assert reponse.status_code == 400
    assert "Choisissez une commune de votre territoire." in texte(reponse)
    assert not FicheAtelier.objects.tous().exists()


def test_fiche_archivee_plus_proposee(client_de, atelier):
    fiche = atelier["fiche"]
    client_de("coordinateur").post(
        reverse("ateliers:fiche", args=[fiche.pk]), {"action": "archiver"}
    )
    fiche.refresh_from_db()
    assert fiche.statut == StatutFiche.ARCHIVEE
    assert fiche.titre not in texte(client_de("referent").get(reverse("ateliers:nouvelle_demande")))
    # the coordinator still finds it, and may publish it again
    assert fiche.titre in texte(client_de("coordinateur").get(reverse("ateliers:catalogue")))


def test_seule_la_coordination_publie(client_de, atelier):
    url = reverse("ateliers:fiche", args=[atelier["fiche"].pk])
    assert client_de("referent").post(url, {"action": "archiver"}).status_code == 403
    atelier["fiche"].refresh_from_db()
    assert atelier["fiche"].statut == StatutFiche.PUBLIEE


# -- conventions -----------------------------------------------------------------------------


def _convention(partenaire, **changements) -> dict:
    aujourd_hui = timezone.localdate()
    donnees = {
        "structure": partenaire.pk,
        "debut": aujourd_hui.isoformat(),
        "fin": (aujourd_hui + dt.timedelta(days=365)).isoformat(),
        "signee_le": aujourd_hui.isoformat(),
        "document": SimpleUploadedFile("signee.pdf", PDF, content_type="application/pdf"),
        "obligations": "Mettre à disposition la salle et le matériel. Gratuité.",
    }
    donnees.update(changements)
    return donnees


@pytest.fixture
def partenaire(geographie, comptes):
    return StructureFactory(
        nom="Médiathèque Aragon", commune=geographie["le_mans"], referents=[comptes["referent"]]
    )


def test_convention_signee_avec_son_pdf(client_de, partenaire, comptes, geographie):
    reponse = client_de("coordinateur").post(
        reverse("ateliers:convention_nouvelle"), _convention(partenaire)
    )
    convention = Convention.objects.tous().get()
    assert reponse.status_code == 302
    assert convention.statut == "signée" and convention.cree_par == comptes["coordinateur"]
    assert services.convention_en_vigueur(partenaire) == convention
    # the structure's referent downloads it; it is not a public file
    url = reverse("ateliers:convention_document", args=[convention.pk])
    document = connecte(comptes["referent"]).get(url)
    assert document["Content-Type"] == "application/pdf"
    assert document.content == PDF
    assert document["Content-Disposition"].startswith('attachment; filename="convention-')
    liste = connecte(comptes["referent"]).get(reverse("ateliers:conventions"))
    assert "/media/" not in texte(liste)
    assert connecte(None).get(url).status_code == 302


def test_structure_saisie_au_dela_du_seuil(client_de, partenaire, geographie, settings):
    settings.SEUIL_AUTOCOMPLETION = 0
    client = client_de("coordinateur")
    assert "data-autocompletion" in texte(client.get(reverse("ateliers:convention_nouvelle")))
    assert "data-autocompletion" in texte(client.get(reverse("ateliers:fiche_nouvelle")))
    saisie = f"Médiathèque Aragon, Le Mans (n°\u00a0{partenaire.pk})"
    reponse = client.post(
        reverse("ateliers:convention_nouvelle"), _convention(partenaire, structure=saisie)
    )
    assert reponse.status_code == 302
    assert Convention.objects.tous().get().structure == partenaire
    refus = client.post(
        reverse("ateliers:convention_nouvelle"), _convention(partenaire, structure="Mairie")
    )
    assert "Aucun choix possible ne correspond à «\u202fMairie\u202f»" in texte(refus)


def test_un_autre_referent_ne_voit_pas_la_convention(client_de, partenaire, geographie):
    from comptes.enums import Role
    from tests.comptes.factories import UserFactory

    convention = ConventionFactory(structure=partenaire)
    autre = UserFactory(role=Role.REFERENT, territoires=[geographie["le_mans"]])
    StructureFactory(commune=geographie["le_mans"], referents=[autre])
    client = client_de("anonyme")
    client.force_login(autre)
    assert client.get(reverse("ateliers:convention", args=[convention.pk])).status_code == 404
    assert (
        client.get(reverse("ateliers:convention_document", args=[convention.pk])).status_code == 404
    )
    assert partenaire.nom not in texte(client.get(reverse("ateliers:conventions")))


@pytest.mark.parametrize(
    ("changement", "message"),
    [
        (
            {"document": SimpleUploadedFile("signee.txt", b"bonjour", content_type="text/plain")},
            "La convention doit être un fichier PDF (extension .pdf).",
        ),
        (
            {"document": SimpleUploadedFile("signee.pdf", b"<html>faux</html>")},
            "Le fichier n'est pas un PDF valide.",
        ),
        (
            {"document": SimpleUploadedFile("lourd.pdf", PDF[:20] + b"0" * 6_000_000 + PDF)},
            "Le fichier fait 5,7 Mo\u00a0: 5 Mo au plus.",
        ),
        ({"document": ""}, "Joignez la convention signée (PDF) avec sa date de signature."),
        ({"signee_le": ""}, "Indiquez la date de signature de la convention jointe."),
        ({"fin": "2020-01-01"}, "La fin de la convention précède son début."),
        ({"debut": "32/13/2026"}, "Date invalide"),
        ({"structure": "999999"}, "Choisissez une structure de votre territoire."),
        (
            {"signee_le": (timezone.localdate() + dt.timedelta(days=3)).isoformat()},
            "La date de signature ne peut pas être dans le futur.",
        ),
    ],
)
def test_convention_invalide_rien_d_ecrit(client_de, partenaire, changement, message):
    reponse = client_de("coordinateur").post(
        reverse("ateliers:convention_nouvelle"), _convention(partenaire, **changement)
    )
    assert reponse.status_code == 400
    assert message in texte(reponse)
    assert not Convention.objects.tous().exists()
    dossier = reglages.MEDIA_ROOT / "conventions"
    assert not dossier.exists() or not any(dossier.rglob("*.pdf"))


def test_brouillon_sans_document_puis_signature(client_de, partenaire):
    client = client_de("coordinateur")
    client.post(
        reverse("ateliers:convention_nouvelle"),
        _convention(partenaire, signee_le="", document=""),
    )
    convention = Convention.objects.tous().get()
    assert convention.statut == "brouillon"
    assert services.convention_en_vigueur(partenaire) is None
    donnees = _convention(partenaire)
    client.post(reverse("ateliers:convention", args=[convention.pk]), donnees)
    convention.refresh_from_db()
    assert convention.statut == "signée" and convention.document.name.endswith(".pdf")
    # a new signed document replaces the old file
    ancien = convention.document.path
    client.post(
        reverse("ateliers:convention", args=[convention.pk]),
        _convention(partenaire, document=SimpleUploadedFile("avenant.pdf", PDF)),
    )
    convention.refresh_from_db()
    assert "avenant" in convention.document.name
    # the form names the file and links the checked download, not the storage path
    formulaire = texte(client.get(reverse("ateliers:convention", args=[convention.pk])))
    nom = convention.document.name.rsplit("/", 1)[-1]
    lien = reverse("ateliers:convention_document", args=[convention.pk])
    assert f'Document actuel\xa0: <a href="{lien}">{nom}</a>' in formulaire
    assert convention.document.name not in formulaire and "/media/" not in formulaire
    import os

    assert not os.path.exists(ancien)


def test_le_referent_lit_sans_modifier(client_de, partenaire):
    convention = ConventionFactory(structure=partenaire)
    client = client_de("referent")
    page = client.get(reverse("ateliers:convention", args=[convention.pk]))
    assert page.status_code == 200 and "formulaire-convention" not in texte(page)
    assert (
        client.post(
            reverse("ateliers:convention", args=[convention.pk]), _convention(partenaire)
        ).status_code
        == 403
    )


def test_liste_avec_statut_et_echeance(client_de, partenaire):
    aujourd_hui = timezone.localdate()
    ConventionFactory(structure=partenaire, fin=aujourd_hui + dt.timedelta(days=10))
    ConventionFactory(
        structure=partenaire,
        debut=aujourd_hui - dt.timedelta(days=400),
        fin=aujourd_hui - dt.timedelta(days=35),
        signee_le=aujourd_hui - dt.timedelta(days=400),
    )
    page = texte(client_de("coordinateur").get(reverse("ateliers:conventions")))
    assert "échéance proche" in page and "expirée" in page
    filtre = texte(
        client_de("coordinateur").get(reverse("ateliers:conventions"), {"statut": "expirée"})
    )
    assert "1 convention," in filtre


def test_la_tache_de_rappel_est_planifiee_et_envoie_une_fois(partenaire, comptes):
    from ateliers.tasks import rappeler_echeances_conventions

    ConventionFactory(structure=partenaire, fin=timezone.localdate() + dt.timedelta(days=20))
    taches = {e["task"] for e in reglages.CELERY_BEAT_SCHEDULE.values()}
    assert "ateliers.tasks.rappeler_echeances_conventions" in taches
    assert rappeler_echeances_conventions.apply().get() == 1
    assert rappeler_echeances_conventions.apply().get() == 0
    assert len(mail.outbox) == 1
    assert comptes["referent"].email in mail.outbox[0].to


# -- quarterly programme -----------------------------------------------------------------------


def _texte_pdf(contenu: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)


def test_programme_du_trimestre_en_pdf(client_de, demande, atelier, geographie):
    debut = prochain(1, 14)
    services.planifier(demande, debut=debut, conseillers=[atelier["camille"]], par=None)
    LieuFactory(nom="Espace Yvré", commune=geographie["yvre"], horaires="Tu 14:00-17:00")
    trimestre = Trimestre.de(debut.date())
    reponse = client_de("anonyme").get(
        reverse("ateliers:programme"),
        {"commune": "Le Mans", "trimestre": trimestre.code, "intercommunalite": "on"},
    )
    assert reponse.status_code == 200, texte(reponse)
    assert reponse["Content-Type"] == "application/pdf"
    contenu = _texte_pdf(reponse.content)
    assert atelier["version"].titre in contenu
    assert "Centre social des Sablons" in contenu
    assert "Espace Yvré" in contenu  # the intercommunality's sites
    assert "mardi : 14 h – 17 h" in contenu.replace("\u00a0", " ")


def test_programme_d_une_commune_seule(demande, atelier, geographie):
    debut = prochain(1, 14)
    services.planifier(demande, debut=debut, conseillers=[atelier["camille"]], par=None)
    LieuFactory(nom="Espace Yvré", commune=geographie["yvre"])
    trimestre = Trimestre.de(debut.date())
    seul = programme_de(geographie["le_mans"], False, trimestre)
    tous = programme_de(geographie["le_mans"], True, trimestre)
    assert [lieu.nom for lieu, _ in seul.lieux] == ["Centre social des Sablons"]
    assert {lieu.nom for lieu, _ in tous.lieux} == {"Centre social des Sablons", "Espace Yvré"}
    assert seul.nombre_seances == 1
    # a session not open to the public, or of the next quarter, is not printed
    assert programme_de(geographie["le_mans"], False, trimestre.suivant()).nombre_seances == 0
    demande.sessions.update(publique=False)
    assert programme_de(geographie["le_mans"], False, trimestre).nombre_seances == 0


@pytest.mark.parametrize(
    ("parametres", "message"),
    [
        ({"commune": "Atlantide"}, "Aucune commune ne correspond à « Atlantide »."),
        ({"commune": ""}, "Indiquez la commune du programme."),
        ({"commune": "Le Mans", "trimestre": "2031-T7"}, "Choisissez un trimestre de la liste."),
    ],
)
def test_programme_parametres_invalides(client_de, geographie, parametres, message):
    donnees = {"trimestre": Trimestre.de(timezone.localdate()).code, **parametres}
    reponse = client_de("anonyme").get(reverse("ateliers:programme"), donnees)
    assert reponse.status_code == 400
    assert message in texte(reponse)


def test_programme_servi_par_le_cache_jusqu_au_changement(
    client_de, demande, atelier, geographie, monkeypatch
):
    """Same parameters, same day: generated once, until a session, a request, a sheet's
    version or a public site changes (two generations in the key)."""
    from ateliers import programme

    rendus = []
    en_pdf = programme.en_pdf
    monkeypatch.setattr(programme, "en_pdf", lambda p: rendus.append(p.titre) or en_pdf(p))
    debut = prochain(1, 14)
    sessions = services.planifier(demande, debut=debut, conseillers=[atelier["camille"]], par=None)
    trimestre = Trimestre.de(debut.date()).code
    client = client_de("anonyme")
    parametres = {"commune": "Le Mans", "trimestre": trimestre}

    def obtenir(**autres):
        reponse = client.get(reverse("ateliers:programme"), {**parametres, **autres})
        assert reponse.status_code == 200, texte(reponse)
        return _texte_pdf(reponse.content)

    premier = obtenir()
    assert obtenir() == premier
    assert len(rendus) == 1
    obtenir(intercommunalite="on")  # other parameters: their own entry
    assert len(rendus) == 2
    sessions[0].debut += dt.timedelta(hours=1)
    sessions[0].fin += dt.timedelta(hours=1)
    sessions[0].save()
    assert "15:00" in obtenir()  # the session moved: generated again
    assert len(rendus) == 3
    LieuFactory(nom="Espace Pontlieue", commune=geographie["le_mans"])
    assert "Espace Pontlieue" in obtenir()  # a new public site
    assert len(rendus) == 4
    services.annuler(demande, motif="Intervenant absent", par=None)  # the request's status
    assert "Aucun atelier public n'est encore annoncé" in obtenir()
    assert len(rendus) == 5


def test_programme_limite_par_adresse(client_de, geographie, settings, horloge_des_limites):
    """Each sent form counts, before its commune is looked up; the empty form does not."""
    settings.LIMITE_PDF_PAR_ADRESSE = "2/h"
    client = client_de("anonyme")
    url = reverse("ateliers:programme")
    trimestre = Trimestre.de(timezone.localdate()).code
    assert client.get(url, {"commune": "Le Mans", "trimestre": trimestre}).status_code == 200
    assert client.get(url, {"commune": "Atlantide", "trimestre": trimestre}).status_code == 400
    for _ in range(3):
        assert client.get(url).status_code == 200
    reponse = client.get(url, {"commune": "Le Mans", "trimestre": trimestre})
    assert reponse.status_code == 429
    assert "Vous avez demandé beaucoup de programmes en peu de temps." in texte(reponse)
    assert "Réessayez dans" in texte(reponse)
    autre = client.get(url, {"commune": "Le Mans", "trimestre": trimestre}, REMOTE_ADDR="192.0.2.9")
    assert autre.status_code == 200


def test_trimestres():
    assert Trimestre.lire("2027-T1").premier_jour == dt.date(2027, 1, 1)
    assert Trimestre(2026, 4).suivant() == Trimestre(2027, 1)
    assert Trimestre(2027, 1).precedent() == Trimestre(2026, 4)
    assert Trimestre.de(dt.date(2026, 12, 4)).libelle == "4e trimestre 2026"
    debut, fin = Trimestre(2027, 2).bornes()
    assert (debut.date(), fin.date()) == (dt.date(2027, 4, 1), dt.date(2027, 7, 1))
    with pytest.raises(ValueError):
        Trimestre.lire("2027-T5")


def test_historique_de_la_convention(client_de, partenaire, comptes):
    client = client_de("coordinateur")
    client.post(
        reverse("ateliers:convention_nouvelle"), _convention(partenaire, signee_le="", document="")
    )
    convention = Convention.objects.tous().get()
    client.post(
        reverse("ateliers:convention", args=[convention.pk]),
        _convention(partenaire, fin="2030-06-30"),
    )
    page = texte(client.get(reverse("ateliers:convention", args=[convention.pk])))
    journal = page[page.index('id="journal-convention"') :]
    auteur = comptes["coordinateur"].nom_complet or comptes["coordinateur"].email
    assert journal.count(f"par {auteur}") == 2
    assert (
        "<strong>Modification</strong> le" in journal and "<strong>Création</strong> le" in journal
    )
    assert "Fin\u00a0: " in journal and "→ 30/06/2030" in journal
    assert "Convention signée (PDF)\u00a0: — → document joint" in journal
    # the journal is the coordinators': a referent reads the convention without it
    lecture = client_de("referent").get(reverse("ateliers:convention", args=[convention.pk]))
    assert "journal-convention" not in texte(lecture)
