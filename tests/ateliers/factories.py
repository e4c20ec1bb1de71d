import datetime as dt

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from ateliers.models import Convention, FicheAtelier
from conseillers.enums import Thematique
from tests.territoires.factories import CommuneFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class FicheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FicheAtelier

    commune = factory.SubFactory(CommuneFactory)
    titre = factory.Sequence(lambda n: f"Premiers pas sur internet {n}")
    thematiques = [Thematique.NAVIGATION_INTERNET]
    objectifs = "Naviguer, chercher une information, reconnaître un site officiel."
    contenu = "Le navigateur, la barre d'adresse, les moteurs de recherche."
    public_cible = "adultes débutants"
    participants_min = 3
    participants_max = 8
    duree_minutes = 120


class ConventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Convention

    debut = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    fin = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=335))
    signee_le = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    document = factory.LazyFunction(lambda: ContentFile(PDF, name="convention.pdf"))
