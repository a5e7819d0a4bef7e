/* voiceref: where each article was left, kept in this browser only (localStorage).
 *
 * The article player (player.js) saves the place it stopped and offers "Resume from 1:23";
 * the home page lists what can be continued under "Continue listening". Without scripts, or
 * with storage blocked, nothing is saved and nothing is shown: every page still works.
 *
 * One localStorage key holds a list, newest first, of at most LIMIT places:
 *   {url, title, section, time, sentence, voice, duration, saved}
 * `time` is seconds into the MP3 of `voice`; `sentence` lets another voice resume at the same
 * sentence, since each voice has its own timings.
 */
"use strict";

(function () {
  var KEY = "voiceref-listening";
  var LIMIT = 10;
  var SHOWN = 5;  // on the home page

  function read() {
    try {
      var list = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(list) ? list.filter(valid) : [];
    } catch (e) {
      return [];
    }
  }

  function write(list) {
    try { window.localStorage.setItem(KEY, JSON.stringify(list.slice(0, LIMIT))); } catch (e) { /* not kept */ }
  }

  // Only places this site wrote: a same-site path and numbers where numbers belong.
  function valid(place) {
    return place && typeof place.url === "string" && /^\/[a-z]+\/[a-z0-9-]+$/.test(place.url) &&
      typeof place.title === "string" && isFinite(place.time) && isFinite(place.duration);
  }

  function without(list, url) {
    return list.filter(function (place) { return place.url !== url; });
  }

  /* "1:23", or "1:02:03" past an hour. */
  function clock(seconds) {
    var total = Math.max(0, Math.floor(seconds));
    var hours = Math.floor(total / 3600), minutes = Math.floor(total / 60) % 60, secs = total % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return hours ? hours + ":" + pad(minutes) + ":" + pad(secs) : minutes + ":" + pad(secs);
  }

  var places = {
    get: function (url) {
      var list = read();
      for (var i = 0; i < list.length; i += 1) { if (list[i].url === url) { return list[i]; } }
      return null;
    },
    save: function (place) {
      place.saved = Date.now();
      write([place].concat(without(read(), place.url)));
    },
    forget: function (url) { write(without(read(), url)); },
    clear: function () { try { window.localStorage.removeItem(KEY); } catch (e) { /* nothing kept */ } },
    all: read,
    clock: clock
  };
  window.voicerefListening = places;

  /* ---------------------------------------------------------------- the home page */

  function link(place) {
    var item = document.createElement("li");
    var anchor = document.createElement("a");
    anchor.href = place.url + "#listen-title";
    anchor.textContent = place.title;
    var where = document.createElement("p");
    where.className = "item-meta";
    where.textContent = "Stopped at " + clock(place.time) + " of " + clock(place.duration);
    item.appendChild(anchor);
    item.appendChild(where);
    return item;
  }

  function showContinueListening(template) {
    var list = read();
    if (!list.length || !template.content) { return; }
    var box = template.content.firstElementChild.cloneNode(true);
    var items = box.querySelector("[data-continue-list]");
    list.slice(0, SHOWN).forEach(function (place) { items.appendChild(link(place)); });
    var clearButton = box.querySelector("[data-continue-clear]");
    var cleared = box.querySelector("[data-continue-cleared]");
    clearButton.addEventListener("click", function () {
      places.clear();
      items.hidden = true;
      clearButton.parentNode.removeChild(clearButton);
      cleared.hidden = false;
      // The button is gone: focus moves to the sentence that says what happened, in its
      // place, rather than falling back to the page.
      cleared.setAttribute("tabindex", "-1");
      cleared.focus();
    });
    template.parentNode.insertBefore(box, template);
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("template[data-continue-listening]"), showContinueListening);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
