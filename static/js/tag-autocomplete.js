/*
 * Tag autocomplete: progressive enhancement of any text input with
 * data-autocomplete-type="character" (fandom, relationship, freeform ...).
 * Without JavaScript the field stays a plain comma-separated text box.
 *
 * Optional attributes:
 *   data-autocomplete-single          the field holds one tag, not a comma list
 *   data-autocomplete-fandoms-from=ID limit suggestions to the fandoms typed in that field
 *
 * ARIA 1.2 combobox pattern: the input has role=combobox, aria-expanded,
 * aria-controls and aria-activedescendant; the list is a listbox of options.
 * Keys: Down/Up move, Enter or Tab picks, Escape closes.
 */
(function () {
  "use strict";
  // The interface's language: the catalogue base.html loads first (/jsi18n/), or the
  // English itself if it did not load.
  var gettext = window.gettext || function (text) { return text; };

  var endpoint = "/tags/autocomplete/";
  var counter = 0;

  function currentTerm(input, single) {
    if (single) {
      return { before: "", term: input.value.trim() };
    }
    var value = input.value;
    var cut = value.lastIndexOf(",");
    return { before: cut < 0 ? "" : value.slice(0, cut + 1) + " ", term: value.slice(cut + 1).trim() };
  }

  function enhance(input) {
    if (input.dataset.autocompleteReady) {
      return;
    }
    input.dataset.autocompleteReady = "1";
    var type = input.dataset.autocompleteType;
    var single = input.hasAttribute("data-autocomplete-single");
    var listId = "autocomplete-list-" + (++counter);
    var wrapper = document.createElement("div");
    wrapper.className = "autocomplete";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", gettext("Suggested tags"));
    list.hidden = true;
    wrapper.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var active = -1;
    var timer = null;
    var lastQuery = null;
    var controller = null;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i++) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function pick(name) {
      var parts = currentTerm(input, single);
      input.value = single ? name : parts.before + name + ", ";
      close();
      input.focus();
    }

    function show(results) {
      list.textContent = "";
      active = -1;
      // An answer that arrives after the reader left the field stays closed.
      if (!results.length || document.activeElement !== input) {
        close();
        return;
      }
      results.forEach(function (tag, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = tag.name;
        if (tag.canonical) {
          name.className = "canonical";
        }
        item.appendChild(name);
        if (tag.uses) {
          var uses = document.createElement("span");
          uses.className = "uses";
          uses.textContent = "(" + tag.uses + ")";
          item.appendChild(uses);
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(tag.name);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fandomParams() {
      var sourceId = input.dataset.autocompleteFandomsFrom;
      var source = sourceId && document.getElementById(sourceId);
      if (!source) {
        return "";
      }
      return source.value.split(",").map(function (name) {
        return name.trim();
      }).filter(Boolean).slice(0, 20).map(function (name) {
        return "&fandom_name=" + encodeURIComponent(name);
      }).join("");
    }

    function lookUp() {
      var term = currentTerm(input, single).term;
      if (!term) {
        close();
        lastQuery = null;
        return;
      }
      var query = "?type=" + encodeURIComponent(type) + "&q=" + encodeURIComponent(term) + fandomParams();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      fetch(endpoint + query, { credentials: "same-origin", signal: controller ? controller.signal : undefined })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () { /* aborted or offline: the field still works as text */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 120);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) { highlight(active + 1); } else { lastQuery = null; lookUp(); }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && open && active >= 0) {
        event.preventDefault();
        pick(options()[active].firstChild.textContent);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-autocomplete-type]");
    for (var i = 0; i < inputs.length; i++) {
      enhance(inputs[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
