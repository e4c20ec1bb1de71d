import datetime as dt

import pytest
from django.utils import timezone

from ateliers.services import NouvelleDemande, deposer_demande, publier_fiche
from tests.ateliers.factories import ConventionFactory, FicheFactory
from tests.conseillers.factories import ConseillerFactory
from tests.structures.factories import LieuFactory, StructureFactory


def prochain(jour_semaine: int, heure: int, semaines: int = 1) -> dt.datetime:
    """A future weekday at ``heure`` (0 = Monday), ``semaines`` weeks ahead at least."""
    aujourd_hui = timezone.localdate()
    jour = aujourd_hui + dt.timedelta(days=(jour_semaine - aujourd_hui.weekday()) % 7)
    jour += dt.timedelta(weeks=semaines)
    return timezone.make_aware(dt.datetime.combine(jour, dt.time(heure, 0)))


@pytest.fixture
def atelier(geographie, comptes, settings, tmp_path):
    """A published sheet of Le Mans, a structure of Le Mans with its site, signed
    convention and referent, and two advisors of the métropole."""
    settings.MEDIA_ROOT = tmp_path
    g = geographie
    fiche = FicheFactory(commune=g["le_mans"])
    version = publier_fiche(fiche)
    structure = StructureFactory(
        nom="Centre social des Sablons", commune=g["le_mans"], referents=[comptes["referent"]]
    )
    lieu = LieuFactory(nom="Centre social des Sablons", structure=structure, commune=g["le_mans"])
    convention = ConventionFactory(structure=structure)
    camille = ConseillerFactory(
        prenom="Camille", nom="Martin", commune=g["le_mans"], user=comptes["conseiller"]
    )
    dominique = ConseillerFactory(prenom="Dominique", nom="Durand", commune=g["le_mans"])
    return {
        "fiche": fiche,
        "version": version,
        "structure": structure,
        "lieu": lieu,
        "convention": convention,
        "camille": camille,
        "dominique": dominique,
    }


@pytest.fixture
def demande(atelier, comptes):
    a = atelier
    return deposer_demande(
        NouvelleDemande(
            structure=a["structure"],
            version=a["version"],
            lieu=a["lieu"],
            creneaux=[prochain(1, 14), prochain(3, 9)],
            participants_attendus=6,
            public="habitants du quartier",
        ),
        par=comptes["referent"],
    )
