"""The history of the files coordinators import in the back office."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from comptes.models import TerritoireUtilisateur
from territoires.models import Commune
from territoires.perimetres import ModelePerimetre, PerimetreManagerBase, PerimetreQuerySet

from .enums import EtatImport, TypeImport


class ImportQuerySet(PerimetreQuerySet):
    def filtre_perimetre(self, perimetre) -> Q:
        """An import belongs to its author's territories: it is seen by the managers whose
        territory meets them (as ``comptes.User.objects.pour``)."""
        communes = Commune.objects.dans(perimetre)
        territoires = TerritoireUtilisateur.objects.filter(user=OuterRef("cree_par")).filter(
            Q(commune__in=communes)
            | Q(epci__in=communes.filter(epci__isnull=False).values("epci"))
            | Q(departement__in=communes.values("departement"))
        )
        return Q(Exists(territoires))

    def en_echec(self) -> ImportQuerySet:
        return self.filter(etat=EtatImport.ECHEC)


ImportManager = PerimetreManagerBase.from_queryset(ImportQuerySet)


class Import(ModelePerimetre):
    # an account purged for inactivity (comptes.purge) leaves its imports without author:
    # they are then listed to the technical team only
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="imports",
        verbose_name="importé par",
    )
    cree_le = models.DateTimeField("déposé le", auto_now_add=True)
    type = models.CharField("type de fichier", max_length=20, choices=TypeImport.choices)
    nom_fichier = models.CharField("nom du fichier d'origine", max_length=255)
    # both files are deleted after IMPORTS_CONSERVATION_JOURS days (services.purger_fichiers)
    fichier = models.FileField("fichier déposé", upload_to="imports/fichiers/%Y/%m/", blank=True)
    options = models.JSONField("options", default=dict, blank=True)
    partiel = models.BooleanField("garder les lignes valides", default=False)
    etat = models.CharField(
        "état", max_length=20, choices=EtatImport.choices, default=EtatImport.ANALYSE
    )
    # the preview: what the import would do, computed without writing
    apercu = models.JSONField("aperçu", default=dict, blank=True)
    crees = models.PositiveIntegerField("créés", default=0)
    modifies = models.PositiveIntegerField("modifiés", default=0)
    inchanges = models.PositiveIntegerField("inchangés", default=0)
    refusees = models.PositiveIntegerField("lignes refusées", default=0)
    rejets = models.FileField(
        "lignes refusées (CSV)", upload_to="imports/rejets/%Y/%m/", blank=True
    )
    message_erreur = models.TextField("message d'erreur", blank=True)
    # while it runs: {"etape": "verification" | "ecriture", "fait": rows checked, "total"}
    progression = models.JSONField("progression", default=dict, blank=True)
    tache = models.CharField("tâche", max_length=80, blank=True)
    commence_le = models.DateTimeField("commencé le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ImportManager()

    class Meta:
        verbose_name = "import de fichier"
        verbose_name_plural = "imports de fichiers"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=TypeImport.values), name="import_type_connu"
            ),
            models.CheckConstraint(
                condition=Q(etat__in=EtatImport.values), name="import_etat_connu"
            ),
        ]
        indexes = [models.Index(fields=["etat", "cree_le"], name="import_etat_date")]

    def __str__(self):
        return f"{self.get_type_display()} : {self.nom_fichier}"

    @property
    def en_cours(self) -> bool:
        return self.etat == EtatImport.EN_COURS

    @property
    def fini(self) -> bool:
        return self.etat in (EtatImport.TERMINE, EtatImport.ECHEC, EtatImport.ABANDONNE)
