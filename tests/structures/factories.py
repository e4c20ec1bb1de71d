import factory

from structures.enums import Frais, ModaliteAcces, Service, Typologie
from structures.models import Arret, Lieu, Structure
from tests.territoires.factories import CommuneFactory


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        skip_postgeneration_save = True

    pivot = "43493312300029"
    nom = factory.Sequence(lambda n: f"Structure {n}")
    typologies = [Typologie.ASSO]
    commune = factory.SubFactory(CommuneFactory)

    @factory.post_generation
    def referents(self, create, extracted, **kwargs):
        if create and extracted:
            self.referents.set(extracted)


class LieuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lieu

    structure = factory.SubFactory(StructureFactory, commune=factory.SelfAttribute("..commune"))
    source = "Portail"
    identifiant = factory.Sequence(lambda n: f"lieu-{n}")
    nom = factory.Sequence(lambda n: f"Espace numérique {n}")
    adresse = "1 place de la République"
    code_postal = "72000"
    commune = factory.SubFactory(CommuneFactory)
    latitude = 48.0061
    longitude = 0.1996
    horaires = "Mo-Fr 09:00-12:00,14:00-17:30"
    services = [Service.DEMARCHES, Service.OUTILS_QUOTIDIEN]
    frais = [Frais.GRATUIT]
    modalites_acces = [ModaliteAcces.SE_PRESENTER]


class ArretFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arret

    lieu = factory.SubFactory(LieuFactory)
    nom = factory.Sequence(lambda n: f"Place du marché {n}")
    commune = factory.SelfAttribute("lieu.commune")
    latitude = 48.0
    longitude = 0.2
    horaires = "Tu 14:00-17:00"
