"""Monthly statistics: the snapshots of the reports per month and axis, and their journal.

The models belong to the ``indicateurs`` app (``app_label``): its tables and migrations.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from territoires.models import Commune, Zone
from territoires.perimetres import (
    ModelePerimetre,
    Perimetre,
    PerimetreManagerBase,
    PerimetreQuerySet,
)


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

    A snapshot computed by :func:`indicateurs.statistiques.calcul.calculer_mois` from the reports:
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
        app_label = "indicateurs"
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
        app_label = "indicateurs"
        verbose_name = "calcul des statistiques"
        verbose_name_plural = "calculs des statistiques"
        ordering = ["-debut"]
        indexes = [models.Index(fields=["motif", "-debut"], name="calcul_statistiques_motif")]

    def __str__(self):
        return f"statistiques {self.mois:%Y-%m} ({self.motif}, {self.debut:%d/%m/%Y %H:%M})"
