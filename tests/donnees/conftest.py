# the workshops' fixtures: a published sheet, a structure with its site and convention, a request
from tests.ateliers.conftest import atelier, demande  # noqa: F401
