from django.core.management.base import BaseCommand, CommandError

from indicateurs.statistiques.calcul import calculer_periode, dernier_mois_clos, lire_mois
from indicateurs.statistiques.models import MotifCalcul
from indicateurs.territoire import CalculImpossible


class Command(BaseCommand):
    help = (
        "Calcule les statistiques mensuelles (instantanés par territoire, structure, "
        "conseiller, commune et quartier) d'un mois ou d'une période, comme la tâche Celery "
        "du 1er du mois. Un mois déjà calculé est remplacé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--mois", default=None, help="AAAA-MM (par défaut, le dernier mois écoulé)"
        )
        parser.add_argument("--au", default=None, help="AAAA-MM\u00a0: calcule de --mois à --au")
        parser.add_argument(
            "--territoire",
            default=None,
            help="code INSEE de commune, SIREN d'EPCI ou code de département (par défaut, tous)",
        )

    def handle(self, *args, mois, au, territoire, **options):
        try:
            du = lire_mois(mois, "--mois") if mois else dernier_mois_clos()
            fin = lire_mois(au, "--au") if au else du
            rapport = calculer_periode(
                du, fin, territoire, motif=MotifCalcul.MANUEL, tache="compute_statistiques"
            )
        except (ValueError, CalculImpossible) as exc:
            raise CommandError(f"Statistiques non calculées\u00a0: {exc}") from exc
        self.stdout.write(rapport.resume())
