// Filters a long list of checkboxes (the advisor's sites) as the user types.
// <input data-filtre-cible="#liste"> hides the .form-check rows of #liste whose label does
// not contain the typed text; checked rows always stay visible.
(function () {
  "use strict";

  function normaliser(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  document.querySelectorAll("[data-filtre-cible]").forEach(function (champ) {
    var liste = document.querySelector(champ.getAttribute("data-filtre-cible"));
    if (!liste) {
      return;
    }
    champ.addEventListener("input", function () {
      var recherche = normaliser(champ.value);
      liste.querySelectorAll(".form-check").forEach(function (ligne) {
        var caseACocher = ligne.querySelector("input");
        var visible =
          !recherche ||
          (caseACocher && caseACocher.checked) ||
          normaliser(ligne.textContent).indexOf(recherche) !== -1;
        ligne.hidden = !visible;
      });
    });
  });
})();
