"""Locust users of bench/charge.py (run by it; see its docstring).

``CHARGE_SCENARIO=portail``: the public searches sites (list, map data, a site's page) and
advisors record activity reports through the API, each with their own token.
``CHARGE_SCENARIO=froid``: the same, except that every search is a new one (distinct
searches drawn over the whole country by ``bench.recherches``, never repeated), with its
map data, and every site's page a site not asked before: what the cache cannot answer.
``CHARGE_SCENARIO=base``: the same number of users, each asking ``/sante/`` (one trivial
query): the floor of the same server, for the ratios.

``FastHttpUser`` (geventhttpclient) rather than ``HttpUser`` (requests): it needs several
times less CPU per request, and the load generator shares the machine with the server.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random

from locust import FastHttpUser, between, task

DONNEES = json.loads(open(os.environ["CHARGE_DONNEES"], encoding="utf-8").read())  # noqa: SIM115
PUBLIC = int(os.environ.get("CHARGE_PUBLIC", "200"))
CONSEILLERS = int(os.environ.get("CHARGE_CONSEILLERS", "50"))
JETONS = itertools.cycle(DONNEES["jetons"])
THEMES = [["email"], ["navigation_internet"], ["demarches_administratives"], ["bureautique"]]


def saisir_une_activite(client, jeton) -> None:
    jour = dt.date.today() - dt.timedelta(days=random.randint(0, 6))
    client.post(
        "/api/v1/activites/",
        json={
            "date": jour.isoformat(),
            "duree_minutes": random.choice([15, 30, 45, 60]),
            "type": "individuel",
            "canal": "distance",
            "thematiques": random.choice(THEMES),
            "autonomie": "partiellement_autonome",
        },
        headers=jeton,
        name="POST /api/v1/activites/",
    )


if os.environ.get("CHARGE_SCENARIO") == "base":

    class SantePublic(FastHttpUser):
        fixed_count = PUBLIC
        wait_time = between(1, 3)

        @task
        def sante(self):
            self.client.get("/sante/", name="/sante/")

    class SanteConseiller(FastHttpUser):
        fixed_count = CONSEILLERS
        wait_time = between(1, 3)

        @task
        def sante(self):
            self.client.get("/sante/", name="/sante/")

elif os.environ.get("CHARGE_SCENARIO") == "froid":
    RECHERCHES = iter(DONNEES["recherches"])
    LIEUX = iter(DONNEES["lieux_tires"])

    class PublicFroid(FastHttpUser):
        """Someone looking for help near them, with a search nobody made before."""

        fixed_count = PUBLIC
        wait_time = between(1, 3)

        @task(3)
        def recherche(self):
            chaine = next(RECHERCHES, None)
            if chaine is None:  # the searches exhausted would repeat: a failure instead
                with self.client.get(
                    "/sante/", name="/lieux/ (recherche)", catch_response=True
                ) as reponse:
                    reponse.failure("recherches distinctes épuisées : relancer avec plus")
                return
            self.client.get(f"/lieux/?{chaine}", name="/lieux/ (recherche)")
            self.client.get(f"/lieux/carte/?{chaine}", name="/lieux/carte/ (données de la carte)")

        @task(2)
        def fiche(self):
            pk = next(LIEUX, None)
            if pk is None:
                with self.client.get("/sante/", name="/lieux/<id>/", catch_response=True) as r:
                    r.failure("lieux distincts épuisés")
                return
            self.client.get(f"/lieux/{pk}/", name="/lieux/<id>/")

    class ConseillerFroid(FastHttpUser):
        fixed_count = CONSEILLERS
        wait_time = between(1, 3)

        def on_start(self):
            self.jeton = {"Authorization": f"Token {next(JETONS)}"}

        @task
        def saisir(self):
            saisir_une_activite(self.client, self.jeton)

else:

    class Public(FastHttpUser):
        """Someone looking for help near them: search, map, a site's page."""

        fixed_count = PUBLIC
        wait_time = between(1, 3)

        @task(3)
        def recherche(self):
            parametres = random.choice(
                [
                    {"commune": random.choice(DONNEES["communes"])},
                    {"q": random.choice(["médiathèque", "france services", "ccas", "centre"])},
                    {"commune": random.choice(DONNEES["communes"]), "services": "demarches"},
                    {"services": "demarches", "gratuit": "on"},
                ]
            )
            self.client.get("/lieux/", params=parametres, name="/lieux/ (recherche)")

        @task(3)
        def carte(self):
            self.client.get(
                "/lieux/carte/",
                params={"commune": random.choice(DONNEES["communes"])},
                name="/lieux/carte/ (données de la carte)",
            )

        @task(2)
        def fiche(self):
            self.client.get(f"/lieux/{random.choice(DONNEES['lieux'])}/", name="/lieux/<id>/")

    class Conseiller(FastHttpUser):
        """An advisor recording the day's reports, one after the other."""

        fixed_count = CONSEILLERS
        wait_time = between(1, 3)

        def on_start(self):
            self.jeton = {"Authorization": f"Token {next(JETONS)}"}

        @task
        def saisir(self):
            saisir_une_activite(self.client, self.jeton)
