// Kudos without leaving the page: posts the kudos form with fetch and puts the
// server's fresh list of kudos in place. Without JavaScript the form posts normally.
(function () {
  "use strict";
  // The interface's language: the catalogue base.html loads first (/jsi18n/), or the
  // English itself if it did not load.
  var gettext = window.gettext || function (text) { return text; };
  function enhance(form) {
    var section = form.closest("section");
    var list = section && section.querySelector("[data-kudos-list]");
    if (!list) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      if (button) button.disabled = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.text().then(function (html) {
            list.innerHTML = html;
            if (response.ok) {
              var done = document.createElement("p");
              done.className = "kudos-given";
              done.textContent = gettext("Thank you for leaving kudos!");
              form.replaceWith(done);
            } else if (button) {
              button.disabled = false;
            }
          });
        })
        .catch(function () {
          // The network failed: fall back to the ordinary form post.
          form.submit();
        });
    });
  }
  document.querySelectorAll("form[data-kudos-form]").forEach(enhance);
})();
