/* Coverage map, on the map set up by commun/carte.js; the data comes from json_script.
 *
 * The container #carte-couverture carries data-tuiles, data-attribution (tile server) and
 * data-donnees, the id of the json_script element:
 *   {"rayon_km": X,
 *    "unites": [[code, nom, lat, lon, population, indice, classe 0-5, statut, fragile]],
 *    "offres": [[nom, lat, lon, "lieu"|"arret"]],
 *    "suggestions": [[rang, nom, lat, lon, population rejointe]]}
 * Units are circles whose area is proportional to the population, coloured by index class;
 * fragile units without offer get a thick outline. Suggestions show their X-km radius.
 */
(function () {
  "use strict";

  var Carte = window.PortailCarte;
  var page = Carte && Carte.preparer("carte-couverture");
  if (!page) {
    return;
  }
  var conteneur = page.conteneur, donnees = page.donnees, carte = page.carte;
  var COULEURS = Carte.COULEURS_CLASSES, nombre = Carte.nombre;
  var texte = Carte.paragraphes;

  var limites = [];
  var populationMax = 1;
  donnees.unites.forEach(function (u) {
    populationMax = Math.max(populationMax, u[4] || 0);
  });

  var couches = {
    unites: L.featureGroup(),
    offres: L.featureGroup(),
    suggestions: L.featureGroup(),
  };

  donnees.unites.forEach(function (u) {
    var rayon = 4 + 26 * Math.sqrt((u[4] || 0) / populationMax);
    var sansOffre = u[7] === "sans_offre" && u[8];
    var cercle = L.circleMarker([u[2], u[3]], {
      radius: rayon,
      color: sansOffre ? "#000" : "#555",
      weight: sansOffre ? 3 : 1,
      fillColor: COULEURS[u[6]] || COULEURS[0],
      fillOpacity: 0.75,
    });
    cercle.bindPopup(
      texte([
        u[1] + " (" + u[0] + ")",
        "Population\u00a0: " + (u[4] === null ? "inconnue" : nombre.format(u[4])),
        "Indice\u00a0: " + (u[5] === null ? "—" : nombre.format(u[5])),
        u[7] === "couverte" ? "Offre à moins de " + nombre.format(donnees.rayon_km) + "\u00a0km" : "Sans offre" + (u[8] ? " (fragile)" : ""),
      ])
    );
    couches.unites.addLayer(cercle);
    limites.push([u[2], u[3]]);
  });

  donnees.offres.forEach(function (o) {
    var point = L.circleMarker([o[1], o[2]], {
      radius: 4,
      color: "#0a4a8a",
      weight: 1,
      fillColor: "#2f7ed8",
      fillOpacity: 0.9,
    });
    point.bindPopup(texte([o[0], o[3] === "arret" ? "Arrêt itinérant" : "Lieu d'aide au numérique"]));
    couches.offres.addLayer(point);
  });

  donnees.suggestions.forEach(function (s) {
    L.circle([s[2], s[3]], {
      radius: donnees.rayon_km * 1000,
      color: "#1d3f8f",
      weight: 2,
      dashArray: "6 6",
      fill: false,
    }).addTo(couches.suggestions);
    var marque = L.marker([s[2], s[3]], {
      title: "Emplacement suggéré n°\u00a0" + s[0] + "\u00a0: " + s[1],
      alt: "Emplacement suggéré n°\u00a0" + s[0],
      icon: L.divIcon({ className: "couverture-suggestion", html: String(s[0]), iconSize: [28, 28] }),
    });
    marque.bindPopup(
      texte([
        "Emplacement suggéré n°\u00a0" + s[0] + "\u00a0: " + s[1],
        nombre.format(s[4]) + " habitants fragiles rejoints à " + nombre.format(donnees.rayon_km) + "\u00a0km ou moins",
      ])
    );
    couches.suggestions.addLayer(marque);
    limites.push([s[2], s[3]]);
  });

  couches.unites.addTo(carte);
  couches.offres.addTo(carte);
  couches.suggestions.addTo(carte);
  L.control
    .layers(null, {
      "Unités (indice et population)": couches.unites,
      "Lieux et arrêts proposant le service": couches.offres,
      "Emplacements suggérés": couches.suggestions,
    }, { collapsed: false })
    .addTo(carte);

  if (limites.length === 1) {
    carte.setView(limites[0], 12);
  } else if (limites.length > 1) {
    carte.fitBounds(L.latLngBounds(limites), { padding: [20, 20], maxZoom: 13 });
  }
  conteneur.setAttribute("data-unites-affichees", String(donnees.unites.length));
  conteneur.setAttribute("data-suggestions-affichees", String(donnees.suggestions.length));
})();
