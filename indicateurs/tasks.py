from celery import shared_task


@shared_task(bind=True)
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


@shared_task(bind=True)
def compute_statistiques(self, mois: str | None = None, territoire: str | None = None) -> dict:
    """Compute one month's snapshots (``"YYYY-MM"``; the previous month when omitted), for
    every territory or one (commune, EPCI or département code). Celery beat runs it on the
    1st of each month for the month just closed. Returns the journal row's summary."""
    from .models import MotifCalcul
    from .services import territoire_de_reference
    from .statistiques import calculer_mois, dernier_mois_clos, lire_mois

    un_mois = lire_mois(mois) if mois else dernier_mois_clos()
    reference = territoire_de_reference(territoire) if territoire else None
    calcul = calculer_mois(
        un_mois,
        reference,
        motif=MotifCalcul.MANUEL if mois else MotifCalcul.MENSUEL,
        tache=f"celery:{self.request.id or 'local'}",
    )
    return {"mois": f"{calcul.mois:%Y-%m}", "lignes": calcul.lignes, "calcul": calcul.pk}


@shared_task(bind=True)
def reprendre_statistiques(self) -> list[str]:
    """Recompute the closed months whose reports were entered or changed late."""
    from .statistiques import reprendre_saisies_tardives

    calculs = reprendre_saisies_tardives(tache=f"celery:{self.request.id or 'local'}")
    return [f"{c.mois:%Y-%m}" for c in calculs if c.lignes or c.communes]


@shared_task(bind=True)
def rattraper_statistiques(self) -> str | None:
    """Hourly: the month just closed, if its monthly run was missed (Redis or the worker
    down on the 1st); nothing otherwise."""
    from .statistiques import rattraper_mois_ecoule

    calcul = rattraper_mois_ecoule(tache=f"celery:{self.request.id or 'local'}")
    return f"{calcul.mois:%Y-%m}" if calcul else None
