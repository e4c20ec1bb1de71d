// Typed choices of the back-office (commun/autocompletion.py): each text input with a
// data-autocompletion URL becomes an accessible combobox (accessible-autocomplete) with the
// same id and name; its suggestions come from that URL (?q=…). Without this script the
// input is typed and the server resolves it.
(function () {
  "use strict";

  function ameliorer(saisie) {
    if (saisie.dataset.autocompletionPrete || typeof accessibleAutocomplete === "undefined") {
      return;
    }
    saisie.dataset.autocompletionPrete = "1";
    var url = saisie.dataset.autocompletion;
    var decrit = saisie.getAttribute("aria-describedby") || "";
    var invalide = saisie.getAttribute("aria-invalid");
    var conteneur = document.createElement("div");
    saisie.parentNode.insertBefore(conteneur, saisie);
    var identifiant = saisie.id;
    var nom = saisie.name;
    var valeur = saisie.value;
    saisie.parentNode.removeChild(saisie);
    var attente = null;
    var controleur = null;
    accessibleAutocomplete({
      element: conteneur,
      id: identifiant,
      name: nom,
      defaultValue: valeur,
      minLength: 2,
      showNoOptionsFound: true,
      displayMenu: "overlay",
      confirmOnBlur: false,
      inputClasses: "form-control",
      source: function (texte, afficher) {
        window.clearTimeout(attente);
        attente = window.setTimeout(function () {
          if (controleur) { controleur.abort(); }
          controleur = new AbortController();
          fetch(url + "?q=" + encodeURIComponent(texte), {
            credentials: "same-origin",
            headers: { Accept: "application/json" },
            signal: controleur.signal
          })
            .then(function (reponse) { return reponse.ok ? reponse.json() : { suggestions: [] }; })
            .then(function (donnees) { afficher(donnees.suggestions || []); })
            .catch(function () { /* aborted by the next key, or offline: typed text stays */ });
        }, 200);
      },
      tNoResults: function () { return "Aucun résultat"; },
      tStatusQueryTooShort: function (n) { return "Saisissez au moins " + n + " caractères pour voir des suggestions"; },
      tStatusNoResults: function () { return "Aucune suggestion"; },
      tStatusSelectedOption: function (choix, nombre, rang) {
        return choix + "\u00a0: suggestion " + (rang + 1) + " sur " + nombre + ", sélectionnée";
      },
      tStatusResults: function (nombre, contenu) {
        var texte = nombre > 1 ? nombre + " suggestions disponibles" : "1 suggestion disponible";
        return texte + ". " + contenu;
      },
      tAssistiveHint: function () {
        return "Quand des suggestions s'affichent, parcourez-les avec les flèches haut et bas, "
          + "puis validez avec Entrée. Sur un écran tactile, explorez-les au toucher.";
      }
    });
    var nouvelle = document.getElementById(identifiant);
    if (nouvelle) {
      if (decrit) {
        var actuel = nouvelle.getAttribute("aria-describedby") || "";
        nouvelle.setAttribute("aria-describedby", (decrit + " " + actuel).trim());
      }
      if (invalide) { nouvelle.setAttribute("aria-invalid", invalide); }
    }
  }

  function tout() {
    document.querySelectorAll("input[data-autocompletion]").forEach(ameliorer);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", tout);
  } else {
    tout();
  }
})();
