/* What every map page shares: Leaflet served locally, no inline script.
 *
 * A map container carries its tile server in data-tuiles and data-attribution (the only
 * third-party origin) and, for the pages that embed their data, data-donnees: the id of a
 * json_script element. Each page's own script (structures/carte-lieux.js,
 * indicateurs/indice.js, indicateurs/couverture.js) draws its layers on the map that
 * PortailCarte.creer returns.
 */
(function () {
  "use strict";

  if (typeof L === "undefined") {
    return;
  }

  window.PortailCarte = {
    // index classes 1 (least fragile) to 5 (most), 0 without index: YlOrRd, as carte.css
    COULEURS_CLASSES: ["#bdbdbd", "#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],

    nombre: new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }),

    /* The map in the container, centred on France until the page fits its layers. */
    creer: function (conteneur) {
      conteneur.textContent = "";
      var carte = L.map(conteneur, {
        center: [46.6, 2.4],
        zoom: 6,
        scrollWheelZoom: false,
        zoomControl: false,
      });
      L.control.zoom({ zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer" }).addTo(carte);
      carte.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
      L.tileLayer(conteneur.dataset.tuiles, {
        attribution: conteneur.dataset.attribution,
        maxZoom: 19,
      }).addTo(carte);
      return carte;
    },

    /* For a page whose container ``id`` embeds its data: {conteneur, donnees, carte}, the
     * map created; null when the page has no such map or no data. */
    preparer: function (id) {
      var conteneur = document.getElementById(id);
      var donnees = conteneur ? this.donnees(conteneur) : null;
      if (!donnees) {
        return null;
      }
      return { conteneur: conteneur, donnees: donnees, carte: this.creer(conteneur) };
    },

    /* The data of the json_script element named by data-donnees, or null. */
    donnees: function (conteneur) {
      var source = document.getElementById(conteneur.dataset.donnees);
      return source ? JSON.parse(source.textContent) : null;
    },

    /* The address of object ``id`` from a URL pattern ending in /0/. */
    lien: function (modele, id) {
      return modele.replace(/\/0\/$/, "/" + id + "/");
    },

    /* A popup's content: one paragraph a line, the first in bold. */
    paragraphes: function (lignes) {
      var bloc = document.createElement("div");
      lignes.forEach(function (ligne, i) {
        var p = document.createElement("p");
        p.className = i === 0 ? "mb-1 fw-semibold" : "mb-0";
        p.textContent = ligne;
        bloc.appendChild(p);
      });
      return bloc;
    },
  };
})();
