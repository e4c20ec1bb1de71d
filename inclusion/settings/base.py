"""Production-safe settings, read from the environment.

Every variable is documented in README.md and .env.example. ``dev`` and ``test`` build on
this module; nothing here trusts a development default that would be unsafe online.
"""

from datetime import timedelta
from pathlib import Path

import environ
import xstatic.pkg.bootstrap
import xstatic.pkg.leaflet
import xstatic.pkg.leaflet_markercluster
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    # API tokens: hashed, with an expiry, several per account (model comptes.JetonApi)
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_ratelimit",
    "csp",
    "simple_history",
    # project apps, from the bottom layer up (see docs/architecture.md)
    "commun",
    "territoires",
    "comptes",
    "structures",
    "conseillers",
    "ateliers",
    "indicateurs",
    "indicateurs.indice",
    "indicateurs.couverture",
    "indicateurs.statistiques",
    "gestion_comptes",
    "reseau",
    "donnees",
    "imports",
    "inclusion",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "comptes.middleware.LoginRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inclusion.urls"
WSGI_APPLICATION = "inclusion.wsgi.application"
ASGI_APPLICATION = "inclusion.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inclusion.context_processors.portail",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise (PostgreSQL in production).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "comptes:connexion"
LOGIN_REDIRECT_URL = "comptes:espace"
LOGOUT_REDIRECT_URL = "accueil"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# Locking after repeated failed logins (django-axes): the account, whatever the address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "comptes.verrouillage.reponse_verrouillage"
AXES_USERNAME_FORM_FIELD = "username"
# one spelling of an e-mail per account: the lockout counts User@… and user@… together
AXES_USERNAME_CALLABLE = "comptes.verrouillage.identifiant"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
# django-ipware is not installed: without this, django-axes reads REMOTE_ADDR only, and
# PROXY_COUNT is ignored. The same address keys the rate limits (commun/limites.py).
AXES_CLIENT_IP_CALLABLE = "commun.limites.adresse_ip"

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "commun.stockage.StockageStatique"},
}

# E-mail: EMAIL_URL as smtp://user:password@host:587/?tls=True (or consolemail://).
vars().update(env.email_url("EMAIL_URL", default="smtp://localhost:25"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ne-pas-repondre@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis: the Celery broker and the cache. Unset means tasks run eagerly, in process.
REDIS_URL = env.str("REDIS_URL", default="")


def caches_redis(url: str) -> dict:
    """Redis down: the cache misses instead of failing the page (django-redis ignores and
    logs the connection errors, after one second at most)."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }


if REDIS_URL:
    CACHES = caches_redis(REDIS_URL)
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that queues a task does not wait long for a broker that is down: it falls back
# (comptes.tasks.envoyer_courriel_sans_attendre) or says so.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    "creneaux-des-lieux": {
        "task": "structures.tasks.recalculer_creneaux_de_la_semaine",
        "schedule": crontab(hour=0, minute=5),
    },
    "purge-des-beneficiaires-inactifs": {
        "task": "conseillers.tasks.purger_beneficiaires_inactifs",
        "schedule": crontab(hour=2, minute=30),
    },
    # the month just closed, on the 1st at 3:15 (after the night's purge)
    "statistiques-du-mois-ecoule": {
        "task": "indicateurs.tasks.compute_statistiques",
        "schedule": crontab(day_of_month=1, hour=3, minute=15),
    },
    # the month just closed, if its run on the 1st was missed (Redis or the worker down)
    "statistiques-rattrapage": {
        "task": "indicateurs.tasks.rattraper_statistiques",
        "schedule": crontab(minute=40),
    },
    # late entries: months whose reports changed since the previous run
    "statistiques-saisies-tardives": {
        "task": "indicateurs.tasks.reprendre_statistiques",
        "schedule": crontab(minute="*/15"),
    },
    "purge-des-comptes-inactifs": {
        "task": "comptes.tasks.purger_comptes_inactifs",
        "schedule": crontab(hour=2, minute=45),
    },
    "purge-des-fichiers-d-import": {
        "task": "imports.tasks.purger_fichiers",
        "schedule": crontab(hour=2, minute=55),
    },
    "purge-des-signalements": {
        "task": "structures.tasks.purger_signalements",
        "schedule": crontab(hour=2, minute=55),
    },
    "purge-des-participants-aux-ateliers": {
        "task": "ateliers.tasks.purger_participants",
        "schedule": crontab(hour=2, minute=50),
    },
    # partner conventions ending within 30 days: one reminder each
    "echeances-des-conventions": {
        "task": "ateliers.tasks.rappeler_echeances_conventions",
        "schedule": crontab(hour=7, minute=30),
    },
    # the public's error reports of the last day: one e-mail per coordinator
    "resume-des-signalements": {
        "task": "structures.tasks.envoyer_resume_des_signalements",
        "schedule": crontab(hour=7, minute=45),
    },
}

# Followed beneficiaries with no activity for this many months are deleted every night.
BENEFICIAIRES_CONSERVATION_MOIS = env.int("BENEFICIAIRES_CONSERVATION_MOIS", default=24)
# Named registrants of a workshop are deleted this many months after it is over.
PARTICIPANTS_CONSERVATION_MOIS = env.int("PARTICIPANTS_CONSERVATION_MOIS", default=12)
# Accounts with no login for this many months are deleted every night (staff excepted).
COMPTES_CONSERVATION_MOIS = env.int("COMPTES_CONSERVATION_MOIS", default=24)
# files uploaded in /gestion/imports/ and their refused rows: deleted after this many days
IMPORTS_CONSERVATION_JOURS = env.int("IMPORTS_CONSERVATION_JOURS", default=90)
# The public's error reports are deleted this many months after they were received.
SIGNALEMENTS_CONSERVATION_MOIS = env.int("SIGNALEMENTS_CONSERVATION_MOIS", default=12)

# The link of an invitation to the portal (sent by a coordinator) works this many days.
COMPTES_INVITATION_DUREE_JOURS = env.int("COMPTES_INVITATION_DUREE_JOURS", default=7)

# API tokens are valid this many days, then refused (a new one is asked for).
API_JETON_DUREE_JOURS = env.int("API_JETON_DUREE_JOURS", default=90)
KNOX_TOKEN_MODEL = "comptes.JetonApi"  # noqa: S105 - a model's name
# knox's own migrations would create its default token table, which comptes.JetonApi
# replaces: unused, and left behind by flushes since it still points at the accounts
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=API_JETON_DUREE_JOURS),
    "AUTH_HEADER_PREFIX": "Token",
}
# Rate limits (commun/limites.py), "count/unit" with unit s, m, h or d, counted in the
# cache per client address (the one django-axes reads), or per account for the API.
# The public's error reports: per address, and per site.
LIMITE_SIGNALEMENTS_PAR_ADRESSE = env.str("LIMITE_SIGNALEMENTS_PAR_ADRESSE", default="5/h")
LIMITE_SIGNALEMENTS_PAR_LIEU = env.str("LIMITE_SIGNALEMENTS_PAR_LIEU", default="20/d")
# Each printable PDF (the guide, the quarterly programme), per address.
LIMITE_PDF_PAR_ADRESSE = env.str("LIMITE_PDF_PAR_ADRESSE", default="30/h")
# The forgotten-password form: per address, and per e-mail address asked for.
LIMITE_REINITIALISATION_PAR_ADRESSE = env.str("LIMITE_REINITIALISATION_PAR_ADRESSE", default="10/h")
LIMITE_REINITIALISATION_PAR_COURRIEL = env.str(
    "LIMITE_REINITIALISATION_PAR_COURRIEL", default="3/h"
)
# The suggestions of the back-office's typed choices (communes, structures), per address.
LIMITE_SUGGESTIONS_PAR_ADRESSE = env.str("LIMITE_SUGGESTIONS_PAR_ADRESSE", default="120/m")
# The API: /api/v1/lieux/ and /api/v1/jeton/ (DRF throttle scopes "lieux" and "jeton").
LIMITE_API_LIEUX = env.str("LIMITE_API_LIEUX", default="120/m")
LIMITE_API_JETON = env.str("LIMITE_API_JETON", default="20/h")
RATELIMIT_USE_CACHE = "default"
# Above this many choices, a commune or structure is typed with suggestions
# (commun/autocompletion.py) instead of picked from a <select>.
SEUIL_AUTOCOMPLETION = env.int("SEUIL_AUTOCOMPLETION", default=200)
# Redis down: the limits let requests through, as the pages do without their cache.
RATELIMIT_FAIL_OPEN = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "comptes.authentification.JetonAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # JSON only: people read the API in its documentation page (/api/v1/documentation/),
    # which is the portal's (footer, legal links, accessible); DRF's browsable pages were
    # not (English, no legal links, axe violations)
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # only the views that name a throttle_scope are throttled by it
    "DEFAULT_THROTTLE_CLASSES": ["commun.limites.LimiteParPortee"],
    # DRF's own throttles (territoires' anon and user) read X-Forwarded-For as
    # commun.limites.adresse_ip does; unset, they would take the header as the client wrote it
    "NUM_PROXIES": AXES_IPWARE_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "1200/min",
        "lieux": LIMITE_API_LIEUX,
        "jeton": LIMITE_API_JETON,
    },
    # a deletion refused by a PROTECT foreign key is a 409 with its reason, not a 500
    "EXCEPTION_HANDLER": "commun.api.gerer_exceptions",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API du portail de l'inclusion numérique",
    "DESCRIPTION": "Référentiel géographique, comptes et, au fil des versions, lieux, "
    "activités, ateliers et indicateurs. Authentification par jeton ou par session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # no deep links: Swagger UI puts them as links inside each operation's button (axe:
    # nested-interactive)
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "COMPONENT_SPLIT_REQUEST": True,
}

# The territory this instance serves: its name, logo and main colour in every page.
PORTAIL_NOM = env.str("PORTAIL_NOM", default="Portail de l'inclusion numérique")
PORTAIL_TERRITOIRE = env.str("PORTAIL_TERRITOIRE", default="Le Mans Métropole")
PORTAIL_LOGO = env.str("PORTAIL_LOGO", default="img/logo.svg")
PORTAIL_COULEUR = env.str("PORTAIL_COULEUR", default="#00607a")
PORTAIL_CONTACT = env.str("PORTAIL_CONTACT", default="")
# The legal pages every public body's site carries (footer of every page): the publisher,
# its director of publication, the host, the data protection officer, the accessibility
# audit (conformity status computed from its rate; no audit: "non conforme").
PORTAIL_EDITEUR = env.str("PORTAIL_EDITEUR", default="") or PORTAIL_TERRITOIRE
PORTAIL_EDITEUR_ADRESSE = env.str("PORTAIL_EDITEUR_ADRESSE", default="")
PORTAIL_DIRECTION_PUBLICATION = env.str("PORTAIL_DIRECTION_PUBLICATION", default="")
PORTAIL_HEBERGEUR = env.str("PORTAIL_HEBERGEUR", default="")
PORTAIL_DPO = env.str("PORTAIL_DPO", default="")
_taux = env.str("PORTAIL_ACCESSIBILITE_TAUX", default="").strip().replace(",", ".")
PORTAIL_ACCESSIBILITE_TAUX = float(_taux) if _taux else None
PORTAIL_ACCESSIBILITE_AUDIT = env.str("PORTAIL_ACCESSIBILITE_AUDIT", default="")
PORTAIL_ACCESSIBILITE_SCHEMA = env.str("PORTAIL_ACCESSIBILITE_SCHEMA", default="")
# the portal's public address, for the links of the e-mails sent outside a request
PORTAIL_URL = env.str("PORTAIL_URL", default="http://127.0.0.1:8000")
# Map tiles: the only third-party origin our pages may reach.
PORTAIL_TUILES_URL = env.str(
    "PORTAIL_TUILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
PORTAIL_TUILES_ATTRIBUTION = env.str(
    "PORTAIL_TUILES_ATTRIBUTION",
    default="&copy; les contributeurs d'OpenStreetMap",
)


def _origin(url: str) -> str:
    """``https://{s}.tile.example.org/{z}/{x}/{y}.png`` -> ``https://*.tile.example.org``."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", _origin(PORTAIL_TUILES_URL)],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# HTTPS: on by default in production; a reverse proxy terminating TLS sets the header.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
CSRF_FAILURE_VIEW = "inclusion.views.erreur_csrf"
SESSION_COOKIE_HTTPONLY = True
# no script of the portal reads the CSRF cookie: forms carry the token, and the API's
# documentation page takes it from its template
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 10
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# axes.W006 asks to lock by IP address too: a France Services office or a médiathèque
# shares one address between many users, so one person's typos would lock out the room.
# The account is locked whatever the address, user agent or cookie, which is what W006
# fears is bypassed.
SILENCED_SYSTEM_CHECKS = ["axes.W006", *env.list("SILENCED_SYSTEM_CHECKS", default=[])]


def limites_en_memoire_locale(caches: dict) -> list[str]:
    """django-ratelimit's checks to leave out when the cache is the process's memory.

    Its E003 and W001 refuse that cache because its counts are not shared between
    processes. Without REDIS_URL it is the portal's only cache: runserver serves from one
    process, where the counts are right; a production server without Redis is warned by
    inclusion.W003 instead (inclusion/checks.py). With Redis (django-redis, supported),
    the checks run."""
    if caches["default"]["BACKEND"].endswith("LocMemCache"):
        return ["django_ratelimit.E003", "django_ratelimit.W001"]
    return []


SILENCED_SYSTEM_CHECKS += limites_en_memoire_locale(CACHES)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
