// Live preview on the reading settings page: mirror each choice onto <html> as the server
// would (data attributes the stylesheet reads). The form saves without this script.
(function () {
  "use strict";
  var attributes = { theme: "theme", font: "font", font_size: "size", line_width: "width", line_spacing: "spacing" };
  var defaults = { theme: "system", font: "default", font_size: "100", line_width: "normal", line_spacing: "normal" };
  function preview(event) {
    var field = event.target;
    var attribute = attributes[field.name];
    if (!attribute) { return; }
    if (field.value === defaults[field.name]) {
      document.documentElement.removeAttribute("data-" + attribute);
    } else {
      document.documentElement.setAttribute("data-" + attribute, field.value);
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".reader-settings-form");
    if (form) { form.addEventListener("change", preview); }
  });
})();
