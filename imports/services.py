"""Back-office imports: the same importers as the commands, run twice.

1. :func:`analyser`: the importer in its dry-run mode (``dry_run=True``, and partial so
   that every refused row is counted), or, for the outlines that have no such mode, inside
   a transaction rolled back. Nothing is written; the preview is kept on the
   :class:`~imports.models.Import`.
2. :func:`executer` (Celery task ``imports.tasks.executer_import``): the importer for real,
   all or nothing unless « garder les lignes valides » (``partiel``) was chosen; the
   refused rows go to a CSV file (``commun.rejets``).

Only rows within the author's territory are written: the importers refuse the others
(``communes_autorisees``), as the outlines' form already did.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commun.rejets import csv_des_lignes_refusees
from conseillers.importation import ActivitesInvalides, importer_activites
from conseillers.models import Conseiller
from indicateurs.indice.contours import GeoJSONInvalide, enregistrer_contours, lire_geojson
from indicateurs.indice.importation import IndicateursInvalides, importer_indicateurs
from indicateurs.indice.models import Contour
from indicateurs.indice.publication import IndicePublieInvalide, importer_indice_publie
from structures.normes import DonneesInvalides, importer_lieux
from territoires.models import Commune
from territoires.perimetres import perimetre_de

from .enums import EtatImport, TypeImport
from .models import Import

journal = logging.getLogger(__name__)

ERREURS_MONTREES = 20
AVERTISSEMENTS_MONTRES = 20


def typographie(texte: str) -> str:
    """The importers' messages as a page shows them (REDACTION.md): a no-break space
    before ``:``, a narrow one before ``;``."""
    return texte.replace(" : ", "\u00a0: ").replace(" ; ", "\u202f; ")


@dataclass
class Bilan:
    """What an import did (or would do): the counts, the first errors and warnings."""

    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    refusees: int = 0
    # the whole file refused (header, encoding, nothing valid): no row can be imported
    refuse: bool = False
    erreurs: list[str] = field(default_factory=list)
    nombre_erreurs: int = 0
    avertissements: list[str] = field(default_factory=list)
    nombre_avertissements: int = 0
    ignorees: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)

    def noter_erreurs(self, erreurs) -> None:
        textes = [typographie(str(e)) for e in erreurs]
        self.nombre_erreurs += len(textes)
        self.erreurs.extend(textes[: max(0, ERREURS_MONTREES - len(self.erreurs))])

    def noter_avertissements(self, avertissements) -> None:
        self.nombre_avertissements += len(avertissements)
        self.avertissements.extend(typographie(a) for a in avertissements[:AVERTISSEMENTS_MONTRES])


@dataclass
class Resultat:
    bilan: Bilan
    entete: list[str] = field(default_factory=list)
    refusees: list = field(default_factory=list)


class _Annulation(Exception):
    """Raised inside the outlines' preview to roll its transaction back."""

    def __init__(self, resultat: Resultat):
        self.resultat = resultat


# -- the territory ----------------------------------------------------------------------


def communes_autorisees(user) -> set[str] | None:
    """The communes ``user`` may import into (``None``: anywhere, for staff)."""
    perimetre = perimetre_de(user)
    if perimetre.national:
        return None
    return set(Commune.objects.dans(perimetre).values_list("pk", flat=True))


def conseillers_autorises(user) -> set[str] | None:
    if perimetre_de(user).national:
        return None
    return {e.lower() for e in Conseiller.objects.pour(user).values_list("email", flat=True)}


# -- one runner per kind ----------------------------------------------------------------


def _refus(exc, bilan: Bilan | None = None) -> Resultat:
    bilan = bilan or Bilan()
    bilan.refuse = True
    bilan.noter_erreurs(exc.erreurs)
    bilan.refusees = len({getattr(e, "ligne", e) for e in exc.erreurs})
    return Resultat(bilan)


class _Progression:
    """Writes the import's progress (rows checked, then the writing) on its row, at most
    twice a second; the progress page polls it. Only for the real import, not the preview."""

    def __init__(self, import_: Import):
        self.pk = import_.pk
        self.derniere = 0.0

    def __call__(self, fait: int, total: int | None) -> None:
        maintenant = time.monotonic()
        if maintenant - self.derniere < 0.5 and fait != total:
            return
        self.derniere = maintenant
        etape = "ecriture" if fait and fait == total else "verification"
        Import.objects.tous().filter(pk=self.pk).update(
            progression={"etape": etape, "fait": fait, "total": total}
        )


def _suivi(import_: Import, dry_run: bool) -> _Progression | None:
    return None if dry_run else _Progression(import_)


def _lieux(import_: Import, chemin: Path, *, dry_run: bool, partiel: bool) -> Resultat:
    suivi = _suivi(import_, dry_run)
    try:
        rapport = importer_lieux(
            chemin=chemin,
            dry_run=dry_run,
            partiel=partiel,
            source_par_defaut=import_.options.get("source", ""),
            communes_autorisees=communes_autorisees(import_.cree_par),
            progression=suivi,
        )
    except DonneesInvalides as exc:
        return _refus(exc)
    bilan = Bilan(
        crees=rapport.crees,
        modifies=rapport.modifies,
        inchanges=rapport.inchanges,
        refusees=len(rapport.refusees),
        ignorees=list(rapport.ignorees),
        details=[
            typographie(d) for d in rapport.details() if not d.startswith("Colonnes ignorées")
        ],
    )
    bilan.noter_erreurs([e for r in rapport.refusees for e in r.erreurs])
    bilan.noter_avertissements(rapport.avertissements)
    return Resultat(bilan, rapport.entetes, rapport.refusees)


def _activites(import_: Import, chemin: Path, *, dry_run: bool, partiel: bool) -> Resultat:
    options = import_.options
    suivi = _suivi(import_, dry_run)
    try:
        rapport = importer_activites(
            chemin=chemin,
            dry_run=dry_run,
            partiel=partiel,
            format_=options.get("format", "csv"),
            conseiller_email=options.get("conseiller_email", ""),
            communes_autorisees=communes_autorisees(import_.cree_par),
            conseillers_autorises=conseillers_autorises(import_.cree_par),
            progression=suivi,
        )
    except ActivitesInvalides as exc:
        return _refus(exc)
    bilan = Bilan(crees=rapport.activites, refusees=len(rapport.refusees))
    bilan.details = [typographie(rapport.resume())]
    bilan.noter_erreurs([e for r in rapport.refusees for e in r.erreurs])
    return Resultat(bilan, rapport.entete, rapport.refusees)


def _indicateurs(import_: Import, chemin: Path, *, dry_run: bool, partiel: bool) -> Resultat:
    try:
        rapport = importer_indicateurs(
            chemin=chemin,
            dry_run=dry_run,
            communes_autorisees=communes_autorisees(import_.cree_par),
        )
    except IndicateursInvalides as exc:
        return _refus(exc)
    bilan = Bilan(crees=rapport.nouvelles, modifies=rapport.remplacees)
    bilan.details = [typographie(rapport.resume())]
    return Resultat(bilan)


def _indice_publie(import_: Import, chemin: Path, *, dry_run: bool, partiel: bool) -> Resultat:
    options = import_.options
    try:
        rapport = importer_indice_publie(
            chemin=chemin,
            millesime=int(options["millesime"]),
            reference=options["reference"],
            source=options.get("source", ""),
            dry_run=dry_run,
            partiel=partiel,
            par=import_.cree_par,
            communes_autorisees=communes_autorisees(import_.cree_par),
        )
    except IndicePublieInvalide as exc:
        return _refus(exc)
    bilan = Bilan(crees=rapport.iris + rapport.communes, refusees=len(rapport.refusees))
    bilan.details = [typographie(rapport.resume())]
    bilan.noter_erreurs([e for r in rapport.refusees for e in r.erreurs])
    bilan.noter_avertissements(rapport.avertissements)
    return Resultat(bilan, rapport.entete, rapport.refusees)


def _contours(import_: Import, chemin: Path, *, dry_run: bool, partiel: bool) -> Resultat:
    """The outlines have no dry-run mode: the preview writes them in a transaction rolled
    back. Always all or nothing (``enregistrer_contours``)."""
    niveau = import_.options["niveau"]
    try:
        with transaction.atomic():
            contours = lire_geojson(chemin.read_bytes(), niveau=niveau)
            codes = {c.code for c in contours}
            deja = Contour.objects.tous().filter(niveau=niveau, code__in=codes).count()
            nombre = enregistrer_contours(
                contours,
                niveau=niveau,
                source=import_.options.get("source") or import_.nom_fichier,
                communes_autorisees=communes_autorisees(import_.cree_par),
            )
            resultat = Resultat(Bilan(crees=nombre - deja, modifies=deja))
            if dry_run:
                raise _Annulation(resultat)
    except _Annulation as annulation:
        return annulation.resultat
    except GeoJSONInvalide as exc:
        return _refus(exc)
    return resultat


EXECUTANTS = {
    TypeImport.LIEUX: _lieux,
    TypeImport.ACTIVITES: _activites,
    TypeImport.INDICATEURS: _indicateurs,
    TypeImport.INDICE_PUBLIE: _indice_publie,
    TypeImport.CONTOURS: _contours,
}
# the kinds whose importer can keep the valid rows (« garder les lignes valides »)
PARTIELS = {TypeImport.LIEUX, TypeImport.ACTIVITES, TypeImport.INDICE_PUBLIE}


@contextmanager
def _copie_locale(import_: Import) -> Iterator[Path]:
    """The stored file as a local path (whatever the storage), with its extension."""
    suffixe = Path(import_.nom_fichier).suffix.lower()[:10]
    with tempfile.TemporaryDirectory(prefix="import-") as dossier:
        chemin = Path(dossier) / f"fichier{suffixe}"
        with import_.fichier.open("rb") as source:
            chemin.write_bytes(source.read())
        yield chemin


def _lancer(import_: Import, *, dry_run: bool, partiel: bool) -> Resultat:
    with _copie_locale(import_) as chemin:
        return EXECUTANTS[import_.type](import_, chemin, dry_run=dry_run, partiel=partiel)


# -- retention --------------------------------------------------------------------------


def purger_fichiers(*, maintenant=None) -> int:
    """Delete the uploaded files and refused rows' files older than
    ``IMPORTS_CONSERVATION_JOURS`` days (they may hold advisors' addresses, contacts…); the
    history keeps its rows, counts and messages. Returns how many imports lost files."""
    limite = (maintenant or timezone.now()) - timedelta(days=settings.IMPORTS_CONSERVATION_JOURS)
    anciens = (
        Import.objects.tous()
        .filter(cree_le__lt=limite)
        .exclude(fichier="", rejets="")
        .exclude(etat=EtatImport.EN_COURS)
    )
    nombre = 0
    for import_ in anciens.iterator():
        for champ in (import_.fichier, import_.rejets):
            if champ:
                champ.delete(save=False)
        import_.save(update_fields=["fichier", "rejets"])
        nombre += 1
    return nombre


# -- the journey ------------------------------------------------------------------------


def deposer(*, par, type: str, fichier, options: dict) -> Import:
    """Store the file and its preview (nothing imported yet)."""
    import_ = Import(
        cree_par=par,
        type=type,
        nom_fichier=Path(fichier.name).name[:255],
        options=options,
        etat=EtatImport.ANALYSE,
    )
    import_.fichier.save(Path(fichier.name).name[-100:], fichier, save=False)
    import_.save()
    analyser(import_)
    return import_


def analyser(import_: Import) -> Bilan:
    """The preview: the counts the import would reach, computed without writing (the
    importer's dry run, partial so that every refused row is counted)."""
    bilan = _lancer(import_, dry_run=True, partiel=import_.type in PARTIELS).bilan
    import_.apercu = asdict(bilan)
    Import.objects.tous().filter(pk=import_.pk).update(apercu=import_.apercu)
    return bilan


def confirmer(*, import_: Import, partiel: bool) -> bool:
    """Queue the import; ``False`` when it was already queued (a second click)."""
    from .tasks import executer_import

    partiel = partiel and import_.type in PARTIELS
    with transaction.atomic():
        mis_en_file = (
            Import.objects.tous()
            .filter(pk=import_.pk, etat=EtatImport.ANALYSE)
            .update(etat=EtatImport.EN_COURS, partiel=partiel)
        )
        if mis_en_file:
            transaction.on_commit(lambda: _mettre_en_file(executer_import, import_.pk))
    return bool(mis_en_file)


def _mettre_en_file(tache, pk: int) -> None:
    try:
        tache.delay(pk)
    except Exception:  # the broker is down: the import is not left « en cours » forever
        journal.exception("import %s : mise en file impossible", pk)
        Import.objects.tous().filter(pk=pk, etat=EtatImport.EN_COURS).update(
            etat=EtatImport.ECHEC,
            message_erreur=(
                "La file des tâches est indisponible\u00a0: relancez l'import plus tard."
            ),
            termine_le=timezone.now(),
        )


def executer(*, import_: Import, tache: str = "") -> Import:
    """Run the import for real (the Celery task). All or nothing unless partial; the
    refused rows, if any, are kept as a CSV file."""
    import_.commence_le, import_.tache = timezone.now(), tache[:80]
    import_.save(update_fields=["commence_le", "tache"])
    try:
        resultat = _lancer(import_, dry_run=False, partiel=import_.partiel)
    except Exception as exc:
        journal.exception("import %s en échec", import_.pk)
        import_.etat = EtatImport.ECHEC
        import_.message_erreur = (
            f"Erreur inattendue pendant l'import ({type(exc).__name__})\u00a0: rien n'a été "
            "écrit, l'équipe technique a été prévenue."
        )
        import_.termine_le = timezone.now()
        import_.save(update_fields=["etat", "message_erreur", "termine_le"])
        return import_
    bilan = resultat.bilan
    import_.crees, import_.modifies = bilan.crees, bilan.modifies
    import_.inchanges, import_.refusees = bilan.inchanges, bilan.refusees
    import_.apercu = {**import_.apercu, "resultat": asdict(bilan)}
    if bilan.refuse:
        import_.etat = EtatImport.ECHEC
        import_.crees = import_.modifies = import_.inchanges = 0
        import_.message_erreur = (
            f"Import refusé\u00a0: {bilan.nombre_erreurs} erreur"
            f"{'s' if bilan.nombre_erreurs > 1 else ''}, aucune donnée n'a été écrite."
        )
    else:
        import_.etat = EtatImport.TERMINE
    if resultat.refusees:
        import_.rejets.save(
            f"lignes-refusees-{import_.pk}.csv",
            ContentFile(csv_des_lignes_refusees(resultat.entete, resultat.refusees)),
            save=False,
        )
    import_.termine_le = timezone.now()
    # the progress stays as the task last wrote it
    import_.save(
        update_fields=[
            "etat",
            "crees",
            "modifies",
            "inchanges",
            "refusees",
            "apercu",
            "message_erreur",
            "rejets",
            "termine_le",
        ]
    )
    return import_
