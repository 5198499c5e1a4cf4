// The works listings' filter panel (templates/discovery/works.html) is a <details>: closed
// on a phone, where its "Filters" button sits above the first blurb; open beside the
// results on a wide screen. Without JavaScript it stays closed and opens from its button.
(function () {
  "use strict";
  var panel = document.getElementById("filters");
  if (!panel || !window.matchMedia) {
    return;
  }
  var wide = window.matchMedia("(min-width: 62rem)");
  function follow() {
    if (wide.matches) {
      panel.open = true;
    }
  }
  follow();
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  }
})();
