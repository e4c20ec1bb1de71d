"""Workshops as partners follow them: a referent's requests (new request, follow-up,
cancellation) and the sessions (registrations; attendance and closing by the advisors who
run them).

A request's page is also where coordination studies, refuses and schedules it, coming
from the planning (``gestion``): one page per request for both.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from comptes.enums import Role
from structures.models import Lieu

from .. import permissions, services
from ..enums import OUVERTES, StatutDemande
from ..forms.espace import (
    DemandeForm,
    InscriptionForm,
    PlanificationForm,
    PresencesForm,
    RefusForm,
    debut_de_semaine,
)
from ..models import FicheAtelier, Participant, SessionAtelier
from ..services import NouvelleDemande, Refus

# -- requests ----------------------------------------------------------------------------


def _suivi(request):
    if not permissions.peut_suivre_demandes(request.user):
        raise PermissionDenied(
            "Les demandes d'atelier sont suivies par les structures et la coordination."
        )


@require_GET
def demandes(request):
    _suivi(request)
    statut = request.GET.get("statut", "")
    liste = permissions.demandes_visibles(request.user).select_related(
        "version", "structure", "lieu__commune"
    )
    if statut in StatutDemande.values:
        liste = liste.filter(statut=statut)
    return render(
        request,
        "ateliers/espace/demandes.html",
        {
            "demandes": liste.order_by("-cree_le", "-pk")[:500],
            "statut": statut,
            "statuts": StatutDemande.choices,
            "referent": request.user.role == Role.REFERENT,
        },
    )


@require_http_methods(["GET", "POST"])
def nouvelle_demande(request):
    if not permissions.est_referent(request.user):
        raise PermissionDenied("Seuls les référents de structure demandent un atelier.")
    # what the referent reads and requests is the published version, not a sheet being edited
    fiches = {
        str(f.pk): version
        for f in FicheAtelier.objects.proposees_a(request.user).order_by("titre")
        if (version := services.version_courante(f))
    }
    lieux = {
        str(lieu.pk): lieu
        for lieu in Lieu.objects.tous()
        .filter(structure__referents=request.user)
        .select_related("structure", "commune")
        .order_by("nom")
    }
    formulaire = DemandeForm(
        request.POST or None,
        fiches=[(pk, f.titre) for pk, f in fiches.items()],
        lieux=[(pk, f"{lieu.nom} ({lieu.commune.nom})") for pk, lieu in lieux.items()],
        initial={"fiche": request.GET.get("fiche", "")},
    )
    sans_convention = [
        s
        for s in {lieu.structure for lieu in lieux.values()}
        if services.convention_en_vigueur(s) is None
    ]
    if request.method == "POST" and formulaire.is_valid():
        p = formulaire.cleaned_data
        lieu = lieux[p["lieu"]]
        version = fiches[p["fiche"]]
        try:
            demande = services.deposer_demande(
                NouvelleDemande(
                    structure=lieu.structure,
                    version=version,
                    lieu=lieu,
                    creneaux=formulaire.creneaux(),
                    participants_attendus=p["participants_attendus"],
                    public=p["public"],
                    notes=p["notes"],
                ),
                par=request.user,
            )
        except Refus as refus:
            formulaire.add_error(None, str(refus))
        else:
            messages.success(
                request,
                f"Votre demande n° {demande.pk} est envoyée. Un accusé de réception vous est "
                "adressé par courriel ; vous serez informé à chaque étape.",
            )
            return redirect("ateliers:demande", pk=demande.pk)
    return render(
        request,
        "ateliers/espace/nouvelle_demande.html",
        {
            "formulaire": formulaire,
            "catalogue": fiches.values(),
            "sans_convention": sorted(sans_convention, key=str),
            "aucun_lieu": not lieux,
        },
        status=400 if formulaire.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def demande(request, pk: int):
    _suivi(request)
    demande_ = get_object_or_404(
        permissions.demandes_visibles(request.user).select_related(
            "version", "structure", "lieu__commune", "convention"
        ),
        pk=pk,
    )
    coordination = permissions.est_coordination(request.user)
    conseillers = list(permissions.conseillers_planifiables(request.user).order_by("nom", "prenom"))
    formulaires = {
        "refus": RefusForm(prefix="refus"),
        "planification": PlanificationForm(
            prefix="plan",
            conseillers=[(str(c.pk), str(c)) for c in conseillers],
            initial={"debut": _premier_creneau(demande_)},
        ),
    }
    erreur = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            reponse = _agir(request, demande_, action, coordination, conseillers, formulaires)
        except Refus as refus:
            erreur = str(refus)
        else:
            if reponse is not None:
                return reponse
    lundi = debut_de_semaine(request.GET.get("semaine") or _semaine_de(demande_))
    charge = (
        services.plan_de_charge(conseillers, lundi)
        if coordination and demande_.statut in OUVERTES
        else []
    )
    erreurs = erreur or any(f.errors for f in formulaires.values())
    return render(
        request,
        "ateliers/espace/demande.html",
        {
            "demande": demande_,
            "version": demande_.version,
            "coordination": coordination,
            "ouverte": demande_.statut in OUVERTES,
            "annulation": _annulation_proposee(request.user, demande_, coordination),
            "formulaires": formulaires,
            "erreur": erreur,
            "charge": charge,
            "jours": [lundi + dt.timedelta(days=i) for i in range(7)],
            "semaine_precedente": (lundi - dt.timedelta(days=7)).isoformat(),
            "semaine_suivante": (lundi + dt.timedelta(days=7)).isoformat(),
            "sessions": demande_.sessions.order_by("numero"),
            "etapes": demande_.etapes.select_related("par"),
        },
        status=400 if erreurs else 200,
    )


def _annulation_proposee(user, demande_, coordination) -> str | None:
    """What the cancel button offers in this state, if anything: the structure withdraws
    its open request (« demande ») or cancels its planned workshop (« atelier »); the
    coordination refuses an open request (the refusal says why) and cancels only a planned
    workshop."""
    if demande_.statut == StatutDemande.PLANIFIEE and (
        coordination or permissions.est_referent(user)
    ):
        return "atelier"
    if demande_.statut in OUVERTES and not coordination and permissions.est_referent(user):
        return "demande"
    return None


def _premier_creneau(demande_):
    creneau = demande_.creneaux.order_by("ordre").first()
    return timezone.localtime(creneau.debut).strftime("%Y-%m-%dT%H:%M") if creneau else None


def _semaine_de(demande_) -> str | None:
    creneau = demande_.creneaux.order_by("ordre").first()
    return timezone.localtime(creneau.debut).date().isoformat() if creneau else None


def _agir(request, demande_, action, coordination, conseillers, formulaires):
    """Carry out a POSTed action; None to show the page again (with the form's errors)."""
    user = request.user
    if action == "annuler" and (coordination or permissions.est_referent(user)):
        services.annuler(demande_, motif=request.POST.get("motif", ""), par=user)
        messages.success(request, "La demande est annulée.")
        return redirect("ateliers:demande", pk=demande_.pk)
    if not coordination:
        raise PermissionDenied("Seule la coordination étudie et planifie les demandes.")
    if action == "etudier":
        services.etudier(demande_, par=user)
        messages.success(request, "La demande est en étude ; la structure en est informée.")
        return redirect("ateliers:demande", pk=demande_.pk)
    if action == "refuser":
        formulaire = formulaires["refus"] = RefusForm(request.POST, prefix="refus")
        if formulaire.is_valid():
            services.refuser(demande_, motif=formulaire.cleaned_data["motif"], par=user)
            messages.success(request, "La demande est refusée ; la structure en est informée.")
            return redirect("ateliers:demande", pk=demande_.pk)
        return None
    if action == "planifier":
        formulaire = formulaires["planification"] = PlanificationForm(
            request.POST,
            prefix="plan",
            conseillers=[(str(c.pk), str(c)) for c in conseillers],
        )
        if formulaire.is_valid():
            p = formulaire.cleaned_data
            choisis = [c for c in conseillers if str(c.pk) in p["conseillers"]]
            sessions = services.planifier(
                demande_,
                debut=p["debut"],
                conseillers=choisis,
                par=user,
                publique=p["publique"],
                intervalle_jours=p["intervalle_jours"],
            )
            messages.success(
                request,
                f"Atelier planifié\u00a0: {len(sessions)} "
                f"séance{'s' if len(sessions) > 1 else ''}. "
                "La structure et les conseillers en sont informés.",
            )
            return redirect("ateliers:demande", pk=demande_.pk)
        return None
    raise Refus("Action inconnue.")


# -- sessions ----------------------------------------------------------------------------


def _seances_visibles(user):
    if permissions.est_referent(user):
        return SessionAtelier.objects.tous().filter(demande__structure__referents=user)
    if not permissions.peut_animer(user):
        raise PermissionDenied("Les séances sont suivies par les conseillers et la coordination.")
    return permissions.sessions_visibles(user)


@require_GET
def seances(request):
    liste = (
        _seances_visibles(request.user)
        .exclude(demande__statut=StatutDemande.ANNULEE)
        .select_related("demande__version", "lieu__commune")
        .distinct()
    )
    maintenant = timezone.now()
    return render(
        request,
        "ateliers/espace/seances.html",
        {
            "a_cloturer": liste.filter(debut__lte=maintenant, cloturee_le__isnull=True).order_by(
                "debut"
            ),
            "a_venir": liste.filter(debut__gt=maintenant).order_by("debut")[:200],
            "cloturees": liste.filter(cloturee_le__isnull=False).order_by("-debut")[:50],
        },
    )


@require_http_methods(["GET", "POST"])
def seance(request, pk: int):
    session = get_object_or_404(
        _seances_visibles(request.user)
        .select_related("demande__version", "demande__structure", "lieu__commune")
        .distinct(),
        pk=pk,
    )
    demande_ = session.demande
    inscrits = list(demande_.participants.filter(en_attente=False))
    attente = list(demande_.participants.filter(en_attente=True))
    animateur = permissions.peut_animer_session(request.user, session)
    inscription = InscriptionForm(prefix="inscription")
    presences = PresencesForm(
        prefix="presences",
        inscrits=[(str(p.pk), p.nom) for p in inscrits],
        initial={
            "presents": session.presents,
            "participants": [
                str(i) for i in session.presences.values_list("participant", flat=True)
            ],
        },
    )
    erreur = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "inscrire":
                inscription = InscriptionForm(request.POST, prefix="inscription")
                if inscription.is_valid():
                    participant = services.inscrire(
                        demande_, inscription.cleaned_data["nom"], par=request.user
                    )
                    etat = "sur liste d'attente" if participant.en_attente else "inscrit"
                    messages.success(request, f"{participant.nom}\u00a0: {etat}.")
                    return redirect("ateliers:seance", pk=session.pk)
            elif action == "desinscrire":
                participant = get_object_or_404(
                    Participant, pk=request.POST.get("participant"), demande=demande_
                )
                promu = services.desinscrire(participant, par=request.user)
                texte = f"{participant.nom} est désinscrit."
                if promu:
                    texte += f" {promu.nom} quitte la liste d'attente et prend la place."
                messages.success(request, texte)
                return redirect("ateliers:seance", pk=session.pk)
            elif action in ("presences", "cloturer") and animateur:
                presences = PresencesForm(
                    request.POST,
                    prefix="presences",
                    inscrits=[(str(p.pk), p.nom) for p in inscrits],
                )
                if presences.is_valid():
                    p = presences.cleaned_data
                    services.enregistrer_presences(
                        session,
                        presents=p["presents"],
                        participants=[int(i) for i in p["participants"]],
                        par=request.user,
                    )
                    if action == "cloturer":
                        activites = services.cloturer_session(session, par=request.user)
                        messages.success(
                            request,
                            f"Séance clôturée\u00a0: {len(activites)} compte"
                            f"{'s' if len(activites) > 1 else ''} rendu"
                            f"{'s' if len(activites) > 1 else ''} d'activité collective "
                            "créé(s), sans nouvelle saisie.",
                        )
                    else:
                        messages.success(request, "Présences enregistrées.")
                    return redirect("ateliers:seance", pk=session.pk)
            else:
                raise PermissionDenied("Action réservée aux conseillers qui animent la séance.")
        except Refus as refus:
            erreur = str(refus)
    erreurs = erreur or inscription.errors or presences.errors
    return render(
        request,
        "ateliers/espace/seance.html",
        {
            "session": session,
            "demande": demande_,
            "version": demande_.version,
            "inscrits": inscrits,
            "attente": attente,
            "animateur": animateur,
            "inscription": inscription,
            "presences": presences,
            "erreur": erreur,
            "passee": session.debut <= timezone.now(),
            "assiduite": services.assiduite(demande_)
            if demande_.version.nombre_seances > 1
            else [],
            "animations": session.animations.select_related("conseiller", "activite"),
        },
        status=400 if erreurs else 200,
    )
