/* voiceref listening controls: progressive enhancement of the native <audio> player.
 *
 * Without this file every page still has a working player, a choice of voice (a plain form),
 * a download link and an M3U playlist. With it: Play/Pause, Back and Forward by sentence,
 * speed 0.5× to 3× (kept in localStorage), "Listen from here" at each section, the spoken
 * sentence and word highlighted (player-text.js) and kept in view, the voice switched in
 * place, "Resume from 1:23" (listening.js), a sleep timer (sleep-timer.js), single-key
 * shortcuts that can be turned off, and "Listen to all" on lists.
 *
 * Listening from any sentence: once listening has started, a click or tap on a sentence plays
 * from that sentence. The keyboard gets the same without a tab stop per sentence (hundreds on
 * a long page): Enter plays from the sentence holding the text caret (caret browsing, F7) or
 * from the element that has focus (a heading reached from "On this page"); a screen reader's
 * Enter on text is a click; and "Listen from here" (one stop per section) then Forward/Back
 * (or l and j) reach every sentence.
 */
"use strict";

(function () {
  var SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3];
  var SPEED_KEY = "voiceref-speed";
  var VOICE_KEY = "voiceref-voice";
  var SHORTCUTS_KEY = "voiceref-shortcuts";
  var RESUME_FROM = 5;  // seconds: a place earlier than this is not worth offering
  var SAVE_EVERY_MS = 5000;
  var FOLLOW_AFTER_SCROLL_MS = 8000;  // the page stops following while the reader scrolls
  var SCROLL_KEYS = { PageUp: 1, PageDown: 1, Home: 1, End: 1, ArrowUp: 1, ArrowDown: 1, " ": 1 };
  var CONTROLS = "a[href], button, input, select, textarea, summary, label, audio, video, [role=button], [contenteditable], [data-player]";
  var text = window.VoicerefText;
  var places = window.voicerefListening || null;

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

  /* A speed or voice chosen on the player is remembered until the reader changes the default
     on the Preferences page: then the new preference wins, and the old choice is forgotten. */
  function remembered(key, fallback) {
    var saved = stored(key);
    var basis = stored(key + "-default");
    if (saved === null) { return String(fallback); }
    if (basis !== null && basis !== String(fallback)) {
      try { window.localStorage.removeItem(key); window.localStorage.removeItem(key + "-default"); } catch (e) { /* not kept */ }
      return String(fallback);
    }
    return saved;
  }

  function remember(key, value, fallback) {
    store(key, String(value));
    store(key + "-default", String(fallback));
  }

  function currentSpeed(fallback) {
    return clampSpeed(remembered(SPEED_KEY, fallback));
  }

  function preferenceOn(name) {
    return document.documentElement.getAttribute("data-" + name) !== "off";
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

  function parseVoices(raw) {
    try { return JSON.parse(raw || "{}") || {}; } catch (e) { return {}; }
  }

  /* ---------------------------------------------------------------- article player */

  function ArticlePlayer(root) {
    this.root = root;
    this.article = root.closest("article") || document.body;
    this.audio = root.querySelector("audio");
    this.status = root.querySelector("[data-status]");
    this.rateOutput = root.querySelector("[data-rate]");
    this.toggleButton = root.querySelector("[data-action='toggle']");
    this.resumeButton = root.querySelector("[data-action='resume']");
    this.download = root.querySelector("[data-download]");
    this.url = root.getAttribute("data-article") || window.location.pathname;
    this.title = root.getAttribute("data-title") || document.title;
    this.voices = parseVoices(root.getAttribute("data-voices"));
    this.voice = root.getAttribute("data-voice") || "";
    this.defaultVoice = root.getAttribute("data-default-voice") || this.voice;
    this.marks = new text.Marks();
    this.sentences = [];
    this.chapters = [];
    this.blocks = {};  // element id to the indexes of its sentences
    this.duration = 0;
    this.current = -1;
    this.word = -1;
    this.block = null;
    this.nodes = [];
    this.frame = 0;
    this.started = false;
    this.switching = false;
    this.savedAt = 0;
    this.scrolledAt = 0;
    this.followedAt = 0;
    this.place = places ? places.get(this.url) : null;
    this.defaultSpeed = root.getAttribute("data-default-speed") || "1";
    this.setSpeed(currentSpeed(this.defaultSpeed), false);
    var sleep = root.querySelector("[data-sleep]");
    this.sleep = sleep && window.VoicerefSleepTimer ? new window.VoicerefSleepTimer(sleep, root.querySelector("[data-sleep-left]"), this) : null;
    this.bind();
    root.querySelector(".player-controls").hidden = false;
    Array.prototype.forEach.call(root.querySelectorAll("[data-enhanced]"), function (part) { part.hidden = false; });
    this.setUpShortcuts();
    this.setUpVoices();
    var voice = this.initialVoice();
    if (voice !== this.voice) { this.useVoice(voice, false); } else { this.loadTimings(this.source("timings") || root.getAttribute("data-timings")); }
  }

  ArticlePlayer.prototype.say = function (message) {
    if (this.status) { this.status.textContent = message; }
  };

  ArticlePlayer.prototype.source = function (kind, voice) {
    var files = this.voices[voice || this.voice];
    return files ? files[kind] : null;
  };

  ArticlePlayer.prototype.bind = function () {
    var self = this;
    this.root.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) { return; }
      self.act(button.getAttribute("data-action"));
    });
    this.audio.addEventListener("play", function () { self.onPlayState(); self.onStart(); self.track(); });
    this.audio.addEventListener("pause", function () { self.onPlayState(); self.savePlace(true); });
    this.audio.addEventListener("ended", function () { self.onPlayState(); self.mark(-1); self.forgetPlace(); });
    this.audio.addEventListener("timeupdate", function () { self.sync(); self.savePlace(false); });
    this.audio.addEventListener("seeked", function () { self.sync(); });
    this.audio.addEventListener("ratechange", function () {
      if (Math.abs(self.audio.playbackRate - self.speed) > 0.001) { self.setSpeed(self.audio.playbackRate, true); }
    });
    this.audio.addEventListener("error", function () {
      if (!self.switching) { self.say("The audio could not be played. You can download the MP3 instead."); }
    });
    document.addEventListener("keydown", function (event) { self.onKey(event); });
    this.article.addEventListener("click", function (event) { self.onTextClick(event); });
    window.addEventListener("pagehide", function () { self.savePlace(true); });
    // The reader scrolling away (to read ahead, or back) pauses the page's following.
    var scrolled = function () { self.scrolledAt = Date.now(); };
    window.addEventListener("wheel", scrolled, { passive: true });
    window.addEventListener("touchmove", scrolled, { passive: true });
    document.addEventListener("keydown", function (event) {
      if (SCROLL_KEYS[event.key] && !(event.target.closest && event.target.closest(CONTROLS))) { scrolled(); }
    });
  };

  ArticlePlayer.prototype.act = function (action) {
    if (action === "toggle") { this.toggle(); }
    else if (action === "resume") { this.resume(); }
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
      promise.catch(function () { if (!self.switching) { self.say("The browser did not start the audio. Press Play again."); } });
    }
  };

  ArticlePlayer.prototype.onPlayState = function () {
    this.toggleButton.textContent = this.audio.paused ? "Play" : "Pause";
  };

  /* Listening has begun: sentences answer clicks, and an old place is no longer offered. */
  ArticlePlayer.prototype.onStart = function () {
    this.started = true;
    this.article.classList.add("is-listening");
    this.hideResume();
  };

  ArticlePlayer.prototype.setSpeed = function (speed, keep) {
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
    if (keep) { remember(SPEED_KEY, this.speed, this.defaultSpeed); this.say("Speed " + speedLabel(this.speed)); }
  };

  ArticlePlayer.prototype.loadTimings = function (url, then) {
    var self = this;
    var done = function () { self.offerResume(); if (then) { then(); } };
    if (!url || !window.fetch) { done(); return; }
    window.fetch(url, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (timings) {
        self.sentences = timings.sentences || [];
        self.chapters = timings.chapters || [];
        self.duration = timings.duration || 0;
        self.indexBlocks();
        self.addListenHere();
        self.sync();
        done();
      })
      .catch(function () { done(); /* the native controls and Play/Pause still work */ });
  };

  ArticlePlayer.prototype.indexBlocks = function () {
    var blocks = {};
    this.sentences.forEach(function (sentence, index) {
      if (!sentence.block) { return; }
      if (!blocks[sentence.block]) {
        blocks[sentence.block] = [];
        var element = document.getElementById(sentence.block);
        if (element) { element.setAttribute("data-spoken", ""); }
      }
      blocks[sentence.block].push(index);
    });
    this.blocks = blocks;
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
    this.scrolledAt = 0;  // the reader asked for a place: follow it again
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

  /* Where the speech of the section playing at `time` ends, and where the next one starts. */
  ArticlePlayer.prototype.sectionEnd = function (time) {
    var chapter = null, i;
    for (i = 0; i < this.chapters.length; i += 1) { if (this.chapters[i].start <= time + 0.01) { chapter = this.chapters[i]; } }
    if (!chapter) { return null; }
    var next = chapter.end || this.duration || this.audio.duration;
    var speech = chapter.start;
    for (i = 0; i < this.sentences.length; i += 1) {
      if (this.sentences[i].start >= chapter.start && this.sentences[i].start < next) { speech = Math.max(speech, this.sentences[i].end); }
    }
    return { speech: speech, next: next };
  };

  ArticlePlayer.prototype.fromTime = function (time, title) {
    this.scrolledAt = 0;
    this.audio.currentTime = time;
    this.mark(this.indexAt(time));
    this.say("Playing from: " + title);
    if (this.audio.paused) { this.play(); }
  };

  ArticlePlayer.prototype.addListenHere = function () {
    var self = this;
    var headings = this.article.querySelectorAll("h2[id]");
    Array.prototype.forEach.call(headings, function (heading) {
      var index = self.blocks[heading.id] ? self.blocks[heading.id][0] : -1;
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
      button.addEventListener("click", function () {
        var first = self.blocks[heading.id] ? self.blocks[heading.id][0] : index;
        self.fromTime(self.sentences[first].start, heading.textContent);
      });
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
    var time = this.audio.currentTime;
    var index = this.indexAt(time);
    if (index !== this.current) { this.mark(index); }
    this.markWord(time);
    if (this.sleep) { this.sleep.check(time); }
  };

  /* Mark sentence `index` (-1: none): its block outlined, its text shaded. */
  ArticlePlayer.prototype.mark = function (index) {
    this.current = index;
    this.word = -1;
    if (this.block) { this.block.classList.remove("is-speaking"); }
    this.block = null;
    this.nodes = [];
    this.marks.clear();
    var sentence = this.sentences[index];
    var block = sentence && sentence.block ? document.getElementById(sentence.block) : null;
    if (!block) { return; }
    this.block = block;
    this.nodes = text.ownTextNodes(block);
    if (!preferenceOn("highlight")) { return; }
    block.classList.add("is-speaking");
    var range = text.rangeIn(this.nodes, sentence.from, sentence.to);
    this.marks.sentence(range);
    if (!this.wordsShown(sentence)) { this.follow(range || block); }
  };

  ArticlePlayer.prototype.wordsShown = function (sentence) {
    return preferenceOn("words") && Boolean(sentence && sentence.words && sentence.words.length);
  };

  /* Mark the word being spoken at `time`: the last one that has started. */
  ArticlePlayer.prototype.markWord = function (time) {
    var sentence = this.sentences[this.current];
    if (!this.block || !this.wordsShown(sentence)) { return; }
    var words = sentence.words, found = -1;
    for (var i = 0; i < words.length && words[i].start <= time + 0.01; i += 1) { found = i; }
    if (found === this.word) { return; }
    this.word = found;
    var range = found < 0 ? null : text.rangeIn(this.nodes, words[found].from, words[found].to);
    this.marks.word(range);
    if (range) { this.follow(range); }
  };

  /* Keep what is being read in view: scroll only when it has left the view, only while
     playing, never under reduced motion, and not while the reader is scrolling themselves. */
  ArticlePlayer.prototype.follow = function (target) {
    var now = Date.now();
    if (this.audio.paused || reducedMotion() || now - this.scrolledAt < FOLLOW_AFTER_SCROLL_MS) { return; }
    if (now - this.followedAt < 700) { return; }  // a scroll is still under way
    var box = target.getBoundingClientRect();
    var height = window.innerHeight || document.documentElement.clientHeight;
    if (box.top >= 0 && box.bottom <= height) { return; }
    this.followedAt = now;
    window.scrollBy({ top: box.top - height / 3, behavior: "smooth" });
  };

  /* ------------------------------------------------ listening from any sentence */

  ArticlePlayer.prototype.spokenBlock = function (node) {
    var element = node && node.nodeType === 1 ? node : node && node.parentElement;
    var block = element ? element.closest("[id]") : null;
    return block && this.blocks[block.id] ? block : null;
  };

  /* The sentence of `block` holding the caret {node, offset}, else its first sentence. */
  ArticlePlayer.prototype.sentenceIn = function (block, caret) {
    var indexes = this.blocks[block.id];
    var offset = caret ? text.offsetIn(text.ownTextNodes(block), caret.node, caret.offset) : -1;
    var found = indexes[0];
    if (offset < 0) { return found; }
    for (var i = 0; i < indexes.length; i += 1) {
      var sentence = this.sentences[indexes[i]];
      if (sentence.from === null || sentence.from === undefined || sentence.from <= offset) { found = indexes[i]; }
    }
    return found;
  };

  ArticlePlayer.prototype.onTextClick = function (event) {
    if (!this.started || event.defaultPrevented || event.button !== 0) { return; }
    if (event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) { return; }
    if (!event.target.closest || event.target.closest(CONTROLS)) { return; }
    var selection = window.getSelection ? window.getSelection() : null;
    if (selection && !selection.isCollapsed) { return; }  // the reader is selecting text
    var block = this.spokenBlock(event.target);
    if (!block) { return; }
    var caret = text.caretAt(event.clientX, event.clientY);
    this.jump(this.sentenceIn(block, caret && block.contains(caret.node) ? caret : null));
  };

  /* Enter plays from the focused element's sentence, or from the sentence at the caret. */
  ArticlePlayer.prototype.onEnter = function (event) {
    var target = event.target;
    if (!this.sentences.length || !target.closest || target.closest(CONTROLS)) { return false; }
    var selection = window.getSelection ? window.getSelection() : null;
    var caret = selection && selection.rangeCount && selection.isCollapsed ? { node: selection.anchorNode, offset: selection.anchorOffset } : null;
    var block = this.spokenBlock(target);
    if (block && caret && !block.contains(caret.node)) { caret = null; }
    if (!block && caret) { block = this.spokenBlock(caret.node); }
    if (!block) { return false; }
    this.jump(this.sentenceIn(block, caret));
    return true;
  };

  /* ------------------------------------------------ voices */

  ArticlePlayer.prototype.initialVoice = function () {
    if (/[?&]voice=/.test(window.location.search)) { return this.voice; }  // asked for in the link
    var voice = remembered(VOICE_KEY, this.defaultVoice);
    return this.voices[voice] ? voice : this.voice;
  };

  ArticlePlayer.prototype.setUpVoices = function () {
    var self = this;
    var form = this.root.querySelector("[data-voice-form]");
    if (!form) { return; }
    var submit = form.querySelector("[data-voice-submit]");
    if (submit) { submit.hidden = true; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = form.querySelector("input[name=voice]:checked");
      if (chosen) { self.chooseVoice(chosen.value); }
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "voice") { self.chooseVoice(event.target.value); }
    });
    this.voiceForm = form;
  };

  ArticlePlayer.prototype.chooseVoice = function (voice) {
    if (voice === this.voice || !this.voices[voice]) { return; }
    remember(VOICE_KEY, voice, this.defaultVoice);
    this.useVoice(voice, true);
  };

  /* Play `voice`'s rendition; keepPlace: carry on from the same sentence, playing if it was. */
  ArticlePlayer.prototype.useVoice = function (voice, keepPlace) {
    var self = this;
    var files = this.voices[voice];
    if (!files) { return; }
    var playing = !this.audio.paused, sentence = this.current;
    this.switching = true;
    this.voice = voice;
    this.mark(-1);
    this.sentences = [];
    this.audio.src = files.mp3;
    Array.prototype.forEach.call(this.audio.querySelectorAll("track"), function (track) {
      var kind = track.getAttribute("kind") === "chapters" ? "chapters" : "vtt";
      if (files[kind]) { track.src = files[kind]; }
    });
    if (this.download) {
      this.download.href = files.mp3;
      if (files.download) { this.download.textContent = files.download; }
    }
    if (this.voiceForm) {
      var radio = this.voiceForm.querySelector("input[name=voice][value='" + voice + "']");
      if (radio) { radio.checked = true; }
    }
    this.switching = false;
    this.loadTimings(files.timings, function () {
      if (!keepPlace || sentence < 0 || !self.sentences.length) { return; }
      var index = Math.min(sentence, self.sentences.length - 1);
      self.audio.currentTime = self.sentences[index].start;
      self.mark(index);
      if (playing) { self.play(); }
    });
  };

  /* ------------------------------------------------ resume */

  ArticlePlayer.prototype.resumeTime = function (place) {
    if (!place) { return -1; }
    if (place.voice === this.voice) {
      var index = this.indexAt(place.time);
      return index >= 0 ? this.sentences[index].start : place.time;
    }
    var sentence = this.sentences[place.sentence];
    return sentence ? sentence.start : -1;
  };

  ArticlePlayer.prototype.offerResume = function () {
    if (!this.resumeButton || this.started) { return; }
    var at = this.resumeTime(this.place);
    var length = this.duration || this.place && this.place.duration || 0;
    if (at < RESUME_FROM || (length && at >= length - 1)) { return; }
    this.resumeAt = at;
    var label = this.resumeButton.querySelector("[data-resume-at]");
    if (label) { label.textContent = places.clock(at); }
    this.resumeButton.hidden = false;
  };

  ArticlePlayer.prototype.resume = function () {
    var at = this.resumeAt;
    this.hideResume();
    if (!(at >= 0)) { return; }
    this.scrolledAt = 0;
    this.audio.currentTime = at;
    this.mark(this.indexAt(at));
    this.play();
  };

  /* Take the offer away; if it had focus, focus moves to Play/Pause beside it, not the page. */
  ArticlePlayer.prototype.hideResume = function () {
    if (!this.resumeButton || this.resumeButton.hidden) { return; }
    if (document.activeElement === this.resumeButton) { this.toggleButton.focus(); }
    this.resumeButton.hidden = true;
  };

  ArticlePlayer.prototype.savePlace = function (now) {
    if (!places || !this.started || this.switching || this.audio.ended) { return; }
    if (!now && (this.audio.paused || Date.now() - this.savedAt < SAVE_EVERY_MS)) { return; }
    var sentence = this.sentences[this.current];
    // The start of the sentence being spoken: where "Resume from" and the home page both say.
    var time = sentence && this.audio.currentTime - sentence.start < 60 ? sentence.start : this.audio.currentTime;
    if (!(time >= RESUME_FROM)) { return; }
    this.savedAt = Date.now();
    places.save({
      url: this.url,
      title: this.title,
      section: this.url.split("/")[1] || "",
      time: time,
      sentence: this.current,
      voice: this.voice,
      duration: this.duration || this.audio.duration || 0
    });
  };

  ArticlePlayer.prototype.forgetPlace = function () {
    if (places) { places.forget(this.url); }
  };

  /* ------------------------------------------------ keys */

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
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) { return; }
    if (isTyping(event.target)) { return; }
    // Enter is not a shortcut but the usual way to activate: it works with shortcuts off.
    if (event.key === "Enter") {
      if (this.onEnter(event)) { event.preventDefault(); }
      return;
    }
    if (!shortcutsOn()) { return; }
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
