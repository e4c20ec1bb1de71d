import logging

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from kombu.exceptions import OperationalError

journal = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, ignore_result=True)
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


def envoyer_courriel_sans_attendre(
    *, sujet: str, texte: str, destinataires: list[str], html: str = ""
) -> None:
    """Queue the e-mail for a worker; with the broker (Redis) down, send it from here, so
    that the page still works and nothing is lost."""
    try:
        envoyer_courriel.delay(sujet=sujet, texte=texte, destinataires=destinataires, html=html)
    except OperationalError:
        journal.warning(
            "courtier Celery injoignable\u00a0: courriel « %s » envoyé directement", sujet
        )
        envoyer_courriel.apply(
            kwargs={"sujet": sujet, "texte": texte, "destinataires": destinataires, "html": html}
        )
