"""Model validation of check constraints in one query instead of one per constraint.

``Model.validate_constraints`` asks the database about each ``CheckConstraint`` through
``Q.check``: a savepoint, a query annotating every field of the instance, a release. An
activity report has 12 of them: recording one spent two thirds of its time there (36 round
trips and some 500 annotations built in Python). ``valider_contraintes`` asks for all the
check constraints of a model in a single ``SELECT``, with only the fields they name, then
reports the violations exactly as Django does: same messages and codes, in the same
order, other constraints (unique, exclusion) validated by Django itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, F, Q, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


def _groupable(contrainte) -> bool:
    return (
        isinstance(contrainte, CheckConstraint)
        and type(contrainte).validate is CheckConstraint.validate
    )


def _champs_cites(noeud) -> Iterator[str]:
    """The fields a condition names, through lookups, F() and nested expressions."""
    if isinstance(noeud, Q):
        for enfant in noeud.children:
            yield from _champs_cites(enfant)
    elif isinstance(noeud, tuple):
        recherche, valeur = noeud
        yield recherche.split(LOOKUP_SEP, 1)[0]
        if hasattr(valeur, "resolve_expression"):  # F() or an expression, not plain values
            yield from _champs_cites(valeur)
    elif isinstance(noeud, F):
        yield noeud.name.split(LOOKUP_SEP, 1)[0]
    elif hasattr(noeud, "get_source_expressions"):
        for expression in noeud.get_source_expressions():
            yield from _champs_cites(expression)


def _resultats(instance, modele, contraintes, exclude, using) -> dict[str, bool]:
    """``{name: respected}`` for the check constraints whose fields are all validated."""
    query = Query(None)
    valeurs = instance._get_field_expression_map(meta=modele._meta, exclude=exclude)
    ajoutes: set[str] = set()

    def annoter(noms) -> None:
        # only the fields the conditions name: annotating every field for every query
        # was most of the cost
        for nom in noms:
            if nom in valeurs and nom not in ajoutes:
                valeur = valeurs[nom]
                if not hasattr(valeur, "resolve_expression"):
                    valeur = Value(valeur)
                query.add_annotation(valeur, nom, select=False)
                ajoutes.add(nom)

    noms = []
    for rang, contrainte in enumerate(contraintes):
        condition = Coalesce(Q(contrainte.condition), True, output_field=BooleanField())
        annoter(_champs_cites(Q(contrainte.condition)))
        try:
            query.add_annotation(condition, f"_contrainte_{rang}")
        except FieldError:
            # a name the walk missed: every field, as Q.check does; still an error means
            # an excluded field, and Django skips the constraint too
            annoter(valeurs)
            try:
                query.add_annotation(condition, f"_contrainte_{rang}")
            except FieldError:
                continue
        noms.append(contrainte.name)
    if not noms:
        return {}
    connexion = connections[using]
    # an error must not break the caller's transaction, as in Q.check
    garde = transaction.atomic(using=using) if connexion.in_atomic_block else nullcontext()
    try:
        with garde:
            ligne = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError as erreur:
        logger.warning("Contrôle groupé des contraintes de %s impossible\u00a0: %s", modele, erreur)
        return {}
    return {nom: bool(valeur) for nom, valeur in zip(noms, ligne, strict=True)}


def valider_contraintes(instance, exclude=None) -> None:
    """``Model.validate_constraints``, with the check constraints asked in one query."""
    using = router.db_for_write(instance.__class__, instance=instance)
    erreurs: dict = {}
    for modele, contraintes in instance.get_constraints():
        groupees = [contrainte for contrainte in contraintes if _groupable(contrainte)]
        respectees = _resultats(instance, modele, groupees, exclude, using) if groupees else {}
        for contrainte in contraintes:
            try:
                if _groupable(contrainte):
                    if not respectees.get(contrainte.name, True):
                        raise ValidationError(
                            contrainte.get_violation_error_message(),
                            code=contrainte.violation_error_code,
                        )
                else:
                    contrainte.validate(modele, instance, exclude=exclude, using=using)
            except ValidationError as erreur:
                if getattr(erreur, "code", None) == "unique" and len(contrainte.fields) == 1:
                    erreurs.setdefault(contrainte.fields[0], []).append(erreur)
                else:
                    erreurs = erreur.update_error_dict(erreurs)
    if erreurs:
        raise ValidationError(erreurs)
