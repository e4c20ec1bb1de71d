/* Per-day opening-hours editor: optional helpers, the form works without them. */
(function () {
  "use strict";
  var editeur = document.getElementById("editeur-horaires");
  if (!editeur) { return; }
  var formulaire = editeur.closest("form");

  function choisirSaisie(valeur) {
    var radio = formulaire.querySelector('input[name="saisie_horaires"][value="' + valeur + '"]');
    if (radio) { radio.checked = true; }
  }

  // editing a slot means the per-day editor is used; editing the raw field, the advanced one
  editeur.addEventListener("input", function () { choisirSaisie("par_jour"); });
  var brut = formulaire.querySelector('[name="horaires"]');
  if (brut) { brut.addEventListener("input", function () { choisirSaisie("avancee"); }); }

  var actions = editeur.querySelector("[data-editeur-actions]");
  var bouton = document.getElementById("copier-lundi");
  if (!actions || !bouton) { return; }
  actions.classList.remove("d-none");
  bouton.addEventListener("click", function () {
    var lundi = editeur.querySelectorAll('input[data-jour="0"]');
    for (var jour = 1; jour < 7; jour += 1) {
      lundi.forEach(function (source) {
        var cible = editeur.querySelector(
          'input[data-jour="' + jour + '"][data-borne="' + source.dataset.borne + '"]'
        );
        if (cible) { cible.value = source.value; }
      });
    }
    choisirSaisie("par_jour");
    bouton.textContent = "Horaires du lundi copiés sur toute la semaine";
  });
})();
