/* The rich-text editor of the posting and chapter forms (no inline script: loaded with
 * <script src defer> after static/vendor/squire-rte/squire.js and static/js/autosave.js).
 *
 * The form always posts its textarea (name="text"): this script only adds, above it, a
 * Squire editor (npm's squire-rte) for the "Rich text (HTML)" format and keeps the
 * textarea's value in step with it, so the archive, autosave.js and a browser without
 * JavaScript all see the same field. Without Squire (node_modules missing) nothing
 * changes. As on AO3 the form opens on the HTML (the textarea) with "Rich text" and
 * "HTML" buttons above it; the writer's choice is remembered in this browser. Another
 * format shows the textarea alone; text holding markup the editor does not edit (tables,
 * classes for a work skin ...) stays in the HTML mode until the writer asks for the
 * editor, so nothing is rewritten behind their back.
 */
(function () {
  "use strict";
  // The interface's language: the catalogue base.html loads first (/jsi18n/), or the
  // English itself if it did not load.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (all, name) { return String(values[name]); });
  };

  // What the editor makes and keeps: all of it is in the archive's allowlist
  // (fanarchive/core/sanitize.py), which sanitises again when the form is saved.
  var KEPT = {
    P: [], BR: [], B: [], STRONG: [], I: [], EM: [], U: [], S: [], STRIKE: [], DEL: [],
    INS: [], SUB: [], SUP: [], H1: [], H2: [], H3: [], H4: [], H5: [], H6: [], UL: [],
    OL: [], LI: [], BLOCKQUOTE: [], HR: ["class"], A: ["href"]
  };
  // An attribute's value the editor keeps, when not any: a scene break's class.
  var KEPT_VALUES = { "HR class": /^scene-break$/ };

  function keptAttribute(tag, name, value) {
    if ((KEPT[tag] || []).indexOf(name) === -1) { return false; }
    if (name === "href") { return SAFE_LINK.test(value.trim()); }
    var values = KEPT_VALUES[tag + " " + name];
    return !values || values.test(value);
  }
  // Dropped with everything inside them; any other element is unwrapped (its text kept).
  var DROPPED = /^(SCRIPT|STYLE|IFRAME|FRAME|FRAMESET|OBJECT|EMBED|APPLET|SVG|MATH|TEMPLATE|NOSCRIPT|FORM|INPUT|BUTTON|TEXTAREA|SELECT|CANVAS|AUDIO|VIDEO|SOURCE|TRACK|TITLE|HEAD|META|LINK|BASE)$/;
  var SAFE_LINK = /^(https?:|mailto:|[^:]*$)/i;
  var BLOCK_TAG = /<(p|div|h[1-6]|ul|ol|li|blockquote|table|pre|hr|dl|details|figure|center|address)\b/i;
  var SCENE_BREAK = /^\s*(?:(?:\*\s*){3,}|~{3,}|-{3,}|(?:[★☆]\s*)+)$/;

  var BUTTONS = [
    { name: "bold", label: gettext("Bold"), keys: "Control+B", format: "B", on: "bold", off: "removeBold" },
    { name: "italic", label: gettext("Italic"), keys: "Control+I", format: "I", on: "italic", off: "removeItalic" },
    { name: "underline", label: gettext("Underline"), keys: "Control+U", format: "U", on: "underline", off: "removeUnderline" },
    { name: "strikethrough", label: gettext("Strikethrough"), format: "S", on: "strikethrough", off: "removeStrikethrough" },
    { name: "paragraph", label: gettext("Paragraph"), block: "P" },
    { name: "heading", label: gettext("Heading"), block: "H3" },
    { name: "bullets", label: gettext("Bulleted list"), format: "UL", on: "makeUnorderedList", off: "removeList" },
    { name: "numbers", label: gettext("Numbered list"), format: "OL", on: "makeOrderedList", off: "removeList" },
    { name: "quote", label: gettext("Quote"), format: "BLOCKQUOTE", on: "increaseQuoteLevel", off: "decreaseQuoteLevel" },
    { name: "link", label: gettext("Link"), format: "A", link: true },
    { name: "break", label: gettext("Scene break"), rule: true },
    { name: "undo", label: gettext("Undo"), keys: "Control+Z", on: "undo" },
    { name: "redo", label: gettext("Redo"), keys: "Control+Shift+Z", on: "redo" }
  ];

  /* HTML for the editor (pasted, or put back from the textarea), as an inert fragment:
   * parsed in a document that runs no script and loads nothing, kept to KEPT. */
  function sanitizeToDOMFragment(html) {
    var inert = document.implementation.createHTMLDocument("");
    inert.body.innerHTML = html;
    clean(inert.body);
    var fragment = inert.createDocumentFragment();
    while (inert.body.firstChild) { fragment.appendChild(inert.body.firstChild); }
    return document.importNode(fragment, true);
  }

  function clean(parent) {
    Array.prototype.slice.call(parent.childNodes).forEach(function (node) {
      if (node.nodeType === 3) { return; }
      if (node.nodeType !== 1) { parent.removeChild(node); return; }
      var tag = node.nodeName.toUpperCase();
      if (DROPPED.test(tag)) { parent.removeChild(node); return; }
      clean(node);
      var kept = KEPT[tag];
      if (!kept) {
        while (node.firstChild) { parent.insertBefore(node.firstChild, node); }
        parent.removeChild(node);
        return;
      }
      Array.prototype.slice.call(node.attributes).forEach(function (attribute) {
        if (!keptAttribute(tag, attribute.name.toLowerCase(), attribute.value)) {
          node.removeAttribute(attribute.name);
        }
      });
    });
  }

  /* Whether the editor can show this text as it is: only KEPT elements, no attributes but
   * a link's href. Anything else stays in the HTML mode. */
  function editable(html) {
    var inert = document.implementation.createHTMLDocument("");
    inert.body.innerHTML = html;
    var elements = inert.body.getElementsByTagName("*");
    for (var i = 0; i < elements.length; i += 1) {
      var tag = elements[i].nodeName.toUpperCase();
      if (!KEPT[tag]) { return false; }
      for (var j = 0; j < elements[i].attributes.length; j += 1) {
        var attribute = elements[i].attributes[j];
        if (!keptAttribute(tag, attribute.name.toLowerCase(), attribute.value)) { return false; }
      }
    }
    return true;
  }

  function escapeText(text) {
    return text.replace(/&(?![#\w]+;)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  /* The textarea's text as the editor's HTML. The archive reads blank lines as paragraph
   * breaks and a line of *** as a scene break in the HTML format, so text typed that way
   * (with inline tags at most) becomes those paragraphs rather than one run-on line. */
  function toEditor(text) {
    if (BLOCK_TAG.test(text)) { return text; }
    return text.split(/\n[ \t]*\n+/).map(function (paragraph) {
      paragraph = paragraph.replace(/^\s+|\s+$/g, "");
      if (!paragraph) { return ""; }
      if (SCENE_BREAK.test(paragraph)) { return '<hr class="scene-break">'; }
      return "<p>" + paragraph.split(/\n/).map(function (line) {
        return /<[a-z]/i.test(line) ? line : escapeText(line);
      }).join("<br>") + "</p>";
    }).join("");
  }

  /* The editor's HTML as the textarea keeps it: no placeholder <br> Squire leaves at the
   * end of a block, ordinary spaces, one block a line, nothing at all for an empty editor. */
  function fromEditor(editor) {
    var root = editor.getRoot();
    if (!root.textContent.replace(/\s+/g, "") && !root.querySelector("hr")) { return ""; }
    return editor.getHTML()
      .replace(/<br>(?=<\/(p|h[1-6]|li|blockquote)>)/g, "")
      // A space typed at the end of a run is kept by the browser as &nbsp;: within a
      // line it is an ordinary space (runs of them, and at a line's end, stay).
      .replace(/([^\s>;]|<\/(?:b|i|u|s|a|em|strong|sub|sup|del|ins|strike)>)&nbsp;(?!&nbsp;|<\/(?:p|h[1-6]|li)>|$)/g, "$1 ")
      .replace(/<hr>/g, '<hr class="scene-break">')
      .replace(/(<\/(p|h[1-6]|ul|ol|blockquote)>|<hr class="scene-break">)(?=<)/g, "$1\n\n")
      .replace(/\s+$/, "");
  }

  function setBlock(editor, tag) {
    editor.modifyBlocks(function (fragment) {
      Array.prototype.slice.call(fragment.childNodes).forEach(function (node) {
        if (node.nodeType === 1 && /^(P|DIV|H[1-6])$/.test(node.nodeName)) {
          var block = document.createElement(tag);
          while (node.firstChild) { block.appendChild(node.firstChild); }
          fragment.replaceChild(block, node);
        }
      });
      return fragment;
    });
  }

  var MODE_KEY = "fanarchive:text-editor-mode";

  function remembered() {
    try { return window.localStorage.getItem(MODE_KEY); } catch (e) { return null; }
  }

  function remember(mode) {
    try { window.localStorage.setItem(MODE_KEY, mode); } catch (e) { /* not kept: fine */ }
  }

  function button(text, className) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    element.textContent = text;
    return element;
  }

  function init(textarea, formatSelect) {
    var label = document.querySelector('label[for="' + textarea.id + '"]');

    var wrapper = document.createElement("div");
    wrapper.className = "rich-editor";

    var modes = document.createElement("div");
    modes.className = "rich-editor-modes";
    modes.setAttribute("role", "group");
    modes.setAttribute("aria-label", gettext("Editing mode"));
    var richMode = button(gettext("Rich text"), "secondary rich-editor-mode");
    var htmlMode = button("HTML", "secondary rich-editor-mode");
    modes.appendChild(richMode);
    modes.appendChild(htmlMode);

    var toolbar = document.createElement("div");
    toolbar.className = "rich-editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", gettext("Formatting"));

    var area = document.createElement("div");
    area.className = "rich-editor-area userstuff";
    area.id = textarea.id + "-editor";
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    // The look of a text box (set here, not in a style attribute the CSP would refuse).
    area.style.minHeight = "20em";
    area.style.padding = "0.5em";
    area.style.border = "1px solid";
    area.style.overflowY = "auto";
    area.style.maxHeight = "70vh";
    // Named apart from the textarea, which keeps the label's own name.
    var name = label ? label.textContent.replace(/[:\s]+$/, "").trim() : gettext("Text");
    area.setAttribute("aria-label", interpolate(gettext("%(name)s (rich-text editor)"), { name: name }, true));
    if (textarea.getAttribute("aria-describedby")) {
      area.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    toolbar.setAttribute("aria-controls", area.id);

    wrapper.appendChild(modes);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    textarea.parentNode.insertBefore(wrapper, textarea);

    var editor = new window.Squire(area, {
      blockTag: "P",
      sanitizeToDOMFragment: sanitizeToDOMFragment
    });
    var rich = false;

    function sync() {
      if (!rich) { return; }
      var value = fromEditor(editor);
      if (value !== textarea.value) {
        textarea.value = value;
        // autosave.js listens on the form for what the writer typed.
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }

    var controls = BUTTONS.map(function (spec) {
      var control = button(spec.label, "rich-editor-button rich-editor-" + spec.name);
      control.tabIndex = -1;
      if (spec.keys) { control.setAttribute("aria-keyshortcuts", spec.keys); }
      if (spec.format) { control.setAttribute("aria-pressed", "false"); }
      control.addEventListener("click", function () {
        var active = spec.format && editor.hasFormat(spec.format);
        if (spec.block) {
          setBlock(editor, spec.block);
        } else if (spec.link) {
          if (active) {
            editor.removeLink();
          } else {
            var url = window.prompt(gettext("Link address (https://...)"), "https://");
            if (url && SAFE_LINK.test(url.trim()) && url.trim() !== "https://") { editor.makeLink(url.trim()); }
          }
        } else if (spec.rule) {
          editor.insertHTML('<hr class="scene-break">');
        } else {
          editor[active && spec.off ? spec.off : spec.on]();
        }
        editor.focus();
        sync();
        update();
      });
      toolbar.appendChild(control);
      return { spec: spec, element: control };
    });
    controls[0].element.tabIndex = 0;

    // One tab stop for the toolbar; the arrow keys, Home and End move along it.
    toolbar.addEventListener("keydown", function (event) {
      var elements = controls.map(function (c) { return c.element; });
      var index = elements.indexOf(document.activeElement);
      if (index === -1) { return; }
      var next = null;
      if (event.key === "ArrowRight") { next = (index + 1) % elements.length; }
      if (event.key === "ArrowLeft") { next = (index - 1 + elements.length) % elements.length; }
      if (event.key === "Home") { next = 0; }
      if (event.key === "End") { next = elements.length - 1; }
      if (next === null) { return; }
      event.preventDefault();
      elements[index].tabIndex = -1;
      elements[next].tabIndex = 0;
      elements[next].focus();
    });

    function update() {
      controls.forEach(function (control) {
        if (control.spec.format) {
          control.element.setAttribute("aria-pressed", String(editor.hasFormat(control.spec.format)));
        }
      });
    }

    function show() {
      var html = formatSelect.value === "html";
      wrapper.hidden = !html;
      var richShown = html && rich;
      toolbar.hidden = !richShown;
      area.hidden = !richShown;
      textarea.hidden = richShown;
      richMode.setAttribute("aria-pressed", String(rich));
      htmlMode.setAttribute("aria-pressed", String(!rich));
    }

    function useRich() {
      editor.setHTML(toEditor(textarea.value));
      rich = true;
      show();
    }

    function useSource() {
      sync();
      rich = false;
      show();
    }

    editor.addEventListener("input", sync);
    editor.addEventListener("pathChange", update);
    editor.addEventListener("select", update);
    area.addEventListener("keyup", update);
    richMode.addEventListener("click", function () {
      remember("rich");
      if (!rich) { useRich(); editor.focus(); }
    });
    htmlMode.addEventListener("click", function () {
      remember("html");
      if (rich) { useSource(); textarea.focus(); }
    });
    formatSelect.addEventListener("change", function () { sync(); show(); });
    if (label) {
      label.addEventListener("click", function (event) {
        if (rich && !wrapper.hidden) { event.preventDefault(); editor.focus(); }
      });
    }
    textarea.form.addEventListener("submit", sync, true);
    // autosave.js may put other text back into the textarea (its Discard button).
    document.addEventListener("click", function (event) {
      if (event.target.closest && event.target.closest(".autosave-notice button")) {
        window.setTimeout(function () { if (rich) { editor.setHTML(toEditor(textarea.value)); } }, 0);
      }
    });

    // As on AO3 the form opens on the HTML; a writer who chose "Rich text" gets it again
    // (in this browser), unless the text holds markup the editor would not keep.
    if (remembered() !== "rich") {
      show();
    } else if (editable(textarea.value)) {
      useRich();
    } else {
      show();
      var note = document.createElement("p");
      note.className = "help rich-editor-note";
      note.textContent = gettext("This text has markup the rich-text editor does not edit, so it is shown as HTML. " +
        "Choose \u201cRich text\u201d to edit it there: markup the editor does not keep is then removed.");
      wrapper.appendChild(note);
    }
  }

  function start() {
    if (typeof window.Squire !== "function") { return; }
    Array.prototype.forEach.call(document.querySelectorAll('form textarea[name="text"]'), function (textarea) {
      var formatSelect = textarea.form && textarea.form.querySelector('select[name="text_format"]');
      if (formatSelect) { init(textarea, formatSelect); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
