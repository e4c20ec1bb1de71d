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
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from territoires.models import Commune, Zone
from territoires.perimetres import (
    ModelePerimetre,
    Perimetre,
    PerimetreManagerBase,
    PerimetreQuerySet,
)

from .enums import Axe, Indicateur, Methode, Niveau

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
    scores = models.JSONField(
        "scores des indicateurs",
        default=dict,
        blank=True,
        help_text="indicateur → score (−3 à +3 en rangs, base 100 en ratio) ; absent si manquant",
    )

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(IndiceUniteQuerySet)()

    class Meta:
        verbose_name = "indice d'une unité"
        verbose_name_plural = "indices des unités"
        ordering = ["resultat", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["resultat", "code"], name="indice_unite_unique_par_resultat"
            ),
        ]

    def __str__(self):
        return f"{self.nom} : {self.indice}"

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


# -- monthly statistics --------------------------------------------------------------------


class AxeStatistique(models.TextChoices):
    """What one snapshot row describes, within the advisors' commune (the territory)."""

    TERRITOIRE = "territoire", "territoire (commune de rattachement des conseillers)"
    STRUCTURE = "structure", "structure employeuse"
    CONSEILLER = "conseiller", "conseiller"
    COMMUNE = "commune", "commune où l'activité a eu lieu"
    ZONE = "zone", "quartier ou IRIS où l'activité a eu lieu"


def _champs_chiffres() -> list[tuple[str, str]]:
    """Every stored figure: (column, label). The names are those of the national platform."""
    from conseillers.enums import CHAMPS_AGE, CHAMPS_STATUT, Canal, Orientation, Thematique
    from conseillers.models import TRANCHES_DUREE

    champs = [
        ("activites", "comptes rendus d'activité"),
        ("personnes_accompagnees", "personnes accompagnées"),
        ("accompagnements", "accompagnements"),
        ("accompagnements_recurrents", "dont accompagnements récurrents"),
        ("ateliers", "ateliers réalisés"),
        ("participants_ateliers", "participants aux ateliers"),
        ("accompagnements_individuels", "accompagnements individuels"),
        ("demandes_ponctuelles", "demandes ponctuelles"),
        ("duree_minutes", "durée totale (minutes)"),
        ("beneficiaires_suivis", "bénéficiaires suivis distincts"),
    ]
    champs += [(f"canal_{c.value}", c.label) for c in Canal]
    champs += [(f"duree_{code}", libelle) for code, libelle, *_ in TRANCHES_DUREE]
    champs += [(champ, tranche.label) for champ, tranche in CHAMPS_AGE.items()]
    champs += [(champ, statut.label) for champ, statut in CHAMPS_STATUT.items()]
    champs += [(f"orientation_{o.value}", f"orientées : {o.label}") for o in Orientation]
    champs.append(("orientes_par_travailleur_social", "orientées par un travailleur social"))
    champs += [(f"thematique_{t.value}", f"activités : {t.label}") for t in Thematique]
    champs += [(f"participants_{t.value}", f"participants : {t.label}") for t in Thematique]
    return champs


CHAMPS_CHIFFRES: list[tuple[str, str]] = _champs_chiffres()
NOMS_CHIFFRES: list[str] = [nom for nom, _ in CHAMPS_CHIFFRES]


class StatistiqueMensuelleQuerySet(PerimetreQuerySet):
    def filtre_perimetre(self, perimetre: Perimetre) -> Q:
        return perimetre.q("commune")

    def entre(self, du, au):
        """Months from ``du`` to ``au`` included (first days of months)."""
        return self.filter(mois__gte=du, mois__lte=au)


class StatistiqueMensuelle(ModelePerimetre):
    """One month's figures for one territory, structure, advisor, commune or district.

    A snapshot computed by :func:`indicateurs.statistiques.calculer_mois` from the reports:
    never edited by hand, replaced as a whole when the month is computed again. Every row
    belongs to the commune the advisors are attached to (``commune``, their territory),
    which scopes it; ``cle`` names the structure, advisor, commune or district of its axis
    ("" for the territory axis, and for reports without that attribute).
    """

    mois = models.DateField("mois", help_text="premier jour du mois")
    axe = models.CharField("axe", max_length=12, choices=AxeStatistique.choices)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="territoire",
        help_text="commune de rattachement des conseillers",
    )
    cle = models.CharField("clé", max_length=20, blank=True)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="structure",
    )
    conseiller = models.ForeignKey(
        "conseillers.Conseiller",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="conseiller",
    )
    commune_activite = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune de l'activité",
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="quartier ou IRIS",
    )
    calcule_le = models.DateTimeField("calculé le", default=timezone.now)

    objects = PerimetreManagerBase.from_queryset(StatistiqueMensuelleQuerySet)()

    class Meta:
        verbose_name = "statistique mensuelle"
        verbose_name_plural = "statistiques mensuelles"
        ordering = ["mois", "axe", "commune", "cle"]
        indexes = [
            # the readers filter one axis, the communes of a perimeter, then a range of months
            models.Index(fields=["axe", "commune", "mois"], name="statistique_axe_commune_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["mois", "axe", "commune", "cle"], name="statistique_mensuelle_unique"
            ),
            models.CheckConstraint(
                condition=Q(axe__in=AxeStatistique.values), name="statistique_axe_valide"
            ),
            models.CheckConstraint(condition=Q(mois__day=1), name="statistique_mois_premier_jour"),
        ]

    def __str__(self):
        return f"{self.mois:%Y-%m} {self.axe} {self.commune_id} {self.cle}"


for _nom, _libelle in CHAMPS_CHIFFRES:
    StatistiqueMensuelle.add_to_class(_nom, models.PositiveIntegerField(_libelle, default=0))


class MotifCalcul(models.TextChoices):
    MENSUEL = "mensuel", "calcul mensuel planifié"
    MANUEL = "manuel", "calcul demandé"
    REPRISE = "reprise", "recalcul après des saisies tardives"


class CalculStatistiques(models.Model):
    """The journal of the computations of monthly statistics (one row per month computed).

    Not scoped: it holds no figure, only when a month was computed, for which territory
    and how long it took.
    """

    mois = models.DateField("mois")
    territoire = models.CharField(
        "territoire", max_length=20, blank=True, help_text="vide : tous les territoires"
    )
    communes = models.PositiveIntegerField("communes recalculées", default=0)
    motif = models.CharField("motif", max_length=10, choices=MotifCalcul.choices)
    debut = models.DateTimeField("début", default=timezone.now)
    duree_secondes = models.FloatField("durée (s)", default=0)
    lignes = models.PositiveIntegerField("lignes écrites", default=0)
    activites = models.PositiveIntegerField("activités lues", default=0)
    tache = models.CharField("tâche", max_length=100, blank=True)

    class Meta:
        verbose_name = "calcul des statistiques"
        verbose_name_plural = "calculs des statistiques"
        ordering = ["-debut"]
        indexes = [models.Index(fields=["motif", "-debut"], name="calcul_statistiques_motif")]

    def __str__(self):
        return f"statistiques {self.mois:%Y-%m} ({self.motif}, {self.debut:%d/%m/%Y %H:%M})"
