/* Console maps: Leaflet (vendored) draws what the page put in a json_script tag.
   Tiles only when the server names a tile server; otherwise a plain background with the
   complaint's pin and labelled ward centres, and nothing is fetched from another host. */
(function () {
  "use strict";
  // Labels are data (ward names, tracking numbers): Leaflet puts a string in as HTML, so
  // each label goes in as an element whose text is set, never parsed.
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }
  function escaped(value) {
    return text(value).innerHTML;
  }
  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-map"));
    if (!source || !window.L) { return; }
    var data = JSON.parse(source.textContent);
    var map = L.map(element, {
      scrollWheelZoom: false, attributionControl: !!data.tiles, zoomControl: false
    });
    // Leaflet's own words in the page's language (the template's data-* attributes).
    L.control.zoom({
      zoomInTitle: element.getAttribute("data-zoom-in") || "+",
      zoomOutTitle: element.getAttribute("data-zoom-out") || "-"
    }).addTo(map);
    if (map.attributionControl) {
      map.attributionControl.setPrefix(escaped(element.getAttribute("data-prefix") || "Leaflet"));
    }
    if (data.tiles) {
      L.tileLayer(data.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
    }
    var bounds = [];
    data.wards.forEach(function (ward) {
      var marker = L.circleMarker([ward.lat, ward.lng], {
        radius: ward.own ? 8 : 6,
        color: "#0b6b3a",
        weight: 2,
        fillColor: ward.own ? "#0b6b3a" : "#ffffff",
        fillOpacity: ward.own ? 0.8 : 0.9
      }).addTo(map);
      marker.bindTooltip(text(ward.label), { permanent: true, direction: "right", className: "ward-label" });
      bounds.push([ward.lat, ward.lng]);
    });
    // Few pins are labelled for good; many show their label when pointed at.
    var labelled = data.pins.length <= 5;
    data.pins.forEach(function (pin) {
      var marker = L.marker([pin.lat, pin.lng], { title: pin.label, alt: pin.label }).addTo(map);
      marker.bindTooltip(text(pin.label), { permanent: labelled, direction: "top", offset: [0, -36] });
      if (pin.url && pin.url !== window.location.pathname) {
        marker.on("click", function () { window.location.assign(pin.url); });
      }
      bounds.push([pin.lat, pin.lng]);
    });
    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15 });
    } else if (bounds.length) {
      map.setView(bounds[0], 15);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-map]"), draw);
  });
})();
