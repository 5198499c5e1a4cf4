/* Autosave for the posting and chapter forms (no inline script: loaded with <script src defer>).
 *
 * While the writer types, the form is kept in this browser's localStorage (about once a
 * second) and sent to the archive every 30 seconds and when the page is hidden or left
 * (navigator.sendBeacon). The archive puts its copy back into the form the next time it
 * opens. The local copy covers what the archive never got (an expired login, a lost
 * connection): it is restored when it holds changes the archive's copy does not.
 *
 * Versions, not clocks, decide which copy is newer: the page carries the version of the
 * archive's copy (data-autosave-version); each local copy records the version it builds
 * on and whether the archive has it. Saving or discarding the form on the archive raises
 * the version, so older local copies are dropped.
 */
(function () {
  "use strict";
  // The interface's language: the catalogue base.html loads first (/jsi18n/), or the
  // English itself if it did not load.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  };

  var SEND_EVERY_MS = 30000;
  var KEEP_LOCAL_EVERY_MS = 1000;

  function init(form) {
    var key = form.getAttribute("data-autosave-key");
    var url = form.getAttribute("data-autosave-url");
    var serverVersion = parseInt(form.getAttribute("data-autosave-version") || "0", 10);
    var storageKey = "fanarchive:autosave:" + form.getAttribute("data-autosave-user") + ":" + key;
    var status = form.querySelector(".autosave-status");
    var base = serverVersion;
    var dirty = false;
    var submitting = false;
    var sendTimer = null;
    var localTimer = null;

    // The typed fields, and the version of the chapter an edit started from (hidden): text
    // put back from this browser must still build on it, so a save made meanwhile by
    // someone else is shown beside it instead of replaced.
    function fields() {
      return Array.prototype.filter.call(form.elements, function (el) {
        return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "submit" &&
          el.type !== "button" && (el.type !== "hidden" || el.name === "base_version");
      });
    }

    function snapshot() {
      var data = {};
      fields().forEach(function (el) {
        if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
        (data[el.name] = data[el.name] || []).push(el.value);
      });
      return data;
    }

    function apply(data) {
      fields().forEach(function (el) {
        var values = data[el.name];
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = !!values && values.indexOf(el.value) !== -1;
        } else if (values && values.length) {
          el.value = values[values.length - 1];
        } else if (el.tagName === "TEXTAREA" || el.type === "text") {
          el.value = "";
        }
      });
    }

    function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

    // What the writer typed: a copy differing only in its base version (a page that shows
    // an edit conflict, rebased on purpose) holds nothing to restore.
    function typed(data) {
      var copy = {};
      Object.keys(data || {}).forEach(function (name) {
        if (name !== "base_version") { copy[name] = data[name]; }
      });
      return copy;
    }

    function readLocal() {
      try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
    }

    function writeLocal(synced) {
      try {
        window.localStorage.setItem(storageKey, JSON.stringify({
          base: base, synced: synced, savedAt: new Date().toISOString(), data: snapshot()
        }));
      } catch (e) { /* storage full or disabled: the archive's copy still works */ }
    }

    function dropLocal() {
      try { window.localStorage.removeItem(storageKey); } catch (e) { /* nothing to drop */ }
    }

    function say(text) { if (status) { status.textContent = text; } }

    function payload() {
      var body = new FormData(form);
      body.set("autosave_key", key);
      return body;
    }

    function send() {
      if (!dirty || submitting) { return; }
      dirty = false;
      writeLocal(false);
      window.fetch(url, { method: "POST", body: payload(), credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        })
        .then(function (answer) {
          base = answer.version;
          writeLocal(true);
          say(interpolate(gettext("Draft autosaved at %(time)s."), { time: new Date().toLocaleTimeString() }, true));
        })
        .catch(function () {
          say(gettext("Could not autosave to the archive (are you still logged in?). " +
                      "Your text is kept in this browser until you save it."));
        });
    }

    function sendOnLeave() {
      if (!dirty || submitting) { return; }
      dirty = false;
      writeLocal(false);
      if (navigator.sendBeacon) { navigator.sendBeacon(url, payload()); }
    }

    function changed() {
      if (submitting) { return; }
      dirty = true;
      if (!localTimer) {
        localTimer = window.setTimeout(function () { localTimer = null; writeLocal(false); }, KEEP_LOCAL_EVERY_MS);
      }
      if (!sendTimer) {
        sendTimer = window.setTimeout(function () { sendTimer = null; send(); }, SEND_EVERY_MS);
      }
    }

    function restoreNotice(savedAt, original) {
      var text = document.createElement("p");
      var when = new Date(savedAt);
      var time = document.createElement("time");
      time.setAttribute("datetime", savedAt);
      time.textContent = when.toLocaleString();
      // One sentence to translate; the <time> goes where its placeholder is.
      var sentence = gettext("Restored unsaved text from %(time)s (kept in this browser). " +
                             "It is not saved to the work until you post, save or update.");
      var cut = sentence.indexOf("%(time)s");
      if (cut === -1) { cut = sentence.length; }
      text.appendChild(document.createTextNode(sentence.slice(0, cut)));
      text.appendChild(time);
      text.appendChild(document.createTextNode(sentence.slice(cut + "%(time)s".length)));
      var existing = document.querySelector(".autosave-notice");
      if (existing) {
        // The archive restored an older copy: one notice, whose Discard drops both.
        existing.replaceChild(text, existing.querySelector("p"));
        return;
      }
      var notice = document.createElement("div");
      notice.className = "notice autosave-notice";
      notice.setAttribute("role", "status");
      var discard = document.createElement("button");
      discard.type = "button";
      discard.className = "secondary";
      discard.textContent = gettext("Discard the unsaved text");
      discard.addEventListener("click", function () {
        apply(original);
        dropLocal();
        dirty = false;
        notice.remove();
      });
      notice.appendChild(text);
      notice.appendChild(discard);
      form.parentNode.insertBefore(notice, form);
    }

    // On opening: put back a local copy the archive never got.
    var local = readLocal();
    if (local && local.base === serverVersion && !local.synced && local.data &&
        !same(typed(local.data), typed(snapshot()))) {
      var original = snapshot();
      apply(local.data);
      restoreNotice(local.savedAt, original);
      changed();
    } else if (local && local.base !== serverVersion) {
      dropLocal();
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      // The form itself carries the text now; a late autosave must not outlive it.
      submitting = true;
      window.clearTimeout(sendTimer);
      window.clearTimeout(localTimer);
      writeLocal(false);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { sendOnLeave(); }
    });
    window.addEventListener("pagehide", sendOnLeave);

    var discardForm = document.querySelector("form.autosave-discard");
    if (discardForm) { discardForm.addEventListener("submit", dropLocal); }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave-key]"), init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
