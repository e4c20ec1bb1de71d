"""Forms of the accounts' back office. The choices offered are those the manager may give
(its territory, the roles it may grant); the services check them again."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from commun.forms import FormulaireAccessibleMixin
from comptes import permissions as regles
from comptes.enums import EtatCompte, Role
from structures.forms.autocompletion import structure_a_saisir
from territoires.models import Commune, Departement, Epci

from .. import permissions

NIVEAUX = {"departement": Departement, "epci": Epci, "commune": Commune}


def _cle(territoire) -> str:
    for niveau, modele in NIVEAUX.items():
        if isinstance(territoire, modele):
            return f"{niveau}:{territoire.pk}"
    raise TypeError(territoire)


def territoires_proposes(user) -> dict[str, list]:
    """What ``user`` may grant, by level (``comptes.permissions.territoire_attribuable``):
    the départements it holds, the EPCI and communes within its territory (staff:
    départements and EPCI; a commune goes through the admin)."""
    perimetre = user.perimetre
    if perimetre.national:
        return {
            "departement": list(Departement.objects.order_by("code")),
            "epci": list(Epci.objects.order_by("nom")),
            "commune": [],
        }
    communes = Commune.objects.dans(perimetre)
    dehors = Commune.objects.exclude(perimetre.q())
    return {
        "departement": list(
            Departement.objects.filter(pk__in=perimetre.departements).order_by("code")
        ),
        "epci": list(
            Epci.objects.filter(pk__in=communes.filter(epci__isnull=False).values("epci"))
            .exclude(pk__in=dehors.filter(epci__isnull=False).values("epci"))
            .order_by("nom")
        ),
        "commune": list(communes.order_by("nom")),
    }


class TerritoiresField(forms.MultipleChoiceField):
    """Territories as ``niveau:code`` keys, grouped by level; cleans to model objects."""

    GROUPES = {
        "departement": "Départements",
        "epci": "Intercommunalités (EPCI)",
        "commune": "Communes",
    }

    def __init__(self, *, proposes: dict[str, list], **kwargs):
        self.objets = {_cle(t): t for liste in proposes.values() for t in liste}
        choix = [
            (self.GROUPES[niveau], [(_cle(t), str(t)) for t in liste])
            for niveau, liste in proposes.items()
            if liste
        ]
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault(
            "invalid_choice",
            "« %(value)s » n'est pas un territoire que vous pouvez attribuer\u00a0: choisissez "
            "dans la liste.",
        )
        kwargs["error_messages"].setdefault("required", "Choisissez au moins un territoire.")
        super().__init__(choices=choix, **kwargs)
        self.widget.attrs["size"] = min(10, max(3, len(self.objets) + len(choix)))

    def clean(self, value):
        return [self.objets[cle] for cle in super().clean(value)]


def _choix_roles(user) -> list:
    return [(r.value, r.label.capitalize()) for r in regles.roles_attribuables(user)]


class RechercheComptesForm(FormulaireAccessibleMixin, forms.Form):
    q = forms.CharField(label="Nom ou adresse électronique", required=False, max_length=100)
    role = forms.ChoiceField(
        label="Rôle",
        required=False,
        choices=[("", "Tous les rôles")] + [(r.value, r.label.capitalize()) for r in Role],
    )
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous les états")] + [(e.value, e.label.capitalize()) for e in EtatCompte],
    )

    def filtrer(self, comptes):
        d = self.cleaned_data
        if d.get("q"):
            mots = d["q"].split()
            for mot in mots:
                comptes = comptes.filter(
                    Q(email__icontains=mot) | Q(prenom__icontains=mot) | Q(nom__icontains=mot)
                )
        if d.get("role"):
            comptes = comptes.du_role(d["role"])
        if d.get("etat"):
            comptes = comptes.dans_l_etat(d["etat"])
        return comptes


class CompteForm(FormulaireAccessibleMixin, forms.Form):
    """Role and territories of an account."""

    role = forms.ChoiceField(label="Rôle")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _choix_roles(user)
        self.fields["territoires"] = TerritoiresField(
            label="Territoires",
            proposes=territoires_proposes(user),
            help_text="Le compte voit les données de ces territoires. Vous ne pouvez "
            "attribuer que des territoires compris dans le vôtre. Pour en choisir plusieurs, "
            "maintenez la touche Ctrl (Cmd sur Mac).",
        )
        self.fields["territoires"].widget.attrs["class"] = "form-select"

    @staticmethod
    def initial_de(compte) -> dict:
        return {
            "role": compte.role,
            "territoires": [_cle(t.territoire) for t in compte.territoires.all()],
        }


class InvitationForm(CompteForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    prenom = forms.CharField(label="Prénom", max_length=150, required=False)
    nom = forms.CharField(label="Nom", max_length=150, required=False)
    structure = forms.ModelChoiceField(
        label="Structure (pour un référent)",
        required=False,
        queryset=None,
        empty_label="Aucune",
        help_text="Le référent tiendra à jour les lieux de cette structure.",
    )
    conseiller = forms.ModelChoiceField(
        label="Profil de conseiller (pour un conseiller)",
        required=False,
        queryset=None,
        empty_label="Aucun (trouvé par son adresse électronique, s'il existe)",
        help_text="Les profils de votre territoire qui n'ont pas encore de compte.",
    )

    field_order = ["email", "prenom", "nom", "role", "territoires", "structure", "conseiller"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # no role chosen in advance (the widest would be first); the manager's own
        # territories to start with
        self.fields["role"].choices = [("", "Choisissez un rôle"), *_choix_roles(user)]
        self.fields["territoires"].initial = [
            _cle(t.territoire)
            for t in user.territoires.select_related("commune", "epci", "departement")
            if _cle(t.territoire) in self.fields["territoires"].objets
        ]
        self.fields["structure"].queryset = (
            permissions.structures_rattachables(user)
            .select_related("commune")
            .order_by("nom", "pk")
        )
        self.fields["conseiller"].queryset = (
            permissions.profils_rattachables(user)
            .only("prenom", "nom", "email")
            .order_by("nom", "prenom", "pk")
        )
        for nom in ("structure", "conseiller"):
            self.fields[nom].widget.attrs["class"] = "form-select"
        structure_a_saisir(self)  # typed with suggestions when the territory has many
        self.order_fields(self.field_order)

    def clean(self):
        d = super().clean()
        role = d.get("role")
        if d.get("structure") and role != Role.REFERENT:
            self.add_error("structure", "Seul un référent se rattache à une structure.")
        if role == Role.REFERENT and not d.get("structure"):
            self.add_error("structure", "Choisissez la structure de ce référent.")
        if d.get("conseiller") and role != Role.CONSEILLER:
            self.add_error(
                "conseiller", "Seul un conseiller se rattache à un profil de conseiller."
            )
        return d


class RattachementForm(FormulaireAccessibleMixin, forms.Form):
    """Attach a referent to a structure, or an advisor account to its profile: the one
    field that fits the account's role (none for the other roles)."""

    structure = forms.ModelChoiceField(
        label="Structure", queryset=None, empty_label="Choisissez une structure"
    )
    conseiller = forms.ModelChoiceField(
        label="Profil de conseiller", queryset=None, empty_label="Choisissez un profil"
    )

    def __init__(self, *args, user, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = (
            permissions.structures_rattachables(user)
            .select_related("commune")
            .order_by("nom", "pk")
        )
        self.fields["conseiller"].queryset = (
            permissions.profils_rattachables(user)
            .only("prenom", "nom", "email")
            .order_by("nom", "prenom", "pk")
        )
        garde = {Role.REFERENT: "structure", Role.CONSEILLER: "conseiller"}.get(role)
        for nom in list(self.fields):
            if nom != garde:
                del self.fields[nom]
        for champ in self.fields.values():
            champ.error_messages["invalid_choice"] = (
                "Ce choix n'est pas de votre territoire ou n'est plus disponible."
            )
            champ.error_messages["required"] = "Choisissez dans la liste."
        if "structure" in self.fields:
            structure_a_saisir(self)

    @property
    def possible(self) -> bool:
        return bool(self.fields)

    def clean(self):
        d = super().clean()
        if not self.fields:
            raise forms.ValidationError(
                "Seuls les comptes de référent et de conseiller se rattachent."
            )
        return d


class ImportInvitationsForm(FormulaireAccessibleMixin, forms.Form):
    fichier = forms.FileField(
        label="Fichier CSV",
        help_text="Colonnes courriel, prenom, nom, role, structure_siret (UTF-8, séparées par "
        "des points-virgules ou des virgules), 500 lignes au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    partiel = forms.BooleanField(
        label="Inviter les lignes correctes même si d'autres sont en erreur",
        required=False,
        help_text="Sans cette case, une seule ligne en erreur et personne n'est invité.",
    )

    TAILLE_MAXIMUM = 1_000_000

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoires"] = TerritoiresField(
            label="Territoires des comptes invités",
            proposes=territoires_proposes(user),
            help_text="Chaque compte du fichier reçoit ces territoires.",
        )
        self.fields["territoires"].widget.attrs["class"] = "form-select"
        self.order_fields(["fichier", "territoires", "partiel"])

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if fichier.size > self.TAILLE_MAXIMUM:
            raise forms.ValidationError(
                "Le fichier dépasse 1 Mo\u00a0: envoyez-le en plusieurs fois."
            )
        return fichier
