from django.db import models


class TypeEpci(models.TextChoices):
    CC = "CC", "communauté de communes"
    CA = "CA", "communauté d'agglomération"
    CU = "CU", "communauté urbaine"
    METRO = "METRO", "métropole"
    MET69 = "MET69", "Métropole de Lyon"


class TypeZone(models.TextChoices):
    IRIS = "iris", "IRIS"
    QUARTIER = "quartier", "quartier"
    ARRONDISSEMENT = "arrondissement", "arrondissement municipal"


class TypeAncienneCommune(models.TextChoices):
    DELEGUEE = "deleguee", "commune déléguée"
    ASSOCIEE = "associee", "commune associée"
    ANCIENNE = "ancienne", "ancienne commune"


class NiveauTerritoire(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"
