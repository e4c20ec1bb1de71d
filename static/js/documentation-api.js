// Swagger UI draws selects without a name (a parameter's values in « Try it out », the
// media types): each gets the name of its parameter, or says what it chooses, as Swagger UI
// redraws them (templates/drf_spectacular/swagger_ui.html).
(function () {
  "use strict";
  const racine = document.getElementById("swagger-ui");
  if (!racine) {
    return;
  }
  function nommer() {
    racine.querySelectorAll("select:not([aria-label]):not([aria-labelledby])").forEach(function (choix) {
      if (choix.labels && choix.labels.length) {
        return;
      }
      const parametre = choix.closest("tr[data-param-name]");
      let nom = "Valeur";
      if (parametre) {
        nom = "Valeur du paramètre « " + parametre.dataset.paramName + " »";
      } else if (choix.closest(".response-control-media-type, .content-type-wrapper, .body-param-content-type")) {
        nom = "Type de média";
      }
      choix.setAttribute("aria-label", nom);
    });
  }
  new MutationObserver(nommer).observe(racine, { childList: true, subtree: true });
  nommer();
})();
