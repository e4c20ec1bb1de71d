"""Perimeters, and the one mechanism that restricts rows to what a user may see.

A :class:`Perimetre` is a set of communes described by communes, EPCI and départements.
``comptes.User.perimetre`` builds one from the user's territories (national for staff).

A model whose rows belong to a territory uses :class:`PerimetreManager` and says how its
rows reach a commune (``perimetre_chemin``) or overrides
:meth:`PerimetreQuerySet.filtre_perimetre`. Its querysets then refuse to be evaluated until
they are scoped: ``.pour(user)`` keeps the rows of the user's territories, ``.tous()``
states on purpose that every row is wanted (Celery jobs, public data, imports). A forgotten
filter raises :class:`PerimetreNonApplique` at the first query instead of leaking another
territory's data. Related managers (``commune.zones.all()``) start from an object already
reached, so they count as scoped.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from commun.contraintes import valider_contraintes


@dataclass(frozen=True)
class Perimetre:
    communes: frozenset[str] = frozenset()
    epcis: frozenset[str] = frozenset()
    departements: frozenset[str] = frozenset()
    national: bool = False

    @classmethod
    def vide(cls) -> Perimetre:
        return cls()

    @property
    def est_vide(self) -> bool:
        return not (self.national or self.communes or self.epcis or self.departements)

    def q(self, chemin: str = "") -> Q:
        """Filter on the commune reached by ``chemin`` ("" when filtering communes)."""
        if self.national:
            return Q()
        prefixe = f"{chemin}__" if chemin else ""
        q = Q(**{f"{prefixe}pk__in": []})
        if self.communes:
            q |= Q(**{f"{prefixe}pk__in": sorted(self.communes)})
        if self.epcis:
            q |= Q(**{f"{prefixe}epci__in": sorted(self.epcis)})
        if self.departements:
            q |= Q(**{f"{prefixe}departement__in": sorted(self.departements)})
        return q


def perimetre_de(user) -> Perimetre:
    """The perimeter of a user: ``comptes.User.perimetre``, empty when anonymous."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Perimetre.vide()
    return getattr(user, "perimetre", Perimetre.vide())


class PerimetreNonApplique(RuntimeError):
    pass


_verification_suspendue: ContextVar[bool] = ContextVar("verification_suspendue", default=False)


@contextmanager
def controles_d_unicite():
    """Let Django's own uniqueness checks read every row (they must see all territories)."""
    jeton = _verification_suspendue.set(True)
    try:
        yield
    finally:
        _verification_suspendue.reset(jeton)


class ModelePerimetre(models.Model):
    """Base of scoped models: model validation checks uniqueness over every territory, and
    the check constraints in one query (``commun.contraintes``)."""

    class Meta:
        abstract = True

    def _perform_unique_checks(self, unique_checks):
        with controles_d_unicite():
            return super()._perform_unique_checks(unique_checks)

    def validate_constraints(self, exclude=None):
        with controles_d_unicite():
            valider_contraintes(self, exclude=exclude)


class PerimetreQuerySet(models.QuerySet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._perimetre_applique = False

    def _clone(self):
        clone = super()._clone()
        clone._perimetre_applique = self._perimetre_applique
        return clone

    def _marquer(self):
        clone = self._chain()
        clone._perimetre_applique = True
        return clone

    def _verifier(self):
        if not self._perimetre_applique and not _verification_suspendue.get():
            raise PerimetreNonApplique(
                f"Requête sur {self.model._meta.label} sans périmètre\u00a0: appelez .pour(user) "
                "ou, si toutes les lignes sont voulues, .tous()."
            )

    # -- the two ways in -------------------------------------------------------------
    def filtre_perimetre(self, perimetre: Perimetre) -> Q:
        chemin = getattr(self.model, "perimetre_chemin", None)
        if chemin is None:
            raise NotImplementedError(
                f"{self.model._meta.label} doit définir perimetre_chemin ou filtre_perimetre"
            )
        return perimetre.q(chemin)

    def pour(self, user) -> PerimetreQuerySet:
        """Rows within the territories of ``user`` (all rows for staff, none if anonymous)."""
        perimetre = perimetre_de(user)
        if perimetre.national:
            return self._marquer()
        if perimetre.est_vide:
            return self.none()._marquer()
        return self.filter(self.filtre_perimetre(perimetre))._marquer()

    def dans(self, perimetre: Perimetre) -> PerimetreQuerySet:
        if perimetre.est_vide:
            return self.none()._marquer()
        return self.filter(self.filtre_perimetre(perimetre))._marquer()

    def tous(self) -> PerimetreQuerySet:
        return self._marquer()

    # -- every way a query reaches the database --------------------------------------
    def _fetch_all(self):
        if self._result_cache is None:
            self._verifier()
        super()._fetch_all()

    def iterator(self, *args, **kwargs):
        self._verifier()
        return super().iterator(*args, **kwargs)

    def count(self):
        if self._result_cache is None:
            self._verifier()
        return super().count()

    def exists(self):
        if self._result_cache is None:
            self._verifier()
        return super().exists()

    def aggregate(self, *args, **kwargs):
        self._verifier()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs):
        self._verifier()
        return super().update(**kwargs)

    def delete(self):
        self._verifier()
        return super().delete()

    def in_bulk(self, *args, **kwargs):
        self._verifier()
        return super().in_bulk(*args, **kwargs)

    def contains(self, obj):
        self._verifier()
        return super().contains(obj)

    def explain(self, *args, **kwargs):
        self._verifier()
        return super().explain(*args, **kwargs)


class PerimetreManagerBase(models.Manager):
    def get_queryset(self):
        queryset = super().get_queryset()
        if hasattr(self, "instance"):  # related manager: scoped through its parent object
            queryset._perimetre_applique = True
        return queryset


PerimetreManager = PerimetreManagerBase.from_queryset(PerimetreQuerySet)
