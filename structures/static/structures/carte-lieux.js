/* Map of the sites, on the map set up by commun/carte.js, with Leaflet.markercluster.
 *
 * The container #carte-lieux carries its settings in data- attributes:
 *   data-tuiles, data-attribution  tile server (the only third-party origin)
 *   data-source                    URL of the compact markers {"lieux": [[id, lat, lon, nom]],
 *                                  "arrets": [[id_lieu, lat, lon, nom]]} (search page)
 *   data-donnees                   id of a json_script element with the same shape (site page)
 *   data-lieu, data-api            URLs of a site's page and of its API record for id 0
 *                                  (a marker without a name reads it from the API on opening)
 *   data-icones                    URL of Leaflet's images folder
 */
(function () {
  "use strict";

  var conteneur = document.getElementById("carte-lieux");
  if (!conteneur || typeof window.PortailCarte === "undefined") {
    return;
  }
  var Carte = window.PortailCarte;
  var reglages = conteneur.dataset;
  L.Icon.Default.imagePath = reglages.icones;

  function urlDuLieu(id) {
    return Carte.lien(reglages.lieu, id);
  }

  function bulle(titre, lienTexte, id) {
    var bloc = document.createElement("div");
    var nom = document.createElement("p");
    nom.className = "mb-1 fw-semibold";
    nom.textContent = titre;
    bloc.appendChild(nom);
    var lien = document.createElement("a");
    lien.href = urlDuLieu(id);
    lien.textContent = lienTexte;
    bloc.appendChild(lien);
    return bloc;
  }

  function marqueur(point, titre, lienTexte, id, options) {
    var nomme = Boolean(titre);
    var libelle = titre || "Lieu d'aide au numérique";
    var m = L.marker([point[1], point[2]], Object.assign({ title: libelle, alt: libelle }, options || {}));
    m.bindPopup(function () {
      return bulle(libelle, lienTexte, id);
    });
    if (!nomme) {
      m.on("popupopen", function () {
        fetch(Carte.lien(reglages.api, id), { headers: { Accept: "application/json" } })
          .then(function (reponse) {
            return reponse.ok ? reponse.json() : null;
          })
          .then(function (lieu) {
            if (lieu && lieu.nom) {
              var texte = lieu.nom + (lieu.commune_nom ? " (" + lieu.commune_nom + ")" : "");
              m.setPopupContent(bulle(texte, lienTexte, id));
            }
          })
          .catch(function () {});
      });
    }
    return m;
  }

  function afficher(carte, donnees) {
    var groupe = L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      // a group says what it is to a screen reader, not only its count
      iconCreateFunction: function (grappe) {
        var nombre = grappe.getChildCount();
        var taille = nombre < 10 ? "small" : nombre < 100 ? "medium" : "large";
        return L.divIcon({
          html:
            '<div><span aria-hidden="true">' + nombre + '</span><span class="visually-hidden">' +
            "Groupe de " + nombre + " lieux\u00a0: zoomer pour les voir</span></div>",
          className: "marker-cluster marker-cluster-" + taille,
          iconSize: L.point(40, 40),
        });
      },
    });
    var noms = {};
    var marqueurs = [];
    (donnees.lieux || []).forEach(function (p) {
      noms[p[0]] = p[3];
      marqueurs.push(marqueur(p, p[3], "Voir la fiche du lieu", p[0]));
    });
    (donnees.arrets || []).forEach(function (p) {
      var titre = "Arrêt « " + p[3] + " »" + (noms[p[0]] ? " — " + noms[p[0]] : "");
      marqueurs.push(marqueur(p, titre, "Voir la fiche du lieu itinérant", p[0], { opacity: 0.85 }));
    });
    groupe.addLayers(marqueurs);
    carte.addLayer(groupe);
    if (marqueurs.length === 1) {
      carte.setView(marqueurs[0].getLatLng(), 15);
    } else if (marqueurs.length > 1) {
      carte.fitBounds(groupe.getBounds(), { padding: [20, 20], maxZoom: 15 });
    }
    conteneur.setAttribute("data-marqueurs-affiches", String(marqueurs.length));
  }

  function message(texte) {
    var p = document.createElement("p");
    p.className = "carte-message p-3 mb-0";
    p.textContent = texte;
    conteneur.appendChild(p);
  }

  var carte = Carte.creer(conteneur);

  if (reglages.donnees) {
    afficher(carte, Carte.donnees(conteneur) || {});
  } else if (reglages.source) {
    fetch(reglages.source, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error(String(reponse.status));
        }
        return reponse.json();
      })
      .then(function (donnees) {
        afficher(carte, donnees);
      })
      .catch(function () {
        message("La carte n'a pas pu être chargée ; la liste présente les mêmes lieux.");
      });
  }
})();
