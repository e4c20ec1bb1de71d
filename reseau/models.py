"""The territory's network: contacts of the structures, groups (the network or collective
of the territory, working groups), opt-outs and the log of the mailings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q

from structures.models import Structure
from structures.validators import valider_telephone, valider_une_ligne
from territoires.models import Commune, Departement, Epci
from territoires.perimetres import (
    ModelePerimetre,
    Perimetre,
    PerimetreManagerBase,
    PerimetreQuerySet,
)

from .enums import Audience, BaseLegale, NatureGroupe


class ContactQuerySet(PerimetreQuerySet):
    def joignables(self):
        """With an address and not opted out."""
        return self.exclude(courriel="").exclude(
            courriel__in=Desinscription.objects.values("courriel")
        )


def _filtre_territoire(perimetre: Perimetre) -> Q:
    """The rows whose commune, EPCI or département lies within ``perimetre``."""
    q = Q(pk__in=[])
    if perimetre.communes:
        q |= Q(commune__in=sorted(perimetre.communes))
    if perimetre.epcis:
        q |= Q(commune__epci__in=sorted(perimetre.epcis)) | Q(epci__in=sorted(perimetre.epcis))
    if perimetre.departements:
        deps = sorted(perimetre.departements)
        q |= (
            Q(commune__departement__in=deps)
            | Q(epci__in=Epci.objects.filter(communes__departement__in=deps).values("pk"))
            | Q(departement__in=deps)
        )
    return q


class GroupeQuerySet(PerimetreQuerySet):
    def filtre_perimetre(self, perimetre: Perimetre) -> Q:
        return _filtre_territoire(perimetre)


class Groupe(ModelePerimetre):
    """A group of contacts defined by a coordinator: the territory's network or collective,
    or a working group. It belongs to its author's territory (a commune, an EPCI or a
    département; none for the technical team), and is seen by the coordinators whose
    territory holds it."""

    nom = models.CharField("nom", max_length=150, validators=[valider_une_ligne])
    nature = models.CharField(
        "nature", max_length=20, choices=NatureGroupe.choices, default=NatureGroupe.RESEAU
    )
    description = models.TextField("description", blank=True, validators=[MaxLengthValidator(1000)])
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    objects = PerimetreManagerBase.from_queryset(GroupeQuerySet)()

    class Meta:
        verbose_name = "groupe du réseau"
        verbose_name_plural = "groupes du réseau"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nature__in=NatureGroupe.values), name="groupe_nature_valide"
            ),
        ]

    def __str__(self):
        return self.nom


class Contact(ModelePerimetre):
    """A person to write to in a structure, with the legal basis for keeping it."""

    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="contacts", verbose_name="structure"
    )
    prenom = models.CharField("prénom", max_length=100, validators=[valider_une_ligne])
    nom = models.CharField("nom", max_length=100, validators=[valider_une_ligne])
    fonction = models.CharField(
        "fonction", max_length=150, blank=True, validators=[valider_une_ligne]
    )
    courriel = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField(
        "téléphone", max_length=20, blank=True, validators=[valider_telephone]
    )
    base_legale = models.CharField(
        "base légale", max_length=20, choices=BaseLegale.choices, default=BaseLegale.MISSION
    )
    base_legale_le = models.DateField(
        "date",
        help_text="jour où le consentement a été recueilli, ou où le contact a été noté",
    )
    groupes = models.ManyToManyField(
        Groupe, blank=True, related_name="membres", verbose_name="réseau et groupes"
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    perimetre_chemin = "structure__commune"
    objects = PerimetreManagerBase.from_queryset(ContactQuerySet)()

    class Meta:
        verbose_name = "contact d'une structure"
        verbose_name_plural = "contacts des structures"
        ordering = ["nom", "prenom"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_legale__in=BaseLegale.values), name="contact_base_legale_valide"
            ),
            models.CheckConstraint(
                condition=~Q(courriel="", telephone=""),
                name="contact_joignable",
                violation_error_message="Donnez une adresse électronique ou un numéro de "
                "téléphone pour joindre ce contact.",
            ),
        ]

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    @property
    def base_legale_lisible(self) -> str:
        from commun.formats import date_longue

        if self.base_legale == BaseLegale.CONSENTEMENT:
            return f"consentement recueilli le {date_longue(self.base_legale_le, avec_jour=False)}"
        depuis = date_longue(self.base_legale_le, avec_jour=False)
        return f"{self.get_base_legale_display()}, depuis le {depuis}"


class Desinscription(models.Model):
    """An address that asked, through the link of a mailing, to receive no more of them."""

    courriel = models.EmailField("adresse électronique", unique=True)
    cree_le = models.DateTimeField("désinscrit le", auto_now_add=True)

    class Meta:
        verbose_name = "désinscription"
        verbose_name_plural = "désinscriptions"

    def __str__(self):
        return self.courriel


class EnvoiQuerySet(PerimetreQuerySet):
    def filtre_perimetre(self, perimetre: Perimetre) -> Q:
        return _filtre_territoire(perimetre)


class Envoi(ModelePerimetre):
    """One mailing: who, when, what, to whom (the audience and the count). The addresses
    are kept only until each has its message, then emptied."""

    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="envois_reseau",
        verbose_name="auteur",
    )
    cree_le = models.DateTimeField("envoyé le", auto_now_add=True)
    sujet = models.CharField("objet", max_length=200, validators=[valider_une_ligne])
    texte = models.TextField("message", validators=[MaxLengthValidator(10000)])
    audience = models.CharField("destinataires", max_length=20, choices=Audience.choices)
    audience_libelle = models.CharField("destinataires (libellé)", max_length=300)
    nombre_destinataires = models.PositiveIntegerField("nombre de destinataires")
    nombre_envoyes = models.PositiveIntegerField("messages partis", default=0)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)
    adresses = models.JSONField("adresses à servir", default=list, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PerimetreManagerBase.from_queryset(EnvoiQuerySet)()

    class Meta:
        verbose_name = "envoi au réseau"
        verbose_name_plural = "envois au réseau"
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=Audience.values), name="envoi_audience_valide"
            ),
        ]

    def __str__(self):
        return self.sujet
