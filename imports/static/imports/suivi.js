// Progress of a back-office import: polls the small JSON state and reloads the page
// (which then shows the result) once the import is over.
(function () {
  "use strict";
  var suivi = document.getElementById("suivi");
  if (!suivi) return;
  // the elapsed time is for the eyes only: the live region speaks when the text changes
  var duree = document.createElement("span");
  duree.setAttribute("aria-hidden", "true");
  document.getElementById("suivi-libelle").appendChild(duree);
  var debut = Date.now();
  function interroger() {
    fetch(suivi.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) { return reponse.json(); })
      .then(function (etat) {
        if (etat.fini) {
          window.location.assign(etat.url);
          return;
        }
        duree.textContent = " (" + Math.round((Date.now() - debut) / 1000) + "\u00a0s)";
        window.setTimeout(interroger, 1000);
      })
      .catch(function () { window.setTimeout(interroger, 3000); });
  }
  window.setTimeout(interroger, 500);
})();
