from celery import shared_task


@shared_task
def recalculer_creneaux_de_la_semaine() -> int:
    """Nightly: follow the calendar (dated exceptions, public holidays) in the slots table."""
    from .services import recalculer_tous_les_creneaux

    return recalculer_tous_les_creneaux()
