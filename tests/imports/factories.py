from __future__ import annotations

import factory
from django.core.files.base import ContentFile

from comptes.enums import Role
from imports.enums import EtatImport, TypeImport
from imports.models import Import
from tests.comptes.factories import UserFactory

INDICATEURS_LE_MANS = (
    b"niveau,code,indicateur,valeur,millesime,source\r\n"
    b"commune,72181,pauvrete,17.5,2022,INSEE\r\n"
    b"commune,72386,pauvrete,6.1,2022,INSEE\r\n"
)


def coordinateur_du_mans(g):
    """A coordinator of Le Mans Métropole, author of the matrices' imports."""
    return UserFactory(role=Role.COORDINATEUR, territoires=[g["metropole"]])


class ImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Import

    type = TypeImport.INDICATEURS
    nom_fichier = "indicateurs.csv"
    fichier = factory.LazyFunction(lambda: ContentFile(INDICATEURS_LE_MANS, name="indicateurs.csv"))
    etat = EtatImport.ANALYSE
    apercu = factory.LazyFunction(
        lambda: {"crees": 2, "modifies": 0, "inchanges": 0, "refusees": 0, "refuse": False}
    )
