"""URLs of the espace pages (included by conseillers/urls.py under app_name "conseillers")."""

urlpatterns: list = []
