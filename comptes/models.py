"""Accounts: e-mail login, one role, and the territories a user is scoped to."""

from __future__ import annotations

import uuid
from functools import cached_property

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from knox.models import AbstractAuthToken, AuthTokenManager
from simple_history.models import HistoricalRecords

from territoires.models import Commune, Departement, Epci
from territoires.perimetres import Perimetre, perimetre_de

from .enums import EtatCompte, Role


def normaliser_courriel(valeur: str) -> str:
    """The login e-mail as stored and compared: trimmed, lower-case."""
    return (valeur or "").strip().lower()


class UserQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(is_active=True)

    def du_role(self, role: Role):
        return self.filter(role=role)

    def dans_l_etat(self, etat: EtatCompte | str):
        """Invited: active, no password chosen yet; active: with a password; deactivated."""
        sans_mot_de_passe = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        if etat == EtatCompte.DESACTIVE:
            return self.filter(is_active=False)
        if etat == EtatCompte.INVITE:
            return self.filter(sans_mot_de_passe, is_active=True)
        return self.filter(~sans_mot_de_passe, is_active=True)

    def pour(self, user) -> UserQuerySet:
        """Accounts whose territories meet the territories of ``user``.

        The User table is read by Django's own authentication code, so it cannot refuse
        unscoped queries as :class:`~territoires.perimetres.PerimetreQuerySet` does; every
        view listing accounts goes through this method.
        """
        perimetre = perimetre_de(user)
        if perimetre.national:
            return self.all()
        if perimetre.est_vide:
            return self.none()
        communes = Commune.objects.dans(perimetre)
        territoires = TerritoireUtilisateur.objects.filter(user=OuterRef("pk")).filter(
            Q(commune__in=communes)
            | Q(epci__in=communes.filter(epci__isnull=False).values("epci"))
            | Q(departement__in=communes.values("departement"))
        )
        return self.filter(Exists(territoires))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=normaliser_courriel(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("adresse électronique", unique=True)
    prenom = models.CharField("prénom", max_length=150, blank=True)
    nom = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField(
        "rôle",
        max_length=20,
        choices=Role.choices,
        blank=True,
        help_text="laisser vide pour un compte d'équipe technique (staff)",
    )
    telephone = models.CharField("téléphone", max_length=20, blank=True)
    is_staff = models.BooleanField(
        "équipe technique", default=False, help_text="accès à l'administration Django"
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("date de création", default=timezone.now)

    objects = UserManager()
    # the audit trail of the accounts' back office (role, identity, state); the password
    # hash never goes there, and a login alone writes no version (see save)
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"],
        history_change_reason_field=models.TextField(null=True),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        ordering = ["nom", "prenom", "email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[*Role.values, ""]), name="user_role_valide"
            ),
            models.CheckConstraint(
                condition=~Q(role="") | Q(is_staff=True) | Q(is_active=False),
                name="user_role_ou_staff",
                violation_error_message="Un compte actif a un rôle, sauf l'équipe technique.",
            ),
        ]

    def __str__(self):
        return self.nom_complet or self.email

    def clean(self):
        super().clean()
        self.email = normaliser_courriel(self.email)

    def set_unusable_password(self):
        super().set_unusable_password()
        self._mot_de_passe_retire = True

    def save(self, *args, **kwargs):
        # one spelling per account, whatever wrote it (form, admin, import, shell)
        self.email = normaliser_courriel(self.email)
        # A new password (set_password keeps it in _password until this save; Django's own
        # rehash on login clears it first, so it does not count), a removed password or a
        # deactivated account: the API tokens go, whatever path wrote it (change and reset
        # pages, admin, changepassword, services, shell).
        retire = self.__dict__.pop("_mot_de_passe_retire", False)
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True  # a login is not a change of the account
        try:
            self._enregistrer(retire, *args, **kwargs)
        finally:
            self.__dict__.pop("skip_history_when_saving", None)

    def _enregistrer(self, retire: bool, *args, **kwargs):
        revoquer = not self._state.adding and (
            retire or self._password is not None or not self.is_active
        )
        if not revoquer:
            super().save(*args, **kwargs)
            return
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.revoquer_jetons_api()

    def revoquer_jetons_api(self) -> int:
        """Delete every API token of the account; returns how many there were."""
        return JetonApi.objects.filter(user=self).delete()[0]

    @property
    def nom_complet(self) -> str:
        return f"{self.prenom} {self.nom}".strip()

    def get_full_name(self):
        return self.nom_complet

    def get_short_name(self):
        return self.prenom or self.email

    def est(self, role: Role) -> bool:
        return self.is_active and self.role == role

    @property
    def etat(self) -> EtatCompte:
        if not self.is_active:
            return EtatCompte.DESACTIVE
        if not self.has_usable_password():
            return EtatCompte.INVITE
        return EtatCompte.ACTIF

    @cached_property
    def perimetre(self) -> Perimetre:
        if self.is_staff or self.is_superuser:
            return Perimetre(national=True)
        communes, epcis, departements = set(), set(), set()
        for commune, epci, departement in self.territoires.values_list(
            "commune_id", "epci_id", "departement_id"
        ):
            if commune:
                communes.add(commune)
            if epci:
                epcis.add(epci)
            if departement:
                departements.add(departement)
        return Perimetre(frozenset(communes), frozenset(epcis), frozenset(departements))


class TerritoireUtilisateur(models.Model):
    """One territory of a user: a commune, an EPCI or a département (exactly one)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="territoires", verbose_name="utilisateur"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        Epci,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="EPCI",
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="département",
    )

    class Meta:
        verbose_name = "territoire d'un utilisateur"
        verbose_name_plural = "territoires des utilisateurs"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(commune__isnull=False, epci__isnull=True, departement__isnull=True)
                    | Q(commune__isnull=True, epci__isnull=False, departement__isnull=True)
                    | Q(commune__isnull=True, epci__isnull=True, departement__isnull=False)
                ),
                name="territoire_utilisateur_un_seul_niveau",
                violation_error_message="Choisissez une commune, un EPCI ou un département, "
                "et un seul.",
            ),
            models.UniqueConstraint(
                fields=["user", "commune"], name="territoire_utilisateur_commune_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "epci"], name="territoire_utilisateur_epci_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "departement"], name="territoire_utilisateur_departement_unique"
            ),
        ]

    def __str__(self):
        return str(self.territoire)

    @property
    def territoire(self):
        return self.commune or self.epci or self.departement


class JetonApiQuerySet(models.QuerySet):
    def de(self, user) -> JetonApiQuerySet:
        return self.filter(user=user)

    def valides(self, moment=None) -> JetonApiQuerySet:
        return self.filter(expiry__gt=moment or timezone.now())


class JetonApi(AbstractAuthToken):
    """An API token (django-rest-knox): the database keeps its SHA-512 digest and its first
    characters to find it, never the token itself. Valid until ``expiry``; deleted when
    revoked (by its owner, or by a password change or a deactivation of the account)."""

    identifiant = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    libelle = models.CharField("libellé", max_length=100, blank=True)
    created = models.DateTimeField("créé le", auto_now_add=True)
    expiry = models.DateTimeField("expire le")
    dernier_usage = models.DateTimeField(
        "dernier usage",
        null=True,
        blank=True,
        help_text="noté au plus une fois par minute\u202f; compte comme activité du compte",
    )

    objects = AuthTokenManager.from_queryset(JetonApiQuerySet)()

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created"]

    def __str__(self):
        return f"{self.libelle or 'Jeton sans libellé'} ({self.user})"

    @property
    def expire(self) -> bool:
        return self.expiry <= timezone.now()


class InvitationQuerySet(models.QuerySet):
    def ouvertes(self) -> InvitationQuerySet:
        """Neither accepted nor cancelled (possibly expired)."""
        return self.filter(acceptee_le__isnull=True, annulee_le__isnull=True)

    def en_attente(self, moment=None) -> InvitationQuerySet:
        """Open and still valid: the link of the last e-mail can be used."""
        return self.ouvertes().filter(expire_le__gt=moment or timezone.now())


class Invitation(models.Model):
    """An invitation to choose a password, sent by e-mail to a new account.

    The link carries ``jeton`` signed with the time it was sent; it works until
    ``expire_le``, once. Sending again gives a new ``jeton`` (the older link stops working);
    an account has at most one open invitation.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name="compte"
    )
    invite_par = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="invité par",
    )
    jeton = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    envoyee_le = models.DateTimeField("envoyée le", default=timezone.now)
    envois = models.PositiveSmallIntegerField("nombre d'envois", default=1)
    expire_le = models.DateTimeField("expire le")
    acceptee_le = models.DateTimeField("acceptée le", null=True, blank=True)
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-envoyee_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(acceptee_le__isnull=True, annulee_le__isnull=True),
                name="invitation_une_seule_ouverte_par_compte",
                violation_error_message="Ce compte a déjà une invitation en cours.",
            ),
        ]

    def __str__(self):
        return f"Invitation de {self.user}"

    @property
    def expiree(self) -> bool:
        return self.expire_le <= timezone.now()

    @property
    def utilisable(self) -> bool:
        return self.acceptee_le is None and self.annulee_le is None and not self.expiree
