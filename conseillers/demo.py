"""Demo advisors of Le Mans Métropole, their assignments and months of activity reports.

The demo advisor account (``conseiller@demo.test``) gets a profile at three demo sites
(among them the itinerant bus) and six colleagues without login: one whose contract ended
two months ago, one with no report for 45 days (so that the coordinators' « no report for
30 days » list shows someone). Reports are generated day by day, from the first day of
the month ``mois`` months ago, with a ``random.Random`` seeded by the advisor and the day (a
day's reports do not depend on the period asked for): a season per month (:data:`SAISONS`:
August and Christmas dips, September peak), a slow growth of the network over the demo's two
years (:data:`CROISSANCE`), every type, channel and theme, durations among the presets, age and
status counts on part of them, workshops with a title and a level, and a few followed
beneficiaries (with consent) seen several times by the demo advisor.

Idempotent: profiles and assignments are found again by e-mail and convention; a day that
already has reports of an advisor gets none, and a day's draws are the same at every run, so
a second run adds nothing, and a later run (or one with more ``mois``) only adds the days
not covered yet.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from comptes.models import User
from structures.demo import SOURCE_DEMO, STRUCTURE_DU_REFERENT
from structures.models import Lieu, Structure
from territoires.demo import CODE_LE_MANS

from .enums import (
    CHAMPS_AGE,
    CHAMPS_STATUT,
    DUREES_PROPOSEES,
    THEMATIQUES_ADMINISTRATIVES,
    THEMATIQUES_PRINCIPALES,
    Autonomie,
    Canal,
    Genre,
    Jour,
    Materiel,
    NiveauAtelier,
    Orientation,
    Programme,
    Thematique,
    TypeActivite,
    TypeIntervention,
)
from .models import Activite, Beneficiaire, Conseiller, MiseADisposition
from .services import profil_conseiller

COMPTE_CONSEILLER_DEMO = "conseiller@demo.test"
GRAINE = 2026
MOIS_PAR_DEFAUT = 3
MOIS_DEMO = 24  # load_demo: two years of reports, for the monthly statistics
# activity of a month relative to the average: summer and Christmas dips, September peak
SAISONS = {
    1: 0.95,
    2: 1.0,
    3: 1.05,
    4: 0.95,
    5: 0.9,
    6: 0.95,
    7: 0.7,
    8: 0.35,
    9: 1.25,
    10: 1.15,
    11: 1.1,
    12: 0.85,
}
CROISSANCE = 0.2  # the network grows: a fifth more reports at the end than at the start
STRUCTURE_VILLE = "21720181000017"  # the City of Le Mans: employer of most demo advisors
STRUCTURE_CCAS = "26720181000046"

T = Thematique
CLES_ETRANGERES = ["conseiller", "lieu", "arret", "commune", "zone", "cree_par"]


@dataclass(frozen=True)
class ConseillerDemo:
    email: str
    prenom: str
    nom: str
    commune: str
    lieux: tuple[str, ...]
    competences: tuple[str, ...]
    favorites: tuple[str, ...]
    programme: str = Programme.COLLECTIVITE
    employeur: str = STRUCTURE_VILLE
    fin_contrat_il_y_a: int | None = None  # days
    silence: int = 0  # days without report up to today
    rapports_par_jour: tuple[int, int] = (2, 5)
    communes_visitees: tuple[str, ...] = field(default=())


CONSEILLERS_DEMO = [
    ConseillerDemo(
        COMPTE_CONSEILLER_DEMO,
        "Karim",
        "Benali",
        CODE_LE_MANS,
        ("demo-mediatheque-aragon", "demo-france-services-sablons", "demo-bus-numerique"),
        (T.DEMARCHES_ADMINISTRATIVES, T.SECURITE_NUMERIQUE, T.PRENDRE_EN_MAIN_MATERIEL),
        (T.DEMARCHES_ADMINISTRATIVES, T.EMAIL, T.PRENDRE_EN_MAIN_MATERIEL, T.SANTE),
        programme=Programme.CONSEILLER_NUMERIQUE,
        communes_visitees=("72181", "72386", "72095"),
    ),
    ConseillerDemo(
        "ines.moreau@conseillers.demo.test",
        "Inès",
        "Moreau",
        "72003",
        ("demo-72003-0", "demo-72003-1"),
        (T.INSERTION_PROFESSIONNELLE, T.BUREAUTIQUE),
        (T.INSERTION_PROFESSIONNELLE, T.BUREAUTIQUE, T.EMAIL),
        employeur="21720030000002",
        communes_visitees=("72003", "72008"),
    ),
    ConseillerDemo(
        "thomas.girard@conseillers.demo.test",
        "Thomas",
        "Girard",
        "72095",
        ("demo-72095-3", "demo-centre-social-pontlieue"),
        (T.PARENTALITE, T.SCOLARITE, T.RESEAUX_SOCIAUX),
        (T.PARENTALITE, T.SCOLARITE, T.CULTURE_NUMERIQUE),
        programme=Programme.CONSEILLER_NUMERIQUE,
        employeur=STRUCTURE_DU_REFERENT,
        communes_visitees=("72095", "72181"),
    ),
    ConseillerDemo(
        "lea.fontaine@conseillers.demo.test",
        "Léa",
        "Fontaine",
        CODE_LE_MANS,
        ("demo-mission-locale", "demo-tiers-lieu-gare"),
        (T.CREER_AVEC_LE_NUMERIQUE, T.INTELLIGENCE_ARTIFICIELLE, T.ENTREPRENEURIAT),
        (T.CREER_AVEC_LE_NUMERIQUE, T.INTELLIGENCE_ARTIFICIELLE, T.INSERTION_PROFESSIONNELLE),
        communes_visitees=("72181",),
    ),
    ConseillerDemo(
        "hugo.petit@conseillers.demo.test",
        "Hugo",
        "Petit",
        "72213",
        ("demo-72213-4", "demo-72008-2"),
        (T.MAINTENANCE_MATERIEL, T.CONTENUS_NUMERIQUES),
        (T.MAINTENANCE_MATERIEL, T.CONTENUS_NUMERIQUES, T.NAVIGATION_INTERNET),
        programme=Programme.CONSEILLER_NUMERIQUE,
        employeur="21722130000007",
        fin_contrat_il_y_a=60,
        communes_visitees=("72213", "72008", "72260"),
    ),
    ConseillerDemo(
        "nadia.haddad@conseillers.demo.test",
        "Nadia",
        "Haddad",
        CODE_LE_MANS,
        ("demo-ccas-le-mans", "demo-emmaus-connect"),
        (T.BANQUE_ACHATS_EN_LIGNE, T.DEMARCHES_ADMINISTRATIVES),
        (T.BANQUE_ACHATS_EN_LIGNE, T.DEMARCHES_ADMINISTRATIVES, T.SANTE),
        employeur=STRUCTURE_CCAS,
        silence=45,
        rapports_par_jour=(1, 3),
        communes_visitees=("72181",),
    ),
    ConseillerDemo(
        "julien.roux@conseillers.demo.test",
        "Julien",
        "Roux",
        "72386",
        ("demo-72386-5", "demo-72328-6"),
        (T.NAVIGATION_INTERNET, T.EMAIL, T.SECURITE_NUMERIQUE),
        (T.NAVIGATION_INTERNET, T.EMAIL, T.SECURITE_NUMERIQUE, T.SANTE),
        employeur="21723860000001",
        communes_visitees=("72386", "72328"),
    ),
]

# (convention, host structure's pivot, site, advisors, weekdays, hours, type of intervention)
MISES_A_DISPOSITION = [
    (
        "Convention centre social de Pontlieue — permanences numériques",
        STRUCTURE_DU_REFERENT,
        "demo-centre-social-pontlieue",
        (COMPTE_CONSEILLER_DEMO, "thomas.girard@conseillers.demo.test"),
        (Jour.MARDI, Jour.JEUDI),
        (dt.time(14, 0), dt.time(17, 0)),
        TypeIntervention.PERMANENCE,
    ),
    (
        "Convention CCAS du Mans — ateliers numériques",
        STRUCTURE_CCAS,
        "demo-ccas-le-mans",
        ("lea.fontaine@conseillers.demo.test",),
        (Jour.LUNDI,),
        (dt.time(9, 30), dt.time(12, 0)),
        TypeIntervention.ATELIERS,
    ),
]

# followed beneficiaries of the demo advisor: first name or initials, year, commune, gender
BENEFICIAIRES = [
    ("Josiane", 1948, "72181", Genre.FEMME),
    ("M. D.", 1961, "72386", Genre.HOMME),
    ("Aïcha", 1979, "72181", Genre.FEMME),
    ("Gérard", 1952, "72095", Genre.HOMME),
]

TITRES_ATELIERS = {
    T.PRENDRE_EN_MAIN_MATERIEL: "Prendre en main son smartphone",
    T.SECURITE_NUMERIQUE: "Déjouer les arnaques en ligne",
    T.DEMARCHES_ADMINISTRATIVES: "Créer son compte sur les sites publics",
    T.EMAIL: "Envoyer un courriel avec une pièce jointe",
    T.BUREAUTIQUE: "Rédiger son CV avec un traitement de texte",
    T.INSERTION_PROFESSIONNELLE: "Chercher un emploi en ligne",
    T.PARENTALITE: "Les écrans et vos enfants",
    T.SCOLARITE: "Suivre la scolarité sur l'ENT",
    T.CREER_AVEC_LE_NUMERIQUE: "Retoucher ses photos",
    T.INTELLIGENCE_ARTIFICIELLE: "Découvrir l'intelligence artificielle",
    T.NAVIGATION_INTERNET: "Bien chercher sur internet",
    T.SANTE: "Mon espace santé et Ameli",
}


@dataclass
class BilanDemo:
    conseillers: int = 0
    mises_a_disposition: int = 0
    activites_ajoutees: int = 0
    activites: int = 0

    def resume(self) -> str:
        return (
            f"Conseillers\u00a0: {self.conseillers} conseillers, {self.mises_a_disposition} "
            "mises à "
            f"disposition, {self.activites_ajoutees} activités ajoutées ({self.activites} au "
            "total)."
        )


@transaction.atomic
def charger_conseillers_demo(*, mois: int = MOIS_PAR_DEFAUT, graine: int = GRAINE) -> BilanDemo:
    """Profiles, assignments and ``mois`` months of reports up to today (idempotent)."""
    aujourd_hui = timezone.localdate()
    lieux = {lieu.identifiant: lieu for lieu in Lieu.objects.tous().filter(source=SOURCE_DEMO)}
    structures = {}
    for structure in Structure.objects.tous().order_by("pk"):
        structures.setdefault(structure.pivot, structure)
    conseillers = {
        modele.email: _profil(modele, lieux, structures, aujourd_hui) for modele in CONSEILLERS_DEMO
    }
    mises = [
        _mise_a_disposition(ligne, lieux, structures, conseillers, aujourd_hui)
        for ligne in MISES_A_DISPOSITION
    ]
    _relier_arrets(lieux["demo-bus-numerique"])
    debut = _moins_mois(aujourd_hui, mois).replace(day=1)
    bilan = BilanDemo(conseillers=len(conseillers), mises_a_disposition=len(mises))
    for rang, modele in enumerate(CONSEILLERS_DEMO):
        conseiller = conseillers[modele.email]
        generateur = _Generateur(
            modele,
            conseiller,
            [lieux[i] for i in modele.lieux],
            [m for m in mises if conseiller in m.conseillers.all()],
            random.Random(graine * 100 + rang),  # noqa: S311 (demo data, not a secret)
        )
        fin = aujourd_hui - dt.timedelta(days=modele.silence)
        if conseiller.date_fin_contrat:
            fin = min(fin, conseiller.date_fin_contrat)
        bilan.activites_ajoutees += generateur.generer(debut, fin)
    bilan.activites = Activite.objects.tous().filter(conseiller__in=conseillers.values()).count()
    return bilan


def _moins_mois(jour: dt.date, mois: int) -> dt.date:
    annee, rang = divmod(jour.year * 12 + jour.month - 1 - mois, 12)
    return dt.date(annee, rang + 1, min(jour.day, 28))


def _profil(modele: ConseillerDemo, lieux, structures, aujourd_hui) -> Conseiller:
    user = None
    if modele.email == COMPTE_CONSEILLER_DEMO:
        user = User.objects.filter(email=modele.email).first()
    if user is not None:
        conseiller = profil_conseiller(user=user)
    else:
        conseiller = Conseiller.objects.tous().filter(email=modele.email).first() or Conseiller(
            email=modele.email
        )
    conseiller.prenom, conseiller.nom = modele.prenom, modele.nom
    conseiller.commune_id = modele.commune
    conseiller.structure = structures.get(modele.employeur)
    conseiller.competences = list(modele.competences)
    conseiller.thematiques_favorites = list(modele.favorites)
    conseiller.programme = modele.programme
    conseiller.ligne_financement = (
        "État — dispositif Conseiller numérique 2025"
        if modele.programme == Programme.CONSEILLER_NUMERIQUE
        else "Budget de fonctionnement 2026"
    )
    conseiller.date_debut_contrat = dt.date(2024, 9, 1)
    conseiller.date_fin_contrat = (
        aujourd_hui - dt.timedelta(days=modele.fin_contrat_il_y_a)
        if modele.fin_contrat_il_y_a is not None
        else None
    )
    conseiller.autres_competences = "anglais, arabe" if modele.prenom == "Karim" else ""
    conseiller.full_clean(exclude=["user"])
    conseiller.save()
    conseiller.lieux.set([lieux[i] for i in modele.lieux])
    return conseiller


def _mise_a_disposition(ligne, lieux, structures, conseillers, aujourd_hui) -> MiseADisposition:
    convention, pivot, lieu, emails, jours, (arrivee, depart), intervention = ligne
    mise, _ = MiseADisposition.objects.tous().update_or_create(
        convention=convention,
        defaults={
            "structure": structures[pivot],
            "lieu": lieux[lieu],
            "convention_signee_le": dt.date(aujourd_hui.year - 1, 12, 15),
            "date_debut": _moins_mois(aujourd_hui, 6),
            "jours": list(jours),
            "heure_debut": arrivee,
            "heure_fin": depart,
            "type_intervention": intervention,
        },
    )
    mise.conseillers.set([conseillers[e] for e in emails])
    return mise


def _relier_arrets(bus: Lieu) -> None:
    """The demo sites' loader recreates the bus stops, which empties the reports' stop: each
    itinerant report of the bus finds the stop of its commune again."""
    for arret in bus.arrets.all():
        Activite.objects.tous().filter(
            lieu=bus, canal=Canal.ITINERANT, arret__isnull=True, commune_id=arret.commune_id
        ).update(arret=arret)


class _Generateur:
    """Reports of one advisor, day by day, with a seeded random generator."""

    def __init__(self, modele: ConseillerDemo, conseiller, lieux, mises, rng: random.Random):
        self.modele = modele
        self.conseiller = conseiller
        self.fixes = [lieu for lieu in lieux if not lieu.est_itinerant]
        self.bus = next((lieu for lieu in lieux if lieu.est_itinerant), None)
        self.arrets = list(self.bus.arrets.all()) if self.bus else []
        self.mises = mises
        self.graine = rng.getrandbits(32)  # the advisor's: each day's generator derives from it
        self.rng = rng
        self.user = conseiller.user
        principales = [t.value for t in THEMATIQUES_PRINCIPALES]
        self.thematiques = principales + [t.value for t in modele.favorites] * 4
        self.administratives = sorted(t.value for t in THEMATIQUES_ADMINISTRATIVES)
        self.beneficiaires = self._beneficiaires() if self.user else []

    def _beneficiaires(self) -> list[Beneficiaire]:
        suivis = []
        for prenom, annee, commune, genre in BENEFICIAIRES:
            beneficiaire, _ = Beneficiaire.objects.tous().get_or_create(
                conseiller=self.conseiller,
                prenom=prenom,
                defaults={
                    "annee_naissance": annee,
                    "commune_id": commune,
                    "genre": genre,
                    # consent given before the first report of the demo's two years
                    "consentement_le": timezone.now() - dt.timedelta(days=31 * (MOIS_DEMO + 1)),
                },
            )
            suivis.append(beneficiaire)
        return suivis

    def generer(self, debut: dt.date, fin: dt.date) -> int:
        deja = set(
            Activite.objects.tous()
            .filter(conseiller=self.conseiller, date__gte=debut, date__lte=fin)
            .values_list("date", flat=True)
            .distinct()
        )
        activites, liens = [], []
        jour = debut
        # the growth runs over the demo's two years up to this month, whatever the period
        ce_mois = timezone.localdate().replace(day=1)
        horizon = ce_mois - dt.timedelta(days=round(30.44 * MOIS_DEMO))
        while jour <= fin:
            self.rng = random.Random(self.graine * 1_000_000 + jour.toordinal())  # noqa: S311
            avancement = min(max((jour - horizon).days / (ce_mois - horizon).days, 0), 1)
            travaille = jour.weekday() < 5 or (jour.weekday() == 5 and self.rng.random() < 0.15)
            nombre = self.rng.randint(*self.modele.rapports_par_jour) if travaille else 0
            if travaille and self.rng.random() < 0.08:
                nombre = 0  # leave, training day
            nombre = self._selon_la_saison(nombre, jour, avancement)
            rapports = [self._rapport(jour, rang) for rang in range(nombre)]
            if jour not in deja:
                for activite, beneficiaire in rapports:
                    activite.deriver_lieu()
                    # the form's rules; no query (the related rows come from the database)
                    activite.clean_fields(exclude=CLES_ETRANGERES)
                    activite.clean()
                    activites.append(activite)
                    if beneficiaire is not None:
                        liens.append((activite, beneficiaire))
            jour += dt.timedelta(days=1)
        Activite.objects.bulk_create(activites, batch_size=500)
        lien = Activite.beneficiaires.through
        lien.objects.bulk_create(lien(activite_id=a.pk, beneficiaire_id=b.pk) for a, b in liens)
        for beneficiaire in self.beneficiaires:
            derniere = beneficiaire.activites.filter(supprime_le__isnull=True).aggregate(
                d=Max("date")
            )["d"]
            if beneficiaire.derniere_activite != derniere:
                beneficiaire.derniere_activite = derniere
                beneficiaire.save(update_fields=["derniere_activite"])
        return len(activites)

    def _selon_la_saison(self, nombre: int, jour: dt.date, avancement: float) -> int:
        """The day's number of reports scaled by the season and the network's growth."""
        facteur = SAISONS[jour.month] * (1 - CROISSANCE / 2 + CROISSANCE * avancement)
        if (jour.month, jour.day) >= (12, 24) or (jour.month, jour.day) <= (1, 1):
            facteur = 0.2  # the holidays between Christmas and New Year
        attendu = nombre * facteur
        entier = int(attendu)
        return entier + (1 if self.rng.random() < attendu - entier else 0)

    def _rapport(self, jour: dt.date, rang: int) -> tuple[Activite, Beneficiaire | None]:
        rng = self.rng
        type_ = rng.choices(
            [TypeActivite.INDIVIDUEL, TypeActivite.PONCTUEL, TypeActivite.COLLECTIF], [55, 30, 15]
        )[0]
        code_jour = list(Jour)[jour.weekday()].value
        mise = next(
            (
                m
                for m in self.mises
                if code_jour in m.jours
                and m.date_debut <= jour
                and (m.date_fin is None or jour <= m.date_fin)
            ),
            None,
        )
        canal, lieu, arret, commune = self._ou(type_, mise, jour)
        participants = rng.randint(3, 12) if type_ == TypeActivite.COLLECTIF else 1
        thematiques = {rng.choice(self.thematiques) for _ in range(rng.choice([1, 1, 2, 3]))}
        if Thematique.DEMARCHES_ADMINISTRATIVES in thematiques or rng.random() < 0.1:
            thematiques |= {Thematique.DEMARCHES_ADMINISTRATIVES, rng.choice(self.administratives)}
        activite = Activite(
            conseiller=self.conseiller,
            date=jour,
            duree_minutes=rng.choice(
                [*DUREES_PROPOSEES[:4], 30, 45] if type_ != TypeActivite.COLLECTIF else [90, 120]
            ),
            type=type_,
            canal=canal,
            lieu=lieu,
            arret=arret,
            commune_id=commune,
            nb_participants=participants,
            thematiques=sorted(thematiques),
            materiel=rng.choice(
                [
                    [Materiel.TELEPHONE],
                    [Materiel.ORDINATEUR],
                    [Materiel.TABLETTE],
                    [Materiel.TELEPHONE, Materiel.ORDINATEUR],
                    [Materiel.AUCUN],
                ]
            ),
            cree_par=self.user,
            cree_le=timezone.make_aware(
                dt.datetime.combine(jour, dt.time(9 + 2 * rang % 9, rng.randrange(60)))
            ),
        )
        beneficiaire = None
        if type_ == TypeActivite.INDIVIDUEL:
            activite.autonomie = rng.choice(Autonomie.values)
            activite.a_poursuivre = rng.random() < 0.3
            if self.beneficiaires and rng.random() < 0.12:
                beneficiaire = rng.choice(self.beneficiaires)
        if type_ != TypeActivite.COLLECTIF and rng.random() < 0.12:
            activite.orientation = rng.choice(Orientation.values)
        activite.oriente_par_travailleur_social = rng.random() < 0.1
        if type_ == TypeActivite.COLLECTIF:
            principale = next((t for t in activite.thematiques if t in TITRES_ATELIERS), None)
            activite.titre_atelier = TITRES_ATELIERS.get(principale, "Atelier numérique")
            activite.niveau_atelier = rng.choice(NiveauAtelier.values)
            activite.nb_participants_recurrents = rng.randint(0, participants // 2)
        elif rng.random() < 0.3 or beneficiaire is not None:
            activite.nb_participants_recurrents = 1
        if rng.random() < 0.4:
            self._repartir(activite, participants)
        return activite, beneficiaire

    def _ou(self, type_, mise, jour):
        """Channel, site, stop and commune: the assignment's site on its days, the bus on
        Tuesdays to Fridays for the advisor who drives it, else mostly their own sites."""
        rng = self.rng
        if mise is not None and rng.random() < 0.7:
            return Canal.LIEU_ACTIVITE, mise.lieu, None, None
        if self.bus is not None and self.arrets and 1 <= jour.weekday() <= 4 and rng.random() < 0.3:
            arret = self.arrets[jour.weekday() % len(self.arrets)]
            return Canal.ITINERANT, self.bus, arret, None
        canaux = [Canal.LIEU_ACTIVITE, Canal.AUTRE_LIEU, Canal.DOMICILE, Canal.DISTANCE]
        poids = [70, 10, 5, 15] if type_ != TypeActivite.COLLECTIF else [85, 15, 0, 0]
        canal = rng.choices(canaux, poids)[0]
        if canal == Canal.LIEU_ACTIVITE:
            return canal, rng.choice(self.fixes), None, None
        communes = self.modele.communes_visitees or (self.modele.commune,)
        if canal == Canal.DISTANCE:
            return canal, None, None, rng.choice([*communes, None])
        return canal, None, None, rng.choice(communes)

    def _repartir(self, activite: Activite, participants: int) -> None:
        for champs in (list(CHAMPS_AGE), list(CHAMPS_STATUT)):
            comptes = defaultdict(int)
            for _ in range(participants):
                comptes[self.rng.choice(champs)] += 1
            for champ, nombre in comptes.items():
                setattr(activite, champ, nombre)
