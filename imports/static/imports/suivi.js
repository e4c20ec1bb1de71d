// Progress of a back-office import: polls the small JSON state, shows the rows checked on a
// progress bar, and reloads the page (which then shows the result) once the import is over.
(function () {
  "use strict";
  var suivi = document.getElementById("suivi");
  if (!suivi) return;
  var bloc = document.getElementById("progression");
  var texte = document.getElementById("texte-progression");
  var barre = document.getElementById("barre-progression");
  var format = new Intl.NumberFormat("fr-FR");
  function lignes(n) {
    return format.format(n) + "\u00a0ligne" + (n > 1 ? "s" : "") + " vérifiée" + (n > 1 ? "s" : "");
  }
  function afficher(p) {
    if (!p || !p.fait) return;
    bloc.hidden = false;
    if (p.etape === "ecriture") {
      texte.textContent = lignes(p.fait) + "\u00a0: écriture en cours";
      barre.max = p.fait;
      barre.value = p.fait;
    } else {
      texte.textContent = lignes(p.fait) + (p.total ? " sur " + format.format(p.total) : "");
      barre.max = p.total || p.fait;
      barre.value = p.fait;
    }
  }
  function interroger() {
    fetch(suivi.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) { return reponse.json(); })
      .then(function (etat) {
        if (etat.fini) {
          window.location.assign(etat.url);
          return;
        }
        afficher(etat.progression);
        window.setTimeout(interroger, 1000);
      })
      .catch(function () { window.setTimeout(interroger, 3000); });
  }
  window.setTimeout(interroger, 500);
})();
