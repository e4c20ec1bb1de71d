from django.urls import path

from .views import gestion, public

app_name = "reseau"

urlpatterns = [
    # -- public --
    path("desinscription/<str:jeton>/", public.desinscription, name="desinscription"),
    # -- gestion --
    path("gestion/reseau/", gestion.contacts, name="contacts"),
    path("gestion/reseau/contacts/nouveau/", gestion.creer_contact, name="creer_contact"),
    path("gestion/reseau/contacts/<int:pk>/", gestion.modifier_contact, name="modifier_contact"),
    path(
        "gestion/reseau/contacts/<int:pk>/supprimer/",
        gestion.supprimer_contact,
        name="supprimer_contact",
    ),
    path("gestion/reseau/groupes/", gestion.groupes, name="groupes"),
    path("gestion/reseau/groupes/<int:pk>/", gestion.groupe, name="groupe"),
    path("gestion/reseau/ecrire/", gestion.ecrire, name="ecrire"),
    path("gestion/reseau/envois/", gestion.envois, name="envois"),
]
