"""The demo's network: a contact in each of the first structures of the territory (names
made up), the territory's collective and a working group. Run again, it changes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from structures.models import Structure
from territoires.models import Epci

from .enums import BaseLegale, NatureGroupe
from .models import Contact, Groupe

PERSONNES = [
    ("Claire", "Fontaine", "Directrice"),
    ("Yanis", "Morel", "Médiateur numérique"),
    ("Nadia", "Roux", "Responsable de l'accueil"),
    ("Hugo", "Lemaire", "Animateur multimédia"),
    ("Emma", "Garnier", "Chargée de projets"),
    ("Louis", "Chevalier", "Responsable de l'espace public numérique"),
]


@transaction.atomic
def charger_reseau_demo(*, epci: Epci) -> int:
    """The number of demo contacts."""
    collectif, _ = Groupe.objects.tous().get_or_create(
        nom=f"Collectif inclusion numérique — {epci.nom}",
        defaults={"nature": NatureGroupe.RESEAU, "epci": epci},
    )
    accueil, _ = Groupe.objects.tous().get_or_create(
        nom="Groupe de travail « accueil des démarches »",
        defaults={"nature": NatureGroupe.GROUPE_DE_TRAVAIL, "epci": epci},
    )
    structures = Structure.objects.tous().filter(commune__epci=epci).order_by("nom", "pk")
    nombre = 0
    for rang, (structure, (prenom, nom, fonction)) in enumerate(
        zip(structures[: len(PERSONNES)], PERSONNES, strict=False)
    ):
        contact, _ = Contact.objects.tous().get_or_create(
            structure=structure,
            nom=nom,
            defaults={
                "prenom": prenom,
                "fonction": fonction,
                "courriel": f"{prenom}.{nom}@demo.test".lower(),
                "base_legale": BaseLegale.CONSENTEMENT if rang % 2 else BaseLegale.MISSION,
                "base_legale_le": dt.date(2026, 9, 1 + rang),
            },
        )
        contact.groupes.add(collectif, *([accueil] if rang < 3 else []))
        nombre += 1
    return nombre
