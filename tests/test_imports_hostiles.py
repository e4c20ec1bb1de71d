"""Hostile files for every import (sites, activity reports, fragility indicators): whatever
the bytes, the import either writes a valid file whole or refuses it with one French
message per problem and writes nothing; no other exception. Property-based (hypothesis);
the GeoJSON outlines have their own in tests/indicateurs/indice/test_contours.py."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conseillers.importation import OBLIGATOIRES, importer_activites
from conseillers.models import Activite
from indicateurs.indice.importation import importer_indicateurs
from indicateurs.indice.models import ValeurIndicateur
from structures.models import Lieu
from structures.normes import COLONNES, DonneesInvalides, importer_lieux
from tests.conseillers.factories import ConseillerFactory

pytestmark = pytest.mark.django_db

REGLAGES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
BIZARRE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=25
)  # quotes, separators, newlines, RTL marks, emoji…


def _cellule(plausibles: list[str]):
    return st.one_of(st.sampled_from(plausibles), BIZARRE, st.just(""))


def _csv(entete: list[str], lignes: list[list[str]], separateur: str) -> bytes:
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=separateur)
    ecrivain.writerow(entete)
    ecrivain.writerows(lignes)
    return sortie.getvalue().encode("utf-8")


def _fichiers(entete: list[str], plausibles: dict[str, list[str]]):
    ligne = st.tuples(*(_cellule(plausibles.get(c, ["1", "x"])) for c in entete)).map(list)
    bien_formes = st.builds(
        _csv,
        st.just(entete) | st.permutations(entete).map(list) | st.lists(BIZARRE, max_size=6),
        st.lists(ligne, min_size=1, max_size=4),
        st.sampled_from([",", ";"]),
    )
    return st.one_of(bien_formes, st.binary(max_size=400))


def _verifier(importer, compter, contenu: bytes) -> None:
    avant = compter()
    try:
        importer(flux=io.BytesIO(contenu))
    except DonneesInvalides as refus:
        assert refus.erreurs, "un refus sans message"
        for erreur in refus.erreurs:
            assert str(erreur).strip()
        assert compter() == avant, "un fichier refusé a écrit des lignes"


LIEUX = {
    "nom": ["Médiathèque", "Espace numérique"],
    "commune": ["Le Mans", "Yvré-l'Évêque", "Atlantide"],
    "code_postal": ["72000", "7200", "72530"],
    "code_insee": ["72181", "99999", ""],
    "adresse": ["1 rue de la Paix"],
    "latitude": ["48.0", "91", "abc"],
    "longitude": ["0.2", "-181"],
    "horaires": ["Mo-Fr 09:00-12:00", "lundi matin", "Mo 25:00-26:00"],
    "services": ["Aide aux démarches administratives", "inconnu"],
    "date_maj": ["2026-01-01", "2026-13-45"],
    "pivot": ["21720181000017", "123"],
    "id": ["a", "b", ""],
    "source": ["Ville", ""],
}


@REGLAGES
@given(_fichiers(list(COLONNES), LIEUX))
def test_import_des_lieux_face_a_un_fichier_hostile(geographie, contenu):
    _verifier(importer_lieux, lambda: Lieu.objects.tous().count(), contenu)


ENTETE_ACTIVITES = OBLIGATOIRES  # the required columns, as the import reads them


@REGLAGES
@given(contenu=st.data())
def test_import_des_activites_face_a_un_fichier_hostile(geographie, contenu):
    conseiller = ConseillerFactory(commune=geographie["le_mans"])
    plausibles = {
        "date": ["2026-03-02", "2026-02-30", "hier"],
        "conseiller_email": [conseiller.email, "inconnu@exemple.fr", "pas-une-adresse"],
        "type": ["individuel", "collectif", "ponctuel", "autre"],
        "canal": ["distance", "lieu_activite", "partout"],
        "code_insee": ["72181", "00000"],
        "lieu_id": ["", "999999", "-1"],
        "duree_minutes": ["30", "0", "-5", "1e9"],
        "nb_participants": ["1", "0", "101"],
        "nb_participants_recurrents": ["0", "5"],
        "thematiques": ["email", "email|sante", "|", "logement"],
    }
    fichier = contenu.draw(_fichiers(ENTETE_ACTIVITES, plausibles))
    _verifier(importer_activites, lambda: Activite.objects.tous().count(), fichier)


ENTETE_INDICATEURS = ["niveau", "code", "indicateur", "valeur", "millesime", "source"]


@REGLAGES
@given(
    _fichiers(
        ENTETE_INDICATEURS,
        {
            "niveau": ["commune", "iris", "quartier", "région"],
            "code": ["72181", "721810101", "Bellevue", ""],
            "indicateur": ["non_diplomes", "pauvrete", "inconnu"],
            "valeur": ["12.5", "-3", "NaN", "1e400", "douze"],
            "millesime": ["2021", "21", "3000"],
            "source": ["INSEE", ""],
        },
    )
)
def test_import_des_indicateurs_face_a_un_fichier_hostile(geographie, contenu):
    _verifier(importer_indicateurs, lambda: ValeurIndicateur.objects.tous().count(), contenu)


def _verifier_partiel(importer, compter, contenu: bytes, importees) -> None:
    """Partial import: refused whole with messages, or exactly the valid rows written."""
    avant = compter()
    try:
        rapport = importer(flux=io.BytesIO(contenu))
    except DonneesInvalides as refus:
        assert refus.erreurs, "un refus sans message"
        assert all(str(erreur).strip() for erreur in refus.erreurs)
        assert compter() == avant, "un fichier refusé a écrit des lignes"
        return
    assert compter() - avant == importees(rapport)
    for refusee in rapport.refusees:
        assert refusee.erreurs and all(str(e).strip() for e in refusee.erreurs)


@REGLAGES
@given(contenu=st.data())
def test_import_partiel_des_activites_face_a_un_fichier_hostile(geographie, contenu):
    conseiller = ConseillerFactory(commune=geographie["le_mans"])
    plausibles = {
        "date": ["2026-03-02", "hier"],
        "conseiller_email": [conseiller.email, "inconnu@exemple.fr"],
        "type": ["individuel", "Atelier collectif", "autre"],
        "canal": ["a_distance", "À domicile", "partout"],
        "code_insee": ["72181", "00000"],
        "lieu_id": ["", "999999"],
        "duree_minutes": ["30", "0"],
        "nb_participants": ["1", "101"],
        "nb_participants_recurrents": ["0", "5"],
        "thematiques": ["navigation_sur_internet", "E-mail|Santé", "|"],
    }
    fichier = contenu.draw(_fichiers(ENTETE_ACTIVITES, plausibles))
    _verifier_partiel(
        lambda flux: importer_activites(flux=flux, partiel=True),
        lambda: Activite.objects.tous().count(),
        fichier,
        lambda rapport: rapport.activites,
    )


ENTETE_INDICE_PUBLIE = [
    "Code Iris",
    "Insee Com",
    "Nom Iris",
    "Type Iris",
    "SCORE GLOBAL departement 1",
    "GLOBAL ACCES departement 1",
]


@REGLAGES
@given(
    _fichiers(
        ENTETE_INDICE_PUBLIE,
        {
            "Code Iris": ["721810101", "723860000", "72181", "72181010A"],
            "Insee Com": ["72181", "72386", "99999", "7218"],
            "Nom Iris": ["Centre", ""],
            "Type Iris": ["Iris d'habitat", "Commune non découpée en IRIS"],
            "SCORE GLOBAL departement 1": ["101,5", "-3", "NaN", "1e400", ""],
            "GLOBAL ACCES departement 1": ["99.1", "", "x"],
        },
    ),
    st.booleans(),
)
def test_import_de_l_indice_publie_face_a_un_fichier_hostile(geographie, contenu, partiel):
    from indicateurs.indice.models import IndiceUnite
    from indicateurs.indice.publication import importer_indice_publie

    def importer(flux):
        return importer_indice_publie(
            flux=flux, millesime=2020, reference="departement", partiel=partiel
        )

    _verifier_partiel(
        importer,
        lambda: IndiceUnite.objects.tous().count(),
        contenu,
        lambda rapport: rapport.iris + rapport.communes,
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(
        st.tuples(
            _cellule(["03/11/2026", "2026-11-03", "hier"]),
            _cellule(["Accompagnement individuel", "Atelier collectif"]),
            _cellule(["1", "3", "-1"]),
            _cellule(["À distance", "Lieu d’activité", "Autre lieu"]),
            _cellule(["72000 Le Mans", "Médiathèque, 72000 Le Mans", "72530 Yvré-l'Évêque", "x"]),
            _cellule(["30", "0"]),
            _cellule(["Navigation sur internet\nE-mail", "Inconnue"]),
            _cellule(["70 ans et plus", "Mineur(e)\nMoins de 12 ans"]),
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_import_de_l_export_de_la_coop_face_a_un_classeur_hostile(geographie, lignes, partiel):
    from openpyxl import Workbook

    from tests.conseillers.test_import_coop import ENTETE_COOP

    colonnes = [
        "Date",
        "Type",
        "Nombre de participants",
        "Canaux d’accompagnement",
        "Lieu",
        "Durée (min)",
        "Thématique(s) d’accompagnement",
        "Tranche d’âge du bénéficiaire",
    ]
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Activités"
    feuille.append(["Informations export"])
    feuille.append([""])
    feuille.append(ENTETE_COOP)
    for ligne in lignes:
        valeurs = dict.fromkeys(ENTETE_COOP, "")
        # a cell of a spreadsheet holds no control character but tab, LF and CR
        valeurs.update(
            {
                c: "".join(ch for ch in v if ch >= " " or ch in "\t\n\r")
                for c, v in zip(colonnes, ligne, strict=True)
            }
        )
        feuille.append([valeurs[c] for c in ENTETE_COOP])
    tampon = io.BytesIO()
    classeur.save(tampon)

    def importer(flux):
        return importer_activites(
            flux=flux, format_="coop", conseiller_email="camille@exemple.test", partiel=partiel
        )

    _verifier_partiel(
        importer,
        lambda: Activite.objects.tous().count(),
        tampon.getvalue(),
        lambda rapport: rapport.activites,
    )
