"""Check constraints validated in one query report exactly what Django's own validation
reports: same fields, messages and codes, in the same order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from conseillers.enums import Canal, TypeActivite
from conseillers.models import Activite, MiseADisposition
from tests.conseillers.factories import (
    ActiviteFactory,
    ConseillerFactory,
    MiseADispositionFactory,
)

pytestmark = pytest.mark.django_db


def _erreurs(validation, instance, exclude=None):
    try:
        validation(instance, exclude=exclude)
    except ValidationError as erreur:
        return [
            (champ, [(e.message % (e.params or {}), e.code) for e in liste])
            for champ, liste in erreur.error_dict.items()
        ]
    return []


def _comparer(instance, exclude=None):
    attendu = _erreurs(models.Model.validate_constraints, instance, exclude)
    assert _erreurs(type(instance).validate_constraints, instance, exclude) == attendu
    return attendu


ACTIVITES = {
    "valide": {},
    "type inconnu": {"type": "xx"},
    "date trop ancienne et durée nulle": {"date": dt.date(2019, 12, 31), "duree_minutes": 0},
    "plusieurs personnes en individuel": {"nb_participants": 3},
    "récurrents plus nombreux": {
        "type": TypeActivite.COLLECTIF,
        "nb_participants": 2,
        "nb_participants_recurrents": 5,
    },
    "âges incomplets": {"type": TypeActivite.COLLECTIF, "nb_participants": 4, "age_18_24": 1},
    "sans thème ni lieu": {"thematiques": [], "canal": Canal.LIEU_ACTIVITE},
    "sans commune": {"canal": Canal.DOMICILE},
}


@pytest.mark.parametrize("cas", ACTIVITES)
def test_memes_erreurs_que_django(cas):
    activite = ActiviteFactory.build(conseiller=ConseillerFactory(), **ACTIVITES[cas])
    erreurs = _comparer(activite)
    assert bool(erreurs) == (cas != "valide")
    # a constraint on an excluded field is left out, as Django does
    _comparer(activite, exclude={"date", "nb_participants", "canal"})


def test_toutes_les_violations_a_la_fois():
    activite = ActiviteFactory.build(
        conseiller=ConseillerFactory(),
        date=dt.date(2019, 1, 1),
        duree_minutes=0,
        nb_participants=2,
        nb_participants_recurrents=3,
        thematiques=[],
        canal=Canal.DOMICILE,
    )
    [(champ, messages)] = _comparer(activite)
    assert champ == "__all__" and len(messages) >= 5


def test_contraintes_et_unicite_ensemble():
    mise = MiseADispositionFactory()
    copie = MiseADisposition(
        structure=mise.structure,
        lieu=mise.lieu,
        convention=mise.convention,
        date_debut=dt.date(2026, 2, 1),
        date_fin=dt.date(2026, 1, 1),
        jours=[],
        heure_debut=mise.heure_debut,
        heure_fin=mise.heure_debut,
        type_intervention="xx",
    )
    assert len(_comparer(copie)) >= 1


def test_une_seule_requete_pour_toutes_les_verifications():
    activite = ActiviteFactory.build(conseiller=ConseillerFactory())
    checks = [c for c in Activite._meta.constraints if isinstance(c, models.CheckConstraint)]
    assert len(checks) >= 10
    with CaptureQueriesContext(connection) as requetes:
        activite.validate_constraints()
    selects = [q for q in requetes.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) == 1
    with CaptureQueriesContext(connection) as requetes:
        models.Model.validate_constraints(activite)
    assert len([q for q in requetes.captured_queries if q["sql"].startswith("SELECT")]) >= 10


def test_seuls_les_champs_cites_sont_annotes():
    """The conditions' fields, through lookups, F() and nested expressions (the age sums)."""
    from commun.contraintes import _champs_cites

    cites = set()
    for contrainte in Activite._meta.constraints:
        if isinstance(contrainte, models.CheckConstraint):
            cites |= set(_champs_cites(models.Q(contrainte.condition)))
    assert {"type", "canal", "date", "nb_participants", "nb_participants_recurrents"} <= cites
    assert {"age_moins_12", "age_70_plus", "statut_retraite", "lieu", "commune"} <= cites
    assert "notes" not in cites and "titre_atelier" not in cites


@pytest.mark.parametrize(
    "valeurs",
    [
        {},
        {"participants_min": 9},
        {"format": "parcours_court", "nombre_seances": 7},  # a range lookup
        {"format": "parcours_court", "nombre_seances": 3},
    ],
)
def test_memes_erreurs_pour_une_fiche_atelier(valeurs):
    from tests.ateliers.factories import FicheFactory
    from tests.territoires.factories import CommuneFactory

    _comparer(FicheFactory.build(commune=CommuneFactory(), **valeurs))
