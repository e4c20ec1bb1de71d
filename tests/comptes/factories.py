import factory

from comptes.enums import Role
from comptes.models import TerritoireUtilisateur, User

MOT_DE_PASSE = "un-mot-de-passe-solide-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    prenom = factory.Faker("first_name", locale="fr_FR")
    nom = factory.Faker("last_name", locale="fr_FR")
    role = Role.CONSEILLER
    password = factory.django.Password(MOT_DE_PASSE)

    @factory.post_generation
    def territoires(self, create, extracted, **kwargs):
        """``territoires=[commune_or_epci_or_departement, ...]``."""
        if not create or not extracted:
            return
        from territoires.models import Commune, Departement, Epci

        for territoire in extracted:
            TerritoireUtilisateur.objects.create(
                user=self,
                commune=territoire if isinstance(territoire, Commune) else None,
                epci=territoire if isinstance(territoire, Epci) else None,
                departement=territoire if isinstance(territoire, Departement) else None,
            )
