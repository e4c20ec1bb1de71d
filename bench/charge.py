"""Load test (issue « confiance »): 200 members of the public on the site search and map,
and 50 advisors recording activity reports at once, for two minutes, against gunicorn on
loopback with PostgreSQL and Redis. Targets: no error, p95 under 500 ms.

Side by side on the same server and the same number of users:
  * baseline — every user asks ``/sante/`` (one trivial query): the floor of the stack;
  * the portal — the public's searches, map data and site pages, and the advisors' reports
    (``POST /api/v1/activites/`` with their own token).

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
    from territoires.models import Commune, Epci

    debut = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_territoires", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if args.lieux:
        from bench.lieux import generer_csv
        from structures.normes import importer_lieux

        communes = list(
            Commune.objects.filter(latitude__isnull=False).values_list(
                "code_insee", "nom", "codes_postaux", "latitude", "longitude"
            )
        )
        fichier = dossier / "lieux.csv"
        generer_csv(fichier, args.lieux, communes)
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
    donnees = dossier / "donnees.json"
    donnees.write_text(
        json.dumps({"jetons": jetons, "lieux": lieux, "communes": communes[:500]}),
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
        resultats, processeur = {}, {}
        for scenario in ("base", "portail"):
            avant = _temps_processeur(services)
            resultats[scenario] = lancer_locust(args, scenario, port, donnees, dossier)
            apres = _temps_processeur(services)
            processeur[scenario] = {nom: apres[nom] - avant[nom] for nom in apres}
        afficher(args, resultats)
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


def lancer_locust(args, scenario: str, port: int, donnees: Path, dossier: Path) -> list[dict]:
    prefixe = dossier / scenario
    utilisateurs = args.public + args.conseillers
    subprocess.run(
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
        check=False,
        stdout=subprocess.DEVNULL,
    )
    with open(f"{prefixe}_stats.csv", encoding="utf-8") as fichier:
        return list(csv.DictReader(fichier))


def afficher(args, resultats) -> None:
    base = next(r for r in resultats["base"] if r["Name"] == "Aggregated")
    p95_base = float(base["95%"]) or 1.0
    print(
        f"\n{args.public} visiteurs et {args.conseillers} conseillers, {args.duree} s par "
        f"scénario, gunicorn {args.workers} processus × 2 fils\n"
    )
    print(
        f"{'requête':42} {'nombre':>7} {'erreurs':>7} {'req/s':>7} {'médiane':>8} "
        f"{'p95':>6} {'p95/base':>9}"
    )
    for scenario in ("base", "portail"):
        for ligne in resultats[scenario]:
            nom = "baseline /sante/" if scenario == "base" else ligne["Name"]
            if scenario == "base" and ligne["Name"] != "Aggregated":
                continue
            if scenario == "portail" and ligne["Name"] == "Aggregated":
                nom = "portail, toutes requêtes"
            print(
                f"{nom[:42]:42} {ligne['Request Count']:>7} {ligne['Failure Count']:>7} "
                f"{float(ligne['Requests/s']):7.1f} {ligne['50%']:>6} ms {ligne['95%']:>3} ms "
                f"{float(ligne['95%']) / p95_base:8.1f}×"
            )
    portail = next(r for r in resultats["portail"] if r["Name"] == "Aggregated")
    erreurs = int(portail["Failure Count"])
    p95 = float(portail["95%"])
    print(
        f"\nObjectifs : zéro erreur ({'atteint' if erreurs == 0 else f'{erreurs} erreurs'}), "
        f"p95 < 500 ms ({'atteint' if p95 < 500 else f'manqué : {p95:.0f} ms'})."
    )


def afficher_processeur(resultats, processeur) -> None:
    print(
        "\nTemps processeur par requête (ms) et occupation des cœurs de la machine pendant "
        "chaque scénario :\n"
    )
    parties = ["gunicorn", "PostgreSQL", "Redis", "locust"]
    print(f"{'scénario':12} " + " ".join(f"{p:>10}" for p in parties) + f" {'occupation':>11}")
    for scenario in ("base", "portail"):
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
        if scenario == "portail" and occupation > 0.9:
            print(
                "\nLes cœurs de la machine étaient pris à plus de 90 % : le p95 mesure surtout "
                "la file d'attente des requêtes ; le temps processeur par requête, lui, se "
                "compare d'une machine à l'autre."
            )


if __name__ == "__main__":
    main()
