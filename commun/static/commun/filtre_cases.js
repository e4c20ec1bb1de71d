// A long list of checkboxes (commun/champ.html, more than 20 choices) gets a filter: a
// search box above the boxes hides those whose label does not contain the words typed;
// ticked boxes always stay shown, and a status says how many are shown and ticked; the
// families of a grouped list whose boxes are all hidden are hidden too.
(function () {
  "use strict";

  function sansAccents(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function ameliorer(groupe, rang) {
    if (groupe.dataset.filtrePret) { return; }
    groupe.dataset.filtrePret = "1";
    var choix = Array.prototype.slice.call(groupe.querySelectorAll("[data-choix]"));
    var bloc = document.createElement("div");
    bloc.className = "mb-2";
    var identifiant = "filtre-cases-" + rang;
    var etiquette = document.createElement("label");
    etiquette.className = "form-label small";
    etiquette.htmlFor = identifiant;
    etiquette.textContent = "Filtrer la liste « " + groupe.dataset.filtrable + " »";
    var saisie = document.createElement("input");
    saisie.type = "search";
    saisie.id = identifiant;
    saisie.className = "form-control form-control-sm";
    saisie.autocomplete = "off";
    var etat = document.createElement("p");
    etat.className = "form-text mb-0";
    etat.id = identifiant + "-etat";
    etat.setAttribute("role", "status");
    saisie.setAttribute("aria-describedby", etat.id);
    bloc.appendChild(etiquette);
    bloc.appendChild(saisie);
    bloc.appendChild(etat);
    var legende = groupe.querySelector("legend");
    legende.parentNode.insertBefore(bloc, legende.nextSibling);

    function filtrer() {
      var mots = sansAccents(saisie.value).split(/\s+/).filter(Boolean);
      var montres = 0;
      var coches = 0;
      choix.forEach(function (element) {
        var texte = sansAccents(element.textContent);
        var coche = element.querySelector("input").checked;
        var garde = coche || mots.every(function (mot) { return texte.indexOf(mot) !== -1; });
        element.hidden = !garde;
        if (garde) { montres += 1; }
        if (coche) { coches += 1; }
      });
      // a family (commun/champ.html's « familles ») none of whose boxes is shown is hidden
      Array.prototype.forEach.call(groupe.querySelectorAll("[data-famille]"), function (famille) {
        famille.hidden = !famille.querySelector("[data-choix]:not([hidden])");
      });
      etat.textContent = montres + " sur " + choix.length + (montres > 1 ? " affichés, " : " affiché, ")
        + coches + (coches > 1 ? " cochés" : " coché");
    }
    saisie.addEventListener("input", filtrer);
    groupe.addEventListener("change", filtrer);
    filtrer();
  }

  function tout() {
    document.querySelectorAll("fieldset[data-filtrable]").forEach(ameliorer);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", tout);
  } else {
    tout();
  }
})();
