from django.db import models


class Niveau(models.TextChoices):
    """The unit an indicator value or an index describes."""

    COMMUNE = "commune", "commune"
    IRIS = "iris", "IRIS"
    QUARTIER = "quartier", "quartier"


class Indicateur(models.TextChoices):
    """The 11 indicators of the national digital fragility index, higher = more fragile."""

    NON_COUVERTURE_THD = "non_couverture_thd", "locaux non couverts en très haut débit"
    PAUVRETE = "pauvrete", "taux de pauvreté"
    DISTANCE_BIBLIOTHEQUE = "distance_bibliotheque", "distance à la bibliothèque la plus proche"
    DISTANCE_SERVICES_PUBLICS = (
        "distance_services_publics",
        "distance moyenne aux services publics",
    )
    MENAGES_UNE_PERSONNE = "menages_une_personne", "ménages d'une personne"
    FAMILLES_MONOPARENTALES = "familles_monoparentales", "familles monoparentales"
    CHOMAGE = "chomage", "chômage des 15-64 ans"
    ETRANGERS = "etrangers", "part des étrangers"
    DEPENDANCE_PRESTATIONS = "dependance_prestations", "ménages dépendants des prestations"
    AGE_65_PLUS = "age_65_plus", "personnes de 65 ans et plus"
    PEU_DIPLOMES = "peu_diplomes", "personnes peu ou pas diplômées"


class Axe(models.TextChoices):
    ACCES_NUMERIQUE = "acces_numerique", "accès aux interfaces numériques"
    ACCES_INFORMATION = "acces_information", "accès à l'information"
    COMPETENCES_ADMINISTRATIVES = "competences_administratives", "compétences administratives"
    COMPETENCES_NUMERIQUES = "competences_numeriques", "compétences numériques"


AXES: dict[str, list[str]] = {
    Axe.ACCES_NUMERIQUE: [
        Indicateur.NON_COUVERTURE_THD,
        Indicateur.PAUVRETE,
        Indicateur.DISTANCE_BIBLIOTHEQUE,
    ],
    Axe.ACCES_INFORMATION: [
        Indicateur.DISTANCE_SERVICES_PUBLICS,
        Indicateur.MENAGES_UNE_PERSONNE,
        Indicateur.FAMILLES_MONOPARENTALES,
    ],
    Axe.COMPETENCES_ADMINISTRATIVES: [
        Indicateur.CHOMAGE,
        Indicateur.ETRANGERS,
        Indicateur.DEPENDANCE_PRESTATIONS,
    ],
    Axe.COMPETENCES_NUMERIQUES: [Indicateur.AGE_65_PLUS, Indicateur.PEU_DIPLOMES],
}


class Methode(models.TextChoices):
    RANGS = "rangs", "rangs (méthode nationale 2021)"
    RATIO = "ratio", "ratio à la moyenne (méthode 2020)"
    PUBLIE = "publie", "indice publié"
