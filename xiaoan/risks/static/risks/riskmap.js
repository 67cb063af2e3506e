// 四色图: place each marker at its fractions of the plan image; with a placing form, a click
// on the plan picks the position (x, y as fractions) and the chosen point's version follows
// the select. No inline script or style: the CSP allows neither.
(function () {
  "use strict";
  function setup(map) {
    map.querySelectorAll(".risk-marker[data-x]").forEach(function (marker) {
      var x = parseFloat(marker.dataset.x), y = parseFloat(marker.dataset.y);
      if (isNaN(x) || isNaN(y)) { marker.hidden = true; return; }
      marker.style.left = (x * 100) + "%";
      marker.style.top = (y * 100) + "%";
    });
    var form = document.getElementById("risk-place-form");
    if (!form) { return; }
    var pick = document.getElementById("risk-map-pick");
    var image = map.querySelector("img");
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      var x = (event.clientX - box.left) / box.width, y = (event.clientY - box.top) / box.height;
      x = Math.min(1, Math.max(0, x)); y = Math.min(1, Math.max(0, y));
      document.getElementById("risk-place-x").value = x.toFixed(5);
      document.getElementById("risk-place-y").value = y.toFixed(5);
      pick.hidden = false;
      pick.style.left = (x * 100) + "%";
      pick.style.top = (y * 100) + "%";
    });
    var select = document.getElementById("risk-place-point");
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      document.getElementById("risk-place-version").value = option.dataset.version;
    });
  }
  document.querySelectorAll("[data-risk-map]").forEach(setup);
})();
