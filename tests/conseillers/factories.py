import datetime as dt

import factory
from django.utils import timezone

from conseillers.enums import Canal, Jour, Thematique, TypeActivite, TypeIntervention
from conseillers.models import Activite, Beneficiaire, Conseiller, MiseADisposition
from tests.structures.factories import LieuFactory, StructureFactory
from tests.territoires.factories import CommuneFactory


class ConseillerFactory(factory.django.DjangoModelFactory):
    """An advisor; pass ``user=`` to give them a login, ``lieux=[...]`` for their sites."""

    class Meta:
        model = Conseiller
        skip_postgeneration_save = True

    email = factory.LazyAttributeSequence(
        lambda o, n: o.user.email if o.user else f"conseiller{n}@exemple.test"
    )
    user = None
    prenom = factory.LazyAttribute(lambda o: o.user.prenom if o.user else "Camille")
    nom = factory.LazyAttribute(lambda o: o.user.nom if o.user else "Martin")
    commune = factory.SubFactory(CommuneFactory)

    @factory.post_generation
    def lieux(self, create, extracted, **kwargs):
        if create and extracted:
            self.lieux.set(extracted)


class ActiviteFactory(factory.django.DjangoModelFactory):
    """An individual report at distance (no site needed); override what the test needs."""

    class Meta:
        model = Activite

    conseiller = factory.SubFactory(ConseillerFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    duree_minutes = 30
    type = TypeActivite.INDIVIDUEL
    canal = Canal.DISTANCE
    nb_participants = 1
    thematiques = [Thematique.EMAIL]


class BeneficiaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiaire

    conseiller = factory.SubFactory(ConseillerFactory)
    prenom = factory.Sequence(lambda n: f"Dominique {n}")
    annee_naissance = 1950
    consentement_le = factory.LazyFunction(timezone.now)


class MiseADispositionFactory(factory.django.DjangoModelFactory):
    """Tuesdays and Thursdays 14:00-17:00 at a site of the host structure."""

    class Meta:
        model = MiseADisposition
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    lieu = factory.SubFactory(
        LieuFactory,
        structure=factory.SelfAttribute("..structure"),
        commune=factory.SelfAttribute("..structure.commune"),
    )
    convention = factory.Sequence(lambda n: f"Convention 2026-{n:03d}")
    date_debut = dt.date(2026, 1, 1)
    jours = [Jour.MARDI, Jour.JEUDI]
    heure_debut = dt.time(14, 0)
    heure_fin = dt.time(17, 0)
    type_intervention = TypeIntervention.PERMANENCE

    @factory.post_generation
    def conseillers(self, create, extracted, **kwargs):
        if create and extracted:
            self.conseillers.set(extracted)
