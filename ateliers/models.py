"""Workshops: the catalogue of sheets and their versions, partner conventions, requests and
their steps, sessions, the advisors who run them, participants and attendance.

A request points to the *version* of the sheet it was made on: editing a published sheet
makes a new version and never changes past requests. Two sessions of one advisor cannot
overlap: the service refuses it with a French message, and on PostgreSQL an exclusion
constraint on (advisor, time range) enforces it when two coordinators book at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from conseillers.enums import NiveauAtelier, Thematique
from conseillers.models import Activite, Conseiller
from structures.fields import ListeChoixField
from structures.models import Lieu, Structure
from territoires.models import Commune
from territoires.perimetres import ModelePerimetre, PerimetreManagerBase, PerimetreQuerySet

from .enums import FormatAtelier, Moyen, StatutDemande, StatutFiche

PARTICIPANTS_MAX = 50
SEANCES_MAX = 20
DUREE_MIN, DUREE_MAX = 15, 480
OBLIGATIONS_PAR_DEFAUT = (
    "La structure partenaire met à disposition les moyens indiqués dans la fiche de l'atelier "
    "(salle, matériel, connexion), assure la communication et les inscriptions, et garantit "
    "la gratuité pour les participants. Aucune facturation n'a lieu entre les parties."
)


# -- catalogue ---------------------------------------------------------------------------


class FicheQuerySet(PerimetreQuerySet):
    def publiees(self):
        return self.filter(statut=StatutFiche.PUBLIEE)

    def proposees_a(self, user):
        """The published sheets offered to a structure referent: those of the communes and
        EPCI of their structures."""
        communes = Commune.objects.filter(structures__referents=user)
        return (
            self.publiees()
            .filter(
                Q(commune__in=communes.values("pk"))
                | Q(commune__epci__in=communes.exclude(epci=None).values("epci"))
            )
            ._marquer()
        )


class FicheAtelier(ModelePerimetre):
    """A workshop of the territory's catalogue ("fiche atelier")."""

    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune porteuse",
        help_text="le catalogue est proposé aux structures de cette commune et de son EPCI",
    )
    titre = models.CharField("titre", max_length=200)
    thematiques = ListeChoixField("thématiques", choix=Thematique, blank=False)
    objectifs = models.TextField("objectifs", validators=[MaxLengthValidator(2000)])
    prerequis = models.TextField("prérequis", blank=True, validators=[MaxLengthValidator(1000)])
    moyens = ListeChoixField("moyens nécessaires", choix=Moyen)
    participants_min = models.PositiveSmallIntegerField(
        "participants au minimum",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(PARTICIPANTS_MAX)],
    )
    participants_max = models.PositiveSmallIntegerField(
        "participants au maximum",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(PARTICIPANTS_MAX)],
    )
    duree_minutes = models.PositiveSmallIntegerField(
        "durée d'une séance (minutes)",
        default=120,
        validators=[MinValueValidator(DUREE_MIN), MaxValueValidator(DUREE_MAX)],
    )
    format = models.CharField(
        "format", max_length=20, choices=FormatAtelier.choices, default=FormatAtelier.UNIQUE
    )
    nombre_seances = models.PositiveSmallIntegerField(
        "nombre de séances",
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(SEANCES_MAX)],
    )
    contenu = models.TextField("contenu", validators=[MaxLengthValidator(4000)])
    public_cible = models.CharField("public visé", max_length=250)
    niveau = models.CharField(
        "niveau", max_length=20, choices=NiveauAtelier.choices, default=NiveauAtelier.DEBUTANT
    )
    statut = models.CharField(
        "statut", max_length=10, choices=StatutFiche.choices, default=StatutFiche.BROUILLON
    )
    version = models.PositiveSmallIntegerField(
        "version publiée", default=0, help_text="0 : jamais publiée"
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(FicheQuerySet)()

    class Meta:
        verbose_name = "fiche atelier"
        verbose_name_plural = "fiches atelier"
        ordering = ["titre", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants_max__gte=F("participants_min")),
                name="fiche_participants_ordonnes",
                violation_error_message="Le maximum de participants est inférieur au minimum.",
            ),
            models.CheckConstraint(
                condition=Q(format=FormatAtelier.UNIQUE, nombre_seances=1)
                | Q(format=FormatAtelier.PARCOURS_COURT, nombre_seances__range=(2, 5))
                | Q(format=FormatAtelier.PARCOURS_LONG, nombre_seances__gte=6),
                name="fiche_seances_selon_format",
                violation_error_message="Le nombre de séances ne correspond pas au format : 1 "
                "pour un atelier unique, 2 à 5 pour un parcours court, 6 ou plus pour un "
                "parcours long.",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=StatutFiche.values), name="fiche_statut_valide"
            ),
            models.CheckConstraint(
                condition=~Q(thematiques=""), name="fiche_au_moins_une_thematique"
            ),
        ]

    def __str__(self):
        return self.titre

    def libelles_moyens(self) -> list[str]:
        return [Moyen(m).label for m in self.moyens]

    def libelles_thematiques(self) -> list[str]:
        return [Thematique(t).label for t in self.thematiques]

    def libelle_format(self) -> str:
        return FormatAtelier(self.format).label

    def libelle_niveau(self) -> str:
        return NiveauAtelier(self.niveau).label

    def instantane(self) -> dict:
        """What a version keeps of the sheet."""
        return {
            "titre": self.titre,
            "thematiques": list(self.thematiques),
            "objectifs": self.objectifs,
            "prerequis": self.prerequis,
            "moyens": list(self.moyens),
            "participants_min": self.participants_min,
            "participants_max": self.participants_max,
            "duree_minutes": self.duree_minutes,
            "format": self.format,
            "nombre_seances": self.nombre_seances,
            "contenu": self.contenu,
            "public_cible": self.public_cible,
            "niveau": self.niveau,
        }


class VersionFiche(models.Model):
    """A published state of a sheet, never changed: requests and sessions point to it."""

    fiche = models.ForeignKey(
        FicheAtelier, on_delete=models.PROTECT, related_name="versions", verbose_name="fiche"
    )
    numero = models.PositiveSmallIntegerField("numéro")
    donnees = models.JSONField("contenu de la fiche")
    publiee_le = models.DateTimeField("publiée le", default=timezone.now)

    class Meta:
        verbose_name = "version d'une fiche atelier"
        verbose_name_plural = "versions des fiches atelier"
        ordering = ["fiche", "-numero"]
        constraints = [
            models.UniqueConstraint(fields=["fiche", "numero"], name="version_fiche_unique"),
        ]

    def __str__(self):
        return f"{self.titre} (version {self.numero})"

    def __getattr__(self, nom):
        # the snapshot's fields read as attributes: version.titre, version.duree_minutes…
        if nom != "donnees" and not nom.startswith("_"):
            donnees = self.__dict__.get("donnees") or {}
            if nom in donnees:
                return donnees[nom]
        raise AttributeError(nom)

    def libelles_thematiques(self) -> list[str]:
        return [Thematique(t).label for t in self.donnees.get("thematiques", [])]

    def libelles_moyens(self) -> list[str]:
        return [Moyen(m).label for m in self.donnees.get("moyens", [])]

    def libelle_format(self) -> str:
        return FormatAtelier(self.donnees["format"]).label

    def libelle_niveau(self) -> str:
        return NiveauAtelier(self.donnees["niveau"]).label


# -- conventions -------------------------------------------------------------------------


class ConventionQuerySet(PerimetreQuerySet):
    def signees(self, le: dt.date | None = None):
        """Signed, with their document, and in force on ``le`` (today by default)."""
        le = le or timezone.localdate()
        return (
            self.filter(signee_le__isnull=False, debut__lte=le, fin__gte=le)
            .exclude(document="")
            ._marquer()
        )


class Convention(ModelePerimetre):
    """A partnership convention with a public or associative structure."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="conventions", verbose_name="structure"
    )
    debut = models.DateField("début")
    fin = models.DateField("fin")
    document = models.FileField(
        "convention signée (PDF)", upload_to="conventions/%Y/", blank=True, max_length=200
    )
    signee_le = models.DateField("signée le", null=True, blank=True)
    obligations = models.TextField(
        "obligations de la structure",
        default=OBLIGATIONS_PAR_DEFAUT,
        validators=[MaxLengthValidator(4000)],
    )
    rappel_envoye_le = models.DateTimeField("rappel d'échéance envoyé le", null=True, blank=True)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    # who changed what and when, read by the coordinators on the convention's page
    history = HistoricalRecords(excluded_fields=["rappel_envoye_le", "cree_le"])

    perimetre_chemin = "structure__commune"
    objects = PerimetreManagerBase.from_queryset(ConventionQuerySet)()

    class Meta:
        verbose_name = "convention de partenariat"
        verbose_name_plural = "conventions de partenariat"
        ordering = ["-fin", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__gte=F("debut")),
                name="convention_periode_ordonnee",
                violation_error_message="La fin de la convention précède son début.",
            ),
        ]

    def __str__(self):
        return f"convention {self.structure} ({self.debut:%d/%m/%Y} – {self.fin:%d/%m/%Y})"

    @property
    def statut(self) -> str:
        """brouillon (not signed or no document), à venir, signée (in force) or expirée."""
        aujourd_hui = timezone.localdate()
        if self.fin < aujourd_hui:
            return "expirée"
        if not self.signee_le or not self.document:
            return "brouillon"
        if self.debut > aujourd_hui:
            return "à venir"
        return "signée"


# -- requests ----------------------------------------------------------------------------


class DemandeAtelier(ModelePerimetre):
    """A partner structure asks for a workshop of the catalogue, under its convention."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="demandes", verbose_name="structure"
    )
    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, related_name="demandes", verbose_name="convention"
    )
    version = models.ForeignKey(
        VersionFiche,
        on_delete=models.PROTECT,
        related_name="demandes",
        verbose_name="fiche atelier (version)",
    )
    lieu = models.ForeignKey(
        Lieu, on_delete=models.PROTECT, related_name="demandes_ateliers", verbose_name="lieu"
    )
    participants_attendus = models.PositiveSmallIntegerField(
        "participants attendus", validators=[MinValueValidator(1)]
    )
    public = models.CharField("public", max_length=250)
    notes = models.TextField("notes", blank=True, validators=[MaxLengthValidator(1000)])
    statut = models.CharField(
        "statut", max_length=10, choices=StatutDemande.choices, default=StatutDemande.SOUMISE
    )
    motif_refus = models.TextField(
        "motif du refus", blank=True, validators=[MaxLengthValidator(1000)]
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="demandée par",
    )
    cree_le = models.DateTimeField("demandée le", default=timezone.now)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    perimetre_chemin = "lieu__commune"
    objects = PerimetreManagerBase.from_queryset(PerimetreQuerySet)()

    class Meta:
        verbose_name = "demande d'atelier"
        verbose_name_plural = "demandes d'atelier"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut__in=StatutDemande.values), name="demande_statut_valide"
            ),
            models.CheckConstraint(
                condition=~Q(statut=StatutDemande.REFUSEE) | ~Q(motif_refus=""),
                name="demande_refus_motive",
                violation_error_message="Un refus doit être motivé.",
            ),
        ]

    def __str__(self):
        return f"{self.version.titre} – {self.structure} (n° {self.pk})"


class CreneauPropose(models.Model):
    """One of the one to three date and time slots proposed by the structure."""

    demande = models.ForeignKey(
        DemandeAtelier, on_delete=models.CASCADE, related_name="creneaux", verbose_name="demande"
    )
    ordre = models.PositiveSmallIntegerField(
        "ordre", validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    debut = models.DateTimeField("début")

    class Meta:
        verbose_name = "créneau proposé"
        ordering = ["demande", "ordre"]
        constraints = [
            models.UniqueConstraint(fields=["demande", "ordre"], name="creneau_unique"),
            models.CheckConstraint(condition=Q(ordre__range=(1, 3)), name="creneau_trois_au_plus"),
        ]

    def __str__(self):
        return f"{self.debut:%d/%m/%Y %H:%M}"


class EtapeDemande(models.Model):
    """The request's journal: each step, when and by whom."""

    demande = models.ForeignKey(
        DemandeAtelier, on_delete=models.CASCADE, related_name="etapes", verbose_name="demande"
    )
    statut = models.CharField("statut", max_length=10, choices=StatutDemande.choices)
    le = models.DateTimeField("le", default=timezone.now)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    commentaire = models.TextField("commentaire", blank=True, validators=[MaxLengthValidator(1000)])

    class Meta:
        verbose_name = "étape d'une demande"
        verbose_name_plural = "étapes des demandes"
        ordering = ["demande", "le", "pk"]

    def __str__(self):
        return f"{self.get_statut_display()} le {self.le:%d/%m/%Y %H:%M}"


# -- sessions ----------------------------------------------------------------------------


class SessionQuerySet(PerimetreQuerySet):
    def a_venir(self):
        return self.filter(debut__gte=timezone.now(), demande__statut=StatutDemande.PLANIFIEE)

    def agenda(self):
        """Upcoming sessions open to the public."""
        return self.a_venir().filter(publique=True)._marquer()


class SessionAtelier(ModelePerimetre):
    """One session of a planned workshop (a course has several)."""

    demande = models.ForeignKey(
        DemandeAtelier, on_delete=models.PROTECT, related_name="sessions", verbose_name="demande"
    )
    numero = models.PositiveSmallIntegerField("séance n°", default=1)
    lieu = models.ForeignKey(
        Lieu, on_delete=models.PROTECT, related_name="sessions_ateliers", verbose_name="lieu"
    )
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    places = models.PositiveSmallIntegerField("places")
    publique = models.BooleanField(
        "dans l'agenda public", default=True, help_text="ouverte aux inscriptions du public"
    )
    presents = models.PositiveSmallIntegerField(
        "participants présents",
        null=True,
        blank=True,
        validators=[MaxValueValidator(PARTICIPANTS_MAX)],
        help_text="quand les présences ne sont pas nominatives",
    )
    cloturee_le = models.DateTimeField("clôturée le", null=True, blank=True)
    cloturee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clôturée par",
    )
    conseillers = models.ManyToManyField(
        Conseiller, through="Animation", related_name="sessions_ateliers", verbose_name="animée par"
    )

    perimetre_chemin = "lieu__commune"
    objects = PerimetreManagerBase.from_queryset(SessionQuerySet)()

    class Meta:
        verbose_name = "séance d'atelier"
        verbose_name_plural = "séances d'atelier"
        ordering = ["debut", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fin__gt=F("debut")),
                name="session_fin_apres_debut",
                violation_error_message="La séance doit finir après son début.",
            ),
            models.UniqueConstraint(fields=["demande", "numero"], name="session_numero_unique"),
        ]

    def __str__(self):
        return f"{self.demande.version.titre}, séance {self.numero} du {self.debut:%d/%m/%Y}"


class Animation(models.Model):
    """An advisor running a session; the link to the activity report made at closing.

    ``debut`` and ``fin`` repeat the session's so that the database can refuse two
    overlapping sessions of one advisor (exclusion constraint, PostgreSQL)."""

    session = models.ForeignKey(
        SessionAtelier, on_delete=models.CASCADE, related_name="animations", verbose_name="séance"
    )
    conseiller = models.ForeignKey(
        Conseiller, on_delete=models.PROTECT, related_name="animations", verbose_name="conseiller"
    )
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    activite = models.OneToOneField(
        Activite,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="animation",
        verbose_name="compte rendu d'activité",
    )

    class Meta:
        verbose_name = "animation d'une séance"
        ordering = ["debut", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "conseiller"], name="animation_une_par_conseiller"
            ),
            models.CheckConstraint(condition=Q(fin__gt=F("debut")), name="animation_ordonnee"),
        ]

    def __str__(self):
        return f"{self.conseiller} – {self.session}"


class Participant(models.Model):
    """A named registrant of a planned workshop (all its sessions), or on its waiting list.

    Kept to the minimum: a first name and an initial, no contact details."""

    demande = models.ForeignKey(
        DemandeAtelier,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name="atelier",
    )
    nom = models.CharField(
        "prénom et initiale", max_length=60, help_text="par exemple « Martine D. »"
    )
    en_attente = models.BooleanField("sur liste d'attente", default=False)
    inscrit_le = models.DateTimeField("inscrit le", default=timezone.now)

    class Meta:
        verbose_name = "participant"
        ordering = ["en_attente", "inscrit_le", "pk"]

    def __str__(self):
        return self.nom


class Presence(models.Model):
    session = models.ForeignKey(
        SessionAtelier, on_delete=models.CASCADE, related_name="presences", verbose_name="séance"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="presences", verbose_name="participant"
    )

    class Meta:
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="presence_unique"),
        ]

    def __str__(self):
        return f"{self.participant} présent à {self.session}"
