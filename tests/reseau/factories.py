import datetime as dt

import factory

from reseau.models import Contact, Groupe
from tests.structures.factories import StructureFactory


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    prenom = "Alex"
    nom = factory.Sequence(lambda n: f"Contact {n}")
    fonction = "Responsable de l'accueil"
    courriel = factory.Sequence(lambda n: f"contact{n}@exemple.test")
    base_legale = "mission"
    base_legale_le = dt.date(2026, 11, 2)

    @factory.post_generation
    def groupes(self, create, extracted, **kwargs):
        if create and extracted:
            self.groupes.set(extracted)


class GroupeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Groupe

    nom = factory.Sequence(lambda n: f"Groupe {n}")
    nature = "groupe_de_travail"
