"""The network's back office: contacts of the structures, the network and working groups,
mailings and their history. Coordinators (their territory) and staff; another
territory's contact or group answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commun.pagination import paginer

from .. import permissions, services
from ..forms.gestion import ContactForm, EcrireForm, GroupeForm, MembresForm, RechercheContactsForm
from ..models import Contact, Groupe

CONTACTS_PAR_PAGE = 30
ENVOIS_PAR_PAGE = 30


@require_GET
def contacts(request):
    user = request.user
    liste = permissions.contacts_visibles(user)
    groupes = permissions.groupes_visibles(user)
    recherche = RechercheContactsForm(request.GET or None, groupes=groupes)
    if recherche.is_valid():
        mots = recherche.cleaned_data["q"].strip()
        if mots:
            liste = liste.filter(
                Q(nom__icontains=mots)
                | Q(prenom__icontains=mots)
                | Q(fonction__icontains=mots)
                | Q(structure__nom__icontains=mots)
            )
        if recherche.cleaned_data["groupe"]:
            liste = liste.filter(groupes=recherche.cleaned_data["groupe"])
    structure = None
    if request.GET.get("structure", "").isdigit():
        # « Contacts » of one structure (linked from the directory): within the territory
        structure = get_object_or_404(
            permissions.structures_du_reseau(user).only("nom"), pk=int(request.GET["structure"])
        )
        liste = liste.filter(structure=structure)
    liste = (
        liste.select_related("structure__commune")
        .prefetch_related(Prefetch("groupes", Groupe.objects.tous().order_by("nom")))
        .order_by("nom", "prenom", "pk")
    )
    return render(
        request,
        "reseau/gestion/contacts.html",
        {
            "page": paginer(liste, request.GET, CONTACTS_PAR_PAGE),
            "recherche": recherche,
            "structure": structure,
            "groupes": list(groupes.order_by("nom").only("nom")),
        },
    )


def _formulaire_contact(request, contact: Contact, titre: str, initial=None):
    user = request.user
    form = ContactForm(
        request.POST or None,
        instance=contact,
        initial=initial,
        structures=permissions.structures_du_reseau(user),
        groupes=permissions.groupes_visibles(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.enregistrer_contact(
                contact=form.save(commit=False), groupes=form.cleaned_data["groupes"]
            )
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, f"Le contact {contact.prenom} {contact.nom} est enregistré.")
            return redirect("reseau:contacts")
    return render(
        request,
        "reseau/gestion/contact.html",
        {"form": form, "titre": titre, "contact": contact if contact.pk else None},
    )


@require_http_methods(["GET", "POST"])
def creer_contact(request):
    permissions.exiger_gestion_reseau(request.user)
    initial = {}
    if request.GET.get("structure", "").isdigit():
        initial["structure"] = int(request.GET["structure"])
    return _formulaire_contact(request, Contact(), "Ajouter un contact", initial)


@require_http_methods(["GET", "POST"])
def modifier_contact(request, pk: int):
    contact = permissions.contact_ou_404(request.user, pk)
    return _formulaire_contact(request, contact, f"Modifier le contact {contact}")


@require_POST
def supprimer_contact(request, pk: int):
    contact = permissions.contact_ou_404(request.user, pk)
    nom = str(contact)
    contact.delete()
    messages.success(request, f"Le contact {nom} est supprimé.")
    return redirect("reseau:contacts")


@require_http_methods(["GET", "POST"])
def groupes(request):
    user = request.user
    liste = (
        permissions.groupes_visibles(user)
        .annotate(nombre_membres=Count("membres", filter=Q(membres__in=Contact.objects.pour(user))))
        .order_by("nom")
    )
    form = GroupeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            groupe = services.creer_groupe(par=user, **form.cleaned_data)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        else:
            messages.success(request, f"Le groupe «\u202f{groupe.nom}\u202f» est créé.")
            return redirect("reseau:groupe", pk=groupe.pk)
    return render(request, "reseau/gestion/groupes.html", {"groupes": liste, "form": form})


@require_http_methods(["GET", "POST"])
def groupe(request, pk: int):
    user = request.user
    objet = permissions.groupe_ou_404(user, pk)
    contacts = (
        permissions.contacts_visibles(user).select_related("structure").order_by("nom", "prenom")
    )
    form = GroupeForm(request.POST or None, instance=objet, prefix="groupe")
    membres = MembresForm(
        request.POST or None,
        contacts=contacts,
        initial={"membres": list(objet.membres.filter(pk__in=contacts.values("pk")))},
        prefix="membres",
    )
    if request.method == "POST" and form.is_valid() and membres.is_valid():
        services.enregistrer_groupe(
            groupe=form.save(commit=False),
            membres=membres.cleaned_data["membres"],
            contacts_visibles=contacts,
        )
        messages.success(request, f"Le groupe «\u202f{objet.nom}\u202f» est enregistré.")
        return redirect("reseau:groupe", pk=objet.pk)
    return render(
        request,
        "reseau/gestion/groupe.html",
        {"groupe": objet, "form": form, "membres": membres},
    )


@require_http_methods(["GET", "POST"])
def ecrire(request):
    """Write to an audience: « Voir les destinataires » counts them, « Envoyer le message »
    logs the mailing and queues one message per recipient."""
    user = request.user
    groupes_ = permissions.groupes_visibles(user)
    # « Écrire aux membres de ce groupe » comes with its audience chosen
    initial = {cle: request.GET[cle] for cle in ("audience", "groupe") if cle in request.GET}
    form = EcrireForm(request.POST or None, groupes=groupes_, initial=initial)
    apercu = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        cible = services.Cible(
            audience=d["audience"],
            typologie=d["typologie"],
            programme=d["programme"],
            groupe=d["groupe"],
        )
        if request.POST.get("action") == "envoyer":
            try:
                envoi = services.envoyer_message(
                    par=user, cible=cible, sujet=d["sujet"], texte=d["texte"]
                )
            except ValidationError as erreur:
                form.add_error(None, erreur)
            else:
                n = envoi.nombre_destinataires
                messages.success(
                    request,
                    f"Votre message «\u202f{envoi.sujet}\u202f» part vers {n} destinataire"
                    f"{'s' if n > 1 else ''}.",
                )
                return redirect("reseau:envois")
        else:
            adresses = services.adresses(user=user, cible=cible)
            apercu = {"libelle": cible.libelle, "adresses": adresses}
    return render(request, "reseau/gestion/ecrire.html", {"form": form, "apercu": apercu})


@require_GET
def envois(request):
    liste = (
        permissions.envois_visibles(request.user)
        .select_related("auteur")
        .order_by("-cree_le", "-pk")
    )
    return render(
        request,
        "reseau/gestion/envois.html",
        {"page": paginer(liste, request.GET, ENVOIS_PAR_PAGE)},
    )
