from celery import shared_task


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, ignore_result=True)
def servir_envoi(pk: int) -> int:
    """Send a mailing's messages, one per recipient (a refused batch is tried again)."""
    from .services import servir_envoi as servir

    return servir(pk)
