# the workshops' fixtures: a published sheet, a structure with its site and convention, a request
from tests.ateliers.conftest import atelier, demande  # noqa: F401
from tests.indicateurs.statistiques.test_statistiques import donnees  # noqa: F401
