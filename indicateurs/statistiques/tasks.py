"""Celery tasks of the monthly statistics (Celery beat: CELERY_BEAT_SCHEDULE); their names
are those of the former ``indicateurs.tasks`` module (kept: the schedule, queued messages and
the README name them)."""

from celery import shared_task


@shared_task(bind=True, name="indicateurs.tasks.compute_statistiques")
def compute_statistiques(self, mois: str | None = None, territoire: str | None = None) -> dict:
    """Compute one month's snapshots (``"YYYY-MM"``; the previous month when omitted), for
    every territory or one (commune, EPCI or département code). Celery beat runs it on the
    1st of each month for the month just closed. Returns the journal row's summary."""
    from indicateurs.territoire import territoire_de_reference

    from .calcul import calculer_mois, dernier_mois_clos, lire_mois
    from .models import MotifCalcul

    un_mois = lire_mois(mois) if mois else dernier_mois_clos()
    reference = territoire_de_reference(territoire) if territoire else None
    calcul = calculer_mois(
        un_mois,
        reference,
        motif=MotifCalcul.MANUEL if mois else MotifCalcul.MENSUEL,
        tache=f"celery:{self.request.id or 'local'}",
    )
    return {"mois": f"{calcul.mois:%Y-%m}", "lignes": calcul.lignes, "calcul": calcul.pk}


@shared_task(bind=True, name="indicateurs.tasks.reprendre_statistiques")
def reprendre_statistiques(self) -> list[str]:
    """Recompute the closed months whose reports were entered or changed late."""
    from .calcul import reprendre_saisies_tardives

    calculs = reprendre_saisies_tardives(tache=f"celery:{self.request.id or 'local'}")
    return [f"{c.mois:%Y-%m}" for c in calculs if c.lignes or c.communes]


@shared_task(bind=True, name="indicateurs.tasks.rattraper_statistiques")
def rattraper_statistiques(self) -> str | None:
    """Hourly: the month just closed, if its monthly run was missed (Redis or the worker
    down on the 1st); nothing otherwise."""
    from .calcul import rattraper_mois_ecoule

    calcul = rattraper_mois_ecoule(tache=f"celery:{self.request.id or 'local'}")
    return f"{calcul.mois:%Y-%m}" if calcul else None
