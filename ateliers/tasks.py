from celery import shared_task


@shared_task
def rappeler_echeances_conventions() -> int:
    """Every morning: e-mail the referents and coordinators of conventions ending within
    30 days, once per convention."""
    from .services import rappeler_echeances

    return rappeler_echeances()


@shared_task
def purger_participants() -> int:
    """Nightly: the named registrants of workshops over for longer than the retention."""
    from .services import purger_participants as purger

    return purger()
