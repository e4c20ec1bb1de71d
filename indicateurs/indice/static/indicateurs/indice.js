/* Choropleth map of the fragility index, on the map set up by commun/carte.js.
 *
 * The container #carte-indice carries data-tuiles, data-attribution (tile server) and
 * data-donnees, the id of the json_script element:
 *   {"contours": FeatureCollection (properties: id, nom, indice, rang, classe 0-5, population),
 *    "cercles": [{id, nom, indice, rang, classe, population, lat, lon}],
 *    "lieux": [[id, nom, lat, lon]],
 *    "url_unite": ".../unite/0/", "url_lieu": ".../lieux/0/"}
 * Outlines are filled by index class; a unit without outline is a circle whose area is
 * proportional to its population. Each popup links to the unit's detail.
 */
(function () {
  "use strict";

  var Carte = window.PortailCarte;
  var page = Carte && Carte.preparer("carte-indice");
  if (!page) {
    return;
  }
  var conteneur = page.conteneur, donnees = page.donnees, carte = page.carte;
  var COULEURS = Carte.COULEURS_CLASSES, nombre = Carte.nombre;
  var lien = Carte.lien;

  function bulle(p) {
    var bloc = document.createElement("div");
    var titre = document.createElement("a");
    titre.href = lien(donnees.url_unite, p.id);
    titre.className = "fw-semibold";
    titre.textContent = p.nom;
    bloc.appendChild(titre);
    [
      "Indice\u00a0: " + (p.indice === null ? "—" : nombre.format(p.indice)) + (p.rang ? " (rang " + p.rang + ")" : ""),
      "Population\u00a0: " + (p.population === null ? "inconnue" : nombre.format(p.population)),
    ].forEach(function (ligne) {
      var para = document.createElement("p");
      para.className = "mb-0";
      para.textContent = ligne;
      bloc.appendChild(para);
    });
    return bloc;
  }

  var unites = L.featureGroup();
  var lieux = L.featureGroup();

  L.geoJSON(donnees.contours, {
    style: function (objet) {
      return { color: "#555", weight: 1, fillColor: COULEURS[objet.properties.classe] || COULEURS[0], fillOpacity: 0.7 };
    },
    onEachFeature: function (objet, couche) {
      couche.bindPopup(bulle(objet.properties));
    },
  }).addTo(unites);

  var populationMax = 1;
  donnees.cercles.forEach(function (c) {
    populationMax = Math.max(populationMax, c.population || 0);
  });
  donnees.cercles.forEach(function (c) {
    L.circleMarker([c.lat, c.lon], {
      radius: 4 + 26 * Math.sqrt((c.population || 0) / populationMax),
      color: "#555",
      weight: 1,
      fillColor: COULEURS[c.classe] || COULEURS[0],
      fillOpacity: 0.75,
    })
      .bindPopup(bulle(c))
      .addTo(unites);
  });

  donnees.lieux.forEach(function (l) {
    var bloc = document.createElement("a");
    bloc.href = lien(donnees.url_lieu, l[0]);
    bloc.textContent = l[1];
    L.circleMarker([l[2], l[3]], { radius: 4, color: "#0a4a8a", weight: 1, fillColor: "#2f7ed8", fillOpacity: 0.9 })
      .bindPopup(bloc)
      .addTo(lieux);
  });

  unites.addTo(carte);
  lieux.addTo(carte);
  L.control
    .layers(null, { "Unités (indice)": unites, "Lieux de médiation numérique": lieux }, { collapsed: false })
    .addTo(carte);

  var limites = unites.getLayers().length ? unites.getBounds() : null;
  if (limites && limites.isValid()) {
    carte.fitBounds(limites, { padding: [20, 20], maxZoom: 13 });
  }
  conteneur.setAttribute("data-contours-affiches", String(donnees.contours.features.length));
  conteneur.setAttribute("data-cercles-affiches", String(donnees.cercles.length));
})();
