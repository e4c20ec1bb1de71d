"""The vocabulary of La Coop de la médiation numérique, read as aliases of the portal's codes.

La Coop (``inclusion-numerique/coop-mediation-numerique``) names the same activity types,
channels and themes with other codes in its API and with French labels in its spreadsheet
export. Sources, in that repository (``apps/web/src/features/activites/use-cases/cra/``):
``fields/type-activite.ts`` (``typeActiviteApiValues``, ``typeActiviteLabels``),
``fields/type-lieu.ts`` (``typeLieuApiValues``, ``typeLieuLabels``), ``fields/thematique.ts``
(``thematiqueApiValues``, ``thematiqueLabels``); the age brackets and statuses of the
beneficiaries from ``apps/web/src/beneficiaire/beneficiaire.ts`` (``trancheAgeLabels``,
``statutSocialLabels``). The table is documented in ``docs/imports.md``.

Aliases are compared normalised (:func:`territoires.text.normaliser`: case, accents,
punctuation and underscores aside), so that ``navigation_sur_internet`` and « Navigation
sur internet » are one key; the portal's own codes and labels are accepted the same way.
"""

from __future__ import annotations

from territoires.text import normaliser

from .enums import Canal, Statut, Thematique, TrancheAge, TypeActivite

# La Coop's API code → the portal's code, where they differ (the others are the same code)
CODES_TYPES_COOP: dict[str, str] = {}
CODES_CANAUX_COOP = {
    "a_distance": Canal.DISTANCE,
    "autre": Canal.AUTRE_LIEU,
}
CODES_THEMATIQUES_COOP = {
    "prendre_en_main_du_materiel": Thematique.PRENDRE_EN_MAIN_MATERIEL,
    "maintenance_de_materiel": Thematique.MAINTENANCE_MATERIEL,
    "gere_ses_contenus_numeriques": Thematique.CONTENUS_NUMERIQUES,
    "navigation_sur_internet": Thematique.NAVIGATION_INTERNET,
    "banque_et_achats_en_ligne": Thematique.BANQUE_ACHATS_EN_LIGNE,
    "scolarite_et_numerique": Thematique.SCOLARITE,
    "aide_aux_demarches_administratives": Thematique.DEMARCHES_ADMINISTRATIVES,
    "travail_formation": Thematique.TRAVAIL_FORMATION_ENTREPRISE,
}

# La Coop's French labels (spreadsheet export) → the portal's code
LIBELLES_TYPES_COOP = {
    "Accompagnement individuel": TypeActivite.INDIVIDUEL,
    "Atelier collectif": TypeActivite.COLLECTIF,
}
LIBELLES_CANAUX_COOP = {
    "Lieu d’activité": Canal.LIEU_ACTIVITE,
    "Autre lieu": Canal.AUTRE_LIEU,
    "À domicile": Canal.DOMICILE,
    "À distance": Canal.DISTANCE,
}
LIBELLES_THEMATIQUES_COOP = {
    "Diagnostic numérique": Thematique.DIAGNOSTIC_NUMERIQUE,
    "Prendre en main du matériel": Thematique.PRENDRE_EN_MAIN_MATERIEL,
    "Maintenance de matériel": Thematique.MAINTENANCE_MATERIEL,
    "Gérer ses contenus numériques": Thematique.CONTENUS_NUMERIQUES,
    "Navigation sur internet": Thematique.NAVIGATION_INTERNET,
    "E-mail": Thematique.EMAIL,
    "Bureautique": Thematique.BUREAUTIQUE,
    "Réseaux sociaux communication": Thematique.RESEAUX_SOCIAUX,
    "Santé": Thematique.SANTE,
    "Banque et achats en ligne": Thematique.BANQUE_ACHATS_EN_LIGNE,
    "Accompagner un professionnel": Thematique.ENTREPRENEURIAT,
    "Insertion professionnelle": Thematique.INSERTION_PROFESSIONNELLE,
    "Prévention en sécurité numérique": Thematique.SECURITE_NUMERIQUE,
    "Parentalité": Thematique.PARENTALITE,
    "Scolarité et numérique": Thematique.SCOLARITE,
    "Créer avec le numérique": Thematique.CREER_AVEC_LE_NUMERIQUE,
    "Culture numérique": Thematique.CULTURE_NUMERIQUE,
    "Intelligence artificielle (IA)": Thematique.INTELLIGENCE_ARTIFICIELLE,
    "Aide aux démarches administratives": Thematique.DEMARCHES_ADMINISTRATIVES,
    "Papiers - Élections Citoyenneté": Thematique.PAPIERS_ELECTIONS_CITOYENNETE,
    "Famille - Scolarité": Thematique.FAMILLE_SCOLARITE,
    "Social - Santé": Thematique.SOCIAL_SANTE,
    "Travail - Formation - Entreprise": Thematique.TRAVAIL_FORMATION_ENTREPRISE,
    "Logement": Thematique.LOGEMENT,
    "Transports - Mobilité": Thematique.TRANSPORTS_MOBILITE,
    "Argent - Impôts": Thematique.ARGENT_IMPOTS,
    "Justice": Thematique.JUSTICE,
    "Étrangers - Europe": Thematique.ETRANGERS_EUROPE,
    "Loisirs - Sports Culture": Thematique.LOISIRS_SPORTS_CULTURE,
    "Associations": Thematique.ASSOCIATIONS,
}
# beneficiaries' age brackets and statuses in the export; « Mineur(e) » (older exports) and
# « Non communiqué » have no bracket of the portal: None
LIBELLES_AGES_COOP = {
    "Moins de 12 ans": TrancheAge.MOINS_12,
    "12 - 17 ans": TrancheAge.DE_12_17,
    "18 - 24 ans": TrancheAge.DE_18_24,
    "25 - 39 ans": TrancheAge.DE_25_39,
    "40 - 59 ans": TrancheAge.DE_40_59,
    "60 - 69 ans": TrancheAge.DE_60_69,
    "70 ans et plus": TrancheAge.PLUS_70,
    "70 ans ou plus": TrancheAge.PLUS_70,
    "Mineur(e)": None,
    "Non communiqué": None,
}
LIBELLES_STATUTS_COOP = {
    "Scolarisé": Statut.SCOLARISE,
    "Scolarisé(e)": Statut.SCOLARISE,
    "Sans emploi": Statut.SANS_EMPLOI,
    "En emploi": Statut.EN_EMPLOI,
    "Retraité": Statut.RETRAITE,
    "Retraité(e)": Statut.RETRAITE,
    "Non communiqué ou hétérogène": Statut.NON_COMMUNIQUE,
    "Non communiqué": Statut.NON_COMMUNIQUE,
}


def _alias(vocabulaire, codes_coop: dict, libelles_coop: dict) -> dict[str, str]:
    """Normalised alias → the portal's code: its codes and labels, then La Coop's."""
    alias: dict[str, str] = {}
    for choix in vocabulaire:
        alias.setdefault(normaliser(choix.value), choix.value)
        alias.setdefault(normaliser(choix.label), choix.value)
    for source in (codes_coop, libelles_coop):
        for texte, code in source.items():
            alias[normaliser(texte)] = str(code)
    return alias


ALIAS_TYPES = _alias(TypeActivite, CODES_TYPES_COOP, LIBELLES_TYPES_COOP)
ALIAS_CANAUX = _alias(Canal, CODES_CANAUX_COOP, LIBELLES_CANAUX_COOP)
ALIAS_THEMATIQUES = _alias(Thematique, CODES_THEMATIQUES_COOP, LIBELLES_THEMATIQUES_COOP)


def code_du_type(texte: str) -> str | None:
    return ALIAS_TYPES.get(normaliser(texte))


def code_du_canal(texte: str) -> str | None:
    return ALIAS_CANAUX.get(normaliser(texte))


def code_de_la_thematique(texte: str) -> str | None:
    return ALIAS_THEMATIQUES.get(normaliser(texte))
