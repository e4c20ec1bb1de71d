"""Writes on sites that touch several tables or send mail."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from commun import formats
from comptes.enums import Role
from comptes.models import User
from territoires.models import Commune

from . import cache_public, permissions
from . import horaires as horaires_osm
from .enums import StatutSignalement
from .models import Creneau, Lieu, Signalement, Structure


def recalculer_creneaux(*, lieux, debut: dt.date | None = None) -> int:
    """Rebuild the open slots of ``lieux`` (a scoped queryset or a list) for this week."""
    debut = debut or timezone.localdate()
    lieux = list(lieux)
    nouveaux: list[tuple[int, int, int, int]] = []
    semaines: dict[str, list[horaires_osm.Plage]] = {}  # many sites share the same hours
    for lieu in lieux:
        if lieu.horaires not in semaines:
            semaines[lieu.horaires] = horaires_osm.plages_de_la_semaine(lieu.horaires, debut)
        for plage in semaines[lieu.horaires]:
            nouveaux.append((lieu.pk, plage.jour, plage.debut, plage.fin))
    with transaction.atomic():
        Creneau.objects.filter(lieu__in=[lieu.pk for lieu in lieux]).delete()
        _inserer_creneaux(nouveaux)
        cache_public.invalider()  # an import ends here too
    return len(nouveaux)


def _inserer_creneaux(lignes: list[tuple[int, int, int, int]]) -> None:
    """PostgreSQL: one ``COPY`` (an import of 20,000 sites writes ~100,000 slots, which
    ``bulk_create`` spent most of the import's time building); elsewhere ``bulk_create``."""
    if connection.vendor != "postgresql" or len(lignes) < SEUIL_COPY:
        Creneau.objects.bulk_create(
            [Creneau(lieu_id=lieu, jour=j, debut=d, fin=f) for lieu, j, d, f in lignes],
            batch_size=2000,
        )
        return
    table = connection.ops.quote_name(Creneau._meta.db_table)
    commande = f"COPY {table} (lieu_id, jour, debut, fin) FROM STDIN"
    with connection.cursor() as curseur, curseur.copy(commande) as copie:
        for ligne in lignes:
            copie.write_row(ligne)


SEUIL_COPY = 500


def recalculer_tous_les_creneaux(*, debut: dt.date | None = None, lot: int = 2000) -> int:
    total = 0
    identifiants = list(Lieu.objects.tous().order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(identifiants), lot):
        lieux = Lieu.objects.tous().filter(pk__in=identifiants[i : i + lot]).only("pk", "horaires")
        total += recalculer_creneaux(lieux=lieux, debut=debut)
    return total


@transaction.atomic
def enregistrer_lieu(*, lieu: Lieu, arrets_formset=None, par=None) -> Lieu:
    """Save a site edited in the back-office, its stops, and its week's slots.

    ``par``, the acting user, must be allowed to (``permissions.peut_enregistrer_lieu``);
    None is not checked (a job, a test)."""
    if par is not None and not permissions.peut_enregistrer_lieu(par, lieu):
        raise PermissionDenied("Vous ne pouvez pas modifier ce lieu.")
    lieu.date_maj = timezone.localdate()
    lieu.save()
    if arrets_formset is not None:
        arrets_formset.instance = lieu
        arrets_formset.save()
    recalculer_creneaux(lieux=[lieu])
    return lieu


# -- the directory of structures ----------------------------------------------------------


def _verifier_annuaire(par, *structures: Structure) -> None:
    """``par`` (None: a job, a test) keeps the directory and every structure is in its
    territory."""
    if par is None:
        return
    if not permissions.peut_gerer_structures(par):
        raise PermissionDenied("Vous ne pouvez pas gérer les structures.")
    pks = {s.pk for s in structures if s.pk is not None}
    if pks and permissions.structures_de_l_annuaire(par).filter(pk__in=pks).count() != len(pks):
        raise PermissionDenied("Cette structure n'est pas dans votre territoire.")


@transaction.atomic
def enregistrer_structure(*, structure: Structure, par=None, referent: bool = False) -> Structure:
    """Save a structure edited in the directory (or, ``referent``, by one of its
    referents from its space); its sites' public pages name it, so their cache goes."""
    if par is not None and referent:
        if not permissions.structure_du_referent_ou_404(par, structure.pk):
            raise PermissionDenied("Vous ne pouvez pas modifier cette structure.")
    else:
        _verifier_annuaire(par, structure)
        if (
            par is not None
            and not permissions.est_staff(par)
            and not Commune.objects.dans(par.perimetre).filter(pk=structure.commune_id).exists()
        ):
            raise PermissionDenied("Cette commune n'est pas dans votre territoire.")
    structure.full_clean()
    structure.save()
    cache_public.invalider()
    return structure


@transaction.atomic
def archiver_structure(*, structure: Structure, par=None) -> None:
    """Archive a structure: it leaves the lists, forms and suggestions; its history stays.
    One that still carries sites is refused: they would stay on the public map under the
    name of a structure that no longer exists."""
    _verifier_annuaire(par, structure)
    structure = Structure.objects.tous().select_for_update().get(pk=structure.pk)
    if structure.est_archivee:
        raise ValidationError("Cette structure est déjà archivée.")
    nombre = structure.lieux.count()
    if nombre:
        raise ValidationError(
            f"Cette structure porte encore {nombre} lieu{'x' if nombre > 1 else ''}\u00a0: "
            "rattachez-les à une autre structure, ou fusionnez-la avec la structure qui "
            "les reprend, avant de l'archiver."
        )
    structure.archivee_le = timezone.now()
    structure._change_reason = "archivage"
    structure.save(update_fields=["archivee_le", "modifie_le"])


@transaction.atomic
def desarchiver_structure(*, structure: Structure, par=None) -> None:
    _verifier_annuaire(par, structure)
    structure = Structure.objects.tous().select_for_update().get(pk=structure.pk)
    if not structure.est_archivee:
        raise ValidationError("Cette structure n'est pas archivée.")
    if structure.fusionnee_dans_id:
        raise ValidationError(
            "Cette structure a été fusionnée dans une autre\u00a0: ce qu'elle portait est "
            "désormais rattaché à celle-ci, elle ne peut pas être désarchivée."
        )
    structure.archivee_le = None
    structure._change_reason = "désarchivage"
    structure.save(update_fields=["archivee_le", "modifie_le"])


# the fields of the kept structure that a merge fills from the duplicate when empty
CHAMPS_COMPLETES_PAR_FUSION = [
    "pivot",
    "adresse",
    "code_postal",
    "telephone",
    "courriel",
    "site_web",
    "presentation",
    "autres_labels",
]


def _relations_deplacees():
    """Every relation pointing at a structure that a merge moves (sites, advisors,
    assignments, conventions, workshop requests, child structures, contacts… whichever
    app declares it), but the merge's own link; the history rows keep their structure."""
    return [rel for rel in Structure._meta.related_objects if rel.name != "fusionnees"]


def _lignes_de(rel, structure: Structure):
    """The rows of ``rel`` pointing at ``structure``, whatever the reader's territory."""
    if rel.many_to_many:
        through = rel.field.remote_field.through
        return through._base_manager.filter(**{rel.field.m2m_reverse_field_name(): structure})
    return rel.related_model._base_manager.filter(**{rel.field.name: structure})


@dataclass
class LigneApercu:
    libelle: str
    nombre: int
    exemples: list[str]


def apercu_fusion(*, garder: Structure, doublon: Structure) -> list[LigneApercu]:
    """What a merge of ``doublon`` into ``garder`` moves, relation by relation."""
    apercu = []
    referents = list(doublon.referents.order_by("nom", "prenom", "pk")[:6])
    apercu.append(
        LigneApercu(
            "référents",
            doublon.referents.count(),
            [r.nom_complet or r.email for r in referents[:5]],
        )
    )
    for rel in _relations_deplacees():
        lignes = _lignes_de(rel, doublon)
        if rel.many_to_many:
            nombre, exemples = lignes.count(), []
        else:
            if rel.related_model is Structure:  # the kept one stays where it is
                lignes = lignes.exclude(pk=garder.pk)
            nombre = lignes.count()
            exemples = [str(o) for o in lignes.order_by("pk")[:5]] if nombre else []
        libelle = (
            "structures rattachées"
            if rel.related_model is Structure
            else str(rel.related_model._meta.verbose_name_plural)
        )
        apercu.append(LigneApercu(libelle, nombre, exemples))
    return apercu


def _raison(verbe: str, structure: Structure) -> str:
    """« fusion : reprend « CCAS du Mans » (n° 12) », within the audit trail's 100
    characters."""
    nom = structure.nom if len(structure.nom) <= 40 else structure.nom[:39] + "…"
    return f"fusion\u00a0: {verbe} «\u202f{nom}\u202f» (n°\u00a0{structure.pk})"


@transaction.atomic
def fusionner_structures(*, garder: Structure, doublon: Structure, par=None) -> list[LigneApercu]:
    """Move everything ``doublon`` carries onto ``garder`` (sites, referents, advisors,
    assignments, conventions, workshop requests, child structures, contacts…), fill
    ``garder``'s empty fields from it, archive it as merged, and write both in the audit
    trail; all or nothing."""
    _verifier_annuaire(par, garder, doublon)
    if garder.pk == doublon.pk:
        raise ValidationError("Choisissez deux structures différentes.")
    verrouillees = {
        s.pk: s
        for s in Structure.objects.tous().select_for_update().filter(pk__in=[garder.pk, doublon.pk])
    }
    garder, doublon = verrouillees[garder.pk], verrouillees[doublon.pk]
    for structure in (garder, doublon):
        if structure.est_archivee:
            raise ValidationError(
                f"La structure «\u202f{structure.nom}\u202f» est archivée\u00a0: "
                "désarchivez-la avant de la fusionner."
            )
    apercu = apercu_fusion(garder=garder, doublon=doublon)
    raison_garder = _raison("reprend", doublon)
    raison_doublon = _raison("fusionnée dans", garder)
    garder.referents.add(*doublon.referents.all())
    doublon.referents.clear()
    if garder.parente_id == doublon.pk:
        garder.parente = doublon.parente if doublon.parente_id != garder.pk else None
    for rel in _relations_deplacees():
        lignes = _lignes_de(rel, doublon)
        if rel.many_to_many:
            cote_structure = rel.field.m2m_reverse_field_name()
            cote_autre = rel.field.m2m_field_name()
            deja = _lignes_de(rel, garder).values(cote_autre)
            lignes.filter(**{f"{cote_autre}__in": deja}).delete()
            lignes.update(**{cote_structure: garder})
            continue
        modele, champ = rel.related_model, rel.field.name
        if modele is Structure:
            lignes = lignes.exclude(pk=garder.pk)
        if getattr(modele._meta, "simple_history_manager_attribute", None):
            objets = list(lignes)
            for objet in objets:
                setattr(objet, champ, garder)
            bulk_update_with_history(
                objets,
                modele,
                [champ],
                default_user=par,
                default_change_reason=raison_garder,
                manager=modele._base_manager,
            )
        else:
            lignes.update(**{champ: garder})
    # the duplicates it had taken over now point at the kept one
    Structure._base_manager.filter(fusionnee_dans=doublon).update(fusionnee_dans=garder)
    for champ in CHAMPS_COMPLETES_PAR_FUSION:
        if not getattr(garder, champ) and getattr(doublon, champ):
            setattr(garder, champ, getattr(doublon, champ))
    garder._change_reason = raison_garder
    garder._history_user = par
    garder.save()
    doublon.archivee_le = timezone.now()
    doublon.fusionnee_dans = garder
    doublon._change_reason = raison_doublon
    doublon._history_user = par
    doublon.save()
    cache_public.invalider()
    return apercu


def comptes_coordinateurs_du_lieu(lieu: Lieu):
    """The active coordinators whose territory holds the site (its commune, EPCI or
    département)."""
    commune = lieu.commune
    territoire = Q(territoires__commune=commune) | Q(
        territoires__departement=commune.departement_id
    )
    if commune.epci_id:
        territoire |= Q(territoires__epci=commune.epci_id)
    return (
        User.objects.actifs()
        .du_role(Role.COORDINATEUR)
        .filter(pk__in=User.objects.filter(territoire).values("pk"))
    )


def coordinateurs_du_lieu(lieu: Lieu) -> list[str]:
    """E-mail addresses of the active coordinators whose territory holds the site."""
    return sorted(comptes_coordinateurs_du_lieu(lieu).values_list("email", flat=True))


def signaler_erreur(*, lieu: Lieu, message: str, courriel: str = "") -> Signalement:
    """Store the report; the coordinators read it in the next daily digest."""
    return Signalement.objects.create(lieu=lieu, message=message, courriel=courriel)


SUJET_REPONSE = "Votre signalement sur la page «\u202f{lieu}\u202f»"


@transaction.atomic
def suivre_signalement(
    *,
    signalement: Signalement,
    statut: str,
    assigne_a: User | None,
    note: str,
    reponse: str = "",
    repondre: bool = False,
) -> bool:
    """Save a report's state, assignee and note; when it is closed (fixed or rejected) with
    ``repondre``, e-mail ``reponse`` to the address the visitor left, once. True when the
    answer was sent. The e-mail is sent inside the transaction: if the server refuses it,
    nothing is saved and the coordinator can try again."""
    signalement = (
        Signalement.objects.tous()
        .select_for_update(of=("self",))
        .select_related("lieu")
        .get(pk=signalement.pk)
    )
    signalement.statut = statut
    signalement.assigne_a = assigne_a
    signalement.note = note
    if statut in StatutSignalement.clos():
        signalement.clos_le = signalement.clos_le or timezone.now()
    else:
        signalement.clos_le = None
    envoye = False
    if (
        repondre
        and statut in StatutSignalement.clos()
        and signalement.courriel
        and signalement.repondu_le is None
    ):
        texte = render_to_string(
            "structures/courriels/reponse_signalement.txt",
            {
                "reponse": reponse.strip(),
                "lieu": signalement.lieu,
                "url": f"{settings.PORTAIL_URL.rstrip('/')}/lieux/{signalement.lieu_id}/",
                "portail": settings.PORTAIL_NOM,
            },
        )
        EmailMessage(
            SUJET_REPONSE.format(lieu=signalement.lieu.nom), texte, to=[signalement.courriel]
        ).send()
        signalement.reponse = reponse.strip()
        signalement.repondu_le = timezone.now()
        envoye = True
    signalement.save(
        update_fields=["statut", "assigne_a", "note", "clos_le", "reponse", "repondu_le"]
    )
    return envoye


SUJET_RESUME = "Nouveaux signalements d'erreur sur les lieux de votre territoire"
CARACTERES_DE_CONTROLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _cite(texte: str) -> str:
    """The public's text quoted line by line (``> ``), control characters removed: it
    cannot pass for a line of the e-mail, nor break it."""
    lignes = texte.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(f"> {CARACTERES_DE_CONTROLE.sub('', ligne)}".rstrip() for ligne in lignes)


def _recu_le(moment: dt.datetime) -> str:
    """« lundi 1er décembre 2026 à 14 h 30 »."""
    return formats.date_et_heure(moment)


def envoyer_resume_des_signalements() -> int:
    """Send each coordinator one e-mail listing the new reports of their territories not
    yet sent; the number of e-mails sent.

    The reports are locked while the digest is sent and marked in the same transaction:
    a report goes into one digest, and a digest that could not be sent (SMTP down) is
    sent again by the next run. A report whose territory has no coordinator waits for
    one."""
    with transaction.atomic():
        signalements = list(
            Signalement.objects.tous()
            .a_notifier()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("lieu__commune")
            .order_by("lieu__commune__nom", "lieu__nom", "cree_le", "pk")
        )
        par_coordinateur: dict[str, list[Signalement]] = defaultdict(list)
        par_commune: dict[str, list[str]] = {}  # the coordinators follow the commune
        transmis = []
        for signalement in signalements:
            commune = signalement.lieu.commune_id
            if commune not in par_commune:
                par_commune[commune] = coordinateurs_du_lieu(signalement.lieu)
            for courriel in par_commune[commune]:
                par_coordinateur[courriel].append(signalement)
            if par_commune[commune]:
                transmis.append(signalement.pk)
        if not transmis:
            return 0
        portail = settings.PORTAIL_URL.rstrip("/")
        messages = []
        for courriel, liste in sorted(par_coordinateur.items()):
            texte = render_to_string(
                "structures/courriels/resume_signalements.txt",
                {
                    "signalements": [
                        {
                            "lieu": s.lieu,
                            "recu_le": _recu_le(s.cree_le),
                            "message": _cite(s.message),
                            "courriel": s.courriel,
                            "url": f"{portail}/lieux/{s.lieu_id}/",
                        }
                        for s in liste
                    ],
                    "nombre": len(liste),
                },
            )
            messages.append(EmailMessage(SUJET_RESUME, texte, to=[courriel]))
        get_connection().send_messages(messages)
        Signalement.objects.tous().filter(pk__in=transmis).update(notifie_le=timezone.now())
    return len(messages)
