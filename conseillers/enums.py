"""Vocabularies of the national advisors' platform (codes kept in data, API and imports)."""

from django.db import models


class TypeActivite(models.TextChoices):
    INDIVIDUEL = "individuel", "accompagnement individuel"
    PONCTUEL = "ponctuel", "demande ponctuelle"
    COLLECTIF = "collectif", "atelier collectif"


class Canal(models.TextChoices):
    LIEU_ACTIVITE = "lieu_activite", "dans un de mes lieux d'activité"
    AUTRE_LIEU = "autre_lieu", "dans un autre lieu"
    DOMICILE = "domicile", "au domicile de la personne"
    DISTANCE = "distance", "à distance (téléphone, visio)"
    ITINERANT = "itinerant", "en itinérance (aller vers)"


class Thematique(models.TextChoices):
    DIAGNOSTIC_NUMERIQUE = "diagnostic_numerique", "diagnostic numérique"
    PRENDRE_EN_MAIN_MATERIEL = "prendre_en_main_materiel", "prendre en main du matériel"
    MAINTENANCE_MATERIEL = "maintenance_materiel", "entretenir son matériel"
    CONTENUS_NUMERIQUES = "contenus_numeriques", "gérer ses contenus numériques"
    NAVIGATION_INTERNET = "navigation_internet", "naviguer sur internet"
    EMAIL = "email", "courriels"
    BUREAUTIQUE = "bureautique", "bureautique"
    RESEAUX_SOCIAUX = "reseaux_sociaux", "réseaux sociaux et communication"
    SANTE = "sante", "santé en ligne"
    BANQUE_ACHATS_EN_LIGNE = "banque_achats_en_ligne", "banque et achats en ligne"
    ENTREPRENEURIAT = "entrepreneuriat", "accompagner un projet d'entreprise"
    INSERTION_PROFESSIONNELLE = "insertion_professionnelle", "insertion professionnelle"
    SECURITE_NUMERIQUE = "securite_numerique", "prévention en sécurité numérique"
    PARENTALITE = "parentalite", "parentalité et numérique"
    SCOLARITE = "scolarite", "scolarité et numérique"
    CREER_AVEC_LE_NUMERIQUE = "creer_avec_le_numerique", "créer avec le numérique"
    CULTURE_NUMERIQUE = "culture_numerique", "culture numérique"
    INTELLIGENCE_ARTIFICIELLE = "intelligence_artificielle", "intelligence artificielle"
    DEMARCHES_ADMINISTRATIVES = "demarches_administratives", "démarches administratives"
    # administrative themes: only together with ``demarches_administratives``
    PAPIERS_ELECTIONS_CITOYENNETE = (
        "papiers_elections_citoyennete",
        "papiers, élections, citoyenneté",
    )
    FAMILLE_SCOLARITE = "famille_scolarite", "famille, scolarité"
    SOCIAL_SANTE = "social_sante", "social, santé"
    TRAVAIL_FORMATION_ENTREPRISE = "travail_formation_entreprise", "travail, formation, entreprise"
    LOGEMENT = "logement", "logement"
    TRANSPORTS_MOBILITE = "transports_mobilite", "transports, mobilité"
    ARGENT_IMPOTS = "argent_impots", "argent, impôts"
    JUSTICE = "justice", "justice"
    ETRANGERS_EUROPE = "etrangers_europe", "étrangers, Europe"
    LOISIRS_SPORTS_CULTURE = "loisirs_sports_culture", "loisirs, sports, culture"
    ASSOCIATIONS = "associations", "associations"


THEMATIQUES_ADMINISTRATIVES = frozenset(
    [
        Thematique.PAPIERS_ELECTIONS_CITOYENNETE,
        Thematique.FAMILLE_SCOLARITE,
        Thematique.SOCIAL_SANTE,
        Thematique.TRAVAIL_FORMATION_ENTREPRISE,
        Thematique.LOGEMENT,
        Thematique.TRANSPORTS_MOBILITE,
        Thematique.ARGENT_IMPOTS,
        Thematique.JUSTICE,
        Thematique.ETRANGERS_EUROPE,
        Thematique.LOISIRS_SPORTS_CULTURE,
        Thematique.ASSOCIATIONS,
    ]
)
THEMATIQUES_PRINCIPALES = [t for t in Thematique if t not in THEMATIQUES_ADMINISTRATIVES]


class TrancheAge(models.TextChoices):
    MOINS_12 = "moins_12", "moins de 12 ans"
    DE_12_17 = "12_17", "12 à 17 ans"
    DE_18_24 = "18_24", "18 à 24 ans"
    DE_25_39 = "25_39", "25 à 39 ans"
    DE_40_59 = "40_59", "40 à 59 ans"
    DE_60_69 = "60_69", "60 à 69 ans"
    PLUS_70 = "70_plus", "70 ans et plus"


class Statut(models.TextChoices):
    SCOLARISE = "scolarise", "scolarisé"
    SANS_EMPLOI = "sans_emploi", "sans emploi"
    EN_EMPLOI = "en_emploi", "en emploi"
    RETRAITE = "retraite", "retraité"
    NON_COMMUNIQUE = "non_communique", "non communiqué ou hétérogène"


# model field of each bracket: ``age_<code>`` and ``statut_<code>`` (also the import columns)
CHAMPS_AGE = {f"age_{t.value}": t for t in TrancheAge}
CHAMPS_STATUT = {f"statut_{s.value}": s for s in Statut}


class Materiel(models.TextChoices):
    ORDINATEUR = "ordinateur", "ordinateur"
    TELEPHONE = "telephone", "téléphone"
    TABLETTE = "tablette", "tablette"
    AUTRE = "autre", "autre matériel"
    AUCUN = "aucun", "aucun matériel"


class Autonomie(models.TextChoices):
    ENTIEREMENT_ACCOMPAGNE = "entierement_accompagne", "entièrement accompagné"
    PARTIELLEMENT_AUTONOME = "partiellement_autonome", "partiellement autonome"
    AUTONOME = "autonome", "autonome"


class Orientation(models.TextChoices):
    """Kind of structure a person is sent on to."""

    FRANCE_SERVICES = "france_services", "France Services"
    ADMINISTRATION = "administration", "administration ou opérateur public (CAF, CPAM, impôts…)"
    MEDIATION_NUMERIQUE = "mediation_numerique", "autre lieu de médiation numérique"
    AIDANT_CONNECT = "aidant_connect", "aidant habilité Aidants Connect"
    ACTION_SOCIALE = "action_sociale", "travailleur social, CCAS"
    FORMATION = "formation", "organisme de formation ou d'insertion"
    AUTRE = "autre", "autre structure"


class NiveauAtelier(models.TextChoices):
    DEBUTANT = "debutant", "débutant"
    INTERMEDIAIRE = "intermediaire", "intermédiaire"
    AVANCE = "avance", "avancé"


class SourceActivite(models.TextChoices):
    SAISIE = "saisie", "saisie dans le portail"
    IMPORT = "import", "import de fichier"
    API = "api", "API"


class Programme(models.TextChoices):
    CONSEILLER_NUMERIQUE = "conseiller_numerique", "dispositif Conseiller numérique (État)"
    COLLECTIVITE = "collectivite", "médiateur de la collectivité"
    STRUCTURE = "structure", "médiateur d'une structure partenaire"
    AUTRE = "autre", "autre"


class TypeIntervention(models.TextChoices):
    PERMANENCE = "permanence", "permanence d'accompagnement individuel"
    ATELIERS = "ateliers", "ateliers collectifs"
    MIXTE = "mixte", "permanence et ateliers"
    FORMATION_AIDANTS = "formation_aidants", "formation des aidants et des agents"


class Jour(models.TextChoices):
    LUNDI = "lu", "lundi"
    MARDI = "ma", "mardi"
    MERCREDI = "me", "mercredi"
    JEUDI = "je", "jeudi"
    VENDREDI = "ve", "vendredi"
    SAMEDI = "sa", "samedi"
    DIMANCHE = "di", "dimanche"


class Genre(models.TextChoices):
    FEMME = "femme", "femme"
    HOMME = "homme", "homme"
    NON_COMMUNIQUE = "non_communique", "non communiqué"


DUREES_PROPOSEES = (15, 30, 45, 60, 90, 120)
