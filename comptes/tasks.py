from celery import shared_task
from django.core.mail import EmailMultiAlternatives


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def envoyer_courriel(*, sujet: str, texte: str, destinataires: list[str], html: str = "") -> int:
    """Send one e-mail from a worker, so that a slow SMTP server never blocks a page."""
    message = EmailMultiAlternatives(sujet, texte, to=destinataires)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@shared_task
def purger_comptes_inactifs() -> str:
    """Nightly: delete the accounts past the retention period."""
    from .purge import purger_comptes_inactifs as purger

    return purger().resume()
