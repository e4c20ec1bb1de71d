"""URLs of the indice pages (merged into indicateurs/urls.py)."""

urlpatterns: list = []
