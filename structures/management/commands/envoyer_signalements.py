from django.core.management.base import BaseCommand

from structures.services import envoyer_resume_des_signalements


class Command(BaseCommand):
    help = (
        "Envoie maintenant à chaque coordinateur le courriel de synthèse des nouveaux "
        "signalements d'erreur de son territoire (la tâche du matin fait de même)."
    )

    def handle(self, *args, **options):
        nombre = envoyer_resume_des_signalements()
        if nombre:
            pluriel = "s" if nombre > 1 else ""
            self.stdout.write(f"{nombre} courriel{pluriel} de synthèse envoyé{pluriel}.")
        else:
            self.stdout.write("Aucun nouveau signalement à transmettre.")
