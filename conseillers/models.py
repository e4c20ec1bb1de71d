"""Advisors, their assignments to structures, their activity reports and beneficiaries."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import add

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone
from simple_history.models import HistoricalRecords

from structures.fields import ListeChoixField
from structures.models import Arret, Lieu, Structure
from territoires.models import Commune, Zone
from territoires.perimetres import ModelePerimetre, PerimetreManagerBase, PerimetreQuerySet
from territoires.text import normaliser

from .enums import (
    CHAMPS_AGE,
    CHAMPS_STATUT,
    THEMATIQUES_ADMINISTRATIVES,
    Autonomie,
    Canal,
    Genre,
    Jour,
    Materiel,
    NiveauAtelier,
    Orientation,
    Programme,
    SourceActivite,
    Thematique,
    TypeActivite,
    TypeIntervention,
)

PREMIERE_DATE = dt.date(2020, 1, 1)
DUREE_MAXIMALE = 720  # minutes: one report is at most a (long) working day
PARTICIPANTS_MAXIMUM = 100


# -- advisors ---------------------------------------------------------------------------


class ConseillerQuerySet(PerimetreQuerySet):
    def actifs(self, le: dt.date | None = None):
        """Under contract on ``le`` (today): no dates means under contract."""
        le = le or timezone.localdate()
        return self.filter(
            Q(date_debut_contrat__isnull=True) | Q(date_debut_contrat__lte=le),
            Q(date_fin_contrat__isnull=True) | Q(date_fin_contrat__gte=le),
        )

    def avec_competence(self, *codes: str):
        return self.filter(
            ListeChoixField.contient_un_de("competences", codes)
            | ListeChoixField.contient_un_de("thematiques_favorites", codes)
        )

    def sans_activite_depuis(self, jours: int = 30, le: dt.date | None = None):
        """Advisors with no (non-deleted) report dated within the last ``jours`` days."""
        le = le or timezone.localdate()
        recentes = Activite.objects.filter(
            conseiller=models.OuterRef("pk"),
            supprime_le__isnull=True,
            date__gt=le - dt.timedelta(days=jours),
        )
        return self.filter(~models.Exists(recentes))

    def avec_derniere_activite(self):
        return self.annotate(
            derniere_activite=models.Max(
                "activites__date", filter=Q(activites__supprime_le__isnull=True)
            )
        )


class Conseiller(ModelePerimetre):
    """A digital advisor's profile; an advisor imported from a file may have no login yet."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,  # a deleted account leaves the profile, without login
        null=True,
        blank=True,
        related_name="conseiller",
        verbose_name="compte",
    )
    email = models.EmailField("adresse électronique", unique=True)
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conseillers",
        verbose_name="structure employeuse",
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="conseillers",
        verbose_name="commune de rattachement",
        help_text="détermine le territoire du conseiller et de ses activités",
    )
    lieux = models.ManyToManyField(
        Lieu, blank=True, related_name="conseillers", verbose_name="lieux d'activité"
    )
    competences = ListeChoixField("compétences", choix=Thematique)
    autres_competences = models.CharField(
        "autres compétences", max_length=500, blank=True, help_text="langues, publics, outils…"
    )
    thematiques_favorites = ListeChoixField(
        "thématiques favorites",
        choix=Thematique,
        help_text="proposées en premier dans la saisie des activités",
    )
    date_debut_contrat = models.DateField("début du contrat", null=True, blank=True)
    date_fin_contrat = models.DateField("fin du contrat", null=True, blank=True)
    programme = models.CharField(
        "dispositif", max_length=30, choices=Programme.choices, default=Programme.COLLECTIVITE
    )
    ligne_financement = models.CharField(
        "ligne de financement", max_length=250, blank=True, help_text="par exemple « DGE 2025 »"
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(ConseillerQuerySet)()

    class Meta:
        verbose_name = "conseiller numérique"
        verbose_name_plural = "conseillers numériques"
        ordering = ["nom", "prenom", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_debut_contrat__isnull=True)
                | Q(date_fin_contrat__isnull=True)
                | Q(date_fin_contrat__gte=F("date_debut_contrat")),
                name="conseiller_contrat_ordonne",
                violation_error_message="La fin du contrat précède son début.",
            ),
            models.CheckConstraint(
                condition=Q(programme__in=Programme.values), name="conseiller_programme_valide"
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}".strip() or self.email

    def clean(self):
        super().clean()
        self.email = (self.email or "").strip().lower()

    def lieux_d_activite(self):
        """Where this advisor works: their own sites and those of their assignments."""
        return (
            Lieu.objects.tous()
            .filter(Q(conseillers=self) | Q(mises_a_disposition__conseillers=self))
            .distinct()
        )


# -- assignments ------------------------------------------------------------------------


class MiseADispositionQuerySet(PerimetreQuerySet):
    def en_cours(self, le: dt.date | None = None):
        le = le or timezone.localdate()
        return self.filter(date_debut__lte=le).filter(
            Q(date_fin__isnull=True) | Q(date_fin__gte=le)
        )

    def le_jour(self, le: dt.date):
        """In force on ``le`` and with presence that weekday."""
        code = list(Jour)[le.weekday()].value
        return self.en_cours(le).filter(ListeChoixField.contient("jours", code))


class MiseADisposition(ModelePerimetre):
    """Advisors lent to a structure under a convention, on given days and hours."""

    structure = models.ForeignKey(
        Structure,
        on_delete=models.PROTECT,
        related_name="mises_a_disposition",
        verbose_name="structure d'accueil",
    )
    lieu = models.ForeignKey(
        Lieu,
        on_delete=models.PROTECT,
        related_name="mises_a_disposition",
        verbose_name="lieu de présence",
    )
    conseillers = models.ManyToManyField(
        Conseiller, related_name="mises_a_disposition", verbose_name="conseillers"
    )
    convention = models.CharField(
        "convention", max_length=250, help_text="référence ou intitulé de la convention signée"
    )
    convention_signee_le = models.DateField("convention signée le", null=True, blank=True)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin", null=True, blank=True)
    jours = ListeChoixField("jours de présence", choix=Jour, blank=False)
    heure_debut = models.TimeField("heure d'arrivée")
    heure_fin = models.TimeField("heure de départ")
    type_intervention = models.CharField(
        "type d'intervention", max_length=30, choices=TypeIntervention.choices
    )
    commentaire = models.TextField("commentaire", blank=True, validators=[MaxLengthValidator(2000)])
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    perimetre_chemin = "lieu__commune"
    objects = PerimetreManagerBase.from_queryset(MiseADispositionQuerySet)()
    history = HistoricalRecords(excluded_fields=["modifie_le"])

    class Meta:
        verbose_name = "mise à disposition"
        verbose_name_plural = "mises à disposition"
        ordering = ["-date_debut", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__isnull=True) | Q(date_fin__gte=F("date_debut")),
                name="mise_a_disposition_periode_ordonnee",
                violation_error_message="La fin de la mise à disposition précède son début.",
            ),
            models.CheckConstraint(
                condition=Q(heure_fin__gt=F("heure_debut")),
                name="mise_a_disposition_horaires_ordonnes",
                violation_error_message="L'heure de départ doit suivre l'heure d'arrivée.",
            ),
            models.CheckConstraint(
                condition=~Q(jours=""), name="mise_a_disposition_au_moins_un_jour"
            ),
            models.CheckConstraint(
                condition=Q(type_intervention__in=TypeIntervention.values),
                name="mise_a_disposition_type_valide",
            ),
        ]

    def __str__(self):
        return f"{self.structure} — {self.convention}"

    def clean(self):
        super().clean()
        if self.lieu_id and self.structure_id and self.lieu.structure_id != self.structure_id:
            raise ValidationError({"lieu": "Ce lieu n'appartient pas à la structure d'accueil."})

    @property
    def minutes_par_semaine(self) -> int:
        debut = self.heure_debut.hour * 60 + self.heure_debut.minute
        fin = self.heure_fin.hour * 60 + self.heure_fin.minute
        return (fin - debut) * len(self.jours)

    def libelle_jours(self) -> str:
        etiquettes = dict(Jour.choices)
        return ", ".join(etiquettes[j] for j in self.jours)


# -- beneficiaries ----------------------------------------------------------------------


class BeneficiaireQuerySet(PerimetreQuerySet):
    def du_conseiller(self, conseiller):
        return self.filter(conseiller=conseiller)

    def inactifs_depuis(self, date_limite: dt.date):
        """Not seen since ``date_limite`` (nor created since, when never seen)."""
        return self.filter(
            Q(derniere_activite__lt=date_limite)
            | Q(derniere_activite__isnull=True, cree_le__date__lt=date_limite)
        )


class Beneficiaire(ModelePerimetre):
    """A person followed over several visits, with their recorded consent.

    Holds the minimum to recognise a returning person: no name, no health data, no notes.
    """

    conseiller = models.ForeignKey(
        Conseiller,
        on_delete=models.CASCADE,
        related_name="beneficiaires",
        verbose_name="conseiller",
    )
    prenom = models.CharField(
        "prénom ou initiales", max_length=50, help_text="le prénom ou les initiales, pas le nom"
    )
    prenom_recherche = models.CharField(max_length=50, editable=False)
    annee_naissance = models.PositiveSmallIntegerField(
        "année de naissance",
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commune de résidence",
    )
    genre = models.CharField(
        "genre", max_length=20, choices=Genre.choices, default=Genre.NON_COMMUNIQUE
    )
    consentement_le = models.DateTimeField(
        "consentement recueilli le",
        help_text="la personne a accepté d'être suivie ; sans consentement, pas de fiche",
    )
    derniere_activite = models.DateField("dernière activité", null=True, blank=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    perimetre_chemin = "conseiller__commune"
    objects = PerimetreManagerBase.from_queryset(BeneficiaireQuerySet)()

    class Meta:
        verbose_name = "bénéficiaire suivi"
        verbose_name_plural = "bénéficiaires suivis"
        ordering = ["prenom", "annee_naissance", "pk"]
        indexes = [
            models.Index(fields=["conseiller", "prenom_recherche"], name="beneficiaire_prenom_idx"),
            models.Index(fields=["derniere_activite"], name="beneficiaire_derniere_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(genre__in=Genre.values), name="beneficiaire_genre_valide"
            ),
        ]

    def __str__(self):
        morceaux = [self.prenom]
        if self.annee_naissance:
            morceaux.append(f"né·e en {self.annee_naissance}")
        if self.commune_id:
            morceaux.append(self.commune.nom)
        return ", ".join(morceaux)

    def clean(self):
        super().clean()
        if self.annee_naissance and self.annee_naissance > timezone.localdate().year:
            raise ValidationError({"annee_naissance": "L'année de naissance est dans le futur."})

    def save(self, *args, **kwargs):
        self.prenom = self.prenom.strip()
        self.prenom_recherche = normaliser(self.prenom)
        super().save(*args, **kwargs)


# -- activity reports -------------------------------------------------------------------


def _somme(champs) -> models.Expression:
    return reduce(add, (F(c) for c in champs))


SOMME_AGES = _somme(CHAMPS_AGE)
SOMME_STATUTS = _somme(CHAMPS_STATUT)


def _comptages_vides(somme) -> Q:
    return Q(Exact(somme, Value(0))) | Q(Exact(somme, F("nb_participants")))


# One definition of the figures, shared by the advisor's page and the monthly statistics.
# ``personnes_accompagnees`` = accompagnements - accompagnements_recurrents (see chiffres()).
CHIFFRES = {
    "activites": Count("pk"),
    "accompagnements": Coalesce(Sum("nb_participants"), 0),
    "accompagnements_recurrents": Coalesce(Sum("nb_participants_recurrents"), 0),
    "ateliers": Count("pk", filter=Q(type=TypeActivite.COLLECTIF)),
    "participants_ateliers": Coalesce(
        Sum("nb_participants", filter=Q(type=TypeActivite.COLLECTIF)), 0
    ),
    "accompagnements_individuels": Count("pk", filter=Q(type=TypeActivite.INDIVIDUEL)),
    "demandes_ponctuelles": Count("pk", filter=Q(type=TypeActivite.PONCTUEL)),
    "duree_minutes": Coalesce(Sum("duree_minutes"), 0),
}

# duration brackets of the national platform: (code, label, minimum included, maximum excluded)
TRANCHES_DUREE = (
    ("moins_30", "moins de 30 min", 0, 30),
    ("30_60", "de 30 min à 1 h", 30, 60),
    ("60_120", "de 1 h à 2 h", 60, 120),
    ("120_plus", "2 h et plus", 120, None),
)


def _mesures_repartitions() -> dict:
    mesures = {f"canal_{c}": Count("pk", filter=Q(canal=c)) for c in Canal.values}
    for code, _libelle, minimum, maximum in TRANCHES_DUREE:
        filtre = Q(duree_minutes__gte=minimum)
        if maximum is not None:
            filtre &= Q(duree_minutes__lt=maximum)
        mesures[f"duree_{code}"] = Count("pk", filter=filtre)
    for code in Orientation.values:
        mesures[f"orientation_{code}"] = Count("pk", filter=Q(orientation=code))
    mesures["orientes_par_travailleur_social"] = Count(
        "pk", filter=Q(oriente_par_travailleur_social=True)
    )
    return mesures


MESURES_REPARTITIONS = _mesures_repartitions()


class ActiviteQuerySet(PerimetreQuerySet):
    def filtre_perimetre(self, perimetre):
        return perimetre.q("conseiller__commune")

    def visibles(self):
        """Not deleted (a deleted report stays in the table for its audit trail)."""
        return self.filter(supprime_le__isnull=True)

    def consultables_par(self, user):
        """An advisor reads their own reports, a coordinator their territory's, staff all."""
        from comptes.enums import Role

        if not (user.is_authenticated and user.is_active):
            return self.none()._marquer()
        if user.is_staff or user.is_superuser:
            return self.tous()
        if user.role == Role.CONSEILLER:
            return self.filter(conseiller__user=user)._marquer()
        if user.role == Role.COORDINATEUR:
            return self.pour(user)
        return self.none()._marquer()

    def modifiables_par(self, user):
        """Only an advisor edits their reports (and staff, for support)."""
        from comptes.enums import Role

        if not (user.is_authenticated and user.is_active):
            return self.none()._marquer()
        if user.is_staff or user.is_superuser:
            return self.tous()
        if user.role == Role.CONSEILLER:
            return self.filter(conseiller__user=user)._marquer()
        return self.none()._marquer()

    def entre(self, du: dt.date | None = None, au: dt.date | None = None):
        queryset = self
        if du:
            queryset = queryset.filter(date__gte=du)
        if au:
            queryset = queryset.filter(date__lte=au)
        return queryset

    def avec_thematique(self, *codes: str):
        codes = [c for c in codes if c]
        return self.filter(ListeChoixField.contient_un_de("thematiques", codes)) if codes else self

    def chiffres(self, *regroupement: str, thematiques: bool = False, repartitions: bool = False):
        """The activity figures, computed by the database.

        Without ``regroupement``: one dict (with ``beneficiaires_suivis``). With field names
        (``"conseiller"``, ``"commune"``, ``"date__month"``...): one dict per group, as
        ``values()`` gives.
        ``thematiques=True`` adds, per theme, ``thematique_<code>`` (reports) and
        ``participants_<code>`` (participants).
        ``repartitions=True`` adds the reports per channel (``canal_<code>``), per duration
        bracket (``duree_<tranche>``, see :data:`TRANCHES_DUREE`) and per orientation
        (``orientation_<code>``), and ``orientes_par_travailleur_social``.
        """
        mesures = self.mesures_chiffres(thematiques=thematiques, repartitions=repartitions)
        if not regroupement:
            resultat = self.aggregate(**mesures)
            resultat["beneficiaires_suivis"] = self.beneficiaires_suivis()
            return _completer(resultat)
        return [_completer(ligne) for ligne in self.requete_chiffres(*regroupement, **mesures)]

    def requete_chiffres(self, *regroupement: str, **mesures):
        """The unevaluated ``GROUP BY`` of :meth:`chiffres` (``mesures`` as it builds them),
        for a caller that reads the rows itself (the monthly statistics read them raw)."""
        return self.order_by().values(*regroupement).annotate(**mesures).order_by(*regroupement)

    @staticmethod
    def mesures_chiffres(*, thematiques: bool = False, repartitions: bool = False) -> dict:
        """The aggregates of :meth:`chiffres`, by name."""
        # the brackets filter on the field duree_minutes: added before the sum of that name
        mesures = dict(MESURES_REPARTITIONS) if repartitions else {}
        mesures.update(CHIFFRES)
        for champ in (*CHAMPS_AGE, *CHAMPS_STATUT):
            mesures[champ] = Coalesce(Sum(champ), 0)
        if thematiques:
            for code in Thematique.values:
                filtre = ListeChoixField.contient("thematiques", code)
                mesures[f"thematique_{code}"] = Count("pk", filter=filtre)
                mesures[f"participants_{code}"] = Coalesce(Sum("nb_participants", filter=filtre), 0)
        return mesures

    def beneficiaires_suivis(self) -> int:
        """Distinct followed beneficiaries over these reports (a separate query: joining the
        links inside :meth:`chiffres` would count a report once per beneficiary)."""
        liens = Activite.beneficiaires.through.objects.filter(activite__in=self.values("pk"))
        return liens.values("beneficiaire").distinct().count()


def _completer(chiffres: dict) -> dict:
    chiffres["personnes_accompagnees"] = (
        chiffres["accompagnements"] - chiffres["accompagnements_recurrents"]
    )
    return chiffres


class Activite(ModelePerimetre):
    """One activity report (CRA): what an advisor did, for how many people, on what."""

    conseiller = models.ForeignKey(
        Conseiller, on_delete=models.PROTECT, related_name="activites", verbose_name="conseiller"
    )
    date = models.DateField("date")
    duree_minutes = models.PositiveSmallIntegerField(
        "durée (minutes)", validators=[MinValueValidator(1), MaxValueValidator(DUREE_MAXIMALE)]
    )
    type = models.CharField("type d'activité", max_length=20, choices=TypeActivite.choices)
    canal = models.CharField("lieu de l'activité", max_length=20, choices=Canal.choices)
    lieu = models.ForeignKey(
        Lieu,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activites",
        verbose_name="lieu",
    )
    arret = models.ForeignKey(
        Arret,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activites",
        verbose_name="arrêt",
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activites",
        verbose_name="commune",
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activites",
        verbose_name="quartier ou IRIS",
    )
    nb_participants = models.PositiveSmallIntegerField(
        "participants",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(PARTICIPANTS_MAXIMUM)],
    )
    nb_participants_recurrents = models.PositiveSmallIntegerField(
        "dont déjà accompagnés", default=0, help_text="personnes déjà venues"
    )
    # optional age and status counts: all zero, or summing to the participants
    age_moins_12 = models.PositiveSmallIntegerField("moins de 12 ans", default=0)
    age_12_17 = models.PositiveSmallIntegerField("12 à 17 ans", default=0)
    age_18_24 = models.PositiveSmallIntegerField("18 à 24 ans", default=0)
    age_25_39 = models.PositiveSmallIntegerField("25 à 39 ans", default=0)
    age_40_59 = models.PositiveSmallIntegerField("40 à 59 ans", default=0)
    age_60_69 = models.PositiveSmallIntegerField("60 à 69 ans", default=0)
    age_70_plus = models.PositiveSmallIntegerField("70 ans et plus", default=0)
    statut_scolarise = models.PositiveSmallIntegerField("scolarisés", default=0)
    statut_sans_emploi = models.PositiveSmallIntegerField("sans emploi", default=0)
    statut_en_emploi = models.PositiveSmallIntegerField("en emploi", default=0)
    statut_retraite = models.PositiveSmallIntegerField("retraités", default=0)
    statut_non_communique = models.PositiveSmallIntegerField(
        "statut non communiqué ou hétérogène", default=0
    )
    thematiques = ListeChoixField("thématiques", choix=Thematique, blank=False)
    materiel = ListeChoixField("matériel utilisé", choix=Materiel)
    autonomie = models.CharField(
        "autonomie de la personne", max_length=30, choices=Autonomie.choices, blank=True
    )
    a_poursuivre = models.BooleanField("accompagnement à poursuivre", default=False)
    orientation = models.CharField(
        "orientée vers", max_length=30, choices=Orientation.choices, blank=True
    )
    oriente_par_travailleur_social = models.BooleanField(
        "orientée par un travailleur social", default=False
    )
    titre_atelier = models.CharField("titre de l'atelier", max_length=250, blank=True)
    niveau_atelier = models.CharField(
        "niveau de l'atelier", max_length=20, choices=NiveauAtelier.choices, blank=True
    )
    notes = models.TextField(
        "notes",
        blank=True,
        validators=[MaxLengthValidator(1000)],
        help_text="jamais de nom, de donnée de santé ou d'information sensible sur la personne",
    )
    beneficiaires = models.ManyToManyField(
        Beneficiaire, blank=True, related_name="activites", verbose_name="bénéficiaires suivis"
    )
    source = models.CharField(
        "source", max_length=10, choices=SourceActivite.choices, default=SourceActivite.SAISIE
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    cree_le = models.DateTimeField("saisie le", default=timezone.now, editable=False)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)
    supprime_le = models.DateTimeField("supprimée le", null=True, blank=True, editable=False)

    objects = PerimetreManagerBase.from_queryset(ActiviteQuerySet)()
    history = HistoricalRecords(excluded_fields=["modifie_le"])

    class Meta:
        verbose_name = "activité"
        ordering = ["-date", "-cree_le", "-pk"]
        indexes = [
            models.Index(
                "conseiller",
                F("date").desc(),
                F("cree_le").desc(),
                condition=Q(supprime_le__isnull=True),
                name="activite_historique_idx",
            ),
            models.Index(fields=["date"], name="activite_date_idx"),
            # the monthly statistics find the months whose reports changed since a run
            models.Index(fields=["modifie_le"], name="activite_modifie_le_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypeActivite.values), name="activite_type_valide"
            ),
            models.CheckConstraint(
                condition=Q(canal__in=Canal.values), name="activite_canal_valide"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=PREMIERE_DATE),
                name="activite_date_depuis_2020",
                violation_error_message="Une activité ne peut pas être antérieure au 1er janvier "
                "2020.",
            ),
            models.CheckConstraint(
                condition=Q(duree_minutes__gte=1, duree_minutes__lte=DUREE_MAXIMALE),
                name="activite_duree_valide",
            ),
            models.CheckConstraint(
                condition=Q(type=TypeActivite.COLLECTIF, nb_participants__gte=1)
                | Q(nb_participants=1),
                name="activite_un_participant_hors_atelier",
                violation_error_message="Un accompagnement individuel ou une demande ponctuelle "
                "concerne une seule personne.",
            ),
            models.CheckConstraint(
                condition=Q(nb_participants__lte=PARTICIPANTS_MAXIMUM),
                name="activite_participants_maximum",
            ),
            models.CheckConstraint(
                condition=Q(nb_participants_recurrents__lte=F("nb_participants")),
                name="activite_recurrents_parmi_participants",
                violation_error_message="Il ne peut pas y avoir plus de personnes déjà "
                "accompagnées que de participants.",
            ),
            models.CheckConstraint(
                condition=_comptages_vides(SOMME_AGES),
                name="activite_ages_complets",
                violation_error_message="La répartition par âge doit totaliser le nombre de "
                "participants.",
            ),
            models.CheckConstraint(
                condition=_comptages_vides(SOMME_STATUTS),
                name="activite_statuts_complets",
                violation_error_message="La répartition par statut doit totaliser le nombre de "
                "participants.",
            ),
            models.CheckConstraint(
                condition=~Q(thematiques=""), name="activite_au_moins_une_thematique"
            ),
            models.CheckConstraint(
                condition=~Q(canal__in=[Canal.LIEU_ACTIVITE, Canal.ITINERANT])
                | Q(lieu__isnull=False),
                name="activite_lieu_si_canal_lieu",
                violation_error_message="Choisissez le lieu de l'activité.",
            ),
            models.CheckConstraint(
                condition=~Q(canal__in=[Canal.AUTRE_LIEU, Canal.DOMICILE])
                | Q(commune__isnull=False),
                name="activite_commune_si_autre_lieu",
                violation_error_message="Choisissez la commune de l'activité.",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"

    @property
    def est_supprimee(self) -> bool:
        return self.supprime_le is not None

    def deriver_lieu(self) -> None:
        """Commune and district follow the site (or the stop of an itinerant site)."""
        if self.canal in (Canal.DOMICILE, Canal.AUTRE_LIEU, Canal.DISTANCE):
            self.lieu = None
            self.arret = None
        if self.canal != Canal.ITINERANT:
            self.arret = None
        if self.arret_id and self.arret is not None:
            self.commune_id = self.arret.commune_id
            self.zone = None
        elif self.lieu_id and self.lieu is not None:
            self.commune_id = self.lieu.commune_id
            self.zone_id = self.lieu.zone_id
        elif self.canal == Canal.DISTANCE and not self.commune_id:
            self.zone = None

    def clean(self):
        """Rules between fields (no query: the import calls it on every row)."""
        super().clean()
        erreurs: dict[str, list[str]] = {}

        def erreur(champ, message):
            erreurs.setdefault(champ, []).append(message)

        if self.date:
            if self.date > timezone.localdate():
                erreur("date", "La date ne peut pas être dans le futur.")
            if self.date < PREMIERE_DATE:
                erreur("date", "La date ne peut pas être antérieure au 1er janvier 2020.")
        participants = self.nb_participants or 0
        if self.type in (TypeActivite.INDIVIDUEL, TypeActivite.PONCTUEL) and participants != 1:
            erreur(
                "nb_participants",
                "Un accompagnement individuel ou une demande ponctuelle concerne une seule "
                "personne.",
            )
        if self.type == TypeActivite.COLLECTIF and not 1 <= participants <= PARTICIPANTS_MAXIMUM:
            erreur(
                "nb_participants",
                f"Un atelier compte entre 1 et {PARTICIPANTS_MAXIMUM} participants.",
            )
        recurrents = self.nb_participants_recurrents or 0
        if recurrents > participants:
            erreur(
                "nb_participants_recurrents",
                "Il ne peut pas y avoir plus de personnes déjà accompagnées que de participants.",
            )
        for champs, nom in ((CHAMPS_AGE, "âge"), (CHAMPS_STATUT, "statut")):
            total = sum(getattr(self, c) or 0 for c in champs)
            if total and total != participants:
                erreur(
                    next(iter(champs)),
                    f"La répartition par {nom} totalise {total} au lieu de {participants} "
                    "participant(s)\u00a0: corrigez-la ou laissez-la vide.",
                )
        thematiques = list(self.thematiques or [])
        if not thematiques:
            erreur("thematiques", "Choisissez au moins une thématique.")
        if (
            THEMATIQUES_ADMINISTRATIVES.intersection(thematiques)
            and Thematique.DEMARCHES_ADMINISTRATIVES not in thematiques
        ):
            erreur(
                "thematiques",
                "Les thèmes de démarches (logement, impôts…) vont avec la thématique "
                "« démarches administratives ».",
            )
        materiel = list(self.materiel or [])
        if Materiel.AUCUN in materiel and len(materiel) > 1:
            erreur("materiel", "« Aucun matériel » ne se combine pas avec un autre matériel.")
        if self.canal in (Canal.LIEU_ACTIVITE, Canal.ITINERANT) and not self.lieu_id:
            erreur("lieu", "Choisissez le lieu de l'activité.")
        if self.canal in (Canal.AUTRE_LIEU, Canal.DOMICILE) and not self.commune_id:
            erreur("commune", "Choisissez la commune de l'activité.")
        if self.arret_id and self.lieu_id and self.arret.lieu_id != self.lieu_id:
            erreur("arret", "Cet arrêt n'appartient pas au lieu choisi.")
        if self.type != TypeActivite.INDIVIDUEL and self.autonomie:
            erreur("autonomie", "L'autonomie ne se note que pour un accompagnement individuel.")
        if self.type != TypeActivite.COLLECTIF:
            if self.titre_atelier:
                erreur("titre_atelier", "Le titre ne se note que pour un atelier collectif.")
            if self.niveau_atelier:
                erreur("niveau_atelier", "Le niveau ne se note que pour un atelier collectif.")
        if erreurs:
            raise ValidationError(erreurs)
