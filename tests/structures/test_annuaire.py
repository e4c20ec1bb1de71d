"""The directory of structures: list and its filters, CSV export, page, form, archiving,
merging duplicates, and a referent's own structure."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from comptes.enums import Role
from structures import services
from structures.enums import Typologie
from structures.models import Lieu, Structure
from tests.ateliers.acces_ateliers import _demande_du_mans
from tests.ateliers.factories import ConventionFactory
from tests.comptes.factories import UserFactory
from tests.conseillers.factories import ConseillerFactory, MiseADispositionFactory
from tests.structures.factories import LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db

SIRET_VALIDE = "43493312300029"
NOMBRE_DE_REQUETES_LISTE = 7


def _noms(reponse) -> set[str]:
    return {s.nom for s in reponse.context["page"]}


def test_liste_du_territoire_et_filtres(client_de, geographie, settings):
    g = geographie
    StructureFactory(nom="CCAS du Mans", commune=g["le_mans"], typologies=[Typologie.CCAS])
    StructureFactory(nom="Médiathèque d'Yvré", commune=g["yvre"], typologies=[Typologie.BIB])
    StructureFactory(nom="CCAS d'Angers", commune=g["angers_commune"], typologies=["CCAS"])
    archivee = StructureFactory(nom="Ancien CCAS", commune=g["le_mans"], typologies=["CCAS"])
    services.archiver_structure(structure=archivee)
    client = client_de("coordinateur")
    url = reverse("structures:annuaire")
    assert _noms(client.get(url)) == {"CCAS du Mans", "Médiathèque d'Yvré"}
    assert _noms(client.get(url, {"q": "ccas"})) == {"CCAS du Mans"}
    assert _noms(client.get(url, {"q": "mediatheque yvre"})) == {"Médiathèque d'Yvré"}
    assert _noms(client.get(url, {"typologie": "BIB"})) == {"Médiathèque d'Yvré"}
    assert _noms(client.get(url, {"q": "434 933 123"})) == {"CCAS du Mans", "Médiathèque d'Yvré"}
    assert _noms(client.get(url, {"commune": "72181"})) == {"CCAS du Mans"}
    settings.SEUIL_AUTOCOMPLETION = 1  # the commune typed, as in a large territory
    assert _noms(client.get(url, {"commune": "Le Mans (72181)"})) == {"CCAS du Mans"}
    settings.SEUIL_AUTOCOMPLETION = 200
    assert _noms(client.get(url, {"etat": "archivees"})) == {"Ancien CCAS"}
    assert len(_noms(client.get(url, {"etat": "toutes"}))) == 3
    # Angers is not in the métropole: neither listed nor offered as a commune
    reponse = client.get(url, {"commune": "49007"})
    assert "Choisissez une commune de la liste." in reponse.content.decode()
    assert _noms(client_de("coordinateur_autre_territoire").get(url)) == {"CCAS d'Angers"}


def test_nombre_de_requetes_de_la_liste(client_de, geographie, django_assert_num_queries):
    client = client_de("coordinateur")
    client.get(reverse("structures:annuaire"))  # session and caches warmed

    def compter(n):
        for _ in range(n):
            structure = StructureFactory(commune=geographie["le_mans"])
            LieuFactory(commune=geographie["le_mans"], structure=structure)
            structure.referents.add(UserFactory(role=Role.REFERENT))
            ConseillerFactory(commune=geographie["le_mans"], structure=structure)
        with django_assert_num_queries(NOMBRE_DE_REQUETES_LISTE):
            reponse = client.get(reverse("structures:annuaire"), {"q": "structure"})
        return reponse

    compter(1)
    reponse = compter(12)
    assert len(reponse.context["page"]) == 13
    premiere = reponse.context["page"][0]
    assert (premiere.nombre_lieux, premiere.nombre_referents, premiere.nombre_conseillers) == (
        1,
        1,
        1,
    )


def test_export_csv_filtre_et_neutralise(client_de, geographie):
    g = geographie
    s = StructureFactory(
        nom="=HYPERLINK(1)", commune=g["le_mans"], typologies=[Typologie.CCAS], pivot=""
    )
    LieuFactory(commune=g["le_mans"], structure=s)
    StructureFactory(nom="Médiathèque", commune=g["yvre"], typologies=[Typologie.BIB])
    StructureFactory(nom="CCAS d'Angers", commune=g["angers_commune"])
    reponse = client_de("coordinateur").get(
        reverse("structures:export_annuaire"), {"typologie": "CCAS"}
    )
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/csv")
    texte = reponse.content.decode("utf-8")
    assert texte.startswith("\ufeff")
    lignes = list(csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";"))
    assert lignes[0][:3] == ["identifiant", "nom", "siret_ou_rna"]
    assert len(lignes) == 2
    ligne = dict(zip(lignes[0], lignes[1], strict=True))
    assert ligne["nom"] == "'=HYPERLINK(1)"
    assert ligne["commune"] == "Le Mans" and ligne["lieux"] == "1"
    assert ligne["typologies"] == dict(Typologie.choices)["CCAS"]


def test_page_d_une_structure_et_autre_territoire(client_de, geographie):
    demande = _demande_du_mans(geographie)
    structure = demande.structure
    conseiller = ConseillerFactory(commune=geographie["le_mans"], structure=structure)
    MiseADispositionFactory(structure=structure, conseillers=[conseiller])
    reponse = client_de("coordinateur").get(reverse("structures:structure", args=[structure.pk]))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    for attendu in (
        structure.nom,
        demande.lieu.nom,
        demande.version.titre,
        str(conseiller),
        "Conventions de partenariat (1)",
        "Mis à disposition (1)",
        "Référents (1)",
    ):
        assert attendu in page, attendu
    autre = client_de("coordinateur_autre_territoire")
    for nom in ("structure", "modifier_structure", "fusionner_structure"):
        assert autre.get(reverse(f"structures:{nom}", args=[structure.pk])).status_code == 404
    for nom in ("modifier_structure", "archiver_structure", "desarchiver_structure"):
        assert autre.post(reverse(f"structures:{nom}", args=[structure.pk])).status_code == 404


def _donnees(**changements) -> dict:
    donnees = {
        "nom": "Centre social Kennedy",
        "pivot": SIRET_VALIDE,
        "typologies": ["CS"],
        "adresse": "1 rue de l'Esterel",
        "code_postal": "72100",
        "commune": "72181",
        "telephone": "0243474747",
        "courriel": "accueil@kennedy.exemple",
        "site_web": "kennedy.exemple",
        "presentation": "Accueil et ateliers numériques.",
        "parente": "",
        "programmes": [],
        "labels": [],
        "autres_labels": "",
    }
    donnees.update(changements)
    return donnees


def test_creer_puis_modifier(client_de, geographie):
    client = client_de("coordinateur")
    reponse = client.post(reverse("structures:creer_structure"), _donnees())
    structure = Structure.objects.tous().get(nom="Centre social Kennedy")
    assert reponse.status_code == 302
    assert reponse.url == reverse("structures:structure", args=[structure.pk])
    assert structure.telephone == "+33243474747"
    assert structure.site_web == "https://kennedy.exemple"
    formulaire = client.get(reverse("structures:modifier_structure", args=[structure.pk]))
    assert formulaire.context["formulaire"]["telephone"].value() == "02 43 47 47 47"
    parente = StructureFactory(nom="Réseau des centres sociaux", commune=geographie["le_mans"])
    reponse = client.post(
        reverse("structures:modifier_structure", args=[structure.pk]),
        _donnees(nom="Centre social Kennedy-Ouest", parente=str(parente.pk)),
    )
    assert reponse.status_code == 302
    structure.refresh_from_db()
    assert structure.nom == "Centre social Kennedy-Ouest" and structure.parente == parente
    page = client.get(reverse("structures:structure", args=[structure.pk])).content.decode()
    assert "Historique des modifications" in page
    assert "Centre social Kennedy → Centre social Kennedy-Ouest" in page


@pytest.mark.parametrize(
    ("changements", "champ", "message"),
    [
        ({"nom": ""}, "nom", "Indiquez le nom de la structure."),
        ({"pivot": "12345678901234"}, "pivot", "SIRET"),
        ({"commune": "49007"}, "commune", "Choisissez une commune de votre territoire."),
        ({"code_postal": "720"}, "code_postal", "Le code postal doit compter 5 chiffres"),
        ({"courriel": "pas-une-adresse"}, "courriel", "adresse électronique valide"),
        ({"telephone": "12"}, "telephone", ""),
    ],
)
def test_erreurs_du_formulaire(client_de, geographie, changements, champ, message):
    avant = Structure.objects.tous().count()
    reponse = client_de("coordinateur").post(
        reverse("structures:creer_structure"), _donnees(**changements)
    )
    assert reponse.status_code == 200
    erreurs = reponse.context["formulaire"].errors
    assert champ in erreurs, erreurs
    assert message in " ".join(erreurs[champ])
    assert Structure.objects.tous().count() == avant


def test_archiver_et_desarchiver(client_de, geographie):
    client = client_de("coordinateur")
    avec_lieu = LieuFactory(commune=geographie["le_mans"]).structure
    reponse = client.post(
        reverse("structures:archiver_structure", args=[avec_lieu.pk]), follow=True
    )
    assert "porte encore 1\u00a0lieu" in reponse.content.decode() or "porte encore 1 lieu" in (
        reponse.content.decode()
    )
    assert not Structure.objects.tous().get(pk=avec_lieu.pk).est_archivee
    seule = StructureFactory(nom="Association fermée", commune=geographie["le_mans"])
    client.post(reverse("structures:archiver_structure", args=[seule.pk]))
    seule.refresh_from_db()
    assert seule.est_archivee
    # gone from the lists and the forms, kept in the history
    assert "Association fermée" not in _noms(client.get(reverse("structures:annuaire")))
    formulaire = client.get(reverse("structures:creer_lieu")).context["formulaire"]
    assert seule not in formulaire.fields["structure"].queryset
    assert client.get(reverse("structures:modifier_structure", args=[seule.pk])).status_code == 302
    client.post(reverse("structures:desarchiver_structure", args=[seule.pk]))
    seule.refresh_from_db()
    assert not seule.est_archivee
    actions = [v.history_change_reason for v in seule.history.order_by("history_date")]
    assert actions[-2:] == ["archivage", "désarchivage"]


def test_fusion_deplace_tout_en_une_fois(client_de, comptes, geographie):
    g = geographie
    demande = _demande_du_mans(g)
    doublon = demande.structure
    doublon.telephone = "+33243000000"
    doublon.save()
    conseiller = ConseillerFactory(commune=g["le_mans"], structure=doublon)
    mad = MiseADispositionFactory(structure=doublon, conseillers=[conseiller])
    fille = StructureFactory(nom="Antenne", commune=g["le_mans"], parente=doublon)
    garder = StructureFactory(nom="CCAS du Mans", commune=g["le_mans"], telephone="")
    ConventionFactory(structure=garder)
    lieux = set(doublon.lieux.values_list("pk", flat=True))
    client = client_de("coordinateur")
    url = reverse("structures:fusionner_structure", args=[garder.pk])

    apercu = client.get(url, {"doublon": str(doublon.pk)})
    assert apercu.status_code == 200
    nombres = {ligne.libelle: ligne.nombre for ligne in apercu.context["apercu"]}
    assert nombres["lieux"] == len(lieux) == 2
    assert nombres["référents"] == 1
    assert nombres["conseillers numériques"] == 1
    assert nombres["mises à disposition"] == 1
    assert nombres["conventions de partenariat"] == 1
    assert nombres["demandes d'atelier"] == 1
    assert nombres["structures rattachées"] == 1
    assert Structure.objects.tous().get(pk=doublon.pk).archivee_le is None  # nothing yet

    reponse = client.post(url, {"doublon": str(doublon.pk)})
    assert reponse.status_code == 302
    doublon.refresh_from_db()
    garder.refresh_from_db()
    assert doublon.est_archivee and doublon.fusionnee_dans == garder
    assert set(garder.lieux.values_list("pk", flat=True)) == lieux
    assert list(garder.referents.all()) == [comptes["referent"]]
    assert not doublon.referents.exists()
    assert garder.conseillers.get() == conseiller
    assert garder.mises_a_disposition.get() == mad
    assert garder.conventions.count() == 2
    assert garder.demandes.get() == demande
    assert Structure.objects.tous().get(pk=fille.pk).parente == garder
    assert garder.telephone == "+33243000000"  # an empty field filled from the duplicate
    # the audit trail: both structures, and each moved site
    assert garder.history.first().history_change_reason.startswith("fusion\u00a0: reprend")
    assert doublon.history.first().history_change_reason.startswith("fusion\u00a0: fusionnée")
    for lieu in Lieu.objects.tous().filter(pk__in=lieux):
        assert lieu.history.first().structure_id == garder.pk
    assert comptes["coordinateur"] == garder.history.first().history_user
    # the referent now keeps the kept structure's sites
    assert Lieu.objects.modifiables_par(comptes["referent"]).filter(pk__in=lieux).count() == 2


def test_fusion_refusee_ne_change_rien(client_de, geographie):
    g = geographie
    garder = StructureFactory(nom="Gardée", commune=g["le_mans"])
    angevine = StructureFactory(nom="Angevine", commune=g["angers_commune"])
    archivee = StructureFactory(nom="Archivée", commune=g["le_mans"])
    services.archiver_structure(structure=archivee)
    client = client_de("coordinateur")
    url = reverse("structures:fusionner_structure", args=[garder.pk])
    for doublon in (angevine, archivee, garder):
        reponse = client.post(url, {"doublon": str(doublon.pk)})
        assert reponse.status_code == 200
        assert "doublon" in reponse.context["formulaire"].errors
    assert not Structure.objects.tous().filter(fusionnee_dans__isnull=False).exists()


def test_fusion_tout_ou_rien(geographie, monkeypatch):
    """A failure after the first moves leaves every row where it was."""
    g = geographie
    doublon = LieuFactory(commune=g["le_mans"]).structure
    garder = StructureFactory(commune=g["le_mans"])
    original = Structure.save

    def panne(self, *args, **kwargs):
        if self.pk == doublon.pk:
            raise RuntimeError("panne")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Structure, "save", panne)
    with pytest.raises(RuntimeError):
        services.fusionner_structures(garder=garder, doublon=doublon)
    assert doublon.lieux.count() == 1 and not garder.lieux.exists()


def test_le_referent_modifie_sa_structure(client_de, comptes, geographie):
    g = geographie
    sienne = StructureFactory(
        nom="Maison de quartier", commune=g["le_mans"], referents=[comptes["referent"]]
    )
    autre = StructureFactory(nom="Autre", commune=g["le_mans"])
    client = client_de("referent")
    espace = client.get(reverse("comptes:espace_structure")).content.decode()
    assert reverse("structures:modifier_ma_structure", args=[sienne.pk]) in espace
    url = reverse("structures:modifier_ma_structure", args=[sienne.pk])
    reponse = client.post(
        url,
        {
            "nom": "Maison de quartier des Sablons",
            "adresse": "2 rue Paul Ligneul",
            "code_postal": "72000",
            "telephone": "0243000000",
            "courriel": "mq@exemple.test",
            "site_web": "https://mq.exemple.test",
            "presentation": "Ateliers le mardi.",
            "pivot": "W723000000",  # not the referent's: ignored
            "typologies": ["CCAS"],
        },
    )
    assert reponse.status_code == 302
    sienne.refresh_from_db()
    assert sienne.nom == "Maison de quartier des Sablons" and sienne.telephone == "+33243000000"
    assert sienne.pivot == SIRET_VALIDE and sienne.typologies == [Typologie.ASSO]
    refus = client.post(url, {"nom": "", "courriel": "faux"})
    assert refus.status_code == 200
    assert "Indiquez le nom de la structure." in refus.content.decode()
    url_autre = reverse("structures:modifier_ma_structure", args=[autre.pk])
    assert client.get(url_autre).status_code == 404
    assert client_de("coordinateur").get(url).status_code == 403


def test_nombre_de_requetes_de_la_fiche_et_du_csv(client_de, geographie):
    """The structure's page and the CSV: as many queries with five of everything as with
    one."""
    g = geographie
    structure = StructureFactory(nom="Réseau France Services", commune=g["le_mans"])
    client = client_de("coordinateur")
    url = reverse("structures:structure", args=[structure.pk])
    client.get(url)  # session and caches warmed

    def ajouter():
        lieu = LieuFactory(commune=g["le_mans"], structure=structure)
        conseiller = ConseillerFactory(commune=g["le_mans"], structure=structure)
        MiseADispositionFactory(structure=structure, lieu=lieu, conseillers=[conseiller])
        ConventionFactory(structure=structure)
        structure.referents.add(UserFactory(role=Role.REFERENT))
        StructureFactory(commune=g["le_mans"], parente=structure)

    def requetes(adresse) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as capture:
            assert client.get(adresse).status_code == 200
        return len(capture.captured_queries)

    ajouter()
    une_fois = requetes(url), requetes(reverse("structures:export_annuaire"))
    for _ in range(4):
        ajouter()
    assert (requetes(url), requetes(reverse("structures:export_annuaire"))) == une_fois


def test_fusions_en_chaine(geographie):
    """A duplicate merged into one that is merged in turn points at the last kept one."""
    a, b, c = (StructureFactory(commune=geographie["le_mans"]) for _ in range(3))
    services.fusionner_structures(garder=b, doublon=a)
    services.fusionner_structures(garder=c, doublon=b)
    assert Structure.objects.tous().get(pk=a.pk).fusionnee_dans_id == c.pk
    assert Structure.objects.tous().get(pk=b.pk).fusionnee_dans_id == c.pk
