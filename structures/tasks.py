from celery import shared_task


@shared_task
def recalculer_creneaux_de_la_semaine() -> int:
    """Nightly: follow the calendar (dated exceptions, public holidays) in the slots table."""
    from .services import recalculer_tous_les_creneaux

    return recalculer_tous_les_creneaux()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_resume_des_signalements() -> int:
    """Every morning: each coordinator's e-mail of the new error reports of their
    territories (a server that refuses the mail is tried again, nothing marked sent)."""
    from .services import envoyer_resume_des_signalements as envoyer

    return envoyer()


@shared_task
def purger_signalements() -> str:
    """Nightly: delete the error reports past the retention period."""
    from .purge import purger_signalements as purger

    return purger().resume()
