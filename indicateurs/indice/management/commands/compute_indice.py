from django.core.management.base import BaseCommand, CommandError

from indicateurs.enums import Methode, Niveau
from indicateurs.indice.calcul import ECHELLE_PAR_DEFAUT
from indicateurs.indice.services import calculer_indice
from indicateurs.territoire import CalculImpossible


class Command(BaseCommand):
    help = (
        "Calcule l'indice de fragilité numérique d'un niveau et d'un millésime à partir des "
        "indicateurs importés, et l'enregistre comme un nouveau résultat."
    )

    def add_arguments(self, parser):
        parser.add_argument("--niveau", required=True, choices=Niveau.values)
        parser.add_argument("--millesime", required=True, type=int, help="année, ex. 2022")
        parser.add_argument(
            "--methode",
            default=Methode.RANGS.value,
            choices=[Methode.RANGS.value, Methode.RATIO.value],
            help="rangs (méthode nationale 2021, par défaut) ou ratio (méthode 2020)",
        )
        parser.add_argument(
            "--echelle",
            type=float,
            default=ECHELLE_PAR_DEFAUT,
            help="échelle E de la méthode des rangs (10 par défaut)",
        )
        parser.add_argument(
            "--reference",
            default=None,
            help="territoire de référence\u00a0: code INSEE de commune, SIREN d'EPCI ou code de "
            "département (par défaut, toutes les unités du niveau et du millésime)",
        )

    def handle(self, *args, niveau, millesime, methode, echelle, reference, **options):
        try:
            resultat = calculer_indice(
                niveau=niveau,
                millesime=millesime,
                methode=methode,
                echelle=echelle,
                reference=reference,
                tache="compute_indice",
            )
        except CalculImpossible as exc:
            raise CommandError(f"Indice non calculé\u00a0: {exc}") from exc
        parametres = f"échelle {echelle:g}, " if methode == Methode.RANGS else ""
        ref = resultat.parametres.get("reference")
        perimetre = f"référence {ref['nom']} ({ref['code']})" if ref else "référence\u00a0: toutes"
        self.stdout.write(
            f"Indice calculé\u00a0: résultat n° {resultat.pk}, {resultat.nombre_unites} unités "
            f"({niveau}, {millesime}), méthode {methode}, {parametres}{perimetre}."
        )
