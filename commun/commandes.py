"""What the portal's management commands share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class CommandeDePurge(BaseCommand):
    """A nightly purge run by hand: ``--dry-run`` counts without deleting, ``--mois``
    overrides the retention setting; a refused value stops with its French message.

    A subclass names ``purger`` (a function taking ``mois`` and ``simulation`` that
    returns a report with ``resume()``) and ``a_compter`` (what ``--dry-run`` counts)."""

    a_compter = "les lignes à supprimer"

    @staticmethod
    def purger(*, mois, simulation):
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=f"compter {self.a_compter} sans rien supprimer",
        )
        parser.add_argument(
            "--mois",
            type=int,
            default=None,
            help="durée de conservation en mois (par défaut\u00a0: le réglage du portail)",
        )

    def handle(self, *args, dry_run=False, mois=None, **options):
        try:
            resultat = self.purger(mois=mois, simulation=dry_run)
        except ValidationError as erreur:
            raise CommandError(" ".join(erreur.messages)) from erreur
        self.stdout.write(resultat.resume())
