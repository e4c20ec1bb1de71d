"""The demo's open data: the métropole's statistics published, and a partner's website
(fictitious) allowed to embed the map and the agenda."""

from __future__ import annotations

from .models import OrigineIntegration, PublicationStatistiques


def charger_donnees_demo(epci) -> int:
    """Publishes ``epci``'s statistics (12 months); returns the number of allowed websites."""
    PublicationStatistiques.objects.update_or_create(
        territoire=epci.pk,
        defaults={
            "nom": epci.nom,
            "nombre_mois": 12,
            "publiee": True,
            "chiffres": [
                "personnes_accompagnees",
                "accompagnements",
                "ateliers",
                "participants_ateliers",
            ],
        },
    )
    OrigineIntegration.objects.update_or_create(
        origine="https://www.commune-exemple.fr",
        defaults={"partenaire": "Commune partenaire (fictive)"},
    )
    return OrigineIntegration.objects.count()
