import factory

from territoires.enums import TypeEpci, TypeZone
from territoires.models import Commune, Departement, Epci, Region, Zone
from territoires.text import normaliser


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "52"
    nom = "Pays de la Loire"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "72"
    nom = "Sarthe"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Epci
        django_get_or_create = ["siren"]

    siren = factory.Sequence(lambda n: f"2000{n:05d}")
    nom = factory.Sequence(lambda n: f"CC Test {n}")
    type = TypeEpci.CC
    population = 10000


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code_insee"]

    # 72500-72999: never a commune of the shared fixtures; wraps so the code keeps 5 digits
    code_insee = factory.Sequence(lambda n: f"72{500 + n % 500:03d}")
    nom = factory.Sequence(lambda n: f"Commune {n}")
    nom_recherche = factory.LazyAttribute(lambda o: normaliser(o.nom))
    departement = factory.SubFactory(DepartementFactory)
    epci = factory.SubFactory(EpciFactory)
    codes_postaux = "72000"
    population = 1000
    latitude = 48.0
    longitude = 0.2


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    commune = factory.SubFactory(CommuneFactory)
    type = TypeZone.QUARTIER
    nom = factory.Sequence(lambda n: f"Quartier {n}")
    nom_recherche = factory.LazyAttribute(lambda o: normaliser(o.nom))
