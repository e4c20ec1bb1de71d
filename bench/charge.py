"""Load test (issues « confiance » and 23): 200 members of the public on the site search
and map, and 50 advisors recording activity reports at once, for two minutes each scenario,
against gunicorn on loopback with PostgreSQL and Redis.

Side by side on the same server and the same number of users, the cache emptied before each:
  * baseline — every user asks ``/sante/`` (one trivial query): the floor of the stack;
  * warm (« portail ») — the public's searches among a bounded set (500 communes, 4 words,
    one national search), map data and pages of 5,000 sites, which the public pages' cache
    mostly answers, and the advisors' reports (``POST /api/v1/activites/``, own token);
    target: no error, p95 under 500 ms;
  * cold (« froid ») — every search a new one, drawn over the whole country by
    ``bench.recherches`` (communes weighted by population, services, publics, keywords,
    « open now »), with its map data, and every site's page a site not asked before, the
    advisors posting at the same time; target: no error, p95 ≤ 300 ms.

For each: p50, p95, p99, errors, and the share of the public's requests answered from the
cache: 1 − (parts the server computed and stored, counted in Redis) / (public requests).

The database holds the Le Mans demo (``load_demo``: 21 sites, 7 advisors, two years of
reports), plus ``--lieux`` generated sites (national scale: 18 000) and the load's advisors.

With the latencies, the processor time each part spent per request (gunicorn, PostgreSQL,
Redis, the load generator) and how busy the machine's cores were: what a run on a shared
machine measures is read with them (a saturated machine queues every request).

    .venv/bin/pip install locust   # not a dependency of the portal (it brings psutil)
    .venv/bin/python bench/charge.py [--duree 120] [--public 200] [--conseillers 50]
                                     [--lieux 18000] [--workers 4]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from bench.commun import sur_postgres_jetable  # noqa: E402

MOT_DE_PASSE = "charge-bench-2026"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duree", type=int, default=120, help="secondes par scénario")
    parser.add_argument("--public", type=int, default=200)
    parser.add_argument("--conseillers", type=int, default=50)
    parser.add_argument("--lieux", type=int, default=18000, help="lieux générés en plus")
    parser.add_argument("--workers", type=int, default=4, help="processus gunicorn")
    parser.add_argument(
        "--recherches", type=int, default=8000, help="recherches distinctes du scénario froid"
    )
    sur_postgres_jetable(executer, parser.parse_args())


def preparer(args, dossier: Path) -> Path:
    """Demo, generated sites, the load's advisors and their tokens; returns the data file."""
    import django

    django.setup()
    from django.core.management import call_command

    from comptes.enums import Role
    from comptes.services import creer_compte, creer_jeton
    from conseillers.services import profil_conseiller
    from structures.models import Lieu
    from territoires.models import Epci

    debut = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_territoires", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if args.lieux:
        from bench.recherches import communes_ponderees, generer_csv
        from structures.normes import importer_lieux

        communes, poids = communes_ponderees()
        fichier = dossier / "lieux.csv"
        generer_csv(fichier, args.lieux, communes, poids)
        importer_lieux(chemin=fichier)
    epci = Epci.objects.get(pk="247200132")
    jetons = []
    for i in range(args.conseillers):
        user = creer_compte(
            email=f"charge{i}@bench.test",
            mot_de_passe=MOT_DE_PASSE,
            role=Role.CONSEILLER,
            prenom="Charge",
            nom=str(i),
            epcis=[epci],
        )
        profil_conseiller(user=user)
        jetons.append(creer_jeton(user, libelle="banc de charge")[1])
    from django.db import connection

    with connection.cursor() as curseur:  # what autovacuum does soon after a bulk load
        curseur.execute("ANALYZE")
    lieux = list(Lieu.objects.publics().values_list("pk", flat=True)[:5000])
    communes = sorted(set(Lieu.objects.publics().values_list("commune__nom", flat=True)))
    # the cold scenario: distinct searches over the country, sites never asked twice
    import random

    from bench import recherches

    tirees = recherches.tirer(recherches.lire(), args.recherches)
    tous = list(Lieu.objects.publics().values_list("pk", flat=True))
    random.Random(23).shuffle(tous)
    donnees = dossier / "donnees.json"
    donnees.write_text(
        json.dumps(
            {
                "jetons": jetons,
                "lieux": lieux,
                "communes": communes[:500],
                "recherches": [r.chaine() for r in tirees],
                "lieux_tires": tous,
            }
        ),
        encoding="utf-8",
    )
    print(
        f"Données prêtes en {time.perf_counter() - debut:.0f} s : "
        f"{Lieu.objects.tous().count()} lieux, {len(jetons)} conseillers de charge."
    )
    return donnees


def executer(args) -> None:
    from django.db import connections

    from tests.services import demarrer_redis, port_libre

    dossier = Path(tempfile.mkdtemp(prefix="bench-charge-"))
    os.environ["STATIC_ROOT"] = str(dossier / "static")
    donnees = preparer(args, dossier)
    connections.close_all()
    port = port_libre()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "inclusion.settings.base",
        "SECRET_KEY": "banc-de-charge",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "REDIS_URL": demarrer_redis(),
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    # the production storage (hashed names, manifest), as gunicorn serves them
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=RACINE,
        env=env,
        check=True,
    )
    serveur = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "inclusion.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            "2",
            # longer than the users' think time: a connection closed by the server at the
            # moment a client reuses it is a reset seen as an error (default 2 s)
            "--keep-alive",
            "10",
            "--log-level",
            "warning",
        ],
        cwd=RACINE,
        env=env,
    )
    try:
        from tests.services import _attendre_port

        _attendre_port(port)
        services = {
            "gunicorn": serveur.pid,
            "PostgreSQL": _ecoute(int(os.environ["DATABASE_URL"].rsplit(":", 1)[1].split("/")[0])),
            "Redis": _ecoute(int(env["REDIS_URL"].rsplit(":", 1)[1].split("/")[0])),
        }
        import redis

        memoire = redis.Redis.from_url(env["REDIS_URL"])
        resultats, processeur, calcules = {}, {}, {}
        for scenario in SCENARIOS:
            memoire.flushdb()  # the cache emptied: each scenario starts cold
            avant = _temps_processeur(services)
            resultats[scenario], calcules[scenario] = lancer_locust(
                args, scenario, port, donnees, dossier, memoire
            )
            apres = _temps_processeur(services)
            processeur[scenario] = {nom: apres[nom] - avant[nom] for nom in apres}
        print(f"\nCharge de la machine à la fin : {_charge()}")
        afficher(args, resultats, calcules)
        afficher_processeur(resultats, processeur)
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)


def _ecoute(port: int) -> int:
    """The process listening on this loopback port (PostgreSQL's postmaster, Redis)."""
    import psutil

    for connexion in psutil.net_connections(kind="tcp"):
        if connexion.status == psutil.CONN_LISTEN and connexion.laddr.port == port:
            return connexion.pid
    raise LookupError(f"rien n'écoute sur le port {port}")


def _temps_processeur(services: dict[str, int]) -> dict[str, float]:
    """Processor seconds used so far by each service's process tree (its exited children
    included), by the load generators run so far, and by the whole machine."""
    import psutil

    temps = {}
    for nom, pid in services.items():
        racine = psutil.Process(pid)
        total = 0.0
        for processus in [racine, *racine.children(recursive=True)]:
            try:
                t = processus.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += t.user + t.system + t.children_user + t.children_system
        temps[nom] = total
    # locust runs as our child, waited for: its time is in our children's
    enfants = os.times()
    temps["locust"] = enfants.children_user + enfants.children_system
    machine = psutil.cpu_times()
    temps["machine"] = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
    temps["horloge"] = time.monotonic() * psutil.cpu_count()
    return temps


SCENARIOS = ("base", "portail", "froid")
# what the public pages store in the cache when they compute a part (structures.cache_public)
PARTIES_EN_CACHE = ("lieux-recherche:", "lieux-carte:", "lieux-fiche:")


def _charge() -> str:
    un, cinq, quinze = os.getloadavg()
    return (
        f"charge moyenne {un:.1f} / {cinq:.1f} / {quinze:.1f} (1, 5, 15 min), "
        f"{os.cpu_count()} cœurs"
    )


def _parties_calculees(memoire) -> set[bytes]:
    """The public pages' parts now in the cache: each one was computed once (a miss)."""
    return {
        cle
        for partie in PARTIES_EN_CACHE
        for cle in memoire.scan_iter(match=f"*{partie}*", count=5000)
    }


def lancer_locust(args, scenario: str, port: int, donnees: Path, dossier: Path, memoire):
    """The scenario's rows of locust's statistics, and the number of parts the server
    computed and stored in the cache meanwhile (read every 10 s: a part keyed by the
    minute lives 60 s)."""
    prefixe = dossier / scenario
    utilisateurs = args.public + args.conseillers
    processus = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(RACINE / "bench" / "charge_locust.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{port}",
            "--users",
            str(utilisateurs),
            "--spawn-rate",
            str(max(1, utilisateurs // 10)),
            "--run-time",
            f"{args.duree}s",
            "--csv",
            str(prefixe),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env={
            **os.environ,
            "CHARGE_SCENARIO": scenario,
            "CHARGE_DONNEES": str(donnees),
            "CHARGE_PUBLIC": str(args.public),
            "CHARGE_CONSEILLERS": str(args.conseillers),
        },
        stdout=subprocess.DEVNULL,
    )
    calculees: set[bytes] = set()
    while processus.poll() is None:
        calculees |= _parties_calculees(memoire)
        time.sleep(10)
    calculees |= _parties_calculees(memoire)
    with open(f"{prefixe}_stats.csv", encoding="utf-8") as fichier:
        return list(csv.DictReader(fichier)), len(calculees)


LIBELLES = {
    "base": "baseline /sante/",
    "portail": "chaud : recherches répétées",
    "froid": "froid : recherches toutes distinctes",
}
OBJECTIFS_P95 = {"portail": 500, "froid": 300}


def afficher(args, resultats, calcules) -> None:
    base = next(r for r in resultats["base"] if r["Name"] == "Aggregated")
    p95_base = float(base["95%"]) or 1.0
    print(
        f"\n{args.public} visiteurs et {args.conseillers} conseillers, {args.duree} s par "
        f"scénario, gunicorn {args.workers} processus × 2 fils, cache vidé avant chaque "
        "scénario\n"
    )
    print(
        f"{'requête':44} {'nombre':>7} {'erreurs':>7} {'req/s':>6} {'p50':>6} {'p95':>6} "
        f"{'p99':>6} {'p95/base':>8} {'cache':>6}"
    )
    for scenario in SCENARIOS:
        lignes = resultats[scenario]
        publiques = sum(
            int(ligne["Request Count"])
            for ligne in lignes
            if ligne["Name"].startswith("/lieux/") and ligne["Name"] != "Aggregated"
        )
        part = (
            f"{max(0.0, 1 - calcules[scenario] / publiques):.0%}"
            if publiques and scenario != "base"
            else ""
        )
        print(f"-- {LIBELLES[scenario]}")
        for ligne in sorted(lignes, key=lambda r: r["Name"] == "Aggregated"):
            if scenario == "base" and ligne["Name"] != "Aggregated":
                continue
            nom = "  toutes requêtes" if ligne["Name"] == "Aggregated" else f"  {ligne['Name']}"
            print(
                f"{nom[:44]:44} {ligne['Request Count']:>7} {ligne['Failure Count']:>7} "
                f"{float(ligne['Requests/s']):6.1f} {ligne['50%']:>6} {ligne['95%']:>6} "
                f"{ligne['99%']:>6} {float(ligne['95%']) / p95_base:7.1f}× "
                f"{part if ligne['Name'] == 'Aggregated' else '':>6}"
            )
        if scenario != "base":
            print(
                f"  parties calculées et mises en cache : {calcules[scenario]} pour "
                f"{publiques} requêtes du public (le reste servi par le cache)"
            )
    print("(durées en ms)")
    for scenario, objectif in OBJECTIFS_P95.items():
        total = next(r for r in resultats[scenario] if r["Name"] == "Aggregated")
        erreurs = int(total["Failure Count"])
        p95 = float(total["95%"])
        print(
            f"Objectifs, {LIBELLES[scenario]} : zéro erreur "
            f"({'atteint' if erreurs == 0 else f'manqué : {erreurs} erreurs'}), p95 ≤ {objectif} "
            f"ms ({'atteint' if p95 <= objectif else f'manqué : {p95:.0f} ms'})."
        )


def afficher_processeur(resultats, processeur) -> None:
    print(
        "\nTemps processeur par requête (ms) et occupation des cœurs de la machine pendant "
        "chaque scénario :\n"
    )
    parties = ["gunicorn", "PostgreSQL", "Redis", "locust"]
    sature = False
    print(f"{'scénario':12} " + " ".join(f"{p:>10}" for p in parties) + f" {'occupation':>11}")
    for scenario in SCENARIOS:
        nombre = int(
            next(r for r in resultats[scenario] if r["Name"] == "Aggregated")["Request Count"]
        )
        mesures = processeur[scenario]
        occupation = mesures["machine"] / mesures["horloge"] if mesures["horloge"] else 0.0
        print(
            f"{scenario:12} "
            + " ".join(f"{1000 * mesures[p] / max(nombre, 1):10.1f}" for p in parties)
            + f" {occupation:10.0%}"
        )
        sature = sature or (scenario != "base" and occupation > 0.9)
    if sature:
        print(
            "\nLes cœurs de la machine étaient pris à plus de 90 % : le p95 mesure surtout "
            "la file d'attente des requêtes ; le temps processeur par requête, lui, se "
            "compare d'une machine à l'autre."
        )


if __name__ == "__main__":
    main()
