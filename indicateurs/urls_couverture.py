"""URLs of the couverture pages (merged into indicateurs/urls.py)."""

urlpatterns: list = []
