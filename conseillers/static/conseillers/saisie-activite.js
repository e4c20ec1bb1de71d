/* Activity-report entry: shows the fields the chosen type and channel need. Optional: the
   form works without it (every field is then shown, and the server checks the rules). */
(function () {
  "use strict";
  var formulaire = document.getElementById("saisie-activite");
  if (!formulaire) { return; }

  function valeur(nom) {
    var choisi = formulaire.querySelector('input[name="' + nom + '"]:checked');
    return choisi ? choisi.value : "";
  }

  // a hidden block's inputs are disabled, so what it held is not sent
  function montrer(bloc, visible) {
    bloc.hidden = !visible;
    bloc.querySelectorAll("input, select, textarea").forEach(function (champ) {
      champ.disabled = !visible;
    });
  }

  function blocsPour(attribut, choix) {
    formulaire.querySelectorAll("[" + attribut + "]").forEach(function (bloc) {
      var valeurs = bloc.getAttribute(attribut).split(" ");
      montrer(bloc, valeurs.indexOf(choix) !== -1);
    });
  }

  var participants = formulaire.querySelector('[name="nb_participants"]');
  function selonType() {
    var type = valeur("type");
    if (!type) { return; }
    blocsPour("data-pour-type", type);
    // outside a workshop the report concerns one person: keep the count the server expects
    var bloc = participants && participants.closest("[data-pour-type]");
    if (bloc) {
      bloc.hidden = type !== "collectif";
      bloc.querySelectorAll("input, select").forEach(function (champ) {
        champ.disabled = type !== "collectif" && champ !== participants;
      });
      participants.disabled = false;
      if (type !== "collectif") { participants.value = "1"; }
    }
  }

  var lieu = formulaire.querySelector('[name="lieu"]');
  var arret = formulaire.querySelector('[name="arret"]');
  function selonCanal() {
    var canal = valeur("canal");
    if (!canal) { return; }
    blocsPour("data-pour-canal", canal);
    if (canal === "itinerant" && lieu && arret) {
      // only the stops of the chosen site
      Array.prototype.forEach.call(arret.options, function (option) {
        if (!option.value) { return; }
        var visible = !lieu.value || option.dataset.lieu === lieu.value;
        option.hidden = !visible;
        if (!visible && option.selected) { arret.value = ""; }
      });
    }
  }

  var demarches = formulaire.querySelector('input[name="thematiques"][value="demarches_administratives"]');
  var administratives = document.getElementById("bloc-thematiques-administratives");
  function selonDemarches() {
    if (demarches && administratives) { montrer(administratives, demarches.checked); }
  }

  // durations: a preset empties the custom field, typing a custom one selects "autre durée"
  var autre = formulaire.querySelector('[name="duree_minutes"]');
  var boutonAutre = formulaire.querySelector('input[name="duree"][value="autre"]');
  var blocAutre = formulaire.querySelector("[data-duree-autre]");
  function selonDuree(focaliser) {
    if (!autre || !blocAutre) { return; }
    var choisie = valeur("duree");
    blocAutre.hidden = choisie !== "autre";
    if (choisie && choisie !== "autre") { autre.value = ""; }
    if (choisie === "autre" && focaliser) { autre.focus(); }
  }

  // "aucun matériel" excludes the others
  function selonMateriel(evenement) {
    var cible = evenement.target;
    if (cible.name !== "materiel" || !cible.checked) { return; }
    formulaire.querySelectorAll('input[name="materiel"]').forEach(function (case_) {
      if (case_ !== cible && (cible.value === "aucun" || case_.value === "aucun")) {
        case_.checked = false;
      }
    });
  }

  formulaire.addEventListener("change", function (evenement) {
    var nom = evenement.target.name;
    if (nom === "type") { selonType(); }
    if (nom === "canal" || nom === "lieu") { selonCanal(); }
    if (nom === "thematiques") { selonDemarches(); }
    if (nom === "duree") { selonDuree(true); }
    if (nom === "materiel") { selonMateriel(evenement); }
  });
  if (autre && boutonAutre) {
    autre.addEventListener("input", function () {
      if (autre.value) { boutonAutre.checked = true; }
    });
  }

  selonType();
  selonCanal();
  selonDemarches();
  selonDuree(false);
  var erreurs = document.getElementById("erreurs-formulaire");
  if (erreurs) { erreurs.focus(); }
})();
