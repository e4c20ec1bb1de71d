"""Import of activity reports (CRA) from a CSV file, behind ``manage.py import_activites``.

Format: UTF-8 (with or without BOM), comma or semicolon, one report a line, header

    date,conseiller_email,type,canal,code_insee,lieu_id,duree_minutes,nb_participants,
    nb_participants_recurrents,thematiques

plus, optionally, the age and status counts under the model's own field names
(``age_moins_12`` … ``age_70_plus``, ``statut_scolarise`` … ``statut_non_communique``) and
``titre_atelier``. Codes are those of the national vocabulary (:mod:`conseillers.enums`),
or their aliases: La Coop de la médiation numérique's codes and the French labels of its
export (:mod:`conseillers.coop`); themes are separated by ``|``; dates are ``AAAA-MM-JJ``
or ``JJ/MM/AAAA``; ``lieu_id`` is the portal's number of the site and may be empty; an
empty count takes the form's default (1 participant, 0 for the others).

Checks: every row goes through :meth:`Activite.clean` (the very rules of the form and the
API, which run no query), after the file's own checks: known codes, integers, the commune
(``code_insee``) and the site (``lieu_id``) exist, and they agree — the site's commune wins,
a different ``code_insee`` is an error except for an itinerant report at an itinerant site,
where it picks the site's stop in that commune. Communes, sites, stops and advisors are read
once into dictionaries: no query per row. Commune and district are derived by
:meth:`Activite.deriver_lieu`, as for a report entered in the portal.

An unknown advisor e-mail creates an advisor profile without login, attached to the
commune of their first report in the file that has one (an error if none has); the advisor
takes the profile over when their account is created (``services.profil_conseiller``).

All or nothing: every error is reported with its line (the header is line 1), column and
reason, and nothing is written — advisors included — unless the whole file is clean. The
write is one transaction: on PostgreSQL the reports are streamed with ``COPY`` (psycopg 3),
elsewhere (SQLite) created with ``bulk_create`` by batches. Imported reports carry
``source="import"`` and no django-simple-history row: the import itself is their record
(the file and the command's summary); their audit trail starts at their first edit in the
portal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models.base import ModelState

from commun.rejets import COLONNE_MOTIFS, LigneRefusee
from structures.fields import ordre_du_vocabulaire
from structures.models import Arret, Lieu
from structures.normes import DonneesInvalides, ErreurLigne
from territoires.models import Commune

from .colonnes import COLONNES, OBLIGATOIRES
from .coop import (
    COLONNE_COOP_DE,
    code_de_la_thematique,
    code_du_canal,
    code_du_type,
    lire_classeur_coop,
)
from .enums import CHAMPS_AGE, CHAMPS_STATUT, Canal, SourceActivite, Thematique, TypeActivite
from .models import DUREE_MAXIMALE, Activite, Conseiller

# the column a file of refused rows adds (--rejets): ignored when it is imported again
COLONNES_DES_REJETS = (COLONNE_MOTIFS,)

# empty cell -> the model's default (the form's): 1 participant, 0 for every other count
COMPTAGES = ["nb_participants", "nb_participants_recurrents", *CHAMPS_AGE, *CHAMPS_STATUT]
SEPARATEUR = "|"
LOT = 1000
TITRE_MAXIMUM = Activite._meta.get_field("titre_atelier").max_length

# field of a ValidationError of Activite.clean() -> column of the file
COLONNE_DU_CHAMP = {
    "lieu": "lieu_id",
    "arret": "code_insee",
    "commune": "code_insee",
    "conseiller": "conseiller_email",
    NON_FIELD_ERRORS: "-",
}

# what varies from one report to the next, in this order; every other column of the table
# takes the value of a report built with the defaults (see _Ecriture)
VARIABLES = [
    "conseiller_id",
    "date",
    "duree_minutes",
    "type",
    "canal",
    "lieu_id",
    "arret_id",
    "commune_id",
    "zone_id",
    *COMPTAGES,
    "thematiques",
    "titre_atelier",
]

FORMAT_CSV = "csv"
FORMAT_COOP = "coop"

_CANAUX_SANS_LIEU = frozenset([Canal.AUTRE_LIEU, Canal.DOMICILE, Canal.DISTANCE])


class ActivitesInvalides(DonneesInvalides):
    def __init__(self, erreurs: list[ErreurLigne]):
        super().__init__(erreurs)
        self.args = (f"{len(erreurs)} erreur(s) dans le fichier d'activités",)


@dataclass
class RapportActivites:
    activites: int = 0
    conseillers_crees: int = 0
    simulation: bool = False
    entete: list[str] = field(default_factory=list)
    refusees: list[LigneRefusee] = field(default_factory=list)

    def resume(self) -> str:
        activites = _nombre(self.activites, "activité")
        conseillers = _nombre(self.conseillers_crees, "conseiller")
        refusees = ""
        if self.refusees:
            refusees = (
                f" ; {_nombre(len(self.refusees), 'ligne')} "
                f"{_accord(len(self.refusees), 'refusée')}"
            )
        if self.simulation:
            return (
                f"Simulation\u00a0: {activites} {_accord(self.activites, 'valide')}, {conseillers} "
                f"à créer (sans compte){refusees} ; rien n'a été écrit."
            )
        return (
            f"{activites} {_accord(self.activites, 'importée')}, {conseillers} "
            f"{_accord(self.conseillers_crees, 'créé')} (sans compte){refusees}."
        )


def _accord(nombre: int, mot: str) -> str:
    return mot + "s" if nombre > 1 else mot


def _nombre(nombre: int, nom: str) -> str:
    """``1 activité``, ``2 activités``, ``1 000 000 activités`` (French grouping)."""
    return f"{nombre:,}".replace(",", "\u202f") + " " + _accord(nombre, nom)


# -- reading ----------------------------------------------------------------------------


def _ouvrir(chemin: Path | str | None, flux: TextIO | BinaryIO | None) -> TextIO:
    if chemin is not None:
        return Path(chemin).open(encoding="utf-8-sig", newline="")
    if isinstance(flux, io.TextIOBase):
        return flux
    return io.TextIOWrapper(flux, encoding="utf-8-sig", newline="")


def _lignes(texte: TextIO):
    """The header, then ``(line number, values)`` for each non-empty row."""
    premiere = texte.readline().removeprefix("\ufeff")
    delimiteur = ";" if premiere.count(";") > premiere.count(",") else ","
    entete = next(csv.reader([premiere], delimiter=delimiteur), [])
    yield [e.strip().lower() for e in entete]
    lecteur = csv.reader(texte, delimiter=delimiteur)
    debut = 2
    for valeurs in lecteur:
        fin = lecteur.line_num + 2  # the header was read apart
        if any(valeurs):
            yield debut, valeurs
        debut = fin


def _verifier_entete(entete: list[str]) -> list[ErreurLigne]:
    erreurs = []
    vues = set()
    for colonne in entete:
        if colonne in vues:
            erreurs.append(ErreurLigne(1, colonne or "-", "colonne en double dans l'en-tête"))
        vues.add(colonne)
        if colonne not in COLONNES and colonne not in COLONNES_DES_REJETS:
            erreurs.append(
                ErreurLigne(
                    1,
                    colonne or "-",
                    "colonne inconnue ; colonnes acceptées\u00a0: " + ", ".join(COLONNES),
                )
            )
    for colonne in OBLIGATOIRES:
        if colonne not in vues:
            erreurs.append(ErreurLigne(1, colonne, "colonne obligatoire absente de l'en-tête"))
    return erreurs


# -- checking ---------------------------------------------------------------------------


class _Referentiel:
    """Everything a row may name, read once: communes, sites, stops and advisors."""

    def __init__(self):
        self.communes = set(Commune.objects.values_list("code_insee", flat=True))
        self.lieux = {
            lieu.pk: lieu for lieu in Lieu.objects.tous().only("commune", "zone", "itinerance")
        }
        self.arrets: dict[tuple[int, str], Arret] = {}
        for arret in Arret.objects.only("lieu", "commune").order_by("lieu", "nom", "pk"):
            self.arrets.setdefault((arret.lieu_id, arret.commune_id), arret)
        self.itinerants = {pk for pk, lieu in self.lieux.items() if lieu.est_itinerant}
        self.conseillers = {
            email.lower(): pk
            for email, pk in Conseiller.objects.tous().values_list("email", "pk").iterator()
        }


class _Verificateur:
    def __init__(self, referentiel: _Referentiel, entete: list[str], erreurs: list[ErreurLigne]):
        self.ref = referentiel
        self.erreurs = erreurs
        self.position = {colonne: i for i, colonne in enumerate(entete) if colonne in COLONNES}
        self.comptages = [(c, self.position[c]) for c in COMPTAGES if c in self.position]
        self.types = {t.value: t.value for t in TypeActivite}
        self.canaux = {c.value: c.value for c in Canal}
        self.ordre_thematiques = ordre_du_vocabulaire(Thematique)
        self.dates: dict[str, dt.date | str] = {}
        self.entiers: dict[str, int | str] = {}
        self.thematiques: dict[str, tuple[list[str], str] | str] = {}
        self.emails: dict[str, str | None] = {}
        # new advisors: e-mail -> (first line, commune of their first report having one)
        self.nouveaux: dict[str, list] = {}
        # partial import: the valid rows of each new advisor, (line, values, commune)
        self.lignes_des_nouveaux: dict[str, list[tuple[int, list[str], str | None]]] = {}
        # a report with the defaults; each row starts from a copy of its attributes
        modele = Activite(source=SourceActivite.IMPORT)
        self.defauts = modele.__dict__
        self.cree_le = modele.cree_le
        # the territory an import from the back office may write into (None: anywhere)
        self.communes_autorisees: set[str] | None = None
        self.conseillers_autorises: set[str] | None = None

    def erreur(self, n: int, colonne: str, raison: str) -> None:
        self.erreurs.append(ErreurLigne(n, colonne, raison))

    # each reader returns the value, or None after recording an error
    def _date(self, n, texte):
        valeur = self.dates.get(texte)
        if valeur is None:
            valeur = self.dates[texte] = _lire_date(texte)
        if isinstance(valeur, str):
            self.erreur(n, "date", valeur)
            return None
        return valeur

    def _entier(self, n, colonne, texte, defaut=None):
        if not texte:
            if defaut is None:
                self.erreur(n, colonne, "valeur obligatoire manquante")
            return defaut
        valeur = self.entiers.get(texte)
        if valeur is None:
            valeur = self.entiers[texte] = (
                int(texte)
                if texte.isascii() and texte.isdigit()
                else f"« {texte} » n'est pas un nombre entier positif ou nul"
            )
        if isinstance(valeur, str):
            self.erreur(n, colonne, valeur)
            return None
        return valeur

    def _email(self, n, texte):
        cle = texte.strip().lower()
        if cle not in self.emails:
            try:
                validate_email(cle)
                self.emails[cle] = cle
            except ValidationError:
                self.emails[cle] = None
        if self.emails[cle] is None:
            self.erreur(
                n,
                "conseiller_email",
                f"adresse électronique « {texte} » invalide"
                if texte
                else "valeur obligatoire manquante",
            )
        return self.emails[cle]

    def _thematiques(self, n, texte):
        valeur = self.thematiques.get(texte)
        if valeur is None:
            lues = [c.strip() for c in texte.split(SEPARATEUR) if c.strip()]
            codes = [
                c if c in self.ordre_thematiques else (code_de_la_thematique(c) or c) for c in lues
            ]
            inconnues = [c for c in codes if c not in self.ordre_thematiques]
            if inconnues:
                valeur = (
                    "thématique(s) inconnue(s)\u00a0: "
                    + ", ".join(f"« {c} »" for c in inconnues)
                    + " ; codes acceptés\u00a0: "
                    + ", ".join(Thematique.values)
                )
            else:
                codes = sorted(dict.fromkeys(codes), key=self.ordre_thematiques.__getitem__)
                valeur = (codes, SEPARATEUR + SEPARATEUR.join(codes) + SEPARATEUR if codes else "")
            self.thematiques[texte] = valeur
        if isinstance(valeur, str):
            self.erreur(n, "thematiques", valeur)
            return None
        return valeur

    def verifier(self, n: int, valeurs: list[str]) -> tuple[Activite, str, str] | None:
        """The report of line ``n`` (not saved), its advisor's e-mail and its stored themes;
        ``None`` once its errors are recorded.

        The instance is built from a copy of the defaults' attributes rather than through
        ``Activite.__init__`` (three times slower); it then goes through the model's own
        ``deriver_lieu()`` and ``clean()``."""
        avant = len(self.erreurs)
        p = self.position
        d = dict(self.defauts)  # the attributes of a new Activite
        etat = d["_state"] = ModelState()

        email = self._email(n, valeurs[p["conseiller_email"]])
        d["date"] = self._date(n, valeurs[p["date"]].strip())
        texte = valeurs[p["type"]].strip()
        d["type"] = self.types.get(texte) or code_du_type(texte)
        if d["type"] is None:
            self.erreur(n, "type", _inconnu("type", texte, TypeActivite))
        texte = valeurs[p["canal"]].strip()
        d["canal"] = canal = self.canaux.get(texte) or code_du_canal(texte)
        if canal is None:
            self.erreur(n, "canal", _inconnu("canal", texte, Canal))
        duree = d["duree_minutes"] = self._entier(
            n, "duree_minutes", valeurs[p["duree_minutes"]].strip()
        )
        if duree is not None and not 1 <= duree <= DUREE_MAXIMALE:
            self.erreur(
                n,
                "duree_minutes",
                f"une durée de {duree} minutes est hors de l'intervalle 1 à {DUREE_MAXIMALE}",
            )
        for colonne, i in self.comptages:
            texte = valeurs[i]
            if texte and (texte := texte.strip()):  # empty: the default stays
                d[colonne] = self._entier(n, colonne, texte)
        thematiques = self._thematiques(n, valeurs[p["thematiques"]])
        if thematiques is not None:
            d["thematiques"] = thematiques[0]
        if "titre_atelier" in p:
            titre = d["titre_atelier"] = valeurs[p["titre_atelier"]].strip()
            if len(titre) > TITRE_MAXIMUM:
                self.erreur(
                    n, "titre_atelier", f"{len(titre)} caractères, pour {TITRE_MAXIMUM} au maximum"
                )
        self._lieu(n, d, etat, valeurs[p["lieu_id"]].strip(), valeurs[p["code_insee"]].strip())
        a = Activite.__new__(Activite)
        a.__dict__ = d
        a.deriver_lieu()
        self._perimetre(n, a, email)
        if email and email not in self.ref.conseillers:
            nouveau = self.nouveaux.setdefault(email, [n, None])
            if nouveau[1] is None:
                nouveau[1] = a.commune_id
        if len(self.erreurs) > avant:
            return None
        try:
            a.clean()
        except ValidationError as exc:
            for champ, messages in exc.message_dict.items():
                for message in messages:
                    self.erreur(n, COLONNE_DU_CHAMP.get(champ, champ), message)
            return None
        return a, email, thematiques[1]

    def _perimetre(self, n: int, a: Activite, email: str | None) -> None:
        """A row outside the importer's territory is refused (back-office imports)."""
        autorisees = self.communes_autorisees
        if autorisees is not None and a.commune_id and a.commune_id not in autorisees:
            self.erreur(
                n,
                "lieu_id" if a.lieu_id else "code_insee",
                f"la commune {a.commune_id} est hors de votre territoire : "
                "retirez cette ligne ou demandez son import à sa coordination",
            )
        autorises = self.conseillers_autorises
        connu = email and email in self.ref.conseillers
        if autorises is not None and connu and email not in autorises:
            self.erreur(
                n,
                "conseiller_email",
                f"le conseiller « {email} » est d'un autre territoire que le vôtre",
            )

    def _lieu(self, n: int, d: dict, etat: ModelState, lieu_id: str, code_insee: str) -> None:
        """Site, stop and commune of the row, written in the attributes ``d`` (the related
        objects in the instance's cache, as assigning them would)."""
        if code_insee:
            if code_insee in self.ref.communes:
                d["commune_id"] = code_insee
            else:
                self.erreur(n, "code_insee", f"commune de code INSEE « {code_insee} » inconnue")
        if not lieu_id:
            return
        pk = self._entier(n, "lieu_id", lieu_id)
        if pk is None:
            return
        lieu = self.ref.lieux.get(pk)
        if lieu is None:
            self.erreur(n, "lieu_id", f"lieu n° {pk} introuvable")
            return
        canal = d["canal"]
        if canal in _CANAUX_SANS_LIEU:
            self.erreur(
                n,
                "lieu_id",
                f"un lieu ne s'indique qu'avec le canal « {Canal.LIEU_ACTIVITE} » ou "
                f"« {Canal.ITINERANT} » (canal « {canal} »\u00a0: laissez lieu_id vide)",
            )
            return
        d["lieu_id"] = pk
        etat.fields_cache["lieu"] = lieu
        if not code_insee or code_insee == lieu.commune_id or not d["commune_id"]:
            if canal == Canal.ITINERANT and code_insee and pk in self.ref.itinerants:
                self._arret(d, etat, pk, code_insee)
            return
        if canal == Canal.ITINERANT and pk in self.ref.itinerants:
            if not self._arret(d, etat, pk, code_insee):
                self.erreur(
                    n,
                    "code_insee",
                    f"le lieu itinérant n° {pk} n'a pas d'arrêt dans la commune {code_insee}",
                )
            return
        self.erreur(
            n,
            "code_insee",
            f"la commune {code_insee} ne correspond pas à celle du lieu n° {pk} "
            f"({lieu.commune_id})\u00a0: laissez code_insee vide ou corrigez-le",
        )

    def _arret(self, d: dict, etat: ModelState, lieu: int, code_insee: str) -> bool:
        arret = self.ref.arrets.get((lieu, code_insee))
        if arret is None:
            return False
        d["arret_id"] = arret.pk
        etat.fields_cache["arret"] = arret
        return True


def _lire_date(texte: str) -> dt.date | str:
    """``AAAA-MM-JJ`` or ``JJ/MM/AAAA``; a French message when neither."""
    try:
        if len(texte) == 10 and texte[4] == "-" and texte[7] == "-":
            return dt.date.fromisoformat(texte)
        if len(texte) == 10 and texte[2] == "/" and texte[5] == "/":
            return dt.date(int(texte[6:]), int(texte[3:5]), int(texte[:2]))
    except ValueError:
        pass
    if not texte:
        return "valeur obligatoire manquante"
    return f"« {texte} » n'est pas une date valide (AAAA-MM-JJ ou JJ/MM/AAAA)"


def _inconnu(nom: str, valeur: str, vocabulaire) -> str:
    if not valeur:
        return "valeur obligatoire manquante"
    return f"{nom} « {valeur} » inconnu ; codes acceptés\u00a0: " + ", ".join(vocabulaire.values)


# -- writing ----------------------------------------------------------------------------


class _Ecriture:
    """Rows kept for the write: the varying values only (see :data:`VARIABLES`)."""

    def __init__(self, verificateur: _Verificateur, par_copy: bool):
        self.par_copy = par_copy
        self.emails: list[str] = []
        self.lignes: list = []  # tuples for COPY, Activite instances otherwise
        modele = Activite(source=SourceActivite.IMPORT, cree_le=verificateur.cree_le)
        champs = [f for f in Activite._meta.concrete_fields if not f.primary_key]
        constants = [f for f in champs if f.attname not in VARIABLES]
        self.colonnes = [Activite._meta.get_field(v).column for v in VARIABLES] + [
            f.column for f in constants
        ]
        self.constantes = tuple(
            f.get_db_prep_save(f.pre_save(modele, add=True), connection) for f in constants
        )

    def ajouter(self, activite: Activite, email: str, thematiques: str) -> None:
        self.emails.append(email)
        if self.par_copy:
            d = activite.__dict__
            self.lignes.append(
                (
                    d["date"],
                    d["duree_minutes"],
                    d["type"],
                    d["canal"],
                    d["lieu_id"],
                    d["arret_id"],
                    d["commune_id"],
                    d["zone_id"],
                    *[d[c] for c in COMPTAGES],
                    thematiques,
                    d["titre_atelier"],
                )
            )
        else:
            self.lignes.append(activite)

    def retirer(self, emails: set[str]) -> None:
        """Drop the rows of these advisors (partial import)."""
        garder = [i for i, email in enumerate(self.emails) if email not in emails]
        self.emails = [self.emails[i] for i in garder]
        self.lignes = [self.lignes[i] for i in garder]

    def ecrire(self, conseillers: dict[str, int]) -> None:
        if not self.par_copy:
            for activite, email in zip(self.lignes, self.emails, strict=True):
                activite.conseiller_id = conseillers[email]
            Activite.objects.bulk_create(self.lignes, batch_size=LOT)
            return
        table = connection.ops.quote_name(Activite._meta.db_table)
        colonnes = ", ".join(connection.ops.quote_name(c) for c in self.colonnes)
        constantes = self.constantes
        with (
            connection.cursor() as curseur,
            curseur.copy(f"COPY {table} ({colonnes}) FROM STDIN") as copie,
        ):
            for email, ligne in zip(self.emails, self.lignes, strict=True):
                copie.write_row((conseillers[email], *ligne, *constantes))
        if len(self.lignes) >= 10_000:
            with connection.cursor() as curseur:
                curseur.execute(f"ANALYZE {table}")


def importer_activites(
    *,
    chemin: Path | str | None = None,
    flux: TextIO | BinaryIO | None = None,
    dry_run: bool = False,
    partiel: bool = False,
    format_: str = FORMAT_CSV,
    conseiller_email: str = "",
    par_copy: bool | None = None,
    communes_autorisees: set[str] | None = None,
    conseillers_autorises: set[str] | None = None,
    progression: Callable[[int, int | None], None] | None = None,
) -> RapportActivites:
    """Check a whole file of reports, then write it in one transaction; all or nothing.

    Raises :class:`ActivitesInvalides` with every error when any row is invalid. With
    ``partiel``, the valid rows are written and the report lists the refused ones (raised
    only when no row is valid, or the header is). ``format_``: the portal's CSV, or
    ``coop``, La Coop's spreadsheet export of one advisor's activities, whose e-mail is
    ``conseiller_email``. ``par_copy``: ``None`` uses COPY on PostgreSQL and
    ``bulk_create`` elsewhere. ``communes_autorisees`` and ``conseillers_autorises`` (e-mails,
    lower-case): when given, a row elsewhere or of another territory's advisor is refused.
    ``progression(lignes_verifiees, None)`` is called every 1,000 rows while checking.
    """
    perimetre = (communes_autorisees, conseillers_autorises, progression)
    if par_copy is None:
        par_copy = connection.vendor == "postgresql"
    erreurs: list[ErreurLigne] = []
    if format_ == FORMAT_COOP:
        verificateur, ecriture, rapport = _verifier_coop(
            chemin, flux, conseiller_email, erreurs, dry_run, partiel, par_copy, perimetre
        )
    else:
        texte = _ouvrir(chemin, flux)
        try:
            verificateur, ecriture, rapport = _verifier(
                _lignes(texte), erreurs, dry_run, partiel, par_copy, perimetre=perimetre
            )
        except UnicodeDecodeError:
            raise ActivitesInvalides(
                [*erreurs, ErreurLigne(1, "-", "le fichier n'est pas encodé en UTF-8")]
            ) from None
        finally:
            if chemin is not None:
                texte.close()
    sans_commune = {
        email: n for email, (n, commune) in verificateur.nouveaux.items() if commune is None
    }
    for email, n in sans_commune.items():
        erreurs.append(
            ErreurLigne(
                n,
                "conseiller_email",
                f"conseiller inconnu « {email} »\u00a0: aucune de ses activités n'indique de "
                "commune (code_insee ou lieu_id), sa fiche ne peut pas être créée",
            )
        )
    if partiel and sans_commune:
        _refuser_les_activites_sans_fiche(verificateur, ecriture, rapport, sans_commune)
    if format_ == FORMAT_COOP:  # errors name the columns of La Coop's export
        erreurs[:] = _colonnes_coop(erreurs)
        for refusee in rapport.refusees:
            refusee.erreurs = _colonnes_coop(refusee.erreurs)
    if erreurs and (not partiel or not rapport.activites):
        erreurs.sort(key=lambda e: e.ligne)
        raise ActivitesInvalides(erreurs)
    rapport.refusees.sort(key=lambda r: r.numero)
    nouveaux = {email: commune for email, (_, commune) in verificateur.nouveaux.items() if commune}
    rapport.conseillers_crees = len(nouveaux)
    if dry_run:
        return rapport
    with transaction.atomic():
        crees = Conseiller.objects.bulk_create(
            [
                Conseiller(email=email, user=None, commune_id=commune)
                for email, commune in nouveaux.items()
            ],
            batch_size=LOT,
        )
        conseillers = dict(verificateur.ref.conseillers)
        conseillers.update((c.email, c.pk) for c in crees)
        ecriture.ecrire(conseillers)
    return rapport


def _refuser_les_activites_sans_fiche(verificateur, ecriture, rapport, sans_commune) -> None:
    """Partial import: the valid rows of an unknown advisor whose profile cannot be created
    (no row of theirs names a commune) are refused too, with that reason."""
    for email, n in sans_commune.items():
        raison = ErreurLigne(
            n,
            "conseiller_email",
            f"conseiller inconnu « {email} »\u00a0: aucune de ses activités n'indique de commune "
            "(code_insee ou lieu_id), sa fiche ne peut pas être créée",
        )
        for numero, valeurs, _ in verificateur.lignes_des_nouveaux.get(email, []):
            rapport.refusees.append(
                LigneRefusee(
                    numero,
                    dict(zip(rapport.entete, valeurs, strict=False)),
                    [ErreurLigne(numero, raison.colonne, raison.raison)],
                )
            )
            rapport.activites -= 1
        verificateur.nouveaux.pop(email)
    ecriture.retirer(set(sans_commune))


def _colonnes_coop(erreurs: list[ErreurLigne]) -> list[ErreurLigne]:
    return [
        ErreurLigne(e.ligne, COLONNE_COOP_DE.get(e.colonne, e.colonne), e.raison) for e in erreurs
    ]


def _verifier_coop(
    chemin, flux, conseiller_email, erreurs, dry_run, partiel, par_copy, perimetre=(None,) * 3
):
    """La Coop's export read into the portal's rows, then checked as a CSV would be."""
    try:
        validate_email(conseiller_email)
    except ValidationError:
        raise ActivitesInvalides(
            [
                ErreurLigne(
                    1,
                    "-",
                    "l'export de La Coop ne donne pas l'adresse électronique du conseiller\u00a0: "
                    "indiquez-la (--conseiller)",
                )
            ]
        ) from None
    try:
        classeur = lire_classeur_coop(
            chemin if chemin is not None else flux,
            conseiller_email=conseiller_email.lower(),
            erreur_ligne=ErreurLigne,
        )
    except ValueError as exc:
        raise ActivitesInvalides([ErreurLigne(1, "-", str(exc))]) from None
    return _verifier(
        iter([classeur.entete, *classeur.lignes]),
        erreurs,
        dry_run,
        partiel,
        par_copy,
        classeur.erreurs,
        perimetre=perimetre,
    )


def _verifier(
    lignes,
    erreurs: list[ErreurLigne],
    dry_run: bool,
    partiel: bool,
    par_copy: bool,
    erreurs_de_lecture: dict[int, list[ErreurLigne]] | None = None,
    perimetre: tuple = (None, None, None),
):
    """``lignes``: the header, then ``(line number, values)``; ``erreurs_de_lecture``: the
    errors a reader found in some rows before their check."""
    entete = next(lignes)
    if not any(entete):
        raise ActivitesInvalides([ErreurLigne(1, "-", "le fichier est vide")])
    erreurs.extend(_verifier_entete(entete))
    if any(e.colonne in OBLIGATOIRES for e in erreurs) or (partiel and erreurs):
        raise ActivitesInvalides(erreurs)
    verificateur = _Verificateur(_Referentiel(), entete, erreurs)
    verificateur.communes_autorisees, verificateur.conseillers_autorises, progression = perimetre
    ecriture = _Ecriture(verificateur, par_copy)
    rapport = RapportActivites(simulation=dry_run, entete=entete)
    for rang, (n, valeurs) in enumerate(lignes):
        if progression is not None and rang % 1000 == 0:
            progression(rang, None)
        avant = len(erreurs)
        if erreurs_de_lecture and n in erreurs_de_lecture:
            erreurs.extend(erreurs_de_lecture[n])
        if len(valeurs) != len(entete):
            erreurs.append(
                ErreurLigne(
                    n, "-", f"{len(valeurs)} valeurs pour {len(entete)} colonnes dans l'en-tête"
                )
            )
            resultat = None
        else:
            resultat = verificateur.verifier(n, valeurs)
            if erreurs_de_lecture and n in erreurs_de_lecture:
                # what the reader could not read is not reported again as missing
                deja = {e.colonne for e in erreurs_de_lecture[n]}
                erreurs[avant:] = [
                    e
                    for i, e in enumerate(erreurs[avant:])
                    if i < len(erreurs_de_lecture[n]) or e.colonne not in deja
                ]
        if len(erreurs) > avant:
            resultat = None
        if resultat is None:
            if partiel:
                rapport.refusees.append(
                    LigneRefusee(n, dict(zip(entete, valeurs, strict=False)), erreurs[avant:])
                )
            continue
        rapport.activites += 1
        if partiel and resultat[1] not in verificateur.ref.conseillers:
            verificateur.lignes_des_nouveaux.setdefault(resultat[1], []).append(
                (n, valeurs, resultat[0].commune_id)
            )
        # all or nothing: after a first error, only checking goes on
        if not dry_run and (partiel or not erreurs):
            ecriture.ajouter(*resultat)
    if progression is not None:  # every row checked: the writing comes next
        verifiees = rapport.activites + len(rapport.refusees)
        progression(verifiees, verifiees)
    if partiel:
        # a new advisor is created from their valid rows only: the first naming a commune
        verificateur.nouveaux = {
            email: [
                lignes[0][0],
                next((commune for _, _, commune in lignes if commune), None),
            ]
            for email, lignes in verificateur.lignes_des_nouveaux.items()
        }
    return verificateur, ecriture, rapport
