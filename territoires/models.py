"""Reference geography: the Code officiel géographique (COG) of INSEE, and districts."""

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When

from .enums import TypeAncienneCommune, TypeEpci, TypeZone
from .perimetres import ModelePerimetre, Perimetre, PerimetreManagerBase, PerimetreQuerySet
from .text import normaliser


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departements", verbose_name="région"
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class Epci(models.Model):
    siren = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=5, choices=TypeEpci.choices)
    population = models.PositiveIntegerField("population municipale", default=0)

    class Meta:
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=TypeEpci.values), name="epci_type_valide"),
        ]

    def __str__(self):
        return self.nom


class CommuneQuerySet(models.QuerySet):
    def de_l_epci(self, epci):
        return self.filter(epci=epci)

    def du_departement(self, departement):
        return self.filter(departement=departement)

    def dans(self, perimetre: Perimetre):
        return self.filter(perimetre.q())

    def recherche(self, texte: str):
        """Communes whose name contains every word, or whose postal code starts with the
        digits, best matches first (exact name, then prefix, then population)."""
        texte = (texte or "").strip()
        if texte.isdigit():
            if len(texte) == 5:
                return self.filter(Q(codes_postaux__contains=texte) | Q(code_insee=texte)).order_by(
                    "-population", "nom"
                )
            return self.filter(
                Q(codes_postaux__startswith=texte) | Q(codes_postaux__contains=f"|{texte}")
            ).order_by("-population", "nom")
        cle = normaliser(texte)
        if not cle:
            return self.none()
        qs = self
        for mot in cle.split():
            qs = qs.filter(nom_recherche__contains=mot)
        return qs.annotate(
            pertinence=Case(
                When(nom_recherche=cle, then=Value(0)),
                When(nom_recherche__startswith=cle, then=Value(1)),
                When(nom_recherche__contains=cle, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("pertinence", "-population", "nom")


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField("nom", max_length=100)
    nom_recherche = models.CharField("nom normalisé", max_length=100, db_index=True, editable=False)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="communes", verbose_name="département"
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name="EPCI",
        null=True,
        blank=True,
    )
    codes_postaux = models.CharField(
        "codes postaux", max_length=200, help_text="séparés par « | »", db_index=True
    )
    population = models.PositiveIntegerField("population municipale")
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["nom", "code_insee"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90)
                    & Q(longitude__gte=-180, longitude__lte=180)
                ),
                name="commune_point_valide",
            ),
        ]

    def __str__(self):
        return f"{self.nom} ({self.code_insee})"

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)

    @property
    def liste_codes_postaux(self) -> list[str]:
        return [code for code in self.codes_postaux.split("|") if code]


class ZoneQuerySet(PerimetreQuerySet):
    def de_la_commune(self, commune):
        return self.filter(commune=commune)


class Zone(ModelePerimetre):
    """A zone infra-communale: an IRIS (with its INSEE code when known) or a named district."""

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="zones", verbose_name="commune"
    )
    type = models.CharField("type", max_length=15, choices=TypeZone.choices)
    code = models.CharField(
        "code IRIS ou d'arrondissement",
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        help_text="9 chiffres pour un IRIS, code INSEE à 5 chiffres pour un arrondissement",
    )
    nom = models.CharField("nom", max_length=150)
    nom_recherche = models.CharField("nom normalisé", max_length=150, editable=False)

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(ZoneQuerySet)()

    class Meta:
        verbose_name = "zone infra-communale"
        verbose_name_plural = "zones infra-communales"
        ordering = ["commune__nom", "nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "nom_recherche"], name="zone_nom_unique_par_commune"
            ),
            models.CheckConstraint(condition=Q(type__in=TypeZone.values), name="zone_type_valide"),
            models.CheckConstraint(
                condition=Q(code__isnull=True)
                | Q(type__in=[TypeZone.IRIS, TypeZone.ARRONDISSEMENT]),
                name="zone_code_reserve_aux_iris_et_arrondissements",
            ),
        ]

    def __str__(self):
        return f"{self.nom} ({self.commune.nom})"

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)


class AncienneCommune(models.Model):
    """A code or name that files still use for a place now part of a current commune: a
    commune déléguée or associée, or the code of a commune merged into another."""

    code_insee = models.CharField("code INSEE", max_length=5, db_index=True)
    nom = models.CharField("nom", max_length=100, blank=True)
    nom_recherche = models.CharField("nom normalisé", max_length=100, editable=False)
    type = models.CharField("type", max_length=10, choices=TypeAncienneCommune.choices)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="anciennes_communes",
        verbose_name="commune actuelle",
    )
    annee = models.PositiveSmallIntegerField(
        "année de la fusion",
        null=True,
        blank=True,
        help_text="1er janvier de l'année où le code a cessé d'être celui d'une commune",
    )

    class Meta:
        verbose_name = "ancienne commune ou commune déléguée"
        verbose_name_plural = "anciennes communes et communes déléguées"
        ordering = ["code_insee", "commune"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_insee", "commune"], name="ancienne_commune_unique"
            ),
            models.CheckConstraint(
                condition=Q(type__in=TypeAncienneCommune.values),
                name="ancienne_commune_type_valide",
            ),
        ]

    def __str__(self):
        return f"{self.nom or self.code_insee} ({self.code_insee})"

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)


class LocalitePostale(models.Model):
    """A locality of La Poste's base (« libellé d'acheminement ») that is not the name of its
    commune: ``MONTFAVET`` 84140 is in Avignon."""

    code_postal = models.CharField("code postal", max_length=5, db_index=True)
    nom = models.CharField("nom", max_length=100)
    nom_recherche = models.CharField("nom normalisé", max_length=100, editable=False)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="localites", verbose_name="commune"
    )

    class Meta:
        verbose_name = "localité postale"
        verbose_name_plural = "localités postales"
        ordering = ["code_postal", "nom"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_postal", "nom_recherche", "commune"], name="localite_unique"
            ),
        ]

    def __str__(self):
        return f"{self.nom} {self.code_postal}"

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)
