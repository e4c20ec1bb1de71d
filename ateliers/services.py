"""Writes of the ateliers app: publishing a sheet, requesting, deciding, scheduling, running
and closing workshops. Each function checks its rules, raises :class:`Refus` (French message)
and writes nothing, or writes everything in one transaction.

A function given the acting user (``par=``) checks that user's right first, with the rule
of ``permissions`` its view calls, and raises ``PermissionDenied``; ``par=None`` is a job,
the demonstration or an import, and is not checked."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from commun.formats import date_et_heure, heure, plage_horaire
from comptes.enums import Role
from comptes.models import TerritoireUtilisateur, User
from comptes.purge import mois_avant
from conseillers.enums import Canal, Thematique, TypeActivite
from conseillers.models import Activite, Conseiller, MiseADisposition
from conseillers.services import enregistrer_activite

from . import permissions, priorites
from .enums import OUVERTES, TRANSITIONS, StatutDemande, StatutFiche
from .models import (
    Animation,
    Convention,
    CreneauPropose,
    DemandeAtelier,
    EtapeDemande,
    FicheAtelier,
    Participant,
    Presence,
    SessionAtelier,
    VersionFiche,
)

CRENEAUX_MAX = 3
PDF_TAILLE_MAX = 5 * 1024 * 1024
RAPPEL_JOURS = 30
COORDINATION_CATALOGUE = "Seule la coordination du territoire publie ou archive une fiche."
COORDINATION_DEMANDES = "Seule la coordination du territoire étudie et planifie les demandes."


class Refus(ValueError):
    """The action is refused; the message is for the user, in French."""


def _exiger(par, regle, *objets, message: str) -> None:
    """``regle(par, *objets)`` or PermissionDenied; nothing to check without an actor."""
    if par is not None and not regle(par, *objets):
        raise PermissionDenied(message)


# -- catalogue -----------------------------------------------------------------------------


@transaction.atomic
def publier_fiche(fiche: FicheAtelier, *, par=None) -> VersionFiche:
    """Publish the sheet: a new version when its content changed since the last one."""
    _exiger(par, permissions.peut_gerer_fiche, fiche, message=COORDINATION_CATALOGUE)
    fiche.full_clean()
    derniere = fiche.versions.order_by("-numero").first()
    instantane = fiche.instantane()
    if derniere is None or derniere.donnees != instantane:
        derniere = VersionFiche.objects.create(
            fiche=fiche, numero=(derniere.numero + 1) if derniere else 1, donnees=instantane
        )
    fiche.statut = StatutFiche.PUBLIEE
    fiche.version = derniere.numero
    fiche.save()
    return derniere


@transaction.atomic
def archiver_fiche(fiche: FicheAtelier, *, par=None) -> None:
    """The sheet is no longer offered; the requests made on it go on."""
    _exiger(par, permissions.peut_gerer_fiche, fiche, message=COORDINATION_CATALOGUE)
    fiche.statut = StatutFiche.ARCHIVEE
    fiche.save(update_fields=["statut", "modifie_le"])


def version_courante(fiche: FicheAtelier) -> VersionFiche | None:
    return fiche.versions.filter(numero=fiche.version).first() if fiche.version else None


# -- conventions ---------------------------------------------------------------------------


def verifier_pdf(fichier) -> None:
    """A signed convention: a PDF file of at most 5 MB (extension, size and content)."""
    nom = (getattr(fichier, "name", "") or "").lower()
    if not nom.endswith(".pdf"):
        raise ValidationError("La convention doit être un fichier PDF (extension .pdf).")
    if fichier.size > PDF_TAILLE_MAX:
        taille = f"{fichier.size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(f"Le fichier fait {taille} Mo\u00a0: 5 Mo au plus.")
    fichier.seek(0)
    debut = fichier.read(1024)
    fichier.seek(max(0, fichier.size - 2048))
    fin = fichier.read()
    fichier.seek(0)
    if not debut.lstrip().startswith(b"%PDF-") or b"%%EOF" not in fin:
        raise ValidationError("Le fichier n'est pas un PDF valide.")


def conventions_a_rappeler(le: dt.date | None = None):
    """Signed conventions ending within 30 days whose reminder has not been sent."""
    le = le or timezone.localdate()
    return Convention.objects.tous().filter(
        signee_le__isnull=False,
        fin__gte=le,
        fin__lte=le + dt.timedelta(days=RAPPEL_JOURS),
        rappel_envoye_le__isnull=True,
    )


def rappeler_echeances(le: dt.date | None = None) -> int:
    """E-mail the referents and coordinators of each convention near its end, once."""
    nombre = 0
    for convention in conventions_a_rappeler(le).select_related("structure__commune"):
        destinataires = _courriels(
            convention.structure.referents.all(),
            coordinateurs_de(convention.structure.commune),
        )
        send_mail(
            f"Convention de partenariat\u00a0: échéance le {convention.fin:%d/%m/%Y}",
            f"La convention de partenariat de {convention.structure} prend fin le "
            f"{convention.fin:%d/%m/%Y}. Pour continuer à demander des ateliers, une nouvelle "
            "convention doit être signée.",
            None,
            destinataires,
        )
        convention.rappel_envoye_le = timezone.now()
        convention.save(update_fields=["rappel_envoye_le"])
        nombre += 1
    return nombre


# -- notifications -------------------------------------------------------------------------


def coordinateurs_de(commune):
    """Active coordinators whose territory holds ``commune``."""
    couvre = TerritoireUtilisateur.objects.filter(user=OuterRef("pk")).filter(
        Q(commune=commune) | Q(epci_id=commune.epci_id) | Q(departement_id=commune.departement_id)
    )
    return User.objects.actifs().du_role(Role.COORDINATEUR).filter(Exists(couvre))


def _courriels(*groupes: Iterable[User]) -> list[str]:
    return sorted({u.email for groupe in groupes for u in groupe if u.email and u.is_active})


def notifier(demande: DemandeAtelier, sujet: str, texte: str, *, coordinateurs: bool) -> None:
    """E-mail the structure's referents (and the territory's coordinators when asked)."""
    groupes = [demande.structure.referents.all()]
    if coordinateurs:
        groupes.append(coordinateurs_de(demande.lieu.commune))
    destinataires = _courriels(*groupes)
    if destinataires:
        lien = f"{settings.PORTAIL_URL.rstrip('/')}/ateliers/demandes/{demande.pk}/"
        send_mail(f"[Atelier n° {demande.pk}] {sujet}", f"{texte}\n\n{lien}\n", None, destinataires)


# -- requests ------------------------------------------------------------------------------


@dataclass
class NouvelleDemande:
    structure: object
    version: VersionFiche
    lieu: object
    creneaux: list[dt.datetime]
    participants_attendus: int
    public: str
    notes: str = ""


def convention_en_vigueur(structure) -> Convention | None:
    return Convention.objects.tous().signees().filter(structure=structure).order_by("-fin").first()


@transaction.atomic
def deposer_demande(d: NouvelleDemande, *, par) -> DemandeAtelier:
    """A referent requests a workshop for one of its structures' sites."""
    _exiger(
        par,
        permissions.peut_demander,
        d.structure,
        message="Seuls les référents de la structure demandent un atelier pour elle.",
    )
    convention = convention_en_vigueur(d.structure)
    if convention is None:
        raise Refus(
            f"{d.structure} n'a pas de convention de partenariat signée et en vigueur\u00a0: une "
            "demande d'atelier n'est possible qu'avec une convention signée."
        )
    if d.lieu.structure_id != d.structure.pk:
        raise Refus("Le lieu choisi n'appartient pas à cette structure.")
    fiche = d.version.fiche
    if fiche.statut != StatutFiche.PUBLIEE:
        raise Refus("Cet atelier n'est plus proposé au catalogue.")
    minimum, maximum = d.version.participants_min, d.version.participants_max
    if not minimum <= d.participants_attendus <= maximum:
        raise Refus(
            f"Cet atelier accueille de {minimum} à {maximum} participants\u00a0: vous en attendez "
            f"{d.participants_attendus}."
        )
    creneaux = sorted(set(d.creneaux))
    if not 1 <= len(creneaux) <= CRENEAUX_MAX:
        raise Refus("Proposez un à trois créneaux différents.")
    if any(c <= timezone.now() for c in creneaux):
        raise Refus("Les créneaux proposés doivent être à venir.")
    demande = DemandeAtelier(
        structure=d.structure,
        convention=convention,
        version=d.version,
        lieu=d.lieu,
        participants_attendus=d.participants_attendus,
        public=d.public.strip(),
        notes=d.notes.strip(),
        cree_par=par,
    )
    demande.full_clean()
    demande.save()
    CreneauPropose.objects.bulk_create(
        CreneauPropose(demande=demande, ordre=i, debut=c) for i, c in enumerate(creneaux, 1)
    )
    EtapeDemande.objects.create(demande=demande, statut=StatutDemande.SOUMISE, par=par)
    transaction.on_commit(
        lambda: notifier(
            demande,
            "demande reçue",
            f"La demande d'atelier « {d.version.titre} » de {d.structure} a bien été reçue. "
            "La coordination l'étudie et vous tiendra informé à chaque étape.",
            coordinateurs=True,
        )
    )
    return demande


MESSAGES = {
    StatutDemande.EN_ETUDE: "est en étude par la coordination",
    StatutDemande.PLANIFIEE: "est planifiée",
    StatutDemande.REFUSEE: "est refusée",
    StatutDemande.REALISEE: "est réalisée",
    StatutDemande.ANNULEE: "est annulée",
}


def _changer(demande: DemandeAtelier, statut: str, *, par, commentaire: str = "") -> None:
    if statut not in TRANSITIONS[demande.statut]:
        raise Refus(
            f"Une demande {demande.get_statut_display()} ne peut pas passer à "
            f"« {StatutDemande(statut).label} »."
        )
    demande.statut = statut
    demande.save(update_fields=["statut", "motif_refus", "modifie_le"])
    EtapeDemande.objects.create(demande=demande, statut=statut, par=par, commentaire=commentaire)
    texte = f"La demande d'atelier « {demande.version.titre} » {MESSAGES[statut]}."
    if commentaire:
        texte += f"\n\n{commentaire}"
    transaction.on_commit(
        lambda: notifier(demande, StatutDemande(statut).label, texte, coordinateurs=False)
    )


@transaction.atomic
def etudier(demande: DemandeAtelier, *, par) -> None:
    _exiger(par, permissions.peut_decider, demande, message=COORDINATION_DEMANDES)
    demande = DemandeAtelier.objects.tous().select_for_update().get(pk=demande.pk)
    _changer(demande, StatutDemande.EN_ETUDE, par=par)


@transaction.atomic
def refuser(demande: DemandeAtelier, *, motif: str, par) -> None:
    _exiger(par, permissions.peut_decider, demande, message=COORDINATION_DEMANDES)
    motif = (motif or "").strip()
    if not motif:
        raise Refus("Indiquez le motif du refus\u00a0: il est envoyé à la structure.")
    demande = DemandeAtelier.objects.tous().select_for_update().get(pk=demande.pk)
    demande.motif_refus = motif
    _changer(demande, StatutDemande.REFUSEE, par=par, commentaire=f"Motif\u00a0: {motif}")


@transaction.atomic
def annuler(demande: DemandeAtelier, *, motif: str, par) -> None:
    _exiger(
        par,
        permissions.peut_annuler,
        demande,
        message="Seules la structure et la coordination du territoire annulent une demande.",
    )
    demande = DemandeAtelier.objects.tous().select_for_update().get(pk=demande.pk)
    if demande.sessions.filter(cloturee_le__isnull=False).exists():
        raise Refus("Une séance est déjà clôturée\u00a0: l'atelier ne peut plus être annulé.")
    _changer(demande, StatutDemande.ANNULEE, par=par, commentaire=(motif or "").strip())
    Animation.objects.filter(session__demande=demande).delete()


# -- scheduling ----------------------------------------------------------------------------


def _chevauchements_ateliers(conseiller, debut, fin, exclure_demande=None):
    animations = Animation.objects.filter(conseiller=conseiller, debut__lt=fin, fin__gt=debut)
    if exclure_demande is not None:
        animations = animations.exclude(session__demande=exclure_demande)
    return animations.select_related("session__demande__version")


def _chevauchements_mises(conseiller, debut, fin):
    """Assignments of the advisor in force that day whose hours meet [debut, fin)."""
    local_debut, local_fin = timezone.localtime(debut), timezone.localtime(fin)
    return (
        MiseADisposition.objects.tous()
        .le_jour(local_debut.date())
        .filter(
            conseillers=conseiller,
            heure_debut__lt=local_fin.time(),
            heure_fin__gt=local_debut.time(),
        )
        .select_related("structure", "lieu")
    )


def conflits(conseillers: Iterable[Conseiller], seances: list[tuple], demande=None) -> list[str]:
    """Why these advisors cannot run these sessions ([(debut, fin)]): French sentences."""
    messages = []
    for conseiller in conseillers:
        for debut, fin in seances:
            for animation in _chevauchements_ateliers(conseiller, debut, fin, demande):
                messages.append(
                    f"{conseiller} anime déjà « {animation.session.demande.version.titre} » "
                    f"le {date_et_heure(animation.debut)} (jusqu'à {heure(animation.fin)})."
                )
            for mise in _chevauchements_mises(conseiller, debut, fin):
                messages.append(
                    f"{conseiller} est mis à disposition de {mise.structure} ({mise.lieu}) le "
                    f"{date_et_heure(debut)}, {plage_horaire(mise.heure_debut, mise.heure_fin)}."
                )
    return messages


def seances_prevues(version: VersionFiche, debut: dt.datetime, intervalle_jours: int = 7):
    """[(start, end)] of each session: one, or one every ``intervalle_jours`` for a course."""
    duree = dt.timedelta(minutes=version.duree_minutes)
    pas = dt.timedelta(days=intervalle_jours)
    return [(debut + k * pas, debut + k * pas + duree) for k in range(version.nombre_seances)]


@transaction.atomic
def planifier(
    demande: DemandeAtelier,
    *,
    debut: dt.datetime,
    conseillers: list[Conseiller],
    par,
    publique: bool = True,
    intervalle_jours: int = 7,
) -> list[SessionAtelier]:
    """Fix the date and the advisors: one session, or one a week for a course.

    A session overlapping another workshop or an assignment of one of the advisors is
    refused; two coordinators booking the same advisor at the same moment: the database
    lets one through, the other gets :class:`Refus`."""
    _exiger(par, permissions.peut_decider, demande, message=COORDINATION_DEMANDES)
    _exiger(
        par,
        permissions.peut_reserver,
        conseillers,
        message="Seuls les conseillers de votre territoire peuvent être réservés.",
    )
    demande = DemandeAtelier.objects.tous().select_for_update().get(pk=demande.pk)
    if demande.statut not in OUVERTES:
        raise Refus(f"Une demande {demande.get_statut_display()} ne peut plus être planifiée.")
    if not conseillers:
        raise Refus("Choisissez au moins un conseiller pour animer l'atelier.")
    if debut <= timezone.now():
        raise Refus("La première séance doit être à venir.")
    if not 1 <= intervalle_jours <= 31:
        raise Refus("L'intervalle entre deux séances va de 1 à 31 jours.")
    version = demande.version
    seances = seances_prevues(version, debut, intervalle_jours)
    problemes = conflits(conseillers, seances, demande)
    if problemes:
        raise Refus("Réservation impossible\u00a0: " + " ".join(problemes))
    sessions = []
    try:
        with transaction.atomic():
            # One booking of an advisor at a time. Without it, two concurrent bookings of
            # the same slot each wait for the other on the exclusion constraint and
            # PostgreSQL aborts one as a deadlock instead of a constraint violation. In
            # the order of their ids, so two bookings sharing advisors lock them alike;
            # FOR NO KEY UPDATE leaves the advisors' activity entry free meanwhile.
            list(
                Conseiller.objects.tous()
                .select_for_update(no_key=True)
                .filter(pk__in=[c.pk for c in conseillers])
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for numero, (s_debut, s_fin) in enumerate(seances, start=1):
                session = SessionAtelier.objects.create(
                    demande=demande,
                    numero=numero,
                    lieu=demande.lieu,
                    debut=s_debut,
                    fin=s_fin,
                    places=version.participants_max,
                    publique=publique,
                )
                Animation.objects.bulk_create(
                    Animation(session=session, conseiller=c, debut=s_debut, fin=s_fin)
                    for c in conseillers
                )
                sessions.append(session)
    except IntegrityError as erreur:
        raise Refus(
            "Réservation impossible\u00a0: un des conseillers vient d'être réservé sur ce créneau "
            "par ailleurs. Rechargez la page pour voir son planning."
        ) from erreur
    if demande.statut == StatutDemande.SOUMISE:  # planned at once: studied on the way
        _changer(demande, StatutDemande.EN_ETUDE, par=par)
    noms = ", ".join(str(c) for c in conseillers)
    if len(sessions) == 1:
        quand = f"le {date_et_heure(sessions[0].debut)}"
    else:
        quand = f"en {len(sessions)} séances à partir du {date_et_heure(sessions[0].debut)}"
    _changer(
        demande,
        StatutDemande.PLANIFIEE,
        par=par,
        commentaire=f"{quand.capitalize()}, animé par {noms}, à {demande.lieu}.",
    )
    return sessions


# -- priorities and workload ---------------------------------------------------------------


@dataclass
class Priorite:
    demande: DemandeAtelier
    indice: float | None
    attente_jours: int
    rang_indice: float  # 0 (least fragile of the open requests) to 1 (most fragile)
    score: float


def classer_demandes(demandes: Iterable[DemandeAtelier], *, maintenant=None) -> list[Priorite]:
    """Open requests by priority: the fragility of the site's area (its percentile rank
    among the open requests' known indices, as pandas' ``rank(pct=True)``: 1 for the most
    fragile; 0.5 when unknown) plus one point per 30 days of waiting."""
    maintenant = maintenant or timezone.now()
    demandes = list(demandes)
    indices = priorites.indices_des_lieux([d.lieu for d in demandes])
    connus = sorted(v for v in indices.values() if v is not None)
    lignes = []
    for demande in demandes:
        indice = indices.get(demande.lieu_id)
        if indice is None or not connus:
            rang = 0.5  # unknown: the middle, so that waiting decides
        else:
            inferieurs = sum(1 for v in connus if v < indice)
            egaux = sum(1 for v in connus if v == indice)
            rang = (inferieurs + (egaux + 1) / 2) / len(connus)
        attente = max(0, (maintenant - demande.cree_le).days)
        lignes.append(Priorite(demande, indice, attente, rang, rang + attente / 30))
    return sorted(lignes, key=lambda p: (-p.score, p.demande.cree_le, p.demande.pk))


@dataclass
class Creneau:
    jour: dt.date
    debut: dt.time
    fin: dt.time
    libelle: str
    nature: str  # "atelier" | "mise à disposition"

    @property
    def heures(self) -> float:
        minutes = (self.fin.hour * 60 + self.fin.minute) - (
            self.debut.hour * 60 + self.debut.minute
        )
        return max(0, minutes) / 60


@dataclass
class Charge:
    conseiller: Conseiller
    creneaux: list[Creneau] = field(default_factory=list)

    @property
    def heures_ateliers(self) -> float:
        return sum(c.heures for c in self.creneaux if c.nature == "atelier")

    @property
    def heures_mises(self) -> float:
        return sum(c.heures for c in self.creneaux if c.nature != "atelier")

    @property
    def heures(self) -> float:
        return self.heures_ateliers + self.heures_mises

    # in minutes, for the pages (« 16 h 30 », never « 16,5 h »)
    @property
    def minutes(self) -> int:
        return round(self.heures * 60)

    @property
    def minutes_ateliers(self) -> int:
        return round(self.heures_ateliers * 60)

    def du_jour(self, jour: dt.date) -> list[Creneau]:
        return sorted((c for c in self.creneaux if c.jour == jour), key=lambda c: c.debut)


def plan_de_charge(conseillers: Iterable[Conseiller], lundi: dt.date) -> list[Charge]:
    """Each advisor's week: workshop sessions and assignments, with their hours."""
    conseillers = list(conseillers)
    debut = timezone.make_aware(dt.datetime.combine(lundi, dt.time.min))
    fin = debut + dt.timedelta(days=7)
    charges = {c.pk: Charge(c) for c in conseillers}
    animations = (
        Animation.objects.filter(conseiller__in=conseillers, debut__lt=fin, fin__gt=debut)
        .exclude(session__demande__statut=StatutDemande.ANNULEE)
        .select_related("session__demande__version", "session__lieu")
    )
    for a in animations:
        d, f = timezone.localtime(a.debut), timezone.localtime(a.fin)
        charges[a.conseiller_id].creneaux.append(
            Creneau(
                d.date(),
                d.time(),
                f.time(),
                f"{a.session.demande.version.titre} ({a.session.lieu})",
                "atelier",
            )
        )
    for jour in (lundi + dt.timedelta(days=i) for i in range(7)):
        mises = (
            MiseADisposition.objects.tous()
            .le_jour(jour)
            .filter(conseillers__in=conseillers)
            .select_related("structure", "lieu")
            .prefetch_related("conseillers")
            .distinct()
        )
        for mise in mises:
            for conseiller in mise.conseillers.all():
                if conseiller.pk in charges:
                    charges[conseiller.pk].creneaux.append(
                        Creneau(
                            jour,
                            mise.heure_debut,
                            mise.heure_fin,
                            f"{mise.structure} ({mise.lieu})",
                            "mise à disposition",
                        )
                    )
    return list(charges.values())


# -- participants, attendance, closing -----------------------------------------------------


def inscrits_par_demande(ids: Iterable[int]) -> dict[int, int]:
    """Registrants (waiting list excluded) of each workshop."""
    lignes = (
        Participant.objects.filter(demande_id__in=list(ids), en_attente=False)
        .values("demande")
        .annotate(n=Count("pk"))
        .values_list("demande", "n")
        .order_by()
    )
    return dict(lignes)


@dataclass
class Demande:
    """A theme whose workshops filled up and kept a waiting list: demand to schedule again."""

    thematique: str
    ateliers: int
    en_attente: int


def demande_a_reprogrammer(demandes, *, mois: int = 12) -> list[Demande]:
    """Themes of the workshops planned or held in the last ``mois`` months that kept people
    on their waiting list, most waiting first."""
    depuis = timezone.now() - dt.timedelta(days=30 * mois)
    pleines = (
        demandes.filter(
            statut__in=[StatutDemande.PLANIFIEE, StatutDemande.REALISEE],
            modifie_le__gte=depuis,
            participants__en_attente=True,
        )
        .annotate(attente=Count("participants", filter=Q(participants__en_attente=True)))
        .select_related("version")
    )
    par_theme: dict[str, Demande] = {}
    for demande in pleines:
        for theme in demande.version.thematiques:
            ligne = par_theme.setdefault(theme, Demande(Thematique(theme).label, 0, 0))
            ligne.ateliers += 1
            ligne.en_attente += demande.attente
    return sorted(par_theme.values(), key=lambda d: (-d.en_attente, -d.ateliers, d.thematique))


def places_de(demande: DemandeAtelier) -> int:
    return demande.version.participants_max


INSCRIPTIONS = "Les inscriptions sont tenues par ceux qui suivent l'atelier."
ANIMATION = "Présences et clôture\u00a0: les conseillers de la séance et la coordination."


@transaction.atomic
def inscrire(demande: DemandeAtelier, nom: str, *, par=None) -> Participant:
    """Register someone; once the workshop is full, on the waiting list."""
    _exiger(par, permissions.peut_inscrire, demande, message=INSCRIPTIONS)
    nom = " ".join((nom or "").split())
    if not nom:
        raise Refus("Indiquez le prénom et l'initiale du participant.")
    if len(nom) > 60:
        raise Refus("Le prénom et l'initiale tiennent en 60 caractères au plus.")
    demande = DemandeAtelier.objects.tous().select_for_update().get(pk=demande.pk)
    if demande.statut != StatutDemande.PLANIFIEE:
        raise Refus("Les inscriptions ne sont ouvertes que pour un atelier planifié.")
    inscrits = demande.participants.filter(en_attente=False).count()
    return Participant.objects.create(
        demande=demande, nom=nom, en_attente=inscrits >= places_de(demande)
    )


@transaction.atomic
def desinscrire(participant: Participant, *, par=None) -> Participant | None:
    """Remove a registrant; the first on the waiting list takes the place. Returns them."""
    _exiger(par, permissions.peut_inscrire, participant.demande, message=INSCRIPTIONS)
    demande = DemandeAtelier.objects.tous().select_for_update().get(pk=participant.demande_id)
    liberait = not participant.en_attente
    participant.delete()
    if not liberait:
        return None
    suivant = demande.participants.filter(en_attente=True).order_by("inscrit_le", "pk").first()
    if suivant:
        suivant.en_attente = False
        suivant.save(update_fields=["en_attente"])
    return suivant


@transaction.atomic
def enregistrer_presences(
    session: SessionAtelier,
    *,
    presents: int | None = None,
    participants: Iterable[int] = (),
    par=None,
) -> None:
    """Attendance of a session: named (registrants' ids) or a count."""
    _exiger(par, permissions.peut_animer_session, session, message=ANIMATION)
    session = SessionAtelier.objects.tous().select_for_update().get(pk=session.pk)
    if session.cloturee_le:
        raise Refus("La séance est clôturée\u00a0: ses présences ne changent plus.")
    ids = set(participants)
    inscrits = set(
        session.demande.participants.filter(en_attente=False).values_list("pk", flat=True)
    )
    if ids - inscrits:
        raise Refus("Seuls les inscrits (hors liste d'attente) peuvent être notés présents.")
    session.presences.all().delete()
    Presence.objects.bulk_create(Presence(session=session, participant_id=i) for i in ids)
    if presents is not None and not 0 <= presents <= session.places + 20:
        raise Refus("Le nombre de présents n'est pas plausible pour cette séance.")
    session.presents = presents if not ids else None
    session.save(update_fields=["presents"])


def nombre_presents(session: SessionAtelier) -> int:
    nommes = session.presences.count()
    return nommes if nommes else (session.presents or 0)


def _recurrents(session: SessionAtelier, presents: int) -> int:
    """Participants already seen at an earlier session of the same workshop."""
    if session.numero == 1:
        return 0
    precedentes = session.demande.sessions.filter(numero__lt=session.numero)
    if session.presences.exists():
        deja = Presence.objects.filter(session__in=precedentes).values("participant")
        return session.presences.filter(participant__in=deja).count()
    avant = max((s.presents or 0 for s in precedentes), default=0)
    return min(presents, avant)


@transaction.atomic
def cloturer_session(session: SessionAtelier, *, par) -> list[Activite]:
    """Close a session that took place: one collective activity report per advisor who ran
    it, with its participants (no double entry); the workshop is réalisé after its last."""
    _exiger(par, permissions.peut_animer_session, session, message=ANIMATION)
    session = SessionAtelier.objects.tous().select_for_update().get(pk=session.pk)
    if session.cloturee_le:
        raise Refus("Cette séance est déjà clôturée\u00a0: ses comptes rendus existent.")
    if session.debut > timezone.now():
        raise Refus("La séance n'a pas encore eu lieu.")
    if session.demande.statut != StatutDemande.PLANIFIEE:
        raise Refus("L'atelier n'est plus planifié.")
    presents = nombre_presents(session)
    if presents < 1:
        raise Refus("Notez les présents avant de clôturer\u00a0: aucun participant n'est compté.")
    version = session.demande.version
    recurrents = _recurrents(session, presents)
    duree = max(1, math.ceil((session.fin - session.debut).total_seconds() / 60))
    activites = []
    for animation in session.animations.select_related("conseiller"):
        activite = Activite(
            conseiller=animation.conseiller,
            date=timezone.localtime(session.debut).date(),
            duree_minutes=duree,
            type=TypeActivite.COLLECTIF,
            canal=Canal.LIEU_ACTIVITE,
            lieu=session.lieu,
            nb_participants=presents,
            nb_participants_recurrents=recurrents,
            thematiques=list(version.thematiques),
            titre_atelier=version.titre[:250],
            niveau_atelier=version.niveau,
        )
        try:
            # checked above (peut_animer_session): whoever closes writes each advisor's report
            enregistrer_activite(
                activite=activite,
                user=par,
                raison="clôture d'une séance d'atelier",
                verifier_droits=False,
            )
        except ValidationError as erreur:
            raise Refus(" ".join(erreur.messages)) from erreur
        animation.activite = activite
        animation.save(update_fields=["activite"])
        activites.append(activite)
    session.cloturee_le = timezone.now()
    session.cloturee_par = par
    session.save(update_fields=["cloturee_le", "cloturee_par"])
    demande = session.demande
    if not demande.sessions.filter(cloturee_le__isnull=True).exists():
        _changer(demande, StatutDemande.REALISEE, par=par)
    return activites


def assiduite(demande: DemandeAtelier, seuil: float = 2 / 3) -> list[dict]:
    """For a course: each registrant's sessions attended, and whether it reaches ``seuil`` of
    the closed sessions (e.g. the equipment given to those who attended enough)."""
    closes = demande.sessions.filter(cloturee_le__isnull=False).count()
    requis = math.ceil(seuil * closes) if closes else 0
    lignes = []
    for participant in demande.participants.filter(en_attente=False):
        venues = participant.presences.filter(session__cloturee_le__isnull=False).count()
        lignes.append(
            {
                "participant": participant,
                "venues": venues,
                "sur": closes,
                "assidu": closes > 0 and venues >= requis,
            }
        )
    return lignes


# -- retention -------------------------------------------------------------------------------


@transaction.atomic
def purger_participants(*, le: dt.date | None = None, mois: int | None = None) -> int:
    """Delete the named registrants (and their attendance) of workshops over for longer
    than ``PARTICIPANTS_CONSERVATION_MOIS`` months: held, cancelled or refused, with no
    session since. The collective reports keep the counts. Returns how many were deleted."""
    mois = settings.PARTICIPANTS_CONSERVATION_MOIS if mois is None else mois
    if mois < 1:
        raise ValidationError("La durée de conservation doit être d'au moins un mois.")
    limite = timezone.make_aware(
        dt.datetime.combine(mois_avant(le or timezone.localdate(), mois), dt.time())
    )
    terminees = (
        DemandeAtelier.objects.tous()
        .filter(
            statut__in=[StatutDemande.REALISEE, StatutDemande.ANNULEE, StatutDemande.REFUSEE],
            modifie_le__lt=limite,
        )
        .exclude(sessions__debut__gte=limite)
    )
    return (
        Participant.objects.filter(demande__in=terminees.values("pk"))
        .delete()[1]
        .get(Participant._meta.label, 0)
    )
