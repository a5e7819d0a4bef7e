/* voiceref listening controls: progressive enhancement of the native <audio> player.
 *
 * Without this file every page still has a working player, a download link and an M3U
 * playlist. With it: Play/Pause, Back and Forward by sentence, speed 0.5× to 3× (kept in
 * localStorage), "Listen from here" at each section, the spoken sentence highlighted and
 * kept in view, single-key shortcuts that can be turned off, and "Listen to all" on lists.
 */
"use strict";

(function () {
  var SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3];
  var SPEED_KEY = "voiceref-speed";
  var SHORTCUTS_KEY = "voiceref-shortcuts";
  var HIGHLIGHT = "voiceref-speaking";

  function stored(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: not kept */ }
  }

  function clampSpeed(value) {
    var speed = parseFloat(value);
    if (!isFinite(speed)) { return 1; }
    return Math.min(3, Math.max(0.5, speed));
  }

  // A speed chosen on the player is remembered until the reader changes the default speed on
  // the Preferences page: then the new preference wins.
  function currentSpeed(fallback) {
    var saved = stored(SPEED_KEY);
    var basis = stored(SPEED_KEY + "-default");
    if (saved === null || (basis !== null && basis !== String(fallback))) { return clampSpeed(fallback); }
    return clampSpeed(saved);
  }

  function rememberSpeed(speed, fallback) {
    store(SPEED_KEY, String(speed));
    store(SPEED_KEY + "-default", String(fallback));
  }

  function highlightingOn() {
    return document.documentElement.getAttribute("data-highlight") !== "off";
  }

  function speedLabel(speed) {
    return String(speed).replace(/\.0+$/, "") + "×";
  }

  function stepSpeed(speed, direction) {
    var i, next = speed;
    if (direction > 0) {
      for (i = 0; i < SPEEDS.length; i += 1) { if (SPEEDS[i] > speed + 0.001) { next = SPEEDS[i]; break; } }
    } else {
      for (i = SPEEDS.length - 1; i >= 0; i -= 1) { if (SPEEDS[i] < speed - 0.001) { next = SPEEDS[i]; break; } }
    }
    return next;
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  function shortcutsAllowedBySite() {
    return document.documentElement.getAttribute("data-shortcuts") !== "off";
  }

  function shortcutsOn() {
    return shortcutsAllowedBySite() && stored(SHORTCUTS_KEY) !== "off";
  }

  function isTyping(target) {
    if (!target || !target.closest) { return false; }
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true'], [role='textbox']"));
  }

  /* Text nodes that belong to `block` itself: not those inside a nested element with an id.
     The build measured sentence offsets over exactly this text. */
  function ownTextNodes(block) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      var node = walker.currentNode;
      if (node.parentElement && node.parentElement.closest("[id]") === block) { nodes.push(node); }
    }
    return nodes;
  }

  function rangeFor(block, from, to) {
    var nodes = ownTextNodes(block);
    var range = document.createRange();
    var seen = 0, started = false;
    for (var i = 0; i < nodes.length; i += 1) {
      var length = nodes[i].data.length;
      if (!started && from <= seen + length) { range.setStart(nodes[i], from - seen); started = true; }
      if (started && to <= seen + length) { range.setEnd(nodes[i], to - seen); return range; }
      seen += length;
    }
    return null;
  }

  /* ---------------------------------------------------------------- article player */

  function ArticlePlayer(root) {
    this.root = root;
    this.audio = root.querySelector("audio");
    this.status = root.querySelector("[data-status]");
    this.rateOutput = root.querySelector("[data-rate]");
    this.toggleButton = root.querySelector("[data-action='toggle']");
    this.sentences = [];
    this.chapters = [];
    this.current = -1;
    this.marked = null;
    this.frame = 0;
    this.defaultSpeed = root.getAttribute("data-default-speed") || "1";
    this.setSpeed(currentSpeed(this.defaultSpeed), false);
    this.bind();
    root.querySelector(".player-controls").hidden = false;
    this.setUpShortcuts();
    this.loadTimings(root.getAttribute("data-timings"));
  }

  ArticlePlayer.prototype.say = function (message) {
    if (this.status) { this.status.textContent = message; }
  };

  ArticlePlayer.prototype.bind = function () {
    var self = this;
    this.root.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) { return; }
      self.act(button.getAttribute("data-action"));
    });
    this.audio.addEventListener("play", function () { self.onPlayState(); self.track(); });
    this.audio.addEventListener("pause", function () { self.onPlayState(); });
    this.audio.addEventListener("ended", function () { self.onPlayState(); self.mark(-1); });
    this.audio.addEventListener("timeupdate", function () { self.sync(); });
    this.audio.addEventListener("seeked", function () { self.sync(); });
    this.audio.addEventListener("ratechange", function () {
      if (Math.abs(self.audio.playbackRate - self.speed) > 0.001) { self.setSpeed(self.audio.playbackRate, true); }
    });
    this.audio.addEventListener("error", function () {
      self.say("The audio could not be played. You can download the MP3 instead.");
    });
    document.addEventListener("keydown", function (event) { self.onKey(event); });
  };

  ArticlePlayer.prototype.act = function (action) {
    if (action === "toggle") { this.toggle(); }
    else if (action === "back") { this.back(); }
    else if (action === "forward") { this.jump(this.current + 1); }
    else if (action === "slower") { this.setSpeed(stepSpeed(this.speed, -1), true); }
    else if (action === "faster") { this.setSpeed(stepSpeed(this.speed, 1), true); }
    else if (action === "previous-section") { this.section(-1); }
    else if (action === "next-section") { this.section(1); }
  };

  ArticlePlayer.prototype.toggle = function () {
    if (this.audio.paused) { this.play(); } else { this.audio.pause(); }
  };

  ArticlePlayer.prototype.play = function () {
    var self = this;
    var promise = this.audio.play();
    if (promise && promise.catch) {
      promise.catch(function () { self.say("The browser did not start the audio. Press Play again."); });
    }
  };

  ArticlePlayer.prototype.onPlayState = function () {
    this.toggleButton.textContent = this.audio.paused ? "Play" : "Pause";
  };

  ArticlePlayer.prototype.setSpeed = function (speed, remember) {
    this.speed = clampSpeed(speed);
    this.audio.defaultPlaybackRate = this.speed;
    this.audio.playbackRate = this.speed;
    if (this.rateOutput) {
      this.rateOutput.innerHTML = "";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = "Speed\u00a0";
      this.rateOutput.appendChild(hidden);
      this.rateOutput.appendChild(document.createTextNode(speedLabel(this.speed)));
    }
    // The status line announces a speed the reader chose; the speed shown is silent, or it
    // would be read on every page load.
    if (remember) { rememberSpeed(this.speed, this.defaultSpeed); this.say("Speed " + speedLabel(this.speed)); }
  };

  ArticlePlayer.prototype.loadTimings = function (url) {
    var self = this;
    if (!url || !window.fetch) { return; }
    window.fetch(url, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (timings) {
        self.sentences = timings.sentences || [];
        self.chapters = timings.chapters || [];
        self.addListenHere();
        self.sync();
      })
      .catch(function () { /* the native controls and Play/Pause still work */ });
  };

  ArticlePlayer.prototype.indexAt = function (time) {
    var low = 0, high = this.sentences.length - 1, found = -1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (this.sentences[middle].start <= time + 0.01) { found = middle; low = middle + 1; } else { high = middle - 1; }
    }
    return found;
  };

  ArticlePlayer.prototype.jump = function (index) {
    if (!this.sentences.length) {
      this.audio.currentTime = Math.max(0, this.audio.currentTime + (index > this.current ? 5 : -5));
      return;
    }
    index = Math.max(0, Math.min(index, this.sentences.length - 1));
    this.audio.currentTime = this.sentences[index].start;
    this.mark(index);
    if (this.audio.paused) { this.play(); }
  };

  ArticlePlayer.prototype.back = function () {
    var sentence = this.sentences[this.current];
    // Like a CD player: a second press (or early in a sentence) goes to the one before.
    if (sentence && this.audio.currentTime - sentence.start > 1.5) { this.jump(this.current); }
    else { this.jump(this.current - 1); }
  };

  ArticlePlayer.prototype.section = function (direction) {
    var now = this.audio.currentTime, target = null, i;
    if (direction > 0) {
      for (i = 0; i < this.chapters.length; i += 1) { if (this.chapters[i].start > now + 0.5) { target = this.chapters[i]; break; } }
    } else {
      for (i = this.chapters.length - 1; i >= 0; i -= 1) { if (this.chapters[i].start < now - 2) { target = this.chapters[i]; break; } }
    }
    if (!target && direction < 0 && this.chapters.length) { target = this.chapters[0]; }
    if (target) { this.fromTime(target.start, target.title); }
  };

  ArticlePlayer.prototype.fromTime = function (time, title) {
    this.audio.currentTime = time;
    this.mark(this.indexAt(time));
    this.say("Playing from: " + title);
    if (this.audio.paused) { this.play(); }
  };

  ArticlePlayer.prototype.addListenHere = function () {
    var self = this;
    var article = this.root.closest("article") || document;
    var headings = article.querySelectorAll("h2[id]");
    Array.prototype.forEach.call(headings, function (heading) {
      var index = -1;
      for (var i = 0; i < self.sentences.length; i += 1) {
        if (self.sentences[i].block === heading.id) { index = i; break; }
      }
      // "In short" sits just above the player, whose Play button starts there anyway.
      if (index < 0 || heading.id === "in-short") { return; }
      if (heading.nextElementSibling && heading.nextElementSibling.classList.contains("listen-here")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "listen-here secondary";
      button.textContent = "Listen from here";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " (" + heading.textContent + ")";
      button.appendChild(hidden);
      button.addEventListener("click", function () { self.fromTime(self.sentences[index].start, heading.textContent); });
      heading.insertAdjacentElement("afterend", button);
    });
  };

  ArticlePlayer.prototype.track = function () {
    var self = this;
    if (this.frame || !window.requestAnimationFrame) { return; }
    var step = function () {
      self.frame = 0;
      self.sync();
      if (!self.audio.paused && !self.audio.ended) { self.frame = window.requestAnimationFrame(step); }
    };
    this.frame = window.requestAnimationFrame(step);
  };

  ArticlePlayer.prototype.sync = function () {
    if (!this.sentences.length) { return; }
    var index = this.indexAt(this.audio.currentTime);
    if (index !== this.current) { this.mark(index); }
  };

  ArticlePlayer.prototype.mark = function (index) {
    this.current = index;
    if (this.marked) { this.marked.classList.remove("is-speaking"); this.marked = null; }
    if (window.CSS && CSS.highlights) { CSS.highlights.delete(HIGHLIGHT); }
    var sentence = this.sentences[index];
    var block = sentence && sentence.block ? document.getElementById(sentence.block) : null;
    if (!block || !highlightingOn()) { return; }
    block.classList.add("is-speaking");
    this.marked = block;
    if (window.CSS && CSS.highlights && window.Highlight && sentence.from !== null && sentence.to !== null) {
      var range = rangeFor(block, sentence.from, sentence.to);
      if (range) { CSS.highlights.set(HIGHLIGHT, new window.Highlight(range)); }
    }
    if (!this.audio.paused && !reducedMotion()) { this.keepInView(block); }
  };

  ArticlePlayer.prototype.keepInView = function (block) {
    var box = block.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    if (box.top < 0 || box.bottom > height) { block.scrollIntoView({ block: "center", behavior: "smooth" }); }
  };

  ArticlePlayer.prototype.setUpShortcuts = function () {
    var panel = this.root.querySelector("[data-shortcuts-panel]");
    if (!panel) { return; }
    var toggle = panel.querySelector("[data-shortcuts-toggle]");
    var note = panel.querySelector("[data-shortcuts-off-note]");
    panel.hidden = false;
    if (!shortcutsAllowedBySite()) {
      toggle.checked = false;
      toggle.disabled = true;
      if (note) { note.hidden = false; }
      return;
    }
    toggle.checked = shortcutsOn();
    toggle.addEventListener("change", function () { store(SHORTCUTS_KEY, toggle.checked ? "on" : "off"); });
  };

  ArticlePlayer.prototype.onKey = function (event) {
    if (!shortcutsOn() || event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) { return; }
    if (isTyping(event.target)) { return; }
    var actions = { k: "toggle", j: "back", l: "forward", s: "slower", d: "faster", "[": "previous-section", "]": "next-section" };
    var action = actions[event.key];
    if (!action) { return; }
    event.preventDefault();
    this.act(action);
  };

  /* ---------------------------------------------------------------- listen to all */

  function parseM3u(text) {
    var tracks = [], title = "";
    text.split(/\r?\n/).forEach(function (line) {
      line = line.trim();
      if (line.indexOf("#EXTINF:") === 0) { title = line.slice(line.indexOf(",") + 1); }
      else if (line && line.charAt(0) !== "#") { tracks.push({ url: line, title: title || line }); title = ""; }
    });
    return tracks;
  }

  function PlaylistPlayer(root) {
    this.root = root;
    this.start = root.querySelector("[data-action='play-all']");
    this.tracks = [];
    this.index = 0;
    this.start.hidden = false;
    var self = this;
    this.start.addEventListener("click", function () { self.begin(); });
  }

  PlaylistPlayer.prototype.build = function () {
    var self = this;
    var box = document.createElement("div");
    box.className = "playlist-controls";
    this.status = document.createElement("p");
    this.status.className = "player-status";
    this.status.setAttribute("aria-live", "polite");
    this.audio = document.createElement("audio");
    this.audio.controls = true;
    this.audio.preload = "none";
    var group = document.createElement("div");
    group.className = "player-controls";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Playlist controls");
    var previous = this.button("Previous article", function () { self.go(self.index - 1); });
    this.toggle = this.button("Pause", function () { if (self.audio.paused) { self.audio.play(); } else { self.audio.pause(); } });
    var next = this.button("Next article", function () { self.go(self.index + 1); });
    group.appendChild(previous);
    group.appendChild(this.toggle);
    group.appendChild(next);
    box.appendChild(this.status);
    box.appendChild(this.audio);
    box.appendChild(group);
    this.root.appendChild(box);
    this.audio.addEventListener("ended", function () {
      if (self.index + 1 < self.tracks.length) { self.go(self.index + 1); } else { self.status.textContent = "Finished the list."; }
    });
    this.audio.addEventListener("play", function () { self.toggle.textContent = "Pause"; });
    this.audio.addEventListener("pause", function () { self.toggle.textContent = "Play"; });
  };

  PlaylistPlayer.prototype.button = function (label, handler) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "player-button secondary";
    button.textContent = label;
    button.addEventListener("click", handler);
    return button;
  };

  PlaylistPlayer.prototype.begin = function () {
    var self = this;
    if (this.tracks.length) { this.go(0); return; }
    window.fetch(this.root.getAttribute("data-playlist"), { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (text) {
        self.tracks = parseM3u(text);
        if (!self.tracks.length) { return; }
        self.build();
        self.go(0);
      });
  };

  PlaylistPlayer.prototype.go = function (index) {
    if (index < 0 || index >= this.tracks.length) { return; }
    this.index = index;
    var track = this.tracks[index];
    this.audio.src = track.url;
    this.audio.defaultPlaybackRate = currentSpeed("1");
    this.audio.playbackRate = currentSpeed("1");
    this.status.textContent = "Now playing " + (index + 1) + " of " + this.tracks.length + ": " + track.title;
    var promise = this.audio.play();
    if (promise && promise.catch) { promise.catch(function () { /* the native Play button still works */ }); }
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-player]"), function (root) { new ArticlePlayer(root); });
    Array.prototype.forEach.call(document.querySelectorAll("[data-playlist]"), function (root) { new PlaylistPlayer(root); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
