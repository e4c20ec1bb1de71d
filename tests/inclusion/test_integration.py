"""Integration on the real services: PostgreSQL, Redis and a Celery worker process."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from comptes.models import TerritoireUtilisateur
from territoires.models import Commune
from tests.comptes.factories import UserFactory


@pytest.mark.postgres
def test_suite_sur_postgresql(postgres):
    assert connection.vendor == "postgresql"
    with connection.cursor() as curseur:
        curseur.execute("SHOW server_version_num")
        assert int(curseur.fetchone()[0]) >= 130000


@pytest.mark.postgres
def test_contraintes_appliquees_par_postgresql(postgres, geographie):
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        TerritoireUtilisateur.objects.create(
            user=user, commune=geographie["le_mans"], departement=geographie["sarthe"]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Commune.objects.filter(pk="72181").update(latitude=123)


@pytest.mark.postgres
def test_import_national_sur_postgresql(postgres):
    from django.core.management import call_command

    call_command("import_territoires", verbosity=0)
    # 34,875 communes of France and the DROM, and the 88 of the overseas collectivities
    assert Commune.objects.count() == 34875 + 88
    assert Commune.objects.recherche("yvre l eveque").first().code_insee == "72386"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_courriel_de_reinitialisation_envoye_par_le_worker(celery_reel, client):
    user = UserFactory(email="reinit@exemple.test")
    reponse = client.post(reverse("comptes:reinitialisation"), {"email": user.email})
    assert reponse.status_code == 302
    boite = celery_reel["boite"]
    import time

    def lire() -> str:  # the worker creates the file, then writes the message into it
        return "".join(f.read_text() for f in boite.iterdir())

    fin = time.monotonic() + 30
    while "/mot-de-passe/nouveau/" not in lire() and time.monotonic() < fin:
        time.sleep(0.2)
    contenu = lire()
    assert contenu, celery_reel["journal"].read_text()[-2000:]
    assert "reinit@exemple.test" in contenu
    assert "/mot-de-passe/nouveau/" in contenu
    assert "comptes.tasks.envoyer_courriel" in celery_reel["journal"].read_text()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_tache_lit_la_base_de_test(celery_reel, geographie):
    from structures.tasks import recalculer_creneaux_de_la_semaine
    from tests.structures.factories import LieuFactory

    LieuFactory(commune=geographie["le_mans"], horaires="Mo-Fr 09:00-12:00")
    resultat = recalculer_creneaux_de_la_semaine.delay()
    assert resultat.get(timeout=30) >= 1  # the worker saw the site written by the test
