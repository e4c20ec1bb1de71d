from celery import shared_task


@shared_task(name="imports.tasks.purger_fichiers")
def purger_fichiers() -> int:
    """The night's deletion of the old imports' files (``IMPORTS_CONSERVATION_JOURS``)."""
    from .services import purger_fichiers as purger

    return purger()


@shared_task(bind=True, name="imports.tasks.executer_import")
def executer_import(self, import_id: int) -> str:
    """Run a confirmed back-office import (``imports.services.executer``); returns its state."""
    from .models import Import
    from .services import executer

    import_ = Import.objects.tous().select_related("cree_par").get(pk=import_id)
    return executer(import_=import_, tache=f"celery:{self.request.id or 'local'}").etat
