"""Vocabularies of the national standard *lieux de médiation numérique* v1.0.2.

Each value is stored as a short code; the label is the exact value the standard writes in
its CSV files (``import_lieux`` reads labels, ``export_lieux`` writes them).
"""

from django.db import models


class Service(models.TextChoices):
    DEMARCHES = "demarches", "Aide aux démarches administratives"
    OUTILS_QUOTIDIEN = "outils_quotidien", "Maîtrise des outils numériques du quotidien"
    INSERTION_PRO = "insertion_pro", "Insertion professionnelle via le numérique"
    SECURITE = "securite", "Utilisation sécurisée du numérique"
    PARENTALITE = "parentalite", "Parentalité et éducation avec le numérique"
    LOISIRS = "loisirs", "Loisirs et créations numériques"
    COMPREHENSION = "comprehension", "Compréhension du monde numérique"
    ACCES_MATERIEL = "acces_materiel", "Accès internet et matériel informatique"
    MATERIEL_SOLIDAIRE = (
        "materiel_solidaire",
        "Acquisition de matériel informatique à prix solidaire",
    )


class Public(models.TextChoices):
    JEUNES = "jeunes", "Jeunes"
    ETUDIANTS = "etudiants", "Étudiants"
    FAMILLES = "familles", "Familles et/ou enfants"
    SENIORS = "seniors", "Seniors"
    FEMMES = "femmes", "Femmes"


class PriseEnCharge(models.TextChoices):
    SURDITE = "surdite", "Surdité"
    HANDICAP_MOTEUR = "handicap_moteur", "Handicaps moteurs"
    HANDICAP_MENTAL = "handicap_mental", "Handicaps mentaux"
    ILLETTRISME = "illettrisme", "Illettrisme"
    ANGLAIS = "anglais", "Langues étrangères (anglais)"
    AUTRES_LANGUES = "autres_langues", "Langues étrangères (autres)"
    DEFICIENCE_VISUELLE = "deficience_visuelle", "Déficience visuelle"


class Frais(models.TextChoices):
    GRATUIT = "gratuit", "Gratuit"
    GRATUIT_SOUS_CONDITION = "gratuit_sous_condition", "Gratuit sous condition"
    PAYANT = "payant", "Payant"


class Programme(models.TextChoices):
    AIDANTS_CONNECT = "aidants_connect", "Aidants Connect"
    BNR = "bnr", "Bibliothèques numérique de référence"
    PIX = "pix", "Certification PIX"
    CONSEILLERS_NUMERIQUES = "conseillers_numeriques", "Conseillers numériques"
    EMMAUS_CONNECT = "emmaus_connect", "Emmaüs Connect"
    FRANCE_SERVICES = "france_services", "France Services"
    GRANDE_ECOLE = "grande_ecole", "Grande école du numérique"
    CROIX_ROUGE = "croix_rouge", "La Croix Rouge"
    POINT_CAF = "point_caf", "Point d'accès numérique CAF"
    PROMENEURS = "promeneurs", "Promeneurs du net"
    RELAIS_EMMAUS = "relais_emmaus", "Relais numérique (Emmaüs Connect)"


class FormationLabel(models.TextChoices):
    MON_ESPACE_SANTE = "mon_espace_sante", "Formé à « Mon Espace Santé »"
    DUPLEX = "duplex", "Formé à « DUPLEX » (illettrisme)"
    ARNIA = "arnia", "Arnia/MedNum BFC (Bourgogne-Franche-Comté)"
    REEMPLOI_NORMANDIE = (
        "reemploi_normandie",
        ("Collectif ressources et acteurs réemploi (Normandie)"),
    )
    ETAPES_NUMERIQUES = "etapes_numeriques", "Étapes numériques (La Poste)"
    FABRIQUES = "fabriques", "Fabriques de Territoire"
    ECLAIREURS = "eclaireurs", "Les Éclaireurs du numérique (Drôme)"
    MES_PAPIERS = "mes_papiers", "Mes Papiers (Métropole de Lyon)"
    ORDI_3 = "ordi_3", "ORDI 3.0"
    SUD_LABS = "sud_labs", "SUD LABS (PACA)"


class ModaliteAcces(models.TextChoices):
    SE_PRESENTER = "se_presenter", "Se présenter"
    TELEPHONER = "telephoner", "Téléphoner"
    MAIL = "mail", "Contacter par mail"
    RDV_EN_LIGNE = "rdv_en_ligne", "Prendre un RDV en ligne"
    PAS_DE_PUBLIC = "pas_de_public", "Ce lieu n'accueille pas de public"
    PRESCRIPTION = "prescription", "Envoyer un mail avec une fiche de prescription"


class ModaliteAccompagnement(models.TextChoices):
    AUTONOMIE = "autonomie", "En autonomie"
    INDIVIDUEL = "individuel", "Accompagnement individuel"
    COLLECTIF = "collectif", "Dans un atelier collectif"
    DISTANCE = "distance", "À distance"


class Itinerance(models.TextChoices):
    ITINERANT = "itinerant", "Itinérant"
    FIXE = "fixe", "Fixe"


class Typologie(models.TextChoices):
    """Union of the data·inclusion list and of the national map's (ANCT) list."""

    ACI = "ACI", "Structures porteuses d'ateliers et chantiers d'insertion (ACI)"
    ACIPHC = "ACIPHC", "SIAE — Atelier chantier d'insertion premières heures en chantier"
    AFPA = "AFPA", "Agence nationale pour la formation professionnelle des adultes (AFPA)"
    AI = "AI", "Associations intermédiaires (AI)"
    ASE = "ASE", "Aide sociale à l'enfance (ASE)"
    ASSO = "ASSO", "Associations"
    ASSO_CHOMEUR = "ASSO_CHOMEUR", "Associations de chômeurs"
    AUTRE = "Autre", "Autre"
    AVIP = "AVIP", "Crèche à vocation d'insertion professionnelle (AVIP)"
    BIB = "BIB", "Bibliothèque / Médiathèque"
    CAARUD = "CAARUD", "Centre d'accueil et d'accompagnement à la réduction de risques (CAARUD)"
    CADA = "CADA", "Centres d'accueil de demandeurs d'asile (CADA)"
    CAF = "CAF", "Caisses d'allocations familiales (CAF)"
    CAP_EMPLOI = "CAP_EMPLOI", "Cap Emploi"
    CAVA = "CAVA", "Centres d'adaptation à la vie active (CAVA)"
    CC = "CC", "Communautés de communes"
    CCAS = "CCAS", "Centres communaux d'action sociale (CCAS)"
    CCONS = "CCONS", "Chambres consulaires (CCI, CMA, CA)"
    CD = "CD", "Conseils départementaux (CD)"
    CDAS = "CDAS", "Centre départemental d'action sociale (CDAS)"
    CFP = "CFP", "Centre des finances publiques (CFP)"
    CHRS = "CHRS", "Centres d'hébergement et de réinsertion sociale (CHRS)"
    CHU = "CHU", "Centres d'hébergement d'urgence (CHU)"
    CIAS = "CIAS", "Centres intercommunaux d'action sociale (CIAS)"
    CIDFF = "CIDFF", "Centres d'information sur les droits des femmes et des familles (CIDFF)"
    CITMET = "CITMET", "Cité des métiers"
    CMP = "CMP", "Centre médico-psychologique (CMP)"
    CMS = "CMS", "Centre médico-social (CMS)"
    CPAM = "CPAM", "Caisse primaire d'assurance maladie (CPAM)"
    CPH = "CPH", "Centres provisoires d'hébergement (CPH)"
    CS = "CS", "Centre social"
    CSAPA = "CSAPA", "Centre de soins, d'accompagnement et de prévention en addictologie (CSAPA)"
    CSC = "CSC", "Centre socio-culturel (CSC)"
    DEETS = "DEETS", "Directions de l'économie, de l'emploi, du travail et des solidarités (DEETS)"
    DEPT = "DEPT", "Services sociaux du conseil départemental"
    DIPLP = (
        "DIPLP",
        "Délégation interministérielle à la prévention et à la lutte contre la pauvreté",
    )
    E2C = "E2C", "École de la 2e chance (E2C)"
    EA = "EA", "Entreprise adaptée (EA)"
    EATT = "EATT", "Entreprise adaptée de travail temporaire (EATT)"
    EI = "EI", "Entreprises d'insertion (EI)"
    EITI = "EITI", "Entreprises d'insertion par le travail indépendant (EITI)"
    ENM = "ENM", "Espace numérique mobile (ENM)"
    EPCI = "EPCI", "Intercommunalité (EPCI)"
    EPI = "EPI", "Espace public internet (EPI)"
    EPIDE = "EPIDE", "Établissement pour l'insertion dans l'emploi (EPIDE)"
    EPN = "EPN", "Espace public numérique (EPN)"
    ES = "ES", "Épicerie solidaire"
    ESS = "ESS", "Entreprise de l'économie sociale et solidaire"
    ETABL_PRI = "ETABL_PRI", "Établissement privé"
    ETABL_PUB = "ETABL_PUB", "Établissement public"
    ETAT = "ETAT", "Service de l'État"
    ETTI = "ETTI", "Entreprises de travail temporaire d'insertion (ETTI)"
    EVS = "EVS", "Espace de vie sociale (EVS)"
    FABLAB = "FABLAB", "Fablab / Atelier partagé"
    FAIS = "FAIS", "Fédérations d'acteurs de l'insertion et de la solidarité"
    FT = "FT", "France Travail"
    GEIQ = "GEIQ", "Groupements d'employeurs pour l'insertion et la qualification (GEIQ)"
    HUDA = "HUDA", "Hébergement d'urgence pour demandeurs d'asile (HUDA)"
    LA_POSTE = "LA_POSTE", "Bureau de poste / Agence postale"
    MDA = "MDA", "Maison départementale de l'autonomie"
    MDE = "MDE", "Maison de l'emploi"
    MDEF = "MDEF", "Maison de l'emploi et de la formation"
    MDPH = "MDPH", "Maison départementale des personnes handicapées"
    MDS = "MDS", "Maison départementale des solidarités"
    MJC = "MJC", "Maison des jeunes et de la culture"
    ML = "ML", "Mission locale"
    MQ = "MQ", "Maison de quartier"
    MSA = "MSA", "Mutualité sociale agricole"
    MSAP = "MSAP", "Maison de services au public (MSAP)"
    MUNI = "MUNI", "Municipalités"
    OACAS = "OACAS", "Organisme d'accueil communautaire et d'activité solidaire (OACAS)"
    ODC = "ODC", "Organisation délégataire d'un CD"
    OF = "OF", "Organisme de formations"
    OIL = "OIL", "Opérateur d'intermédiation locative"
    OPCS = "OPCS", "Organisation porteuse de la clause sociale"
    PAD = "PAD", "Point d'accès au droit"
    PE = "PE", "Pôle emploi"
    PENSION = "PENSION", "Pension de famille / résidence accueil"
    PI = "PI", "Point information (PI)"
    PIJ_BIJ = "PIJ_BIJ", "Points et bureaux information jeunesse (PIJ/BIJ)"
    PIMMS = "PIMMS", "Point information médiation multi services (PIMMS)"
    PJJ = "PJJ", "Protection judiciaire de la jeunesse (PJJ)"
    PLIE = "PLIE", "Plans locaux pour l'insertion et l'emploi (PLIE)"
    PREF = "PREF", "Préfecture, sous-préfecture"
    PREVENTION = "PREVENTION", "Service ou club de prévention"
    REG = "REG", "Région"
    RESSOURCERIE = "RESSOURCERIE", "Ressourcerie"
    RFS = "RFS", "Réseau France Services"
    RS_FJT = "RS_FJT", "Résidence sociale / Foyer de jeunes travailleurs (FJT)"
    SCP = "SCP", "Services et clubs de prévention"
    SPIP = "SPIP", "Services pénitentiaires d'insertion et de probation (SPIP)"
    TIERS_LIEUX = "TIERS_LIEUX", "Tiers-lieu et coworking"
    UDAF = "UDAF", "Union départementale des associations familiales (UDAF)"


# The families of the typologies, to group the 93 boxes of the site form: neither
# data·inclusion's list nor the national schema groups them, the grouping is the portal's
FAMILLES_TYPOLOGIES: list[tuple[str, list[Typologie]]] = [
    (
        "Lieux numériques, culturels et de vie sociale",
        [
            Typologie.EPN,
            Typologie.EPI,
            Typologie.ENM,
            Typologie.FABLAB,
            Typologie.TIERS_LIEUX,
            Typologie.BIB,
            Typologie.CS,
            Typologie.CSC,
            Typologie.EVS,
            Typologie.MJC,
            Typologie.MQ,
        ],
    ),
    (
        "Accès aux droits et services de proximité",
        [
            Typologie.RFS,
            Typologie.MSAP,
            Typologie.PAD,
            Typologie.PI,
            Typologie.PIJ_BIJ,
            Typologie.PIMMS,
            Typologie.LA_POSTE,
        ],
    ),
    (
        "Collectivités et action sociale publique",
        [
            Typologie.MUNI,
            Typologie.CC,
            Typologie.EPCI,
            Typologie.CD,
            Typologie.REG,
            Typologie.CCAS,
            Typologie.CIAS,
            Typologie.CDAS,
            Typologie.DEPT,
            Typologie.MDS,
            Typologie.MDA,
            Typologie.MDPH,
            Typologie.ODC,
        ],
    ),
    (
        "État et organismes de protection sociale",
        [
            Typologie.ETAT,
            Typologie.PREF,
            Typologie.DEETS,
            Typologie.DIPLP,
            Typologie.CFP,
            Typologie.CAF,
            Typologie.CPAM,
            Typologie.MSA,
            Typologie.ETABL_PUB,
        ],
    ),
    (
        "Emploi et formation",
        [
            Typologie.FT,
            Typologie.PE,
            Typologie.CAP_EMPLOI,
            Typologie.ML,
            Typologie.MDE,
            Typologie.MDEF,
            Typologie.PLIE,
            Typologie.CITMET,
            Typologie.AFPA,
            Typologie.OF,
            Typologie.E2C,
            Typologie.EPIDE,
            Typologie.CCONS,
            Typologie.GEIQ,
            Typologie.OPCS,
        ],
    ),
    (
        "Insertion par l'activité économique et emploi adapté",
        [
            Typologie.ACI,
            Typologie.ACIPHC,
            Typologie.AI,
            Typologie.EI,
            Typologie.EITI,
            Typologie.ETTI,
            Typologie.EA,
            Typologie.EATT,
            Typologie.AVIP,
            Typologie.ESS,
            Typologie.RESSOURCERIE,
            Typologie.FAIS,
        ],
    ),
    (
        "Hébergement, logement et solidarités",
        [
            Typologie.CHRS,
            Typologie.CHU,
            Typologie.CADA,
            Typologie.HUDA,
            Typologie.CPH,
            Typologie.CAVA,
            Typologie.PENSION,
            Typologie.RS_FJT,
            Typologie.OIL,
            Typologie.OACAS,
            Typologie.ES,
            Typologie.UDAF,
            Typologie.CIDFF,
            Typologie.ASE,
        ],
    ),
    (
        "Justice, prévention et santé",
        [
            Typologie.PJJ,
            Typologie.SPIP,
            Typologie.PREVENTION,
            Typologie.SCP,
            Typologie.CAARUD,
            Typologie.CSAPA,
            Typologie.CMP,
            Typologie.CMS,
        ],
    ),
    (
        "Associations et autres structures",
        [Typologie.ASSO, Typologie.ASSO_CHOMEUR, Typologie.ETABL_PRI, Typologie.AUTRE],
    ),
]


class StatutSignalement(models.TextChoices):
    NOUVEAU = "nouveau", "nouveau"
    EN_COURS = "en_cours", "en cours"
    CORRIGE = "corrige", "corrigé"
    REJETE = "rejete", "rejeté"

    @classmethod
    def ouverts(cls) -> list[str]:
        return [cls.NOUVEAU, cls.EN_COURS]

    @classmethod
    def clos(cls) -> list[str]:
        return [cls.CORRIGE, cls.REJETE]
