"""Authorization matrix: every URL pattern of the project, as every role.

A new view without its row here fails ``test_chaque_url_a_sa_ligne``.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from structures.models import Signalement
from tests.ateliers import acces_ateliers
from tests.conftest import ROLES
from tests.conseillers import acces_espace, acces_gestion, acces_saisie
from tests.gestion_comptes import acces as acces_gestion_comptes
from tests.imports import acces as acces_imports
from tests.indicateurs.couverture import acces_couverture
from tests.indicateurs.indice import acces_indice
from tests.indicateurs.statistiques import acces_comite
from tests.reseau import acces as acces_reseau
from tests.structures import acces_annuaire
from tests.structures.factories import LieuFactory
from tests.structures.test_gestion import lieu_le_mans_du_referent

pytestmark = pytest.mark.django_db

TOUS_200 = dict.fromkeys(ROLES, 200)
ANONYME_REDIRIGE = {**TOUS_200, "anonyme": 302}
API_AUTHENTIFIEE = {**TOUS_200, "anonyme": 401}
POST_SEULEMENT = {**dict.fromkeys(ROLES, 405), "anonyme": 302}


def espace(role_autorise: str, *autres: str) -> dict:
    attendu = dict.fromkeys(ROLES, 403)
    attendu["anonyme"] = 302
    for role in (role_autorise, *autres, "staff"):
        attendu[role] = 200
    return attendu


def _origine():
    from donnees.models import OrigineIntegration

    return OrigineIntegration.objects.get_or_create(
        origine="https://www.yvre-leveque.fr", defaults={"partenaire": "Mairie d'Yvré-l'Évêque"}
    )[0]


def _publication():
    from donnees.models import PublicationStatistiques

    # get_or_create: the phone walk builds every address of the matrix in one database
    return PublicationStatistiques.objects.get_or_create(
        territoire="247200132", defaults={"nom": "CU Le Mans Métropole"}
    )[0]


def _partage(geo):
    from donnees.models import PartageStatistiques
    from tests.conseillers.factories import ConseillerFactory

    return PartageStatistiques.objects.create(conseiller=ConseillerFactory(commune=geo["le_mans"]))


def _zone_le_mans(geo):
    return geo["zones"][0].pk


def _indice_publie_le_mans(geo) -> str:
    """A published index of Le Mans Métropole's communes; returns the API's URL."""
    from indicateurs.indice.services import UnitePubliee, charger_indice_publie

    charger_indice_publie(
        unites=[UnitePubliee(indice=4.36, commune=geo["le_mans"])], millesime=2022, source="essai"
    )
    return reverse("api:indice-list")


# name -> (function(geographie) returning the URL, expected status per role)
MATRICE = {
    "accueil": (lambda g: reverse("accueil"), TOUS_200),
    "sante": (lambda g: reverse("sante"), TOUS_200),
    "mentions_legales": (lambda g: reverse("mentions_legales"), TOUS_200),
    "accessibilite": (lambda g: reverse("accessibilite"), TOUS_200),
    "donnees_personnelles": (lambda g: reverse("donnees_personnelles"), TOUS_200),
    "comptes:connexion": (
        lambda g: reverse("comptes:connexion"),
        {**dict.fromkeys(ROLES, 302), "anonyme": 200},
    ),
    "comptes:deconnexion": (lambda g: reverse("comptes:deconnexion"), dict.fromkeys(ROLES, 405)),
    "comptes:reinitialisation": (lambda g: reverse("comptes:reinitialisation"), TOUS_200),
    "comptes:reinitialisation_envoyee": (
        lambda g: reverse("comptes:reinitialisation_envoyee"),
        TOUS_200,
    ),
    "comptes:nouveau_mot_de_passe": (
        lambda g: reverse("comptes:nouveau_mot_de_passe", args=["MQ", "jeton-faux"]),
        TOUS_200,
    ),
    "comptes:mot_de_passe_modifie": (lambda g: reverse("comptes:mot_de_passe_modifie"), TOUS_200),
    "comptes:changement_mot_de_passe": (
        lambda g: reverse("comptes:changement_mot_de_passe"),
        ANONYME_REDIRIGE,
    ),
    # a forged or spent invitation link: the same page, saying it is no longer valid
    "comptes:invitation": (
        lambda g: reverse("comptes:invitation", args=["faux:lien"]),
        TOUS_200,
    ),
    "comptes:espace": (lambda g: reverse("comptes:espace"), dict.fromkeys(ROLES, 302)),
    "comptes:espace_coordination": (
        lambda g: reverse("comptes:espace_coordination"),
        espace("coordinateur", "coordinateur_autre_territoire"),
    ),
    "comptes:espace_conseiller": (
        lambda g: reverse("comptes:espace_conseiller"),
        espace("conseiller"),
    ),
    "comptes:espace_structure": (lambda g: reverse("comptes:espace_structure"), espace("referent")),
    "comptes:espace_elu": (lambda g: reverse("comptes:espace_elu"), espace("elu")),
    # every account manages its own API tokens; revoking is a POST (tests/comptes/test_jetons.py)
    "comptes:jetons": (lambda g: reverse("comptes:jetons"), ANONYME_REDIRIGE),
    "comptes:revoquer_jeton": (
        lambda g: reverse("comptes:revoquer_jeton", args=["6f1c2a52-4a43-4e0b-9d1e-2f3b4c5d6e7f"]),
        POST_SEULEMENT,
    ),
    "comptes:revoquer_jetons": (lambda g: reverse("comptes:revoquer_jetons"), POST_SEULEMENT),
    "api:api-root": (lambda g: reverse("api:api-root"), API_AUTHENTIFIEE),
    "api:region-list": (lambda g: reverse("api:region-list"), TOUS_200),
    "api:region-detail": (lambda g: reverse("api:region-detail", args=["52"]), TOUS_200),
    "api:departement-list": (lambda g: reverse("api:departement-list"), TOUS_200),
    "api:departement-detail": (lambda g: reverse("api:departement-detail", args=["72"]), TOUS_200),
    "api:epci-list": (lambda g: reverse("api:epci-list"), TOUS_200),
    "api:epci-detail": (lambda g: reverse("api:epci-detail", args=["247200132"]), TOUS_200),
    "api:commune-list": (lambda g: reverse("api:commune-list") + "?q=mans", TOUS_200),
    "api:commune-detail": (lambda g: reverse("api:commune-detail", args=["72181"]), TOUS_200),
    "api:zone-list": (lambda g: reverse("api:zone-list"), API_AUTHENTIFIEE),
    "api:zone-detail": (
        lambda g: reverse("api:zone-detail", args=[_zone_le_mans(g)]),
        {**API_AUTHENTIFIEE, "coordinateur_autre_territoire": 404},
    ),
    "api:moi": (lambda g: reverse("api:moi"), API_AUTHENTIFIEE),
    "api:jeton": (lambda g: reverse("api:jeton"), dict.fromkeys(ROLES, 405)),
    "api:schema": (lambda g: reverse("api:schema"), TOUS_200),
    "api:documentation": (lambda g: reverse("api:documentation"), TOUS_200),
    "admin:index": (lambda g: reverse("admin:index"), {**dict.fromkeys(ROLES, 302), "staff": 200}),
    # -- structures: public pages and API --
    "structures:lieux": (lambda g: reverse("structures:lieux") + "?commune=72181", TOUS_200),
    "structures:lieux_carte": (lambda g: reverse("structures:lieux_carte"), TOUS_200),
    "structures:lieu": (
        lambda g: reverse("structures:lieu", args=[LieuFactory(commune=g["le_mans"]).pk]),
        TOUS_200,
    ),
    "structures:signaler": (
        lambda g: reverse("structures:signaler", args=[LieuFactory(commune=g["le_mans"]).pk]),
        dict.fromkeys(ROLES, 405),
    ),
    "api:lieu-list": (lambda g: reverse("api:lieu-list") + "?services=demarches", TOUS_200),
    "api:lieu-detail": (
        lambda g: reverse("api:lieu-detail", args=[LieuFactory(commune=g["le_mans"]).pk]),
        TOUS_200,
    ),
    # -- structures: back-office --
    "structures:gestion_lieux": (
        lambda g: reverse("structures:gestion_lieux"),
        espace("coordinateur", "coordinateur_autre_territoire", "referent"),
    ),
    "structures:creer_lieu": (
        lambda g: reverse("structures:creer_lieu"),
        espace("coordinateur", "coordinateur_autre_territoire", "referent"),
    ),
    "structures:modifier_lieu": (
        lambda g: reverse("structures:modifier_lieu", args=[lieu_le_mans_du_referent(g).pk]),
        {**espace("coordinateur", "referent"), "coordinateur_autre_territoire": 404},
    ),
    "structures:signalements": (
        lambda g: reverse("structures:signalements"),
        espace("coordinateur", "coordinateur_autre_territoire", "referent"),
    ),
    "structures:signalement": (
        lambda g: reverse(
            "structures:signalement",
            args=[
                Signalement.objects.create(
                    lieu=lieu_le_mans_du_referent(g), message="Horaires faux"
                ).pk
            ],
        ),
        {**espace("coordinateur", "referent"), "coordinateur_autre_territoire": 404},
    ),
    "structures:suggestions_communes": (
        lambda g: reverse("structures:suggestions_communes") + "?q=le+mans",
        ANONYME_REDIRIGE,
    ),
    "structures:suggestions_structures": (
        lambda g: reverse("structures:suggestions_structures") + "?q=ccas",
        espace("coordinateur", "coordinateur_autre_territoire", "referent"),
    ),
    "structures:guide": (lambda g: reverse("structures:guide") + "?epci=247200132", TOUS_200),
    # -- structures: the directory of structures --
    **acces_annuaire.LIGNES,
    # open data: anybody, with or without an account
    "donnees:accueil": (lambda g: reverse("donnees:accueil"), TOUS_200),
    "donnees:lieux_csv": (lambda g: reverse("donnees:lieux_csv"), TOUS_200),
    "donnees:lieux_json": (lambda g: reverse("donnees:lieux_json"), TOUS_200),
    "donnees:agenda_ics": (lambda g: reverse("donnees:agenda_ics"), TOUS_200),
    "donnees:agenda_json": (lambda g: reverse("donnees:agenda_json"), TOUS_200),
    "donnees:data_inclusion_structures": (
        lambda g: reverse("donnees:data_inclusion_structures"),
        TOUS_200,
    ),
    "donnees:data_inclusion_services": (
        lambda g: reverse("donnees:data_inclusion_services"),
        TOUS_200,
    ),
    "donnees:catalogue": (lambda g: reverse("donnees:catalogue"), TOUS_200),
    # embedding: the builder and the embedded pages are public; the list of the partners'
    # websites is the coordinators' (every coordinator: it is the portal's own list)
    "donnees:integrer": (lambda g: reverse("donnees:integrer"), TOUS_200),
    "donnees:integrer_lieux": (lambda g: reverse("donnees:integrer_lieux"), TOUS_200),
    "donnees:integrer_lieux_carte": (lambda g: reverse("donnees:integrer_lieux_carte"), TOUS_200),
    "donnees:integrer_agenda": (lambda g: reverse("donnees:integrer_agenda"), TOUS_200),
    "donnees:integration": (
        lambda g: reverse("donnees:integration"),
        espace("coordinateur", "coordinateur_autre_territoire"),
    ),
    "donnees:statistiques": (lambda g: reverse("donnees:statistiques"), TOUS_200),
    "donnees:statistiques_csv": (lambda g: reverse("donnees:statistiques_csv"), TOUS_200),
    "donnees:statistiques_publication": (
        lambda g: reverse("donnees:statistiques_publication", args=[_publication().pk]),
        TOUS_200,
    ),
    "donnees:statistiques_partage": (
        lambda g: reverse("donnees:statistiques_partage", args=[_partage(g).jeton]),
        TOUS_200,
    ),
    "donnees:partages": (
        lambda g: reverse("donnees:partages"),
        espace("conseiller", "referent"),
    ),
    "donnees:revoquer_partage": (
        lambda g: reverse("donnees:revoquer_partage", args=[_partage(g).pk]),
        POST_SEULEMENT,
    ),
    "donnees:statistiques_publiees": (
        lambda g: reverse("donnees:statistiques_publiees"),
        espace("coordinateur", "coordinateur_autre_territoire"),
    ),
    # Le Mans Métropole's publication: another territory's coordinator does not see it
    "donnees:modifier_publication": (
        lambda g: reverse("donnees:modifier_publication", args=[_publication().pk]),
        {**espace("coordinateur"), "coordinateur_autre_territoire": 404},
    ),
    "donnees:retirer_origine": (
        lambda g: reverse("donnees:retirer_origine", args=[_origine().pk]),
        POST_SEULEMENT,
    ),
    # -- conseillers: each area keeps its rows beside its tests --
    **acces_saisie.LIGNES,
    **acces_espace.LIGNES,
    **acces_gestion.LIGNES,
    # -- ateliers --
    **acces_ateliers.LIGNES,
    # -- accounts' back office --
    **acces_gestion_comptes.LIGNES,
    # -- back-office imports --
    **acces_imports.LIGNES,
    **acces_reseau.LIGNES,
    # -- indicateurs: each area keeps its rows beside its tests --
    **acces_comite.LIGNES,
    **acces_indice.LIGNES,
    **acces_couverture.LIGNES,
    "api:indice-list": (
        lambda g: _indice_publie_le_mans(g) + "?niveau=commune&millesime=2022",
        {
            **API_AUTHENTIFIEE,
            "conseiller": 403,
            "referent": 403,
            "coordinateur_autre_territoire": 404,
        },
    ),
    # each role reads its own scope of the snapshots
    # (tests/indicateurs/statistiques/test_statistiques.py)
    "api:statistiques-mensuelles": (
        lambda g: reverse("api:statistiques-mensuelles") + "?du=2026-01&au=2026-03",
        API_AUTHENTIFIEE,
    ),
}


def _noms(motifs, espace_de_noms=""):
    for motif in motifs:
        if isinstance(motif, URLResolver):
            ns = motif.namespace or ""
            prefixe = f"{espace_de_noms}:{ns}" if espace_de_noms and ns else ns or espace_de_noms
            yield from _noms(motif.url_patterns, prefixe)
        elif isinstance(motif, URLPattern):
            nom = motif.name or f"<sans nom: {motif.pattern}>"
            yield f"{espace_de_noms}:{nom}" if espace_de_noms else nom


def test_chaque_url_a_sa_ligne():
    noms = {nom for nom in _noms(get_resolver().url_patterns) if not nom.startswith("admin:")}
    noms.add("admin:index")
    manquants = noms - set(MATRICE)
    assert not manquants, f"URL sans ligne dans la matrice d'accès\u00a0: {sorted(manquants)}"
    assert not set(MATRICE) - noms, "lignes de la matrice sans URL"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("nom", sorted(MATRICE))
def test_matrice_d_acces(client_de, geographie, nom, role):
    construire, attendus = MATRICE[nom]
    reponse = client_de(role).get(construire(geographie))
    assert reponse.status_code == attendus[role], (nom, role, reponse.status_code)
    if reponse.status_code == 302 and role == "anonyme" and not nom.startswith("admin:"):
        assert reponse.url.startswith(reverse("comptes:connexion"))
