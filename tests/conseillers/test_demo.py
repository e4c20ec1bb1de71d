"""The advisors' part of ``load_demo``: profiles, assignments, reports; twice, no duplicate."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from comptes.models import User
from conseillers.demo import CONSEILLERS_DEMO, MOIS_DEMO, charger_conseillers_demo
from conseillers.enums import Canal, Thematique, TypeActivite
from conseillers.models import Activite, Beneficiaire, Conseiller, MiseADisposition


@pytest.fixture(scope="module")
def territoires(django_db_setup, django_db_blocker):
    """The real geography, once for the module (the demo lives in Le Mans Métropole)."""
    with django_db_blocker.unblock():
        call_command("import_territoires", verbosity=0)
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        from territoires.models import (
            AncienneCommune,
            Commune,
            Departement,
            Epci,
            LocalitePostale,
            Region,
            Zone,
        )

        with connection.cursor() as curseur:  # the ORM's delete would take half a minute
            # what import_territoires wrote, the rows that point to a commune first
            for modele in (
                LocalitePostale,
                AncienneCommune,
                Zone,
                Commune,
                Epci,
                Departement,
                Region,
            ):
                table = connection.ops.quote_name(modele._meta.db_table)
                curseur.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's table)


def etat():
    return (
        sorted(Conseiller.objects.tous().values_list("email", "commune_id", "user_id")),
        sorted(
            MiseADisposition.objects.tous()
            .annotate(n=Count("conseillers"))
            .values_list("convention", "lieu__identifiant", "n")
        ),
        Activite.objects.tous().count(),
        sorted(Activite.objects.tous().values_list("conseiller__email", "date", "type", "canal")),
        Beneficiaire.objects.tous().count(),
        Activite.beneficiaires.through.objects.count(),
    )


@pytest.mark.django_db
def test_load_demo_conseillers_deux_fois(territoires, capsys):
    call_command("load_demo")
    premier = etat()
    call_command("load_demo")
    sortie = capsys.readouterr().out
    assert etat() == premier
    lignes = [ligne for ligne in sortie.splitlines() if ligne.startswith("Conseillers\u00a0: ")]
    assert len(lignes) == 2
    assert lignes[0].startswith("Conseillers\u00a0: 7 conseillers, 2 mises à disposition, ")
    # the workshops' part of the demo (after this one) adds the reports of its closed sessions
    propres = Activite.objects.tous().filter(animation__isnull=True).count()
    assert f"{propres} activités ajoutées ({propres} au total)" in lignes[0]
    assert lignes[1].endswith(f"0 activités ajoutées ({premier[2]} au total).")

    aujourd_hui = timezone.localdate()
    karim = Conseiller.objects.tous().get(user__email="conseiller@demo.test")
    assert karim.lieux.count() == 3 and karim.thematiques_favorites and karim.competences
    assert Conseiller.objects.tous().filter(user__isnull=True).count() == 6
    assert Conseiller.objects.tous().count() == len(CONSEILLERS_DEMO)
    # the coordinators' list shows the silent advisor, the contract ended one is not active
    silencieux = Conseiller.objects.tous().sans_activite_depuis(30)
    assert "nadia.haddad@conseillers.demo.test" in set(silencieux.values_list("email", flat=True))
    assert set(
        Conseiller.objects.tous()
        .exclude(pk__in=Conseiller.objects.tous().actifs())
        .values_list("email", flat=True)
    ) == {"hugo.petit@conseillers.demo.test"}
    derniere = Conseiller.objects.tous().avec_derniere_activite().get(email__startswith="nadia")
    assert derniere.derniere_activite <= aujourd_hui - dt.timedelta(days=45)
    assert karim.mises_a_disposition.count() == 1

    activites = Activite.objects.tous()
    assert activites.filter(date__gt=aujourd_hui).count() == 0
    # two years of whole months, up to today
    debut = (aujourd_hui.replace(day=1) - dt.timedelta(days=31 * MOIS_DEMO - 15)).replace(day=1)
    assert activites.filter(date__lt=debut).count() == 0
    assert activites.filter(date__lt=debut + dt.timedelta(days=7)).exists()
    assert set(activites.values_list("type", flat=True)) == set(TypeActivite.values)
    assert set(activites.values_list("canal", flat=True)) == set(Canal.values)
    vues = {t for liste in activites.values_list("thematiques", flat=True) for t in liste}
    assert set(Thematique.values) - vues == set()
    assert (
        activites.filter(age_25_39__gt=0).exists()
        and activites.filter(statut_retraite__gt=0).exists()
    )
    assert activites.filter(canal=Canal.ITINERANT, arret__isnull=False).exists()
    assert activites.filter(
        lieu__identifiant="demo-centre-social-pontlieue", conseiller=karim
    ).exists()
    assert (
        activites.filter(conseiller=karim, cree_par=karim.user).count() == karim.activites.count()
    )
    # 2 to 5 a working day over two years, less in the holidays
    assert 1500 < karim.activites.count() < 3000
    # the seasons: August is the quietest month, September the busiest
    par_mois = {m: activites.filter(date__month=m).count() for m in (8, 9)}
    assert par_mois[8] * 2 < par_mois[9]
    # and the week between Christmas and New Year is far quieter than the first of December
    decembre = activites.filter(date__month=12)
    assert (
        decembre.filter(date__day__gte=24).count() * 2 < decembre.filter(date__day__lte=8).count()
    )
    # every generated report passes the model's rules
    for activite in activites.select_related("lieu", "arret")[:400]:
        activite.clean()
    suivis = Beneficiaire.objects.tous().filter(conseiller=karim)
    assert suivis.count() == 4
    assert all(b.derniere_activite and b.consentement_le for b in suivis)
    assert User.objects.filter(email="conseiller@demo.test").count() == 1


@pytest.mark.django_db
def test_plus_de_mois_complete_sans_doubler(territoires):
    call_command("load_demo", stdout=io.StringIO())
    avant = Activite.objects.tous().count()
    premiere = Activite.objects.tous().order_by("date").values_list("date", flat=True).first()
    # a shorter period draws the same days again: nothing to add, not even on empty days
    assert charger_conseillers_demo(mois=5).activites_ajoutees == 0
    # one more month adds the reports of that month only
    bilan = charger_conseillers_demo(mois=MOIS_DEMO + 1)
    assert bilan.activites_ajoutees > 0 and bilan.activites == avant + bilan.activites_ajoutees
    assert Activite.objects.tous().filter(date__gte=premiere).count() == avant
    doublons = (
        Activite.objects.tous()
        .values("conseiller", "date", "cree_le")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not doublons.exists()
    assert charger_conseillers_demo(mois=MOIS_DEMO + 1).activites_ajoutees == 0
