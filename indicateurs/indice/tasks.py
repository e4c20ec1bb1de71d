"""Celery tasks of the fragility index; their names are those of the former
``indicateurs.tasks`` module (kept: queued messages and the README name them)."""

from celery import shared_task


@shared_task(bind=True, name="indicateurs.tasks.calculer_indice")
def calculer_indice(
    self,
    *,
    niveau: str,
    millesime: int,
    methode: str = "rangs",
    echelle: float = 10.0,
    reference: str | None = None,
    par_id: int | None = None,
) -> int:
    """Compute and store a new result of the index (the same service as ``compute_indice``).

    Returns the new result's id.
    """
    from django.contrib.auth import get_user_model

    from .services import calculer_indice as calculer

    par = get_user_model().objects.filter(pk=par_id).first() if par_id else None
    resultat = calculer(
        niveau=niveau,
        millesime=millesime,
        methode=methode,
        echelle=echelle,
        reference=reference,
        par=par,
        tache=f"celery:{self.request.id or 'local'}",
    )
    return resultat.pk
