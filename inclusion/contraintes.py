"""Model validation of check constraints in one query instead of one per constraint.

``Model.validate_constraints`` asks the database about each ``CheckConstraint`` through
``Q.check``: a savepoint, a query annotating every field of the instance, a release. An
activity report has 12 of them: recording one spent two thirds of its time there (36 round
trips and some 500 annotations built in Python). ``valider_contraintes`` asks for all the
check constraints of a model in a single ``SELECT``, then reports the violations exactly as
Django does: same messages and codes, in the same order, other constraints (unique,
exclusion) validated by Django itself.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext

from django.core.exceptions import FieldError, ValidationError
from django.db import DatabaseError, connections, router, transaction
from django.db.models import BooleanField, CheckConstraint, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE

logger = logging.getLogger(__name__)


def _groupable(contrainte) -> bool:
    return (
        isinstance(contrainte, CheckConstraint)
        and type(contrainte).validate is CheckConstraint.validate
    )


def _resultats(instance, modele, contraintes, exclude, using) -> dict[str, bool]:
    """``{name: respected}`` for the check constraints whose fields are all validated."""
    query = Query(None)
    valeurs = instance._get_field_expression_map(meta=modele._meta, exclude=exclude)
    for nom, valeur in valeurs.items():
        if not hasattr(valeur, "resolve_expression"):
            valeur = Value(valeur)
        query.add_annotation(valeur, nom, select=False)
    noms = []
    for rang, contrainte in enumerate(contraintes):
        condition = Coalesce(Q(contrainte.condition), True, output_field=BooleanField())
        try:
            query.add_annotation(condition, f"_contrainte_{rang}")
        except FieldError:  # an excluded field: Django skips the constraint too
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
        logger.warning("Contrôle groupé des contraintes de %s impossible : %s", modele, erreur)
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
