"""What the open data keeps of its own: the partners' websites allowed to embed the map
and the agenda, the statistics a coordinator publishes, and the links by which a structure
or an advisor shares its own."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


def normaliser_origine(valeur: str) -> str:
    """``https://www.Ville.fr/agenda`` -> ``https://www.ville.fr``: the origin a browser
    compares with the CSP's frame-ancestors (scheme, host, port). French error otherwise."""
    texte = (valeur or "").strip()
    try:
        parties = urlsplit(texte)
        port = parties.port
    except ValueError:
        parties, port = None, None
    if parties is None or parties.scheme not in ("http", "https") or not parties.hostname:
        raise ValidationError(
            "Donnez l'adresse du site partenaire, commençant par https:// "
            "(par exemple https://www.ville-exemple.fr)."
        )
    if "*" in parties.netloc or "@" in parties.netloc:
        raise ValidationError("Donnez une adresse précise, sans «\u202f*\u202f» ni identifiant.")
    origine = f"{parties.scheme}://{parties.hostname.lower()}"
    if port and port != {"http": 80, "https": 443}[parties.scheme]:
        origine += f":{port}"
    return origine


class OrigineIntegration(models.Model):
    """A partner's website (its origin) allowed to embed the portal's map and agenda."""

    origine = models.CharField(
        "adresse du site",
        max_length=200,
        unique=True,
        help_text="par exemple https://www.ville-exemple.fr",
        error_messages={"unique": "Ce site est déjà autorisé."},
    )
    partenaire = models.CharField(
        "partenaire", max_length=200, help_text="par exemple «\u202fMairie d'Yvré-l'Évêque\u202f»"
    )
    ajoutee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ajoutée par",
    )
    ajoutee_le = models.DateTimeField("ajoutée le", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "site autorisé à intégrer le portail"
        verbose_name_plural = "sites autorisés à intégrer le portail"
        ordering = ["partenaire", "origine"]

    def __str__(self):
        return f"{self.partenaire} ({self.origine})"

    def clean(self):
        super().clean()
        if self.origine:
            self.origine = normaliser_origine(self.origine)


# the figures a publication may open: the committee's (indicateurs.statistiques.calcul)
CHIFFRES_PUBLIABLES = [
    ("personnes_accompagnees", "Personnes accompagnées"),
    ("accompagnements", "Accompagnements"),
    ("accompagnements_recurrents", "dont accompagnements récurrents"),
    ("ateliers", "Ateliers réalisés"),
    ("participants_ateliers", "Participants aux ateliers"),
    ("accompagnements_individuels", "Accompagnements individuels"),
    ("demandes_ponctuelles", "Demandes ponctuelles"),
]
MOIS_PUBLIES_MAX = 36


def _chiffres_par_defaut() -> list[str]:
    return ["personnes_accompagnees", "accompagnements", "ateliers", "participants_ateliers"]


class PublicationStatistiques(models.Model):
    """The monthly figures of a territory that its coordination opens to everyone
    (``/statistiques/<id>/`` and ``/donnees/statistiques.csv``)."""

    territoire = models.CharField(
        "territoire",
        max_length=9,
        unique=True,
        help_text="code INSEE de la commune, SIREN de l'EPCI ou code du département",
        error_messages={"unique": "Les statistiques de ce territoire sont déjà publiées."},
    )
    nom = models.CharField("nom du territoire", max_length=200)
    chiffres = models.JSONField("chiffres publiés", default=_chiffres_par_defaut)
    nombre_mois = models.PositiveSmallIntegerField(
        "mois publiés", default=12, help_text="les derniers mois clos"
    )
    publiee = models.BooleanField("publiée", default=True)
    modifiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifiée par",
    )
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "statistiques publiées d'un territoire"
        verbose_name_plural = "statistiques publiées des territoires"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(24)


class PartageStatistiques(models.Model):
    """An unguessable link by which a structure or an advisor shows its own figures; it
    answers 404 once revoked."""

    jeton = models.CharField("jeton", max_length=64, unique=True, default=nouveau_jeton)
    structure = models.ForeignKey(
        "structures.Structure",
        on_delete=models.CASCADE,
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
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lien de partage de statistiques"
        verbose_name_plural = "liens de partage de statistiques"
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(structure__isnull=True) ^ models.Q(conseiller__isnull=True),
                name="partage_une_structure_ou_un_conseiller",
            )
        ]

    def __str__(self):
        return f"Partage de {self.structure or self.conseiller}"
