from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from ateliers.demo import charger_ateliers_demo
from comptes.demo import MOT_DE_PASSE_DEMO, creer_comptes_demo
from conseillers.demo import MOIS_DEMO, charger_conseillers_demo
from donnees.demo import charger_donnees_demo
from indicateurs.demo import (
    charger_indicateurs_demo,
    charger_indices_demo,
    charger_statistiques_demo,
)
from indicateurs.indice.contours import charger_contours_demo
from reseau.demo import charger_reseau_demo
from structures.demo import charger_lieux_demo
from structures.normes import DonneesInvalides
from territoires.demo import charger_territoire_demo
from territoires.models import Commune, Epci


class Command(BaseCommand):
    help = (
        "Charge la démonstration\u00a0: Le Mans Métropole, ses quartiers, des lieux fictifs "
        "et un compte par rôle."
    )

    def handle(self, *args, **options):
        if not Commune.objects.exists():
            raise CommandError(
                "Aucune commune en base\u00a0: lancez d'abord « manage.py import_territoires »."
            )
        try:
            # the demo's workshop requests go through the services, which e-mail their
            # steps: nobody is told about fictitious requests
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
                transaction.atomic(),
            ):
                epci, zones = charger_territoire_demo()
                comptes = creer_comptes_demo(epci=epci)
                lieux = charger_lieux_demo()
                conseillers = charger_conseillers_demo(mois=MOIS_DEMO)
                ateliers = charger_ateliers_demo()
                indices = charger_indices_demo()
                contours = charger_contours_demo()
                indicateurs = charger_indicateurs_demo()
                statistiques = charger_statistiques_demo()
                contacts = charger_reseau_demo(epci=epci)
                charger_donnees_demo(epci)
        except (
            ValueError,
            OSError,
            DonneesInvalides,
            Epci.DoesNotExist,
            Commune.DoesNotExist,
        ) as exc:
            raise CommandError(f"Démonstration non chargée\u00a0: {exc}") from exc
        for email, role in comptes:
            self.stdout.write(f"  {role:45} {email} / {MOT_DE_PASSE_DEMO}")
        self.stdout.write(
            f"  indice de fragilité\u00a0: {indices} unités d'indice publiées chargées"
        )
        self.stdout.write(
            f"  contours\u00a0: {contours} communes de la Sarthe et du Maine-et-Loire"
        )
        if indicateurs:
            self.stdout.write(
                f"  indicateurs fictifs\u00a0: {indicateurs} valeurs et l'indice calculé par rangs"
            )
        self.stdout.write(
            f"Démonstration chargée\u00a0: {epci.nom}, {epci.communes.count()} communes, "
            f"{zones} quartiers, {lieux} lieux (fictifs), {len(comptes)} comptes."
        )
        self.stdout.write(conseillers.resume())
        self.stdout.write(ateliers.resume())
        self.stdout.write(statistiques.resume())
        self.stdout.write(
            f"  réseau\u00a0: {contacts} contact{'s' if contacts > 1 else ''} des structures, "
            "le collectif du territoire et un groupe de travail"
        )
        self.stdout.write(
            f"  données ouvertes\u00a0: statistiques de {epci.nom} publiées (/statistiques/), "
            "un site partenaire fictif autorisé à intégrer la carte (/integrer/)"
        )
