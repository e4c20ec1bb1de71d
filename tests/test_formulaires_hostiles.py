"""Hostile submissions to the main forms, through their real views and the test client.

Whatever a browser, a bot or a curious user sends (empty strings, huge strings, control
characters and NUL, negative or huge numbers, impossible dates, several values where one
is expected, junk fields, missing formset management fields), each view answers without
a server error and without raising. A refused submission writes nothing in the project's
tables (their history tables included: every row is compared, not only counted, on
PostgreSQL) and shows its errors in French on the re-rendered page; an accepted one
writes exactly the expected object. Each form also has a hand-written valid submission,
so that the properties cannot hold by everything being refused.

Property-based (hypothesis), like tests/test_imports_hostiles.py: the database of one
test is shared by its examples, so each example compares the tables before and after
its own request. Every POST carries a ``csrfmiddlewaretoken`` field as a browser's form
does (the test client does not check it): a POST with no field at all cannot reach a view
in production, CSRF refuses it first.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import string

import pytest
from django import forms
from django.apps import apps
from django.core import mail, validators
from django.db import connection, models
from django.forms.formsets import BaseFormSet
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from ateliers import services as services_ateliers
from ateliers.models import DemandeAtelier
from conseillers.enums import (
    CHAMPS_AGE,
    CHAMPS_STATUT,
    THEMATIQUES_ADMINISTRATIVES,
    Autonomie,
    Canal,
    Genre,
    Materiel,
    NiveauAtelier,
    Orientation,
    SourceActivite,
    Thematique,
    TypeActivite,
)
from conseillers.models import Activite, Beneficiaire
from conseillers.services import profil_conseiller
from structures import horaires as horaires_osm
from structures.enums import (
    Frais,
    Itinerance,
    ModaliteAcces,
    PriseEnCharge,
    Programme,
    Public,
    Service,
    Typologie,
)
from structures.models import Arret, Creneau, Lieu, Signalement
from structures.services import (
    CARACTERES_DE_CONTROLE,
    SUJET_RESUME,
    envoyer_resume_des_signalements,
)
from tests.ateliers.conftest import prochain
from tests.ateliers.factories import ConventionFactory, FicheFactory
from tests.conseillers.factories import BeneficiaireFactory, ConseillerFactory
from tests.structures.factories import ArretFactory, LieuFactory, StructureFactory

pytestmark = pytest.mark.django_db

REGLAGES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
SIRET_VALIDE = "43493312300029"

# -- hostile values -------------------------------------------------------------------

BIZARRE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=25
)  # quotes, separators, newlines, RTL marks, emoji…
CONTROLES = st.text(
    alphabet=st.characters(max_codepoint=0x1F)
    | st.sampled_from(["\x7f", "\x85", "\u200b", "\u200e", "\u202e", "\u2028", "\ufeff"]),
    min_size=1,
    max_size=6,
)
NUL = st.sampled_from(["\x00", "a\x00b", "72000\x00", "\x00" * 3, "Dominique\x00"])
ENORMES = st.builds(
    lambda motif, fois: motif * fois,
    st.sampled_from(["é", "9", "a ", "\x00", "<script>", "|"]),
    st.sampled_from([251, 1001, 2001, 20_000]),
)
NOMBRES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(
        ["-1", "0", "1e9", "1.5", "NaN", "inf", "-0", "٣", "²", "１２", "0x10", " 12 ", "9" * 25]
    ),
)
DATES = st.one_of(
    st.sampled_from(
        [
            "0000-00-00",
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "2026-13-01",
            "31/12/2025",
            "hier",
            "2019-12-31",
            "99999-01-01",
            "2026-03-02T10:00",
            "0000-00-00T00:00",
            "9999-12-31T23:59",
            "2027-03-28T02:30",  # a local time that does not exist (clocks go forward)
            "2027-10-31T02:30",  # a local time that happens twice (clocks go back)
        ]
    ),
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
)
MAUVAIS_TYPES = st.one_of(st.integers(), st.floats(), st.booleans())  # sent as str(value)
# what a spreadsheet would run as a formula, links a page would follow, header injection and
# identifiers whose case varies (issue 20: formula prefixes, javascript: URLs, CR/LF)
PIEGES = st.sampled_from(
    [
        "=1+1",
        '=HYPERLINK("https://pirate.example/";"clic")',
        "+33 appelez-nous",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1",
        "\r=1",
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "Médiathèque\r\nBcc: tous@exemple.fr",
        "LE MANS",
        "le mans",
        "Accueil@Exemple.FR",
    ]
)
NOMS_DE_CHAMPS = st.text(
    alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=12
)


def _hostile(plausibles: list) -> st.SearchStrategy:
    """One value of a field: a plausible one, or anything a hostile client may send,
    possibly repeated (several values where one is expected)."""
    scalaire = st.one_of(
        st.sampled_from([str(v) for v in plausibles] or [""]),
        st.just(""),
        BIZARRE,
        CONTROLES,
        NUL,
        PIEGES,
        ENORMES,
        NOMBRES,
        DATES,
        MAUVAIS_TYPES,
    )
    return st.one_of(scalaire, st.lists(scalaire, min_size=2, max_size=3))


@st.composite
def _soumission(draw, valides: dict, plausibles: dict, priorites=()) -> dict:
    """``valides`` with a few fields (or, once in ten, all of them) replaced by hostile
    values or left out, and sometimes junk fields added; the ``priorites`` fields are
    picked more often than the others."""
    cles = sorted(valides)
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        alterees = set(cles)
    else:
        tirables = cles + [cle for cle in cles if cle in priorites] * 5
        alterees = draw(st.sets(st.sampled_from(tirables), max_size=4))
    donnees = {}
    for cle in cles:
        if cle not in alterees:
            donnees[cle] = valides[cle]
        elif draw(st.integers(min_value=0, max_value=4)):  # else: the field is left out
            valeur = valides[cle]
            exemples = valeur if isinstance(valeur, list) else [valeur]
            donnees[cle] = draw(_hostile([*exemples, *plausibles.get(cle, [])]))
    if draw(st.booleans()):
        donnees.update(draw(st.dictionaries(NOMS_DE_CHAMPS, _hostile(["on", "1"]), max_size=2)))
    return donnees


def _dernier(valeur) -> str:
    """What a single-valued field reads: the last of the values sent."""
    if isinstance(valeur, list):
        return str(valeur[-1]) if valeur else ""
    return str(valeur)


def _liste(valeur) -> list[str]:
    if isinstance(valeur, list):
        return [str(v) for v in valeur]
    return [str(valeur)]


def _valeur_de(champ: forms.Field, donnees: dict, cle: str):
    """The value Django's own field makes of what was sent (French input formats)."""
    return champ.clean(_dernier(donnees.get(cle, "")))


# -- what the database holds --------------------------------------------------------

APPLICATIONS = {"comptes", "territoires", "structures", "conseillers", "ateliers", "indicateurs"}


@functools.cache
def _tables() -> tuple[tuple[str, str], ...]:
    """(label, table) of every model of the project, history and many-to-many included."""
    return tuple(
        sorted(
            {
                (modele._meta.label, modele._meta.db_table)
                for modele in apps.get_models(include_auto_created=True)
                if modele._meta.app_label in APPLICATIONS
                and modele._meta.managed
                and not modele._meta.proxy
            }
        )
    )


def _etat() -> dict[str, tuple[int, str]]:
    """Per model: its row count and, on PostgreSQL, a digest of all its rows (so that an
    update is seen as well as an insert)."""
    nom = connection.ops.quote_name
    if connection.vendor == "postgresql":
        ligne = (
            "SELECT %s, count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
            " FROM {} AS t"
        )
    else:
        ligne = "SELECT %s, count(*), '' FROM {} AS t"
    requete = " UNION ALL ".join(ligne.format(nom(table)) for _, table in _tables())
    with connection.cursor() as curseur:
        # the table names come from the models' metadata, the labels go as parameters
        curseur.execute(requete, [label for label, _ in _tables()])
        return {label: (nombre, empreinte) for label, nombre, empreinte in curseur.fetchall()}


def _ecarts(avant: dict, apres: dict) -> dict[str, int]:
    """Models whose rows changed, with the change of their row count."""
    return {
        label: apres[label][0] - avant[label][0] for label in avant if avant[label] != apres[label]
    }


# -- what the page says ---------------------------------------------------------------


@functools.cache
def _messages_anglais() -> tuple[str, ...]:
    """The fixed part of Django's own error messages in English: none may reach a page."""
    with translation.override("en"):
        messages = []
        champs = [
            objet
            for objet in [*vars(forms.fields).values(), *vars(forms.models).values()]
            if isinstance(objet, type) and issubclass(objet, forms.Field)
        ]
        for champ in champs:
            for classe in champ.__mro__:
                messages += getattr(classe, "default_error_messages", {}).values()
        messages += BaseFormSet.default_error_messages.values()
        messages += validators.DecimalValidator.messages.values()
        messages += [
            validateur.message
            for validateur in (
                validators.MinValueValidator(0),
                validators.MaxValueValidator(0),
                validators.MinLengthValidator(0),
                validators.MaxLengthValidator(0),
                validators.EmailValidator(),
                validators.URLValidator(),
                validators.ProhibitNullCharactersValidator(),
            )
        ]
        for classe in [*models.Field.__subclasses__(), models.Field]:
            messages += getattr(classe, "default_error_messages", {}).values()
        messages += [  # plural messages, which the loop above renders without their number
            "Ensure this value has at most",
            "Ensure this value has at least",
            "Ensure that there are no more than",
            "Please submit at most",
            "Please submit at least",
        ]
        fixes = {str(message).split("%(")[0].split("{")[0].strip() for message in messages}
    return tuple(sorted(m for m in fixes if len(m) >= 12))


def _formulaires(reponse, noms) -> list:
    contexte = reponse.context
    return [contexte[nom] for nom in noms if contexte is not None and nom in contexte]


def _messages(objet) -> list[str]:
    """Every error message of a form or formset (and of its forms)."""
    if isinstance(objet, BaseFormSet):
        return [
            *objet.non_form_errors(),
            *(message for formulaire in objet.forms for message in _messages(formulaire)),
        ]
    return [message for erreurs in objet.errors.values() for message in erreurs]


def _affiche(contenu: str, message: str) -> bool:
    return escape(message) in contenu or message in html.unescape(contenu)


def _verifier_en_francais(contenu: str) -> None:
    texte = html.unescape(contenu)
    anglais = [m for m in _messages_anglais() if m in texte]
    assert not anglais, f"message d'erreur en anglais\u00a0: {anglais}"


def _verifier_refus(reponse, noms=("formulaire",), autres: tuple[str, ...] = ()) -> None:
    """A refused submission: the page shows its errors, every one of them (or one of the
    ``autres`` French warnings), and no English error message."""
    contenu = reponse.content.decode()
    messages = [m for f in _formulaires(reponse, noms) for m in _messages(f)]
    messages += [m for m in autres if m in html.unescape(contenu)]
    assert messages, "une soumission refusée sans message d'erreur"
    cachees = [m for m in messages if not _affiche(contenu, m)]
    assert not cachees, f"erreurs absentes de la page\u00a0: {cachees}"
    _verifier_en_francais(contenu)


def _verifier_erreurs_affichees(reponse, noms=("formulaire",)) -> None:
    """A GET filter form: its errors, if any, are on the page and in French."""
    contenu = reponse.content.decode()
    messages = [m for f in _formulaires(reponse, noms) for m in _messages(f)]
    assert all(_affiche(contenu, m) for m in messages), f"erreur non affichée\u00a0: {messages}"
    _verifier_en_francais(contenu)


def _poster(client, url: str, donnees: dict):
    reponse = client.post(url, {"csrfmiddlewaretoken": "jeton", **donnees})
    if currently_in_test_context():  # ``--hypothesis-show-statistics``: accepted vs refused
        event(f"réponse {reponse.status_code}")
    return reponse


# -- the territory ----------------------------------------------------------------------


@pytest.fixture
def lieux_publics(geographie):
    """Sites of Le Mans and Angers, one of them itinerant with a stop at Yvré."""
    g = geographie
    structure = StructureFactory(commune=g["le_mans"], pivot=SIRET_VALIDE)
    mediatheque = LieuFactory(
        commune=g["le_mans"], structure=structure, nom="Médiathèque Aragon", zone=g["zones"][0]
    )
    bus = LieuFactory(
        commune=g["le_mans"],
        structure=structure,
        nom="Bus numérique",
        itinerance=[Itinerance.ITINERANT],
        frais=[Frais.PAYANT],
        horaires="Sa 09:00-12:00",
    )
    arret = ArretFactory(lieu=bus, commune=g["yvre"], nom="Place de la mairie")
    angers = LieuFactory(commune=g["angers_commune"], nom="Espace Roseraie")
    for lieu in (mediatheque, bus, angers):
        Creneau.objects.bulk_create(
            Creneau(lieu=lieu, jour=p.jour, debut=p.debut, fin=p.fin)
            for p in horaires_osm.plages_de_la_semaine(lieu.horaires)
        )
    return {
        "structure": structure,
        "mediatheque": mediatheque,
        "bus": bus,
        "arret": arret,
        "angers": angers,
    }


# == 1. the advisor's activity report ====================================================

NOUVELLE_ACTIVITE = reverse("conseillers:nouvelle_activite")


@pytest.fixture
def saisie(client_de, comptes, geographie, lieux_publics):
    """The advisor (working at the médiathèque and on the bus), a followed person,
    someone else's person, and the advisor's logged-in client."""
    user = comptes["conseiller"]
    conseiller = profil_conseiller(user=user)
    conseiller.lieux.add(lieux_publics["mediatheque"], lieux_publics["bus"])
    return {
        "client": client_de("conseiller"),
        "user": user,
        "conseiller": conseiller,
        "beneficiaire": BeneficiaireFactory(conseiller=conseiller, commune=geographie["le_mans"]),
        "beneficiaire_d_un_autre": BeneficiaireFactory(
            conseiller=ConseillerFactory(commune=geographie["le_mans"])
        ),
        **lieux_publics,
    }


def _activite_valide(s) -> dict:
    """An individual report at the médiathèque, today, 30 minutes, on e-mail."""
    return {
        "date": timezone.localdate().isoformat(),
        "type": TypeActivite.INDIVIDUEL,
        "duree": "30",
        "duree_minutes": "",
        "canal": Canal.LIEU_ACTIVITE,
        "lieu": str(s["mediatheque"].pk),
        "arret": "",
        "commune": "",
        "deja_accompagnee": "",
        "nb_participants": "1",
        "nb_participants_recurrents": "0",
        **dict.fromkeys((*CHAMPS_AGE, *CHAMPS_STATUT), ""),
        "thematiques": [Thematique.EMAIL],
        "thematiques_administratives": [],
        "materiel": [Materiel.ORDINATEUR],
        "autonomie": "",
        "a_poursuivre": "",
        "orientation": "",
        "oriente_par_travailleur_social": "",
        "titre_atelier": "",
        "niveau_atelier": "",
        "beneficiaires": [],
        "notes": "",
    }


def _plausibles_activite(s, geographie) -> dict:
    aujourd_hui = timezone.localdate()
    comptage = ["0", "1", "2", "100", "101", "-1", "32768"]
    return {
        "date": [
            aujourd_hui - dt.timedelta(days=1),
            aujourd_hui + dt.timedelta(days=1),
            "2020-01-01",
            aujourd_hui.strftime("%d/%m/%Y"),
        ],
        "type": [*TypeActivite.values, "autre"],
        "duree": ["15", "45", "60", "90", "120", "autre", "0", "721"],
        "duree_minutes": ["1", "50", "720", "721", "0", "-1"],
        "canal": [*Canal.values, "partout"],
        "lieu": [s["bus"].pk, s["angers"].pk, "0", "-1", "9" * 20],
        "arret": [s["arret"].pk, "0"],
        "commune": [
            geographie["le_mans"].pk,
            geographie["yvre"].pk,
            geographie["angers_commune"].pk,
            "99999",
        ],
        "deja_accompagnee": ["on", "false", "0"],
        "nb_participants": comptage,
        "nb_participants_recurrents": comptage,
        **dict.fromkeys((*CHAMPS_AGE, *CHAMPS_STATUT), comptage),
        "thematiques": [*Thematique.values, "inconnue"],
        "thematiques_administratives": [*THEMATIQUES_ADMINISTRATIVES, Thematique.EMAIL],
        "materiel": [*Materiel.values, "inconnu"],
        "autonomie": Autonomie.values,
        "a_poursuivre": ["on"],
        "orientation": Orientation.values,
        "oriente_par_travailleur_social": ["on"],
        "titre_atelier": ["Premiers pas sur la tablette"],
        "niveau_atelier": NiveauAtelier.values,
        "beneficiaires": [s["beneficiaire"].pk, s["beneficiaire_d_un_autre"].pk, "abc"],
        "notes": ["RAS", "x" * 1001],
    }


def _verifier_saisie(s, donnees: dict) -> HttpResponse:
    avant = _etat()
    reponse = _poster(s["client"], NOUVELLE_ACTIVITE, donnees)
    apres = _etat()
    assert reponse.status_code in (200, 302)
    if reponse.status_code != 302:
        assert apres == avant, f"une saisie refusée a écrit\u00a0: {_ecarts(avant, apres)}"
        _verifier_refus(reponse)
        return reponse
    assert reponse.url == NOUVELLE_ACTIVITE
    beneficiaires = {
        int(b) for b in _liste(donnees.get("beneficiaires", [])) if b.strip().isdecimal()
    }
    attendus = {"conseillers.Activite": 1, "conseillers.HistoricalActivite": 1}
    if beneficiaires:
        attendus["conseillers.Activite_beneficiaires"] = len(beneficiaires)
        attendus["conseillers.Beneficiaire"] = 0  # the date of their last visit
    ecarts = _ecarts(avant, apres)
    assert {k: v for k, v in ecarts.items() if k not in attendus} == {}
    assert {k: ecarts.get(k, 0) for k in attendus} == attendus
    activite = Activite.objects.tous().latest("pk")
    activite.full_clean()  # every rule of the model holds on what was written
    assert activite.conseiller == s["conseiller"]
    assert activite.cree_par == s["user"]
    assert activite.source == SourceActivite.SAISIE
    assert activite.supprime_le is None
    assert activite.date == _valeur_de(forms.DateField(), donnees, "date")
    assert activite.type == _dernier(donnees["type"])
    assert activite.canal == _dernier(donnees["canal"])
    duree = _dernier(donnees["duree"])
    attendue = duree if duree != "autre" else _dernier(donnees["duree_minutes"])
    assert activite.duree_minutes == forms.IntegerField().clean(attendue)
    assert activite.nb_participants == _valeur_de(forms.IntegerField(), donnees, "nb_participants")
    assert activite.notes == _dernier(donnees.get("notes", "")).strip()
    envoyees = _liste(donnees.get("thematiques", [])) + _liste(
        donnees.get("thematiques_administratives", [])
    )
    assert set(activite.thematiques) == {t for t in envoyees if t}
    assert set(activite.beneficiaires.values_list("pk", flat=True)) == beneficiaires
    assert activite.lieu_id in (None, s["mediatheque"].pk, s["bus"].pk)
    assert activite.commune_id in (None, "72181", "72386")  # the advisor's territory
    version = activite.history.get()
    assert (version.history_type, version.history_user) == ("+", s["user"])
    return reponse


def test_saisie_valide_acceptee(saisie):
    donnees = {
        **_activite_valide(saisie),
        "thematiques": [Thematique.EMAIL, Thematique.DEMARCHES_ADMINISTRATIVES],
        "thematiques_administratives": [Thematique.LOGEMENT],
        "beneficiaires": [str(saisie["beneficiaire"].pk)],
        "notes": "Création d'une adresse électronique.",
    }
    _verifier_saisie(saisie, donnees)
    activite = Activite.objects.tous().get()
    assert activite.duree_minutes == 30
    assert activite.lieu == saisie["mediatheque"]
    assert activite.notes == "Création d'une adresse électronique."


@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"date": ""}, "Ce champ est obligatoire."),
        ({"notes": "sans\x00fin"}, "Le caractère nul n’est pas autorisé."),
        ({"date": "0000-00-00"}, "Saisissez une date valide (jj/mm/aaaa)."),
        ({"date": "9999-12-31"}, "La date ne peut pas être dans le futur."),
        # a count other than the first of its group: its own error is shown next to it
        (
            {"statut_sans_emploi": "-1"},
            "Assurez-vous que cette valeur est supérieure ou égale à 0.",
        ),
        ({"age_12_17": ":"}, "Saisissez un nombre entier."),
        (
            {"type": TypeActivite.COLLECTIF, "nb_participants": "3", "age_12_17": "2"},
            "La répartition par âge totalise 2 au lieu de 3 participant(s)",
        ),
    ],
)
def test_saisie_refusee_en_francais(saisie, changement, message):
    reponse = _verifier_saisie(saisie, {**_activite_valide(saisie), **changement})
    assert reponse.status_code == 200
    assert message in html.unescape(reponse.content.decode())


@REGLAGES
@given(tirage=st.data())
def test_saisie_d_activite_face_a_des_donnees_hostiles(saisie, geographie, tirage):
    donnees = tirage.draw(
        _soumission(_activite_valide(saisie), _plausibles_activite(saisie, geographie))
    )
    _verifier_saisie(saisie, donnees)


@REGLAGES
@given(lieu=st.sampled_from(["²", "٣", "１２", "1"]) | _hostile(["1", "0", "-1", "9" * 25]))
def test_page_de_saisie_face_a_un_lieu_hostile(saisie, lieu):
    """``?lieu=`` (sent by the planning page) pre-selects one of the advisor's sites, and
    only one of them."""
    avant = _etat()
    reponse = saisie["client"].get(NOUVELLE_ACTIVITE, {"lieu": lieu})
    assert reponse.status_code == 200
    propose = reponse.context["formulaire"].initial.get("lieu")
    assert propose in (None, saisie["mediatheque"].pk, saisie["bus"].pk)
    assert _etat() == avant


# == 2. the coordinator's site form =======================================================

CREER_LIEU = reverse("structures:creer_lieu")
CHAMPS_HORAIRES = [f"{borne}_{rang}" for rang in (1, 2, 3) for borne in ("debut", "fin")]


@pytest.fixture
def gestion(client_de, geographie, lieux_publics):
    return {
        "client": client_de("coordinateur"),
        "structure": lieux_publics["structure"],
        "structure_angers": StructureFactory(
            commune=geographie["angers_commune"], pivot=SIRET_VALIDE
        ),
        "structure_sans_siret": StructureFactory(commune=geographie["le_mans"], pivot="123"),
    }


def _lieu_valide(g, geographie) -> dict:
    """A bus with one stop, open on Monday morning and afternoon (per-day editor)."""
    donnees = {
        "structure": str(g["structure"].pk),
        "nom": "Bus France Services",
        "adresse": "54 rue du Port",
        "complement_adresse": "",
        "code_postal": "72000",
        "commune": geographie["le_mans"].pk,
        "zone": "",
        "latitude": "48.0061",
        "longitude": "0.1996",
        "telephone": "02 43 47 47 47",
        "courriels": "bus@exemple.fr",
        "site_web": "https://www.exemple.fr",
        "prise_rdv": "",
        "fiche_acces_libre": "",
        "horaires": "",
        "saisie_horaires": "par_jour",
        "presentation_resume": "",
        "presentation_detail": "",
        "structure_parente": "",
        "typologies": [Typologie.BIB],
        "itinerance": [Itinerance.ITINERANT],
        "services": [Service.DEMARCHES],
        "publics": [],
        "prise_en_charge": [],
        "frais": [Frais.GRATUIT],
        "modalites_acces": [ModaliteAcces.SE_PRESENTER],
        "modalites_accompagnement": [],
        "programmes": [],
        "formations_labels": [],
        "autres_formations_labels": "",
        "wifi_public": "",
        "materiel_libre_acces": "",
        "mediateur_present": "on",
        "horaires-TOTAL_FORMS": "7",
        "horaires-INITIAL_FORMS": "0",
        "horaires-MIN_NUM_FORMS": "7",
        "horaires-MAX_NUM_FORMS": "7",
        "arrets-TOTAL_FORMS": "1",
        "arrets-INITIAL_FORMS": "0",
        "arrets-MIN_NUM_FORMS": "0",
        "arrets-MAX_NUM_FORMS": "50",
        "arrets-0-nom": "Place de l'église",
        "arrets-0-adresse": "",
        "arrets-0-commune": geographie["yvre"].pk,
        "arrets-0-latitude": "48.01",
        "arrets-0-longitude": "0.27",
        "arrets-0-horaires": "Tu 14:00-17:00",
    }
    for jour in range(7):
        for champ in CHAMPS_HORAIRES:
            donnees[f"horaires-{jour}-{champ}"] = ""
    donnees.update(
        {
            "horaires-0-debut_1": "09:00",
            "horaires-0-fin_1": "12:00",
            "horaires-0-debut_2": "14:00",
            "horaires-0-fin_2": "17:30",
        }
    )
    return donnees


def _plausibles_lieu(g, geographie) -> dict:
    heures = ["09:00", "12:00", "00:00", "23:59", "24:00", "25:61", "9h", "12:00:00", "-1:00"]
    url = ["https://exemple.fr", "exemple.fr", "javascript:alert(1)", "ftp://exemple.fr"]
    plausibles = {
        "structure": [g["structure_angers"].pk, g["structure_sans_siret"].pk, "0"],
        "nom": ["Médiathèque", "  "],
        "code_postal": ["7200", "72000 ", "٧٢٠٠٠", "²²²²²", "72 000"],
        "commune": [geographie["angers_commune"].pk, geographie["yvre"].pk, "99999"],
        "zone": [z.pk for z in geographie["zones"]],
        "latitude": ["91", "-90", "abc", "1e308", "nan", "inf", "48,0061"],
        "longitude": ["181", "-180", ""],
        "telephone": ["+33243474747|0243474747", "abc", "|", "٠٢٤٣٤٧٤٧٤٧", "+33٢٤٣٤٧٤٧٤٧"],
        "courriels": ["a@b.fr|c@d.fr", "pas une adresse", "|"],
        "site_web": url,
        "prise_rdv": url,
        "fiche_acces_libre": url,
        "horaires": [
            "Mo-Fr 09:00-12:00",
            "Mo 25:00-26:00",
            "PH off",
            "24/7",
            "Mo-Su 00:00-24:00",
            "sunrise-sunset",
            "Mo 09:00-12:00 || Tu off",
            "week 1-53/2 Mo 10:00-12:00",
            "2026 Jan 01-2099 Dec 31 Mo 10:00-12:00",
            "Mo 10:00-99999:00",
        ],
        "saisie_horaires": ["avancee", "autre"],
        "presentation_resume": ["x" * 281],
        "typologies": [*Typologie.values, "XXX"],
        "itinerance": [*Itinerance.values, "volant"],
        "services": [*Service.values, "inconnu"],
        "publics": Public.values,
        "prise_en_charge": PriseEnCharge.values,
        "frais": [*Frais.values, "gratis"],
        "programmes": Programme.values,
        "horaires-TOTAL_FORMS": ["0", "6", "8", "-1", "1000"],
        "horaires-INITIAL_FORMS": ["1", "-1", "8"],
        "arrets-TOTAL_FORMS": ["0", "2", "51", "-1"],
        "arrets-INITIAL_FORMS": ["1", "-1"],
        "arrets-0-commune": [geographie["angers_commune"].pk, geographie["le_mans"].pk],
        "arrets-0-latitude": ["91", "abc", ""],
        "arrets-0-horaires": ["Mo 25:00-26:00", ""],
    }
    for jour in range(7):
        for champ in CHAMPS_HORAIRES:
            plausibles[f"horaires-{jour}-{champ}"] = heures
    return plausibles


def _lieu_existant_valide(g, geographie, lieu: Lieu) -> dict:
    """The site's page sent back unchanged: the bus, open on Saturday, with its stops."""
    donnees = {
        **_lieu_valide(g, geographie),
        "structure": str(lieu.structure_id),
        "nom": lieu.nom,
        "adresse": lieu.adresse,
        "code_postal": lieu.code_postal,
        "commune": lieu.commune_id,
        "telephone": "",
        "courriels": "",
        "site_web": "",
        "frais": lieu.frais,
        "horaires-0-debut_1": "",
        "horaires-0-fin_1": "",
        "horaires-0-debut_2": "",
        "horaires-0-fin_2": "",
        "horaires-5-debut_1": "09:00",
        "horaires-5-fin_1": "12:00",
    }
    donnees = {cle: valeur for cle, valeur in donnees.items() if not cle.startswith("arrets-0-")}
    arrets = list(lieu.arrets.order_by("pk"))
    donnees["arrets-TOTAL_FORMS"] = donnees["arrets-INITIAL_FORMS"] = str(len(arrets))
    for rang, arret in enumerate(arrets):
        donnees.update(
            {
                f"arrets-{rang}-id": str(arret.pk),
                f"arrets-{rang}-lieu": str(lieu.pk),
                f"arrets-{rang}-nom": arret.nom,
                f"arrets-{rang}-adresse": arret.adresse,
                f"arrets-{rang}-commune": arret.commune_id,
                f"arrets-{rang}-latitude": "" if arret.latitude is None else str(arret.latitude),
                f"arrets-{rang}-longitude": "" if arret.longitude is None else str(arret.longitude),
                f"arrets-{rang}-horaires": arret.horaires,
                f"arrets-{rang}-DELETE": "",
            }
        )
    return donnees


# the hidden fields a page sends back untouched: a tampered one must be refused, not crash
GESTION_DES_FORMULAIRES = (
    "horaires-TOTAL_FORMS",
    "horaires-INITIAL_FORMS",
    "arrets-TOTAL_FORMS",
    "arrets-INITIAL_FORMS",
    "arrets-0-id",
    "arrets-0-lieu",
    "arrets-0-DELETE",
)


def _verifier_lieu(client, donnees: dict, lieu: Lieu | None = None) -> HttpResponse:
    """Create a site (``lieu`` None) or edit ``lieu`` with ``donnees``."""
    url = CREER_LIEU if lieu is None else reverse("structures:modifier_lieu", args=[lieu.pk])
    ailleurs = set(Arret.objects.exclude(lieu=lieu).values_list())  # other sites' stops
    arrets_avant = lieu.arrets.count() if lieu else 0
    avant = _etat()
    reponse = _poster(client, url, donnees)
    apres = _etat()
    assert reponse.status_code in (200, 302)
    if reponse.status_code != 302:
        assert apres == avant, f"un lieu refusé a écrit\u00a0: {_ecarts(avant, apres)}"
        _verifier_refus(reponse, ("formulaire", "editeur", "arrets"))
        return reponse
    assert reponse.url == reverse("structures:gestion_lieux")
    ecarts = _ecarts(avant, apres)
    permis = {
        "structures.Lieu",
        "structures.HistoricalLieu",
        "structures.Arret",
        "structures.Creneau",
    }
    assert set(ecarts) <= permis, ecarts
    assert ecarts["structures.HistoricalLieu"] == 1
    assert ecarts.get("structures.Lieu", 0) == (1 if lieu is None else 0)
    lieu = Lieu.objects.tous().latest("pk") if lieu is None else Lieu.objects.tous().get(pk=lieu.pk)
    lieu.full_clean()
    assert lieu.nom == _dernier(donnees["nom"]).strip()
    assert lieu.structure_id == int(_dernier(donnees["structure"]))
    assert lieu.commune_id in ("72181", "72386")  # the coordinator's territory
    assert re.fullmatch(r"[0-9]{5}", lieu.code_postal), lieu.code_postal
    for numero in lieu.liste_telephones:
        assert re.fullmatch(r"\+[0-9]{8,12}", numero), numero
    assert set(lieu.services) == set(_liste(donnees["services"]))
    if _dernier(donnees["saisie_horaires"]) == "avancee":
        assert lieu.horaires == _dernier(donnees["horaires"]).strip()
    creneaux = {(c.jour, c.debut, c.fin) for c in lieu.creneaux.all()}
    attendus = {(p.jour, p.debut, p.fin) for p in horaires_osm.plages_de_la_semaine(lieu.horaires)}
    assert creneaux == attendus
    arrets = list(lieu.arrets.all())
    assert len(arrets) == arrets_avant + ecarts.get("structures.Arret", 0)
    for arret in arrets:
        arret.full_clean()
        assert arret.commune_id in ("72181", "72386")
    if arrets:
        assert Itinerance.ITINERANT in lieu.itinerance
    assert set(Arret.objects.exclude(lieu=lieu).values_list()) == ailleurs
    return reponse


def test_lieu_valide_accepte(gestion, geographie):
    _verifier_lieu(gestion["client"], _lieu_valide(gestion, geographie))
    lieu = Lieu.objects.tous().get(nom="Bus France Services")
    assert lieu.horaires == "Mo 09:00-12:00,14:00-17:30"
    assert lieu.telephone == "+33243474747"
    assert [a.nom for a in lieu.arrets.all()] == ["Place de l'église"]


def test_lieu_modifie_valide_accepte(gestion, geographie, lieux_publics):
    bus = lieux_publics["bus"]
    donnees = {
        **_lieu_existant_valide(gestion, geographie, bus),
        "nom": "Bus numérique de la métropole",
        "arrets-TOTAL_FORMS": "2",
        "arrets-1-nom": "Parvis de la gare",
        "arrets-1-horaires": "",
        "arrets-1-commune": geographie["le_mans"].pk,
    }
    _verifier_lieu(gestion["client"], donnees, bus)
    bus.refresh_from_db()
    assert bus.nom == "Bus numérique de la métropole"
    assert bus.horaires == "Sa 09:00-12:00"
    assert sorted(a.nom for a in bus.arrets.all()) == ["Parvis de la gare", "Place de la mairie"]


def test_lieu_sans_formulaires_de_gestion_refuse_en_francais(gestion, geographie):
    donnees = {
        cle: valeur
        for cle, valeur in _lieu_valide(gestion, geographie).items()
        if not cle.endswith("_FORMS")
    }
    reponse = _verifier_lieu(gestion["client"], donnees)
    assert "Des données du formulaire ManagementForm sont manquantes" in html.unescape(
        reponse.content.decode()
    )


@pytest.mark.parametrize(
    ("changement", "message"),
    [
        ({"code_postal": "٧٢٠٠٠"}, "Le code postal doit compter 5 chiffres."),
        ({"telephone": "+33٢٤٣٤٧٤٧٤٧"}, "n'est pas un numéro de téléphone valide"),
    ],
)
def test_lieu_aux_chiffres_non_latins_refuse(gestion, geographie, changement, message):
    """Digits of another script pass ``str.isdigit()`` and ``\\d``, not the standard."""
    reponse = _verifier_lieu(gestion["client"], {**_lieu_valide(gestion, geographie), **changement})
    assert reponse.status_code == 200
    assert message in html.unescape(reponse.content.decode())


@pytest.mark.parametrize("total", ["8", "1000"])
def test_lieu_a_plus_de_sept_jours_d_horaires_refuse(gestion, geographie, total):
    """More days than a week in the per-day editor (the page only sends seven)."""
    donnees = {**_lieu_valide(gestion, geographie), "horaires-TOTAL_FORMS": total}
    reponse = _verifier_lieu(gestion["client"], donnees)
    assert reponse.status_code == 200


def test_arret_supprime_entre_temps_refuse_avec_un_message(gestion, geographie, lieux_publics):
    """The page was opened before someone else deleted the stop it sends back."""
    bus = lieux_publics["bus"]
    donnees = _lieu_existant_valide(gestion, geographie, bus)
    bus.arrets.all().delete()
    reponse = _verifier_lieu(gestion["client"], donnees, bus)
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in html.unescape(reponse.content.decode())


@REGLAGES
@given(tirage=st.data())
def test_creation_de_lieu_face_a_des_donnees_hostiles(gestion, geographie, tirage):
    donnees = tirage.draw(
        _soumission(
            _lieu_valide(gestion, geographie),
            _plausibles_lieu(gestion, geographie),
            GESTION_DES_FORMULAIRES,
        )
    )
    _verifier_lieu(gestion["client"], donnees)


@REGLAGES
@given(tirage=st.data())
def test_modification_de_lieu_face_a_des_donnees_hostiles(
    gestion, geographie, lieux_publics, tirage
):
    bus = Lieu.objects.tous().get(pk=lieux_publics["bus"].pk)
    autre_arret = lieux_publics["arret"].pk  # deleted or kept by earlier examples
    plausibles = {
        **_plausibles_lieu(gestion, geographie),
        "arrets-0-id": [autre_arret, "abc", "0"],
        "arrets-0-lieu": [lieux_publics["mediatheque"].pk, "abc"],
        "arrets-0-DELETE": ["on"],
        "arrets-INITIAL_FORMS": ["0", "2", "-1"],
    }
    valides = _lieu_existant_valide(gestion, geographie, bus)  # as earlier examples left it
    donnees = tirage.draw(_soumission(valides, plausibles, GESTION_DES_FORMULAIRES))
    _verifier_lieu(gestion["client"], donnees, bus)


# == 3. the public error report on a site =================================================


def _signalement_valide() -> dict:
    return {
        "message": "Le numéro de téléphone affiché n'est plus attribué.",
        "courriel": "",
        "site_internet": "",
    }


def _verifier_signalement(client, lieu, donnees: dict, capturer) -> HttpResponse:
    url = reverse("structures:signaler", args=[lieu.pk])
    mail.outbox.clear()
    avant = _etat()
    with capturer(execute=True):
        reponse = _poster(client, url, donnees)
    apres = _etat()
    assert reponse.status_code in (200, 302)
    if reponse.status_code != 302:
        assert apres == avant, f"un signalement refusé a écrit\u00a0: {_ecarts(avant, apres)}"
        assert not mail.outbox
        _verifier_refus(reponse)
        return reponse
    assert reponse.url == reverse("structures:lieu", args=[lieu.pk]) + "#signalement"
    ecarts = _ecarts(avant, apres)
    if _dernier(donnees.get("site_internet", "")).strip():  # the trap: a bot, ignored
        assert ecarts == {}
        assert not mail.outbox
        return reponse
    assert ecarts == {"structures.Signalement": 1}
    signalement = Signalement.objects.tous().latest("pk")
    signalement.full_clean()
    assert signalement.lieu == lieu
    assert signalement.message == _dernier(donnees["message"]).strip()
    assert signalement.courriel == _dernier(donnees.get("courriel", "")).strip()
    assert signalement.notifie_le is None  # for the coordinators' next daily digest
    assert not mail.outbox
    # the digest carries the accepted text, quoted, under its fixed subject
    assert envoyer_resume_des_signalements() == 1  # the coordinator of Le Mans Métropole
    courriel = mail.outbox[0].message()
    assert courriel["Subject"] == SUJET_RESUME and courriel["Bcc"] is None
    corps = courriel.get_payload(decode=True).decode()
    premiere = signalement.message.replace("\r\n", "\n").replace("\r", "\n").split("\n")[0]
    assert f"> {CARACTERES_DE_CONTROLE.sub('', premiere)}".rstrip() in corps.splitlines()
    return reponse


def test_signalement_valide_accepte(
    client, comptes, lieux_publics, django_capture_on_commit_callbacks
):
    lieu = lieux_publics["mediatheque"]
    donnees = {**_signalement_valide(), "courriel": "habitant@exemple.fr"}
    _verifier_signalement(client, lieu, donnees, django_capture_on_commit_callbacks)
    assert Signalement.objects.tous().get().courriel == "habitant@exemple.fr"


@REGLAGES
@given(
    donnees=_soumission(
        _signalement_valide(),
        {
            "message": ["Fermé le lundi.", "x" * 2001, "court"],
            "courriel": ["habitant@exemple.fr", "pas-une-adresse", "a@b"],
            "site_internet": ["https://x.example"],
        },
    )
)
def test_signalement_face_a_des_donnees_hostiles(
    client, comptes, lieux_publics, django_capture_on_commit_callbacks, donnees
):
    _verifier_signalement(
        client, lieux_publics["mediatheque"], donnees, django_capture_on_commit_callbacks
    )


@REGLAGES
@given(corps=st.binary(max_size=300) | BIZARRE.map(lambda texte: texte.encode()))
def test_signalement_face_a_un_corps_de_requete_quelconque(client, lieux_publics, corps):
    """Bytes that are not even a well-formed form (bad UTF-8, stray ``%``, ``&&==``)."""
    avant = _etat()
    reponse = client.generic(
        "POST",
        reverse("structures:signaler", args=[lieux_publics["mediatheque"].pk]),
        corps,
        content_type="application/x-www-form-urlencoded",
    )
    assert reponse.status_code in (200, 302)
    ecarts = _ecarts(avant, _etat())
    assert ecarts in ({}, {"structures.Signalement": 1})
    if reponse.status_code == 200:
        assert ecarts == {}
        _verifier_refus(reponse)


# == 4. the referent's workshop request ===================================================

NOUVELLE_DEMANDE = reverse("ateliers:nouvelle_demande")


@pytest.fixture
def atelier(client_de, comptes, geographie, lieux_publics):
    """A published sheet, a structure of Le Mans with a signed convention, its referent
    logged in, and an advisor to run the sessions."""
    g = geographie
    fiche = FicheFactory(commune=g["le_mans"])
    version = services_ateliers.publier_fiche(fiche)
    structure = StructureFactory(
        nom="Centre social des Sablons", commune=g["le_mans"], referents=[comptes["referent"]]
    )
    lieu = LieuFactory(
        nom="Centre social des Sablons",
        structure=structure,
        commune=g["le_mans"],
        zone=g["zones"][1],
    )
    ConventionFactory(structure=structure)
    return {
        "client": client_de("referent"),
        "user": comptes["referent"],
        "fiche": fiche,
        "version": version,
        "brouillon": FicheFactory(commune=g["le_mans"]),
        "structure": structure,
        "lieu": lieu,
        "camille": ConseillerFactory(commune=g["le_mans"], user=comptes["conseiller"]),
        **{f"public_{nom}": valeur for nom, valeur in lieux_publics.items()},
    }


def _demande_valide(a) -> dict:
    return {
        "fiche": str(a["fiche"].pk),
        "lieu": str(a["lieu"].pk),
        "creneau_1": prochain(1, 14).strftime("%Y-%m-%dT%H:%M"),
        "creneau_2": "",
        "creneau_3": "",
        "participants_attendus": "6",
        "public": "habitants du quartier",
        "notes": "",
    }


def _verifier_demande(a, donnees: dict, capturer) -> HttpResponse:
    mail.outbox.clear()
    avant = _etat()
    with capturer(execute=True):
        reponse = _poster(a["client"], NOUVELLE_DEMANDE, donnees)
    apres = _etat()
    assert reponse.status_code in (302, 400)
    if reponse.status_code != 302:
        assert apres == avant, f"une demande refusée a écrit\u00a0: {_ecarts(avant, apres)}"
        assert not mail.outbox
        _verifier_refus(reponse)
        return reponse
    ecarts = _ecarts(avant, apres)
    demande = DemandeAtelier.objects.tous().latest("pk")
    assert reponse.url == reverse("ateliers:demande", args=[demande.pk])
    creneaux = {
        _valeur_de(
            forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]), donnees, c
        )
        for c in ("creneau_1", "creneau_2", "creneau_3")
        if _dernier(donnees.get(c, "")).strip()
    }
    assert ecarts == {
        "ateliers.DemandeAtelier": 1,
        "ateliers.CreneauPropose": len(creneaux),
        "ateliers.EtapeDemande": 1,
    }
    demande.full_clean()
    assert (demande.structure, demande.lieu, demande.version) == (
        a["structure"],
        a["lieu"],
        a["version"],
    )
    assert demande.cree_par == a["user"]
    assert demande.participants_attendus == _valeur_de(
        forms.IntegerField(), donnees, "participants_attendus"
    )
    assert demande.public == _dernier(donnees["public"]).strip()
    assert {c.debut for c in demande.creneaux.all()} == creneaux
    assert all(c > timezone.now() for c in creneaux)
    assert mail.outbox, "l'accusé de réception n'est pas parti"
    assert a["client"].get(reponse.url).status_code == 200  # the request's own page
    return reponse


def test_demande_valide_acceptee(atelier, django_capture_on_commit_callbacks):
    donnees = {
        **_demande_valide(atelier),
        "creneau_2": prochain(3, 9).strftime("%d/%m/%Y %H:%M"),
    }
    _verifier_demande(atelier, donnees, django_capture_on_commit_callbacks)
    assert DemandeAtelier.objects.tous().get().creneaux.count() == 2


@REGLAGES
@given(tirage=st.data())
def test_demande_d_atelier_face_a_des_donnees_hostiles(
    atelier, django_capture_on_commit_callbacks, tirage
):
    a = atelier
    creneaux = [
        prochain(2, 10).strftime("%Y-%m-%dT%H:%M"),
        prochain(4, 16, semaines=3).strftime("%d/%m/%Y %H:%M"),
        "2020-01-01T10:00",
    ]
    plausibles = {
        "fiche": [a["brouillon"].pk, "0", "-1"],
        "lieu": [a["public_mediatheque"].pk, a["public_angers"].pk, "0"],
        "creneau_1": creneaux,
        "creneau_2": creneaux,
        "creneau_3": creneaux,
        "participants_attendus": ["3", "8", "2", "9", "0", "51", "1e3"],
        "public": ["seniors", "   ", "x" * 251],
        "notes": ["RAS", "x" * 1001],
    }
    donnees = tirage.draw(_soumission(_demande_valide(a), plausibles))
    _verifier_demande(a, donnees, django_capture_on_commit_callbacks)


# == 5. the advisor's followed beneficiaries ==============================================

NOUVEAU_BENEFICIAIRE = reverse("conseillers:nouveau_beneficiaire")
ALERTE_DOUBLON = "Cette personne a peut-être déjà une fiche"


def _beneficiaire_valide(geographie) -> dict:
    return {
        "prenom": "Amélie",
        "annee_naissance": "1961",
        "commune": geographie["yvre"].pk,
        "genre": Genre.FEMME,
        "consentement": "on",
        "confirmer_doublon": "",
    }


def _plausibles_beneficiaire(geographie) -> dict:
    return {
        "prenom": ["A. B.", "  ", "x" * 51, "Dominique 0"],
        "annee_naissance": ["1900", "1899", str(timezone.localdate().year + 1), "٢٠٠٠", "-1"],
        "commune": [geographie["angers_commune"].pk, geographie["le_mans"].pk, "99999"],
        "genre": [*Genre.values, "autre"],
        "consentement": ["false", "0", "off"],
        "confirmer_doublon": ["on", "True"],
    }


def _verifier_beneficiaire(s, donnees: dict, personne: Beneficiaire | None = None) -> HttpResponse:
    url = (
        NOUVEAU_BENEFICIAIRE
        if personne is None
        else reverse("conseillers:modifier_beneficiaire", args=[personne.pk])
    )
    avant = _etat()
    reponse = _poster(s["client"], url, donnees)
    apres = _etat()
    assert reponse.status_code in (200, 302)
    if reponse.status_code != 302:
        assert apres == avant, f"une fiche refusée a écrit\u00a0: {_ecarts(avant, apres)}"
        _verifier_refus(reponse, autres=(ALERTE_DOUBLON,) if personne is None else ())
        return reponse
    assert reponse.url == reverse("conseillers:beneficiaires")
    ecarts = _ecarts(avant, apres)
    if personne is None:
        assert ecarts == {"conseillers.Beneficiaire": 1}
    else:  # the same row, changed or not
        assert set(ecarts) <= {"conseillers.Beneficiaire"}
        assert ecarts.get("conseillers.Beneficiaire", 0) == 0
    ecrite = Beneficiaire.objects.tous().latest("pk") if personne is None else personne
    ecrite.refresh_from_db()
    ecrite.full_clean()
    assert ecrite.conseiller == s["conseiller"]
    assert ecrite.prenom == _dernier(donnees["prenom"]).strip()
    assert ecrite.annee_naissance == _valeur_de(
        forms.IntegerField(required=False), donnees, "annee_naissance"
    )
    assert ecrite.commune_id in (None, "72181", "72386")
    assert (ecrite.commune_id or "") == _dernier(donnees.get("commune", ""))
    assert ecrite.genre == _dernier(donnees["genre"])
    if personne is None:
        assert timezone.now() - ecrite.consentement_le < dt.timedelta(minutes=1)
    else:
        assert ecrite.consentement_le == personne.consentement_le
    return reponse


def test_beneficiaire_valide_accepte(saisie, geographie):
    _verifier_beneficiaire(saisie, _beneficiaire_valide(geographie))
    personne = Beneficiaire.objects.tous().get(prenom="Amélie")
    modifiees = {**_beneficiaire_valide(geographie), "prenom": "A. M.", "commune": ""}
    _verifier_beneficiaire(saisie, modifiees, personne)
    personne.refresh_from_db()
    assert (personne.prenom, personne.commune) == ("A. M.", None)


def test_beneficiaire_sans_consentement_refuse_en_francais(saisie, geographie):
    donnees = {**_beneficiaire_valide(geographie), "consentement": ""}
    _verifier_beneficiaire(saisie, donnees)
    reponse = _poster(saisie["client"], NOUVEAU_BENEFICIAIRE, donnees)
    assert "Sans le consentement de la personne" in html.unescape(reponse.content.decode())


@REGLAGES
@given(tirage=st.data())
def test_nouveau_beneficiaire_face_a_des_donnees_hostiles(saisie, geographie, tirage):
    donnees = tirage.draw(
        _soumission(_beneficiaire_valide(geographie), _plausibles_beneficiaire(geographie))
    )
    _verifier_beneficiaire(saisie, donnees)


@REGLAGES
@given(tirage=st.data())
def test_modification_de_beneficiaire_face_a_des_donnees_hostiles(saisie, geographie, tirage):
    valides = {
        cle: valeur
        for cle, valeur in _beneficiaire_valide(geographie).items()
        if cle not in ("consentement", "confirmer_doublon")
    }
    donnees = tirage.draw(_soumission(valides, _plausibles_beneficiaire(geographie)))
    personne = Beneficiaire.objects.tous().get(pk=saisie["beneficiaire"].pk)
    _verifier_beneficiaire(saisie, donnees, personne)


# == 6. the public search of sites and the public agenda ==================================


@st.composite
def _requete(draw, plausibles: dict) -> dict:
    """A query string: some of the filters, each with a hostile value, and junk ones."""
    cles = draw(st.sets(st.sampled_from(sorted(plausibles)), max_size=5))
    parametres = {cle: draw(_hostile(plausibles[cle])) for cle in sorted(cles)}
    parametres.update(draw(st.dictionaries(NOMS_DE_CHAMPS, _hostile(["on"]), max_size=1)))
    return parametres


LANGUES = st.sampled_from(["", "fr-FR,fr;q=0.9", "en", "en-US,en;q=0.9", "de", "*", "zz;q=x"])
RECHERCHE = {
    "q": ["bus", "médiathèque", "le mans", "%", "_", "' OR 1=1 --"],
    "commune": ["Le Mans", "72000", "72", "72181", "Yvré", "st", "Zzzyx", "49007"],
    "services": [*Service.values, "inconnu"],
    "publics": [*Public.values, "inconnu"],
    "prise_en_charge": PriseEnCharge.values,
    "programmes": Programme.values,
    "typologie": [*Typologie.values, "XXX"],
    "gratuit": ["on", "false"],
    "ouvert": ["on"],
    "weekend": ["on"],
    "itinerant": ["on"],
    "tri": ["nom", "distance", "hasard"],
    "page": ["1", "2", "0", "-1", "last", "9" * 25],
}


@REGLAGES
@given(parametres=_requete(RECHERCHE), langue=LANGUES)
def test_recherche_de_lieux_face_a_des_parametres_hostiles(
    client, lieux_publics, parametres, langue
):
    avant = _etat()
    reponse = client.get(reverse("structures:lieux"), parametres, HTTP_ACCEPT_LANGUAGE=langue)
    assert reponse.status_code == 200
    _verifier_erreurs_affichees(reponse)
    carte = client.get(reverse("structures:lieux_carte"), parametres)
    assert carte.status_code == 200
    assert _etat() == avant


def test_recherche_de_lieux_valide(client, lieux_publics):
    reponse = client.get(
        reverse("structures:lieux"),
        {"commune": "Yvré", "services": Service.DEMARCHES, "itinerant": "on", "tri": "distance"},
    )
    assert reponse.status_code == 200
    assert not reponse.context["formulaire"].errors
    assert [lieu.nom for lieu in reponse.context["page"]] == ["Bus numérique"]


@pytest.fixture
def agenda(atelier, comptes):
    """A planned public session at the centre social of Les Sablons."""
    demande = services_ateliers.deposer_demande(
        services_ateliers.NouvelleDemande(
            structure=atelier["structure"],
            version=atelier["version"],
            lieu=atelier["lieu"],
            creneaux=[prochain(1, 14)],
            participants_attendus=6,
            public="habitants du quartier",
        ),
        par=comptes["referent"],
    )
    services_ateliers.planifier(
        demande, debut=prochain(1, 14), conseillers=[atelier["camille"]], par=None
    )
    return atelier


@REGLAGES
@given(tirage=st.data(), langue=LANGUES)
def test_agenda_face_a_des_parametres_hostiles(agenda, geographie, tirage, langue):
    client = Client()  # the public's
    plausibles = {
        "commune": ["72181", "49007", "99999", "Le Mans"],
        "quartier": [z.pk for z in geographie["zones"]] + ["0", "-1"],
        "thematique": [*Thematique.values, "inconnue"],
    }
    parametres = tirage.draw(_requete(plausibles))
    avant = _etat()
    reponse = client.get(reverse("ateliers:agenda"), parametres, HTTP_ACCEPT_LANGUAGE=langue)
    erreurs = reponse.context["formulaire"].errors
    assert reponse.status_code == (400 if erreurs else 200)
    _verifier_erreurs_affichees(reponse)
    assert client.get(reverse("ateliers:agenda_ics"), parametres).status_code == 200
    assert _etat() == avant


def test_agenda_valide(agenda):
    client = Client()
    zone = agenda["lieu"].zone
    reponse = client.get(
        reverse("ateliers:agenda"),
        {"commune": "72181", "quartier": str(zone.pk), "thematique": "navigation_internet"},
    )
    assert reponse.status_code == 200
    assert [s.lieu for s in reponse.context["sessions"]] == [agenda["lieu"]]
