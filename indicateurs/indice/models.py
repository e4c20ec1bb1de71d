"""Indicator values per unit, and versioned results of the digital fragility index.

Scoping: the data is territorial, not personal. Every row reaches a commune (the unit's
commune, or the commune of its zone) and the querysets refuse to run unscoped
(:mod:`territoires.perimetres`): a user reads the units of its territories, staff every
unit. A unit whose code matches no commune or zone is kept but only staff see it.

Storage of a result: one :class:`ResultatIndice` (method, parameters, level, vintage, when,
by whom) and one :class:`IndiceUnite` row per unit holding the index and the four axes as
columns (sortable and filterable in the database) and the indicators' scores as one JSON
object: reading "the latest result for a level and a vintage" is two indexed queries, and
writing 50,000 units is 50,000 rows (a normalised score table would be 600,000).

The models belong to the ``indicateurs`` app (``app_label``): its tables and migrations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from indicateurs.enums import Axe, Indicateur, Methode, Niveau
from territoires.models import Commune, Zone
from territoires.perimetres import (
    ModelePerimetre,
    Perimetre,
    PerimetreManagerBase,
    PerimetreQuerySet,
)

MILLESIME_MIN = 1900
MILLESIME_MAX = 2100


class ValeurIndicateurQuerySet(PerimetreQuerySet):
    def du_millesime(self, niveau: str, millesime: int):
        return self.filter(niveau=niveau, millesime=millesime)


class ValeurIndicateur(ModelePerimetre):
    """One indicator's value for one unit (commune, IRIS or district) and one vintage."""

    niveau = models.CharField("niveau", max_length=10, choices=Niveau.choices)
    code = models.CharField(
        "code",
        max_length=20,
        help_text="code INSEE de la commune ou de l'IRIS, ou identifiant du quartier",
    )
    indicateur = models.CharField("indicateur", max_length=30, choices=Indicateur.choices)
    valeur = models.FloatField("valeur")
    millesime = models.PositiveSmallIntegerField("millésime")
    source = models.CharField("source", max_length=200, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
        help_text="la commune de l'unité, ou celle de sa zone",
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zone infra-communale",
    )
    importe_le = models.DateTimeField("importé le", default=timezone.now)

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(ValeurIndicateurQuerySet)()

    class Meta:
        app_label = "indicateurs"
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        ordering = ["niveau", "millesime", "code", "indicateur"]
        constraints = [
            models.UniqueConstraint(
                fields=["niveau", "code", "indicateur", "millesime"],
                name="valeur_indicateur_unique",
            ),
            models.CheckConstraint(
                condition=Q(niveau__in=Niveau.values), name="valeur_indicateur_niveau_valide"
            ),
            models.CheckConstraint(
                condition=Q(indicateur__in=Indicateur.values),
                name="valeur_indicateur_indicateur_valide",
            ),
            models.CheckConstraint(
                condition=Q(millesime__gte=MILLESIME_MIN, millesime__lte=MILLESIME_MAX),
                name="valeur_indicateur_millesime_valide",
            ),
        ]

    def __str__(self):
        return f"{self.indicateur} {self.niveau} {self.code} ({self.millesime}) = {self.valeur}"


class ResultatIndiceQuerySet(PerimetreQuerySet):
    def filtre_perimetre(self, perimetre: Perimetre) -> Q:
        """A result is visible when at least one of its units is in the perimeter."""
        unites = IndiceUnite.objects.dans(perimetre).filter(resultat=OuterRef("pk"))
        return Q(Exists(unites))

    def du_millesime(self, niveau: str, millesime: int | None = None, methode: str | None = None):
        resultats = self.filter(niveau=niveau)
        if millesime is not None:
            resultats = resultats.filter(millesime=millesime)
        if methode:
            resultats = resultats.filter(methode=methode)
        return resultats

    def plus_recent(self) -> ResultatIndice | None:
        """The latest vintage, then the latest computation."""
        return self.order_by("-millesime", "-calcule_le", "-pk").first()


class ResultatIndice(ModelePerimetre):
    """One computation (or one published table) of the index: a version, never overwritten."""

    niveau = models.CharField("niveau", max_length=10, choices=Niveau.choices)
    millesime = models.PositiveSmallIntegerField("millésime")
    methode = models.CharField("méthode", max_length=10, choices=Methode.choices)
    parametres = models.JSONField(
        "paramètres",
        default=dict,
        blank=True,
        help_text="échelle, territoire de référence, source d'un indice publié",
    )
    calcule_le = models.DateTimeField("calculé le", default=timezone.now)
    calcule_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="calculé par",
    )
    tache = models.CharField(
        "tâche", max_length=100, blank=True, help_text="commande ou identifiant de tâche Celery"
    )
    nombre_unites = models.PositiveIntegerField("nombre d'unités", default=0)

    objects = PerimetreManagerBase.from_queryset(ResultatIndiceQuerySet)()

    class Meta:
        app_label = "indicateurs"
        verbose_name = "résultat de l'indice"
        verbose_name_plural = "résultats de l'indice"
        ordering = ["-calcule_le"]
        indexes = [
            models.Index(
                fields=["niveau", "millesime", "methode", "-calcule_le"],
                name="resultat_indice_recent",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(niveau__in=Niveau.values), name="resultat_indice_niveau_valide"
            ),
            models.CheckConstraint(
                condition=Q(methode__in=Methode.values), name="resultat_indice_methode_valide"
            ),
            models.CheckConstraint(
                condition=Q(millesime__gte=MILLESIME_MIN, millesime__lte=MILLESIME_MAX),
                name="resultat_indice_millesime_valide",
            ),
        ]

    def __str__(self):
        return f"indice {self.niveau} {self.millesime} ({self.methode}, n° {self.pk})"


class IndiceUniteQuerySet(PerimetreQuerySet):
    def classement(self):
        """Most fragile first; units without an index last."""
        return self.order_by(models.F("indice").desc(nulls_last=True), "code")


class IndiceUnite(ModelePerimetre):
    """The index of one unit in one result: the index, its four axes, each indicator's score."""

    resultat = models.ForeignKey(
        ResultatIndice, on_delete=models.CASCADE, related_name="unites", verbose_name="résultat"
    )
    code = models.CharField("code", max_length=20)
    nom = models.CharField("nom", max_length=150)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune",
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zone infra-communale",
    )
    indice = models.FloatField("indice", null=True, blank=True)
    acces_numerique = models.FloatField(Axe.ACCES_NUMERIQUE.label, null=True, blank=True)
    acces_information = models.FloatField(Axe.ACCES_INFORMATION.label, null=True, blank=True)
    competences_administratives = models.FloatField(
        Axe.COMPETENCES_ADMINISTRATIVES.label, null=True, blank=True
    )
    competences_numeriques = models.FloatField(
        Axe.COMPETENCES_NUMERIQUES.label, null=True, blank=True
    )
    acces_global = models.FloatField(
        "score global d'accès",
        null=True,
        blank=True,
        help_text="indice publié : score des deux axes d'accès réunis",
    )
    competences_global = models.FloatField(
        "score global de compétences",
        null=True,
        blank=True,
        help_text="indice publié : score des deux axes de compétences réunis",
    )
    scores = models.JSONField(
        "scores des indicateurs",
        default=dict,
        blank=True,
        help_text="indicateur → score (−3 à +3 en rangs, base 100 en ratio) ; absent si manquant",
    )

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(IndiceUniteQuerySet)()

    class Meta:
        app_label = "indicateurs"
        verbose_name = "indice d'une unité"
        verbose_name_plural = "indices des unités"
        ordering = ["resultat", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["resultat", "code"], name="indice_unite_unique_par_resultat"
            ),
        ]

    def __str__(self):
        return f"{self.nom}\u00a0: {self.indice}"

    @property
    def axes(self) -> dict[str, float | None]:
        return {axe: getattr(self, axe) for axe in Axe.values}


class Contour(ModelePerimetre):
    """The outline of one unit for the maps, with its representative point and population.

    Communes: loaded from the département files copied into ``fixtures/`` (geographic data,
    not personal). IRIS and districts: uploaded by a coordinator as GeoJSON. A unit without
    an outline is drawn as a proportional circle at its point (the commune's point from the
    reference geography when nothing else is known).
    """

    niveau = models.CharField("niveau", max_length=10, choices=Niveau.choices)
    code = models.CharField("code", max_length=20)
    nom = models.CharField("nom", max_length=150)
    commune = models.ForeignKey(
        Commune, on_delete=models.CASCADE, related_name="+", verbose_name="commune"
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="zone infra-communale",
    )
    geometrie = models.JSONField(
        "géométrie", null=True, blank=True, help_text="géométrie GeoJSON (WGS84), ou vide"
    )
    latitude = models.FloatField("latitude du point représentatif", null=True, blank=True)
    longitude = models.FloatField("longitude du point représentatif", null=True, blank=True)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    importe_le = models.DateTimeField("importé le", default=timezone.now)

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(PerimetreQuerySet)()

    class Meta:
        app_label = "indicateurs"
        verbose_name = "contour"
        ordering = ["niveau", "code"]
        constraints = [
            models.UniqueConstraint(fields=["niveau", "code"], name="contour_unique"),
            models.CheckConstraint(
                condition=Q(niveau__in=Niveau.values), name="contour_niveau_valide"
            ),
        ]

    def __str__(self):
        return f"contour {self.niveau} {self.code} {self.nom}"
