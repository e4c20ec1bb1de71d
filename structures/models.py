"""Structures (organisations) and their lieux (sites where digital help is given)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Power
from django.utils import timezone
from simple_history.models import HistoricalRecords

from territoires.models import Commune, Zone
from territoires.perimetres import ModelePerimetre, PerimetreManagerBase, PerimetreQuerySet
from territoires.text import normaliser

from . import horaires as horaires_osm
from .enums import (
    FormationLabel,
    Frais,
    Itinerance,
    ModaliteAcces,
    ModaliteAccompagnement,
    PriseEnCharge,
    Programme,
    Public,
    Service,
    StatutSignalement,
    Typologie,
)
from .fields import ListeChoixField
from .validators import (
    ECART_MAX_KM,
    valider_code_postal,
    valider_code_postal_de_la_commune,
    valider_courriels,
    valider_pivot,
    valider_point_dans_la_commune,
    valider_sites_web,
    valider_telephones,
    valider_une_ligne,
)

POINT_VALIDE = (Q(latitude__isnull=True) & Q(longitude__isnull=True)) | (
    Q(latitude__gte=-90, latitude__lte=90) & Q(longitude__gte=-180, longitude__lte=180)
)


def _nombre_de(modele, relation: str):
    """``Count`` of a reverse or many-to-many relation of ``modele`` as a subquery, so that
    structures reads the relations other apps declare on it without importing them."""
    champ = modele._meta.get_field(relation)
    if champ.many_to_many and not champ.auto_created:  # forward: the through table
        cle = champ.m2m_field_name()
        lignes = champ.remote_field.through._base_manager
    else:
        cle = champ.field.name
        lignes = champ.related_model._base_manager
    sous_requete = (
        lignes.filter(**{cle: OuterRef("pk")})
        .order_by()
        .values(cle)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(sous_requete), 0)


class StructureQuerySet(PerimetreQuerySet):
    def de_la_commune(self, commune):
        return self.filter(commune=commune)

    def geree_par(self, user):
        """Structures whose referent is ``user``."""
        return self.filter(referents=user)

    def actives(self):
        """Not archived: those the lists, forms and suggestions offer."""
        return self.filter(archivee_le__isnull=True)

    def archivees(self):
        return self.filter(archivee_le__isnull=False)

    def avec_nombres(self):
        """Each structure with its numbers of sites, referents and employed advisors, one
        subquery each (no join that multiplies the rows)."""
        return self.annotate(
            nombre_lieux=_nombre_de(self.model, "lieux"),
            nombre_referents=_nombre_de(self.model, "referents"),
            nombre_conseillers=_nombre_de(self.model, "conseillers"),
        )

    def recherche(self, texte: str):
        """Structures whose name contains every word (accents and case aside), or whose
        SIRET or RNA number starts with the text typed (spaces aside)."""
        numero = "".join(texte.split()).upper()
        par_nom = Q()
        for mot in normaliser(texte).split():
            par_nom &= Q(nom_recherche__contains=mot)
        if len(numero) >= 5 and (numero.isdigit() or (numero[0] == "W" and numero[1:].isalnum())):
            return self.filter(par_nom | Q(pivot__startswith=numero))
        return self.filter(par_nom)


class Structure(ModelePerimetre):
    """An organisation: a town hall, a CCAS, an association, a France Services network..."""

    pivot = models.CharField(
        "SIRET ou RNA",
        max_length=14,
        blank=True,
        validators=[valider_pivot],
        help_text="SIRET (14 chiffres) ou, pour une association sans SIRET, numéro RNA",
    )
    nom = models.CharField("nom", max_length=250, validators=[valider_une_ligne])
    nom_recherche = models.CharField("nom normalisé", max_length=250, editable=False)
    typologies = ListeChoixField("typologies", choix=Typologie)
    adresse = models.CharField("adresse", max_length=250, blank=True)
    code_postal = models.CharField(
        "code postal", max_length=5, blank=True, validators=[valider_code_postal]
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="structures", verbose_name="commune"
    )
    telephone = models.CharField("téléphone", max_length=100, blank=True)
    courriel = models.EmailField("courriel", blank=True)
    site_web = models.URLField("site web", max_length=500, blank=True)
    parente = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filles",
        verbose_name="structure parente",
    )
    programmes = ListeChoixField("dispositifs et programmes nationaux", choix=Programme)
    labels = ListeChoixField("formations et labels", choix=FormationLabel)
    autres_labels = models.CharField("autres formations et labels", max_length=500, blank=True)
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="structures",
        verbose_name="référents",
        help_text="comptes de la structure qui tiennent ses lieux à jour",
    )
    presentation = models.TextField(
        "présentation",
        blank=True,
        validators=[MaxLengthValidator(2000)],
        help_text="ce que fait la structure, en quelques phrases (2\u202f000 caractères au plus)",
    )
    archivee_le = models.DateTimeField(
        "archivée le",
        null=True,
        blank=True,
        editable=False,
        help_text="une structure archivée quitte les listes et les formulaires ; "
        "son historique reste",
    )
    fusionnee_dans = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="fusionnees",
        verbose_name="fusionnée dans",
    )
    cree_le = models.DateTimeField("créée le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    # who changed what and when (forms, archiving, merges), read on the structure's page
    history = HistoricalRecords(excluded_fields=["nom_recherche", "cree_le", "modifie_le"])

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(StructureQuerySet)()

    class Meta:
        verbose_name = "structure"
        ordering = ["nom", "pk"]
        indexes = [models.Index(fields=["pivot"], name="structure_pivot_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parente=F("pk")), name="structure_pas_sa_propre_parente"
            ),
            models.CheckConstraint(
                condition=Q(fusionnee_dans__isnull=True) | Q(archivee_le__isnull=False),
                name="structure_fusionnee_archivee",
            ),
        ]

    def __str__(self):
        return self.nom

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)

    @property
    def est_archivee(self) -> bool:
        return self.archivee_le is not None

    def libelles(self, champ: str) -> list[str]:
        """French labels of a multi-valued field, in the vocabulary's order."""
        etiquettes = dict(self._meta.get_field(champ).choix.choices)
        return [etiquettes.get(code, code) for code in getattr(self, champ)]

    @property
    def libelles_typologies(self) -> list[str]:
        return self.libelles("typologies")

    @property
    def libelles_programmes(self) -> list[str]:
        return self.libelles("programmes")

    @property
    def libelles_labels(self) -> list[str]:
        return self.libelles("labels")


def point_plausible_q(chemin_commune: str) -> Q:
    """The point (latitude, longitude of the row) within ECART_MAX_KM of the commune reached
    by ``chemin_commune``, as a box (1° of latitude is 111 km; 1° of longitude at least
    70 km in metropolitan France); rows without point or centre, and overseas, are kept."""
    dlat, dlon = ECART_MAX_KM / 111, ECART_MAX_KM / 70
    c = chemin_commune
    dans_la_boite = (
        Q(latitude__gte=F(f"{c}__latitude") - dlat)
        & Q(latitude__lte=F(f"{c}__latitude") + dlat)
        & Q(longitude__gte=F(f"{c}__longitude") - dlon)
        & Q(longitude__lte=F(f"{c}__longitude") + dlon)
    )
    return (
        dans_la_boite
        | Q(latitude__isnull=True)
        | Q(**{f"{c}__latitude__isnull": True})
        | Q(**{f"{c}__code_insee__startswith": "97"})
    )


class LieuQuerySet(PerimetreQuerySet):
    def publics(self):
        """What anybody may read: every site of every territory."""
        return self.tous()

    def points_plausibles(self):
        """Sites whose point lies near their commune's centre (a box of ECART_MAX_KM around
        it; overseas communes, wider, are kept): a site placed in another territory is not
        counted there as an offer nor drawn on its maps."""
        return self.filter(point_plausible_q("commune"))

    def recherche(self, texte: str):
        """Sites whose name or commune's name contains every word.

        The communes are looked up first, so that each word is one indexed condition on
        the sites (trigram index on their name, or their commune among a list) rather
        than a join of the 35,000 communes on every site.
        """
        q = Q()
        for mot in normaliser(texte).split():
            communes = Commune.objects.filter(nom_recherche__contains=mot).values_list(
                "code_insee", flat=True
            )
            q &= Q(nom_recherche__contains=mot) | Q(commune_id__in=list(communes))
        return self.filter(q)

    def de_la_commune(self, commune):
        return self.filter(Q(commune=commune) | Q(arrets__commune=commune)).distinct()

    def du_code_postal(self, code: str):
        return self.filter(Q(code_postal=code) | Q(arrets__commune__codes_postaux__contains=code))

    def avec(self, champ: str, codes):
        """Sites whose multi-valued ``champ`` holds at least one of ``codes``."""
        codes = [c for c in codes if c]
        return self.filter(ListeChoixField.contient_un_de(champ, codes)) if codes else self

    def gratuits(self):
        return self.filter(ListeChoixField.contient("frais", Frais.GRATUIT))

    def itinerants(self):
        return self.filter(ListeChoixField.contient("itinerance", Itinerance.ITINERANT))

    def ouverts_le(self, moment: dt.datetime | None = None):
        """Open at ``moment`` (now), according to this week's computed slots."""
        moment = timezone.localtime(moment or timezone.now())
        minutes = moment.hour * 60 + moment.minute
        creneaux = Creneau.objects.filter(
            lieu=OuterRef("pk"), jour=moment.weekday(), debut__lte=minutes, fin__gt=minutes
        )
        return self.filter(Exists(creneaux))

    def ouverts_le_weekend(self):
        return self.filter(Exists(Creneau.objects.filter(lieu=OuterRef("pk"), jour__gte=5)))

    def autour(self, latitude: float, longitude: float, rayon_km: float):
        """The sites whose point lies in the box of ``rayon_km`` around a point."""
        import math

        dlat = rayon_km / 111.2
        dlon = rayon_km / (111.2 * max(math.cos(math.radians(latitude)), 0.1))
        return self.filter(
            latitude__range=(latitude - dlat, latitude + dlat),
            longitude__range=(longitude - dlon, longitude + dlon),
        )

    def par_distance(self, latitude: float, longitude: float):
        """Nearest first; an equirectangular approximation, exact enough within a territory."""
        import math

        facteur = math.cos(math.radians(latitude))
        return (
            self.filter(latitude__isnull=False)
            .annotate(
                distance2=Power(F("latitude") - latitude, 2)
                + Power((F("longitude") - longitude) * facteur, 2)
            )
            .order_by("distance2", "nom")
        )

    def modifiables_par(self, user):
        """What ``user`` may edit: a coordinator's territory, a referent's structures."""
        from comptes.enums import Role

        if not (user.is_authenticated and user.is_active):
            return self.none()._marquer()
        if user.is_staff or user.is_superuser:
            return self.tous()
        if user.role == Role.COORDINATEUR:
            return self.pour(user)
        if user.role == Role.REFERENT:
            return self.filter(structure__referents=user)._marquer()
        return self.none()._marquer()


class Lieu(ModelePerimetre):
    """A site where digital help is given, as described by the national standard."""

    structure = models.ForeignKey(
        Structure, on_delete=models.PROTECT, related_name="lieux", verbose_name="structure"
    )
    source = models.CharField(
        "source",
        max_length=150,
        blank=True,
        help_text="structure qui a collecté la donnée (colonne « source » du standard)",
    )
    identifiant = models.CharField(
        "identifiant",
        max_length=150,
        help_text="identifiant unique du lieu chez sa source (colonne « id » du standard)",
    )
    nom = models.CharField("nom", max_length=250, validators=[valider_une_ligne])
    nom_recherche = models.CharField("nom normalisé", max_length=250, editable=False)
    adresse = models.CharField("adresse", max_length=250)
    complement_adresse = models.CharField("complément d'adresse", max_length=250, blank=True)
    code_postal = models.CharField("code postal", max_length=5, validators=[valider_code_postal])
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="lieux", verbose_name="commune"
    )
    zone = models.ForeignKey(
        Zone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lieux",
        verbose_name="quartier ou IRIS",
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    typologies = ListeChoixField("typologies", choix=Typologie)
    telephone = models.CharField(
        "téléphone",
        max_length=100,
        blank=True,
        help_text="format international : +33243474747",
        validators=[valider_telephones],
    )
    courriels = models.CharField(
        "courriels",
        max_length=500,
        blank=True,
        help_text="plusieurs adresses séparées par « | »",
        validators=[valider_courriels],
    )
    site_web = models.CharField(
        "site web",
        max_length=1000,
        blank=True,
        help_text="plusieurs adresses séparées par « | »",
        validators=[valider_sites_web],
    )
    horaires = models.CharField(
        "horaires",
        max_length=1000,
        blank=True,
        validators=[horaires_osm.valider_horaires],
        help_text="syntaxe OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:30 »",
    )
    presentation_resume = models.CharField(
        "présentation résumée", max_length=280, blank=True, validators=[MaxLengthValidator(280)]
    )
    presentation_detail = models.TextField("présentation détaillée", blank=True)
    itinerance = ListeChoixField("itinérance", choix=Itinerance)
    structure_parente = models.CharField("réseau ou structure parente", max_length=250, blank=True)
    date_maj = models.DateField("date de mise à jour", default=timezone.localdate)
    services = ListeChoixField("services", choix=Service, blank=False)
    publics = ListeChoixField("publics spécifiquement adressés", choix=Public)
    prise_en_charge = ListeChoixField("prise en charge spécifique", choix=PriseEnCharge)
    frais = ListeChoixField("frais à charge", choix=Frais)
    programmes = ListeChoixField("dispositifs et programmes nationaux", choix=Programme)
    formations_labels = ListeChoixField("formations et labels", choix=FormationLabel)
    autres_formations_labels = models.CharField(
        "autres formations et labels", max_length=500, blank=True
    )
    modalites_acces = ListeChoixField("modalités d'accès", choix=ModaliteAcces)
    modalites_accompagnement = ListeChoixField(
        "modalités d'accompagnement", choix=ModaliteAccompagnement
    )
    fiche_acces_libre = models.URLField("fiche Accès libre", max_length=500, blank=True)
    prise_rdv = models.URLField("prise de rendez-vous en ligne", max_length=500, blank=True)
    # what a city's digital guide lists, beyond the national standard
    wifi_public = models.BooleanField("accès Wi-Fi public", default=False)
    materiel_libre_acces = models.BooleanField("matériel en libre accès", default=False)
    mediateur_present = models.BooleanField("présence d'un médiateur", default=True)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    # who changed what and when (forms, API, imports), read on the site's management page
    history = HistoricalRecords(excluded_fields=["nom_recherche", "cree_le", "modifie_le"])

    perimetre_chemin = "commune"
    objects = PerimetreManagerBase.from_queryset(LieuQuerySet)()

    class Meta:
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        ordering = ["nom", "pk"]
        indexes = [
            models.Index(fields=["commune", "nom"], name="lieu_commune_nom_idx"),
            models.Index(fields=["code_postal"], name="lieu_code_postal_idx"),
            models.Index(fields=["latitude", "longitude"], name="lieu_point_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "identifiant"], name="lieu_identifiant_unique_par_source"
            ),
            models.CheckConstraint(condition=POINT_VALIDE, name="lieu_point_valide"),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (Q(latitude__isnull=False) & Q(longitude__isnull=False)),
                name="lieu_point_complet",
            ),
            models.CheckConstraint(condition=~Q(services=""), name="lieu_au_moins_un_service"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.commune.nom})" if self.commune_id else self.nom

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        erreurs = {}
        try:
            valider_point_dans_la_commune(self.latitude, self.longitude, self.commune)
        except ValidationError as erreur:
            erreurs["latitude"] = erreur
        except Commune.DoesNotExist:
            pass
        try:
            valider_code_postal_de_la_commune(self.code_postal, self.commune)
        except ValidationError as erreur:
            erreurs["code_postal"] = erreur
        except Commune.DoesNotExist:
            pass
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def est_itinerant(self) -> bool:
        return Itinerance.ITINERANT in self.itinerance

    @property
    def est_gratuit(self) -> bool:
        return Frais.GRATUIT in self.frais

    def est_ouvert(self, moment: dt.datetime | None = None) -> bool | None:
        return horaires_osm.est_ouvert(self.horaires, moment)

    def semaine(self):
        return horaires_osm.semaine_lisible(self.horaires)

    @property
    def liste_courriels(self) -> list[str]:
        return [c for c in self.courriels.split("|") if c]

    @property
    def liste_sites_web(self) -> list[str]:
        return [c for c in self.site_web.split("|") if c]

    @property
    def liste_telephones(self) -> list[str]:
        return [c for c in self.telephone.split("|") if c]

    def libelles(self, champ: str) -> list[str]:
        """French labels of a multi-valued field, in the vocabulary's order."""
        choix = self._meta.get_field(champ).choix
        etiquettes = dict(choix.choices)
        return [etiquettes.get(code, code) for code in getattr(self, champ)]


class Arret(models.Model):
    """A stop of an itinerant site (a van, a tricycle, a mobile France Services)."""

    lieu = models.ForeignKey(Lieu, on_delete=models.CASCADE, related_name="arrets")
    nom = models.CharField("nom de l'arrêt", max_length=250, validators=[valider_une_ligne])
    adresse = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="arrets", verbose_name="commune"
    )
    latitude = models.FloatField("latitude", null=True, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    horaires = models.CharField(
        "horaires",
        max_length=500,
        blank=True,
        validators=[horaires_osm.valider_horaires],
        help_text="syntaxe OpenStreetMap, par exemple « Tu 14:00-17:00 »",
    )

    class Meta:
        verbose_name = "arrêt"
        ordering = ["lieu", "nom", "pk"]
        constraints = [
            models.CheckConstraint(condition=POINT_VALIDE, name="arret_point_valide"),
        ]

    def __str__(self):
        return f"{self.nom} ({self.commune.nom})"

    def clean(self):
        super().clean()
        try:
            valider_point_dans_la_commune(self.latitude, self.longitude, self.commune)
        except ValidationError as erreur:
            raise ValidationError({"latitude": erreur}) from erreur
        except Commune.DoesNotExist:
            pass

    def semaine(self):
        return horaires_osm.semaine_lisible(self.horaires)


class Creneau(models.Model):
    """One open slot of a site over the current week, derived from its OSM hours.

    Rebuilt when the hours change and every night (so dated exceptions follow the
    calendar); it lets the database answer "open now" and "open at weekends".
    """

    lieu = models.ForeignKey(Lieu, on_delete=models.CASCADE, related_name="creneaux")
    jour = models.PositiveSmallIntegerField("jour")  # 0 = lundi
    debut = models.PositiveSmallIntegerField("début (minutes)")
    fin = models.PositiveSmallIntegerField("fin (minutes)")

    class Meta:
        verbose_name = "créneau d'ouverture"
        verbose_name_plural = "créneaux d'ouverture"
        indexes = [models.Index(fields=["jour", "debut", "fin"], name="creneau_jour_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(jour__lte=6, debut__lt=F("fin"), fin__lte=1440),
                name="creneau_valide",
            ),
        ]

    def __str__(self):
        return f"{self.jour} {self.debut}-{self.fin}"


class SignalementQuerySet(PerimetreQuerySet):
    def nouveaux(self):
        return self.filter(statut=StatutSignalement.NOUVEAU)

    def ouverts(self):
        return self.filter(statut__in=StatutSignalement.ouverts())

    def a_notifier(self):
        """New reports not yet in a coordinators' digest."""
        return self.nouveaux().filter(notifie_le__isnull=True)


class Signalement(ModelePerimetre):
    """An error on a site's page reported by the public, for the territory's coordinators."""

    lieu = models.ForeignKey(Lieu, on_delete=models.CASCADE, related_name="signalements")
    message = models.TextField("message", validators=[MaxLengthValidator(2000)])
    courriel = models.EmailField("courriel", blank=True, help_text="facultatif, pour vous répondre")
    statut = models.CharField(
        "statut", max_length=10, choices=StatutSignalement.choices, default="nouveau"
    )
    cree_le = models.DateTimeField("reçu le", auto_now_add=True)
    notifie_le = models.DateTimeField(
        "transmis le",
        null=True,
        blank=True,
        editable=False,
        help_text="date du courriel de synthèse qui l'a transmis aux coordinateurs",
    )
    assigne_a = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signalements_assignes",
        verbose_name="suivi par",
    )
    note = models.TextField(
        "note interne", blank=True, validators=[MaxLengthValidator(2000)], default=""
    )
    reponse = models.TextField(
        "réponse envoyée", blank=True, validators=[MaxLengthValidator(4000)], default=""
    )
    repondu_le = models.DateTimeField("réponse envoyée le", null=True, blank=True, editable=False)
    clos_le = models.DateTimeField("clos le", null=True, blank=True, editable=False)

    perimetre_chemin = "lieu__commune"
    objects = PerimetreManagerBase.from_queryset(SignalementQuerySet)()

    class Meta:
        verbose_name = "signalement d'erreur"
        verbose_name_plural = "signalements d'erreur"
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(statut__in=StatutSignalement.values), name="signalement_statut_valide"
            ),
        ]

    def __str__(self):
        return f"Signalement sur {self.lieu.nom}"
