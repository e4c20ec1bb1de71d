// The search's filters fold away on a phone after a search, so that the results come
// first; a button with aria-expanded unfolds them. On a wider screen (or without
// JavaScript) they stay open and the button is not shown.
(function () {
  "use strict";
  const bouton = document.getElementById("bouton-filtres");
  const panneau = document.getElementById("filtres-recherche");
  if (!bouton || !panneau) {
    return;
  }
  function montrer(ouvert) {
    bouton.setAttribute("aria-expanded", ouvert ? "true" : "false");
    panneau.classList.toggle("replie", !ouvert);
  }
  montrer(bouton.dataset.replier !== "oui");
  bouton.hidden = false;
  bouton.addEventListener("click", function () {
    const ouvrir = bouton.getAttribute("aria-expanded") !== "true";
    montrer(ouvrir);
    if (ouvrir) {
      panneau.querySelector("input, select, button")?.focus();
    }
  });
})();
