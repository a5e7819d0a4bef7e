/* voiceref: progressive enhancements; every page works without this file.
 *
 * 1. Search suggestions: each search box becomes an editable combobox with list
 *    autocomplete (the WAI-ARIA Authoring Practices pattern), fed by /api/suggest. DOM
 *    focus stays in the box; aria-activedescendant points at the option in view; the number
 *    of suggestions is announced in a polite live region. Enter with no option chosen
 *    submits the search as usual.
 * 2. The "/" shortcut moves focus to the search box, unless the reader turned single-key
 *    shortcuts off (data-shortcuts="off" on <html>) or is typing in a field.
 * 3. Links within the page ("On this page") move focus to the section they point to.
 */
"use strict";

(function () {
  var DELAY_MS = 150;
  var LIMIT = 8;

  function isTyping(target) {
    if (!target || !target.closest) { return false; }
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='textbox']"));
  }

  function shortcutsOn() {
    return document.documentElement.getAttribute("data-shortcuts") !== "off";
  }

  function plural(count, one, many) {
    return count + " " + (count === 1 ? one : many);
  }

  function sectionTitle(name) {
    name = String(name || "");
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function SearchCombobox(input) {
    var form = input.form;
    this.input = input;
    this.url = input.getAttribute("data-suggest");
    this.items = [];
    this.active = -1;
    this.request = 0;
    this.timer = null;
    this.lastQuery = "";

    var id = input.id || "search";
    this.listbox = document.createElement("ul");
    this.listbox.id = id + "-suggestions";
    this.listbox.className = "suggestions";
    this.listbox.setAttribute("role", "listbox");
    this.listbox.setAttribute("aria-label", "Suggestions");
    this.listbox.hidden = true;

    // A live region without role=status: screen readers read an empty status bar as a line
    // of its own ("statusbar", Orca said) when reading the page.
    this.status = document.createElement("div");
    this.status.className = "visually-hidden";
    this.status.setAttribute("aria-live", "polite");
    this.status.setAttribute("aria-atomic", "true");
    this.status.id = id + "-status";

    // Hidden: read as the box's description only, not a second time as a line of the page.
    this.help = document.createElement("span");
    this.help.hidden = true;
    this.help.id = id + "-help";
    this.help.textContent = "Suggestions appear as you type. Use the up and down arrow keys to review them and Enter to open one.";

    input.parentNode.insertBefore(this.listbox, input.nextSibling);
    form.appendChild(this.status);
    form.appendChild(this.help);

    // ARIA in HTML allows the combobox role on a text input, not on a search input.
    input.type = "text";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    var described = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + this.help.id);
    form.classList.add("has-suggestions");

    var self = this;
    input.addEventListener("input", function () { self.schedule(); });
    input.addEventListener("keydown", function (event) { self.onKey(event); });
    input.addEventListener("blur", function () {
      // Let a click on an option land before the list closes.
      window.setTimeout(function () { self.close(); }, 200);
    });
    // Keep focus in the box while an option is pressed with a pointer.
    this.listbox.addEventListener("mousedown", function (event) { event.preventDefault(); });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) { self.choose(Number(option.getAttribute("data-index"))); }
    });
  }

  SearchCombobox.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.fetch(); }, DELAY_MS);
  };

  SearchCombobox.prototype.fetch = function () {
    var query = this.input.value.trim();
    var self = this;
    var ticket = ++this.request;
    if (query.length < 2) {
      this.render([], query);
      return;
    }
    var url = this.url + "?q=" + encodeURIComponent(query);
    window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (items) {
        if (ticket === self.request && Array.isArray(items)) { self.render(items.slice(0, LIMIT), query); }
      })
      .catch(function () { /* suggestions are a convenience: the form still searches */ });
  };

  SearchCombobox.prototype.render = function (items, query) {
    var listbox = this.listbox;
    var base = this.listbox.id;
    this.items = items;
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    while (listbox.firstChild) { listbox.removeChild(listbox.firstChild); }
    items.forEach(function (item, index) {
      var option = document.createElement("li");
      option.id = base + "-" + index;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      var title = document.createElement("span");
      title.className = "suggestion-title";
      title.textContent = item.title;
      var section = document.createElement("span");
      section.className = "suggestion-section";
      section.textContent = sectionTitle(item.section);
      option.appendChild(title);
      option.appendChild(document.createTextNode(" "));
      option.appendChild(section);
      listbox.appendChild(option);
    });
    if (items.length && document.activeElement === this.input) {
      this.open();
    } else {
      this.close();
    }
    var message = "";
    if (query.length >= 2) {
      message = items.length ? plural(items.length, "suggestion", "suggestions") + "." : "No suggestions. Press Enter to search.";
    }
    if (query !== this.lastQuery || this.status.textContent !== message) {
      this.status.textContent = message;
    }
    this.lastQuery = query;
  };

  SearchCombobox.prototype.open = function () {
    if (!this.items.length) { return; }
    this.listbox.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  };

  SearchCombobox.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  SearchCombobox.prototype.isOpen = function () { return !this.listbox.hidden; };

  SearchCombobox.prototype.setActive = function (index) {
    var options = this.listbox.querySelectorAll("[role='option']");
    Array.prototype.forEach.call(options, function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    this.active = index;
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  SearchCombobox.prototype.move = function (step) {
    var count = this.items.length;
    if (!count) { return; }
    this.open();
    var next;
    if (this.active < 0) {
      next = step > 0 ? 0 : count - 1;
    } else {
      next = (this.active + step + count) % count;
    }
    this.setActive(next);
  };

  SearchCombobox.prototype.choose = function (index) {
    var item = this.items[index];
    if (!item) { return; }
    this.input.value = item.title;
    this.close();
    window.location.assign(item.url);
  };

  SearchCombobox.prototype.onKey = function (event) {
    if (event.ctrlKey || event.metaKey) { return; }
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (event.altKey) { this.open(); } else { this.move(1); }
        break;
      case "ArrowUp":
        if (event.altKey) { return; }
        event.preventDefault();
        this.move(-1);
        break;
      case "Enter":
        if (this.isOpen() && this.active >= 0) {
          event.preventDefault();
          this.choose(this.active);
        } else {
          this.close();  // and let the form submit the search
        }
        break;
      case "Escape":
        if (this.isOpen()) {
          event.preventDefault();
          this.close();
        } else if (this.input.value) {
          event.preventDefault();
          this.input.value = "";
          this.render([], "");
        }
        break;
      case "ArrowLeft":
      case "ArrowRight":
      case "Home":
      case "End":
        this.setActive(-1);
        break;
      case "Tab":
        this.close();
        break;
      default:
        break;
    }
  };

  function searchBoxToFocus() {
    return document.querySelector("main .search-form input[name='q']") || document.querySelector(".search-form input[name='q']");
  }

  function onShortcut(event) {
    if (event.key !== "/" || event.ctrlKey || event.altKey || event.metaKey || event.defaultPrevented) { return; }
    if (!shortcutsOn() || isTyping(event.target)) { return; }
    var box = searchBoxToFocus();
    if (!box) { return; }
    event.preventDefault();
    box.focus();
    box.select();
  }

  /* Activating a link to a part of the same page moves keyboard focus there too, so the
     next Tab continues from the section and focus never falls back to the page itself.
     Focus moves at once, inside the click: a deferred focus() could fire after the reader's
     next Tab on a slow device and pull focus back from where they had moved it. */
  function focusLinkTarget(event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link || event.defaultPrevented || event.button > 0) { return; }
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var target = id ? document.getElementById(id) : null;
    if (!target) { return; }
    if (!target.matches("a[href], button, input, select, textarea, summary, [tabindex]")) {
      target.setAttribute("tabindex", "-1");
    }
    if (document.activeElement !== target) { target.focus({ preventScroll: true }); }
  }

  function init() {
    if (window.fetch) {
      Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest]"), function (input) {
        new SearchCombobox(input);
      });
    }
    document.addEventListener("keydown", onShortcut);
    document.addEventListener("click", focusLinkTarget);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
}());
