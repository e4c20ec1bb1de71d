"""Demo workshops of Le Mans Métropole: a catalogue of eleven sheets (one still a draft, one
published twice), partnership conventions in every state, and requests at each step of the
workflow — submitted, under study, planned (one full, with a waiting list), held and closed
(into collective activity reports), refused, cancelled.

Everything goes through the services a user's action goes through (publishing, requesting,
scheduling with its conflict checks, registering, closing), so the demo holds nothing the
portal could not have produced. Workshops already held are planned in the future, then moved
into the past before their attendance is recorded and they are closed.

Idempotent: when the demo catalogue exists, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from comptes.models import User
from conseillers.enums import NiveauAtelier
from conseillers.enums import Thematique as T
from conseillers.models import Conseiller
from structures.demo import SOURCE_DEMO, STRUCTURE_DU_REFERENT
from structures.models import Lieu, Structure
from territoires.demo import CODE_LE_MANS
from territoires.models import Commune

from . import services
from .enums import FormatAtelier, Moyen
from .models import Animation, Convention, DemandeAtelier, FicheAtelier

M = Moyen
F = FormatAtelier


@dataclass(frozen=True)
class FicheDemo:
    titre: str
    thematiques: tuple[str, ...]
    format: str
    nombre_seances: int
    duree_minutes: int
    participants: tuple[int, int]
    public_cible: str
    niveau: str
    objectifs: str
    contenu: str
    prerequis: str
    moyens: tuple[str, ...]


CATALOGUE = [
    FicheDemo(
        "Premiers pas sur l'ordinateur",
        (T.PRENDRE_EN_MAIN_MATERIEL,),
        F.UNIQUE,
        1,
        120,
        (3, 8),
        "adultes qui n'ont jamais ou presque utilisé un ordinateur",
        NiveauAtelier.DEBUTANT,
        "Allumer et éteindre un ordinateur, se servir de la souris et du clavier, ouvrir "
        "et fermer une fenêtre.",
        "Le poste de travail ; la souris (clic, double clic, glisser) ; le clavier (lettres, "
        "majuscules, accents) ; le bureau et les fenêtres ; exercices guidés.",
        "",
        (M.SALLE, M.POSTES),
    ),
    FicheDemo(
        "Prendre en main son smartphone",
        (T.PRENDRE_EN_MAIN_MATERIEL, T.CONTENUS_NUMERIQUES),
        F.PARCOURS_COURT,
        3,
        120,
        (4, 8),
        "seniors et adultes équipés d'un smartphone Android ou iPhone",
        NiveauAtelier.DEBUTANT,
        "Régler son téléphone, installer une application en sécurité, prendre et partager "
        "des photos, passer un appel vidéo.",
        "Séance 1\u00a0: réglages, écran d'accueil, Wi-Fi. Séance 2\u00a0: magasin d'applications, "
        "mises à jour. Séance 3\u00a0: photos, messagerie, appel vidéo avec ses proches.",
        "Venir avec son smartphone chargé et ses identifiants (compte Google ou Apple).",
        (M.SALLE, M.CONNEXION),
    ),
    FicheDemo(
        "Créer et gérer son adresse e-mail",
        (T.EMAIL,),
        F.UNIQUE,
        1,
        120,
        (3, 8),
        "adultes débutants",
        NiveauAtelier.DEBUTANT,
        "Créer une adresse, envoyer un message avec une pièce jointe, reconnaître un "
        "courriel frauduleux.",
        "Choisir un fournisseur ; créer l'adresse et un mot de passe solide ; écrire, "
        "répondre, joindre un document ; trier et supprimer ; repérer l'hameçonnage.",
        "Savoir se servir d'une souris ou d'un écran tactile.",
        (M.SALLE, M.POSTES, M.CONNEXION),
    ),
    FicheDemo(
        "Faire ses démarches en ligne\u00a0: FranceConnect et espaces personnels",
        (T.DEMARCHES_ADMINISTRATIVES,),
        F.UNIQUE,
        1,
        150,
        (3, 6),
        "adultes ayant une adresse e-mail",
        NiveauAtelier.INTERMEDIAIRE,
        "Se connecter avec FranceConnect, retrouver ses documents (impots.gouv, ameli, CAF), "
        "déposer une pièce justificative.",
        "Les identifiants et FranceConnect ; l'espace personnel ameli et la CAF ; numériser "
        "un justificatif avec son téléphone ; les bons réflexes face aux faux sites.",
        "Avoir une adresse e-mail à laquelle on a accès.",
        (M.SALLE, M.POSTES, M.CONNEXION, M.IMPRIMANTE),
    ),
    FicheDemo(
        "Mon espace santé et les rendez-vous médicaux en ligne",
        (T.SANTE,),
        F.UNIQUE,
        1,
        120,
        (3, 8),
        "tout public, en particulier seniors",
        NiveauAtelier.DEBUTANT,
        "Activer Mon espace santé, prendre un rendez-vous médical en ligne, consulter ses "
        "remboursements.",
        "Activation et paramétrage de Mon espace santé ; prise de rendez-vous ; ordonnances "
        "et résultats ; compte ameli.",
        "",
        (M.SALLE, M.POSTES, M.CONNEXION),
    ),
    FicheDemo(
        "Déjouer les arnaques en ligne",
        (T.SECURITE_NUMERIQUE,),
        F.UNIQUE,
        1,
        90,
        (4, 12),
        "tout public",
        NiveauAtelier.DEBUTANT,
        "Reconnaître un message frauduleux, protéger ses comptes, savoir à qui signaler.",
        "Hameçonnage par courriel et SMS ; faux conseillers bancaires ; mots de passe et "
        "double authentification ; signalement sur cybermalveillance.gouv.fr et 33700.",
        "",
        (M.SALLE, M.VIDEOPROJECTEUR),
    ),
    FicheDemo(
        "Acheter et payer en ligne en sécurité",
        (T.BANQUE_ACHATS_EN_LIGNE, T.SECURITE_NUMERIQUE),
        F.UNIQUE,
        1,
        120,
        (3, 8),
        "adultes à l'aise avec la navigation",
        NiveauAtelier.INTERMEDIAIRE,
        "Choisir un site marchand fiable, payer en sécurité, suivre une commande, utiliser "
        "son application bancaire.",
        "Reconnaître un site fiable ; paiement et validation forte ; droit de rétractation ; "
        "application de sa banque.",
        "Savoir naviguer sur internet.",
        (M.SALLE, M.POSTES, M.CONNEXION),
    ),
    FicheDemo(
        "Chercher un emploi en ligne\u00a0: CV, candidatures, France Travail",
        (T.INSERTION_PROFESSIONNELLE, T.BUREAUTIQUE),
        F.PARCOURS_COURT,
        4,
        150,
        (3, 8),
        "demandeurs d'emploi",
        NiveauAtelier.INTERMEDIAIRE,
        "Rédiger son CV, gérer son espace France Travail, répondre à une offre en ligne.",
        "Séance 1\u00a0: l'espace France Travail. Séance 2\u00a0: le CV avec un traitement de "
        "texte. "
        "Séance 3\u00a0: lettre et candidature en ligne. Séance 4\u00a0: entretien en visio.",
        "Avoir une adresse e-mail.",
        (M.SALLE, M.POSTES, M.CONNEXION, M.IMPRIMANTE),
    ),
    FicheDemo(
        "Suivre la scolarité de son enfant\u00a0: ENT et Pronote",
        (T.SCOLARITE, T.PARENTALITE),
        F.UNIQUE,
        1,
        120,
        (3, 10),
        "parents d'élèves",
        NiveauAtelier.DEBUTANT,
        "Se connecter à l'ENT et à Pronote, suivre les notes, les devoirs et les absences, "
        "échanger avec les enseignants.",
        "EduConnect ; l'application Pronote ; cahier de textes ; messagerie ; paramétrer le "
        "contrôle parental.",
        "",
        (M.SALLE, M.TABLETTES, M.CONNEXION),
    ),
    FicheDemo(
        "Parcours autonomie numérique",
        (T.PRENDRE_EN_MAIN_MATERIEL, T.NAVIGATION_INTERNET, T.EMAIL, T.DEMARCHES_ADMINISTRATIVES),
        F.PARCOURS_LONG,
        9,
        120,
        (4, 8),
        "adultes éloignés du numérique, orientés par un travailleur social",
        NiveauAtelier.DEBUTANT,
        "Devenir autonome pour ses usages essentiels en neuf séances ; un ordinateur "
        "reconditionné est remis à ceux qui ont suivi au moins six séances.",
        "Matériel, navigation, messagerie, sécurité, démarches (CAF, ameli, impôts), "
        "visioconférence, bilan et remise de l'équipement.",
        "Orientation par un travailleur social ou un conseiller France Services.",
        (M.SALLE, M.POSTES, M.CONNEXION, M.ACCESSIBLE),
    ),
    FicheDemo(
        "Traitement de texte et tableur\u00a0: les bases",
        (T.BUREAUTIQUE,),
        F.PARCOURS_COURT,
        3,
        120,
        (3, 8),
        "adultes à l'aise avec l'ordinateur",
        NiveauAtelier.INTERMEDIAIRE,
        "Rédiger et mettre en forme un courrier, tenir un petit budget dans un tableur.",
        "Traitement de texte\u00a0: saisie, mise en forme, export PDF. Tableur\u00a0: cellules, "
        "formules simples, impression.",
        "Savoir se servir d'un ordinateur.",
        (M.SALLE, M.POSTES),
    ),
]
BROUILLON = "Traitement de texte et tableur\u00a0: les bases"
NOUVELLE_VERSION = "Déjouer les arnaques en ligne"  # republished with a longer session

STRUCTURE_VILLE = "21720181000017"
STRUCTURE_CCAS = "26720181000046"
STRUCTURE_MISSION_LOCALE = "31887766554433"
STRUCTURE_ALLONNES = "21720030000002"
CONSEILLER_THOMAS = "thomas.girard@conseillers.demo.test"
CONSEILLER_LEA = "lea.fontaine@conseillers.demo.test"
PARTICIPANTS = [
    "Martine D.",
    "Ahmed B.",
    "Josiane L.",
    "Paul R.",
    "Fatou S.",
    "Gérard M.",
    "Nadia K.",
    "Yves T.",
    "Chantal P.",
    "Mehdi A.",
]


@dataclass
class Bilan:
    fiches: int = 0
    conventions: int = 0
    demandes: int = 0
    comptes_rendus: int = 0

    def resume(self) -> str:
        if not self.fiches:
            return "  ateliers\u00a0: le catalogue de démonstration est déjà chargé"
        return (
            f"  ateliers\u00a0: {self.fiches} fiches, {self.conventions} conventions, "
            f"{self.demandes} demandes à chaque étape, {self.comptes_rendus} comptes rendus "
            "collectifs issus des séances clôturées"
        )


def pdf_de_convention(structure: Structure, debut: dt.date, fin: dt.date) -> bytes:
    """A one-page convention marked as a demo document (reportlab)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    sortie = io.BytesIO()
    SimpleDocTemplate(sortie, pagesize=A4, title="Convention de partenariat (démonstration)").build(
        [
            Paragraph(
                "Convention de partenariat — document fictif de démonstration", styles["Title"]
            ),
            Paragraph(
                f"Entre Le Mans Métropole et {structure.nom}, pour la période du "
                f"{debut:%d/%m/%Y} au {fin:%d/%m/%Y}.",
                styles["Normal"],
            ),
            Spacer(1, 12),
            Paragraph(
                "La structure met à disposition les moyens indiqués dans la fiche de chaque "
                "atelier, assure la communication et les inscriptions, et garantit la gratuité "
                "pour les participants. Aucune facturation n'a lieu entre les parties.",
                styles["Normal"],
            ),
        ]
    )
    return sortie.getvalue()


def _structure(pivot: str) -> Structure | None:
    return Structure.objects.tous().filter(pivot=pivot).order_by("pk").first()


def _convention(structure, debut, fin, *, signee: bool, coordination) -> Convention:
    convention = Convention(structure=structure, debut=debut, fin=fin, cree_par=coordination)
    if signee:
        convention.signee_le = debut
        convention.document.save(
            f"convention-demo-{structure.pk}.pdf",
            ContentFile(pdf_de_convention(structure, debut, fin)),
            save=False,
        )
    convention.full_clean()
    convention.save()
    return convention


def _jour(semaines: int, jour_semaine: int, heure: int) -> dt.datetime:
    aujourd_hui = timezone.localdate()
    lundi = aujourd_hui - dt.timedelta(days=aujourd_hui.weekday())
    jour = lundi + dt.timedelta(weeks=semaines, days=jour_semaine)
    return timezone.make_aware(dt.datetime.combine(jour, dt.time(heure, 0)))


def _planifier(demande, conseillers, semaines: int, *, par, publique=True):
    """Schedule at the first slot free for the advisors, from that week on (their
    assignments at sites come first, as they would for a coordinator)."""
    for decalage in range(8):
        for jour_semaine in (1, 3, 0, 2, 4):
            for heure in (14, 9, 10):
                try:
                    return services.planifier(
                        demande,
                        debut=_jour(semaines + decalage, jour_semaine, heure),
                        conseillers=conseillers,
                        par=par,
                        publique=publique,
                    )
                except services.Refus:
                    continue
    raise ValueError(f"Démonstration\u00a0: aucun créneau libre pour « {demande.version.titre} ».")


def _vers_le_passe(sessions, semaines: int) -> None:
    """Move planned sessions ``semaines`` weeks back (they already took place)."""
    ecart = dt.timedelta(weeks=semaines)
    for session in sessions:
        session.debut -= ecart
        session.fin -= ecart
        session.save(update_fields=["debut", "fin"])
        Animation.objects.filter(session=session).update(debut=session.debut, fin=session.fin)


def _dater(demande: DemandeAtelier, il_y_a_jours: int) -> None:
    """The request and its steps happened earlier than the demo's loading."""
    ecart = dt.timedelta(days=il_y_a_jours)
    DemandeAtelier.objects.tous().filter(pk=demande.pk).update(cree_le=demande.cree_le - ecart)
    for etape in demande.etapes.all():
        etape.le -= ecart
        etape.save(update_fields=["le"])


@transaction.atomic
def charger_ateliers_demo() -> Bilan:
    bilan = Bilan()
    le_mans = Commune.objects.get(pk=CODE_LE_MANS)
    if FicheAtelier.objects.tous().filter(commune=le_mans, titre=CATALOGUE[0].titre).exists():
        return bilan
    coordination = User.objects.filter(email="coordination@demo.test").first()
    referent = User.objects.filter(email="structure@demo.test").first()
    aujourd_hui = timezone.localdate()

    # -- catalogue --
    versions = {}
    for modele in CATALOGUE:
        fiche = FicheAtelier(
            commune=le_mans,
            titre=modele.titre,
            thematiques=list(modele.thematiques),
            format=modele.format,
            nombre_seances=modele.nombre_seances,
            duree_minutes=modele.duree_minutes,
            participants_min=modele.participants[0],
            participants_max=modele.participants[1],
            public_cible=modele.public_cible,
            niveau=modele.niveau,
            objectifs=modele.objectifs,
            contenu=modele.contenu,
            prerequis=modele.prerequis,
            moyens=list(modele.moyens),
        )
        fiche.full_clean()
        fiche.save()
        if modele.titre != BROUILLON:
            versions[modele.titre] = services.publier_fiche(fiche)
        bilan.fiches += 1
    arnaques = versions[NOUVELLE_VERSION].fiche

    # -- conventions --
    pontlieue = _structure(STRUCTURE_DU_REFERENT)
    ville = _structure(STRUCTURE_VILLE)
    ccas = _structure(STRUCTURE_CCAS)
    mission_locale = _structure(STRUCTURE_MISSION_LOCALE)
    allonnes = _structure(STRUCTURE_ALLONNES)
    an = dt.timedelta(days=365)
    debut = aujourd_hui.replace(month=1, day=1)
    conventions = [
        (pontlieue, debut, debut + 2 * an, True),
        (
            ville,
            aujourd_hui - an + dt.timedelta(days=20),
            aujourd_hui + dt.timedelta(days=20),
            True,
        ),
        (ccas, aujourd_hui + dt.timedelta(days=15), aujourd_hui + 2 * an, False),  # to sign
        (mission_locale, aujourd_hui - 2 * an, aujourd_hui - dt.timedelta(days=40), True),
        (allonnes, debut, debut + an + dt.timedelta(days=364), True),
    ]
    for structure, d, f, signee in conventions:
        if structure is not None:
            _convention(structure, d, f, signee=signee, coordination=coordination)
            bilan.conventions += 1
    if pontlieue is None or ville is None:
        return bilan

    conseillers = {
        c.email: c
        for c in Conseiller.objects.tous().filter(
            email__in=["conseiller@demo.test", CONSEILLER_THOMAS, CONSEILLER_LEA]
        )
    }
    karim = conseillers.get("conseiller@demo.test")
    thomas = conseillers.get(CONSEILLER_THOMAS) or karim
    lea = conseillers.get(CONSEILLER_LEA) or karim
    if karim is None:
        return bilan
    lieu_pontlieue = Lieu.objects.tous().filter(structure=pontlieue, source=SOURCE_DEMO).first()
    lieux_ville = {
        lieu.identifiant: lieu
        for lieu in Lieu.objects.tous().filter(structure=ville, source=SOURCE_DEMO)
    }
    aragon = lieux_ville.get("demo-mediatheque-aragon")
    sablons = lieux_ville.get("demo-france-services-sablons")
    lieu_allonnes = Lieu.objects.tous().filter(structure=allonnes).first() if allonnes else None

    def demander(structure, lieu, titre, participants, public, semaines, notes=""):
        demande = services.deposer_demande(
            services.NouvelleDemande(
                structure=structure,
                version=versions[titre],
                lieu=lieu,
                creneaux=[_jour(semaines, 1, 14), _jour(semaines, 3, 9)],
                participants_attendus=participants,
                public=public,
                notes=notes,
            ),
            par=referent if structure == pontlieue else None,
        )
        bilan.demandes += 1
        return demande

    # held: a single workshop at Pontlieue, named attendance, closed
    tenu = demander(
        pontlieue, lieu_pontlieue, "Premiers pas sur l'ordinateur", 6, "habitants du quartier", 2
    )
    sessions = _planifier(tenu, [thomas], 2, par=coordination)
    _vers_le_passe(sessions, 8)
    for nom in PARTICIPANTS[:7]:
        services.inscrire(tenu, nom)
    presents = list(tenu.participants.filter(en_attente=False).values_list("pk", flat=True))[:6]
    services.enregistrer_presences(sessions[0], participants=presents)
    bilan.comptes_rendus += len(
        services.cloturer_session(sessions[0], par=thomas.user or coordination)
    )
    _dater(tenu, 75)

    # held: a short course at the Aragon media library, attendance counted, two advisors
    if aragon:
        parcours = demander(ville, aragon, "Prendre en main son smartphone", 8, "seniors", 2)
        sessions = _planifier(parcours, [karim, lea], 2, par=coordination)
        _vers_le_passe(sessions, 7)
        for session, presents in zip(sessions, (8, 7, 7), strict=False):
            services.enregistrer_presences(session, presents=presents)
            bilan.comptes_rendus += len(
                services.cloturer_session(session, par=karim.user or coordination)
            )
        _dater(parcours, 60)

    # planned: full, with a waiting list (shown to coordinators as demand to schedule again)
    plein = demander(
        pontlieue,
        lieu_pontlieue,
        "Faire ses démarches en ligne\u00a0: FranceConnect et espaces personnels",
        6,
        "allocataires CAF du quartier",
        3,
        notes="Salle informatique du 1er étage ; accueil à partir de 13 h 45.",
    )
    _planifier(plein, [thomas], 3, par=coordination)
    for nom in PARTICIPANTS[:9]:
        services.inscrire(plein, nom)
    _dater(plein, 12)

    # planned: the nine-session course at France Services des Sablons
    if sablons:
        long = demander(
            ville, sablons, "Parcours autonomie numérique", 6, "orientés par le CCAS", 4
        )
        _planifier(long, [karim], 4, par=coordination)
        for nom in PARTICIPANTS[3:8]:
            services.inscrire(long, nom)
        _dater(long, 20)

    # under study, submitted, refused, cancelled
    etude = demander(pontlieue, lieu_pontlieue, NOUVELLE_VERSION, 8, "seniors du quartier", 5)
    services.etudier(etude, par=coordination)
    _dater(etude, 6)
    soumise = demander(
        pontlieue,
        lieu_pontlieue,
        "Suivre la scolarité de son enfant\u00a0: ENT et Pronote",
        8,
        "parents d'élèves de l'école Gounod",
        6,
    )
    _dater(soumise, 2)
    if lieu_allonnes:
        services.deposer_demande(
            services.NouvelleDemande(
                structure=allonnes,
                version=versions["Mon espace santé et les rendez-vous médicaux en ligne"],
                lieu=lieu_allonnes,
                creneaux=[_jour(5, 2, 10)],
                participants_attendus=6,
                public="résidents de la résidence autonomie",
            ),
            par=None,
        )
        bilan.demandes += 1
    refusee = demander(
        ville, aragon or sablons, "Acheter et payer en ligne en sécurité", 5, "tout public", 3
    )
    services.refuser(
        refusee,
        motif="Aucun conseiller n'est disponible sur ces créneaux avant l'été\u00a0: merci de "
        "proposer d'autres dates à partir de septembre.",
        par=coordination,
    )
    _dater(refusee, 30)
    annulee = demander(
        pontlieue, lieu_pontlieue, "Créer et gérer son adresse e-mail", 4, "club des aînés", 4
    )
    services.annuler(annulee, motif="La salle n'est plus disponible (travaux).", par=referent)
    _dater(annulee, 25)

    # the sheet republished after the requests made on it: they keep their version
    arnaques.duree_minutes = 120
    arnaques.save()
    services.publier_fiche(arnaques)
    return bilan
