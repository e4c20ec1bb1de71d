"""What the open data keeps of its own: the partners' websites allowed to embed the map
and the agenda."""

from __future__ import annotations

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
