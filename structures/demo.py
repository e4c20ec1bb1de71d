"""Demo sites of Le Mans Métropole: fictional places (each marked « fictif ») in real communes.

The sites are loaded from a file in the national standard, through the same import as any
territory's file; what the standard does not carry (districts, stops of the itinerant bus,
the city guide's Wi-Fi / free-access / mediator flags, the referent's structure) follows.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import transaction

from comptes.models import User
from territoires.models import Commune, Zone
from territoires.text import normaliser

from .models import Arret, Lieu, Structure
from .normes import importer_lieux
from .services import recalculer_creneaux

FICHIER_LIEUX = Path(settings.BASE_DIR) / "fixtures" / "demo" / "le-mans-lieux.csv"
SOURCE_DEMO = "Le Mans Métropole (démonstration)"

# identifiant -> (district of Le Mans, Wi-Fi public, equipment in free access, mediator)
COMPLEMENTS = {
    "demo-mediatheque-aragon": ("Jacobins République", True, True, True),
    "demo-mediatheque-sud": ("Sablons Centre", True, True, True),
    "demo-france-services-sablons": ("Sablons Centre", True, False, True),
    "demo-maison-quartier-bellevue": ("Bellevue", False, True, True),
    "demo-ccas-le-mans": ("Carnot", False, False, True),
    "demo-centre-social-pontlieue": ("Pontlieue", True, True, True),
    "demo-mission-locale": ("Gare", True, True, True),
    "demo-tiers-lieu-gare": ("Gare", True, True, False),
    "demo-emmaus-connect": ("Vieux Mans", False, False, True),
    "demo-bus-numerique": (None, True, True, True),
}
ARRETS_DU_BUS = [
    ("Place du marché", "Place de la Mairie", "72008", 47.9286, 0.1893, "Tu 09:30-12:30"),
    ("Parking de la salle des fêtes", "Rue du Stade", "72213", 47.9136, 0.2467, "Tu 14:00-17:00"),
    ("Place de l'Église", "Place de l'Église", "72054", 48.0219, 0.3319, "We 09:30-12:30"),
    ("Parvis de la mairie", "Place de la Mairie", "72001", 48.0667, 0.1187, "Th 09:30-12:30"),
    ("Place Saint-Pierre", "Place Saint-Pierre", "72260", 47.9449, 0.2633, "Fr 14:00-17:00"),
]
STRUCTURE_DU_REFERENT = "41223344556674"  # the association running the Pontlieue social centre


@transaction.atomic
def charger_lieux_demo(*, referent_email: str = "structure@demo.test") -> int:
    """Import the demo sites (idempotent) and their complements; returns the site count."""
    importer_lieux(chemin=FICHIER_LIEUX)
    lieux = {lieu.identifiant: lieu for lieu in Lieu.objects.tous().filter(source=SOURCE_DEMO)}
    zones = {zone.nom_recherche: zone for zone in Zone.objects.tous().filter(commune_id="72181")}
    for identifiant, (quartier, wifi, materiel, mediateur) in COMPLEMENTS.items():
        lieu = lieux[identifiant]
        lieu.zone = zones.get(normaliser(quartier)) if quartier else None
        lieu.wifi_public, lieu.materiel_libre_acces, lieu.mediateur_present = (
            wifi,
            materiel,
            mediateur,
        )
        lieu.save(
            update_fields=["zone", "wifi_public", "materiel_libre_acces", "mediateur_present"]
        )
    bus = lieux["demo-bus-numerique"]
    bus.arrets.all().delete()
    communes = Commune.objects.in_bulk([code for _n, _a, code, *_ in ARRETS_DU_BUS])
    Arret.objects.bulk_create(
        Arret(
            lieu=bus,
            nom=nom,
            adresse=adresse,
            commune=communes[code],
            latitude=latitude,
            longitude=longitude,
            horaires=horaires,
        )
        for nom, adresse, code, latitude, longitude, horaires in ARRETS_DU_BUS
    )
    recalculer_creneaux(lieux=lieux.values())
    referent = User.objects.filter(email=referent_email).first()
    if referent is not None:
        for structure in Structure.objects.tous().filter(pivot=STRUCTURE_DU_REFERENT):
            structure.referents.add(referent)
    return len(lieux)
