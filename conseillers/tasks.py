from celery import shared_task


@shared_task
def purger_beneficiaires_inactifs() -> str:
    """Nightly: delete the followed beneficiaries past the retention period."""
    from .beneficiaires import purger_beneficiaires_inactifs as purger

    return purger().resume()
