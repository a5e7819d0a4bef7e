/* voiceref: the player's sleep timer (used by player.js).
 *
 * A <select> offers Off, 5, 10, 15 or 30 minutes, or the end of the section. When the time
 * is up, the voice fades out over a few seconds and playback pauses. Choosing, cancelling and
 * stopping are said once each through the player's polite status line; the time left is shown
 * beside the select but never announced, so nothing talks over the article.
 *
 * Option values are minutes and any positive number works: the browser tests add an option
 * such as "0.05" (3 seconds) to see the timer stop playback without waiting minutes.
 */
"use strict";

(function () {
  var FADE_MS = 3000;
  var STEP_MS = 50;
  var SECTION = "section";

  function minutesLeft(ms) {
    var minutes = Math.ceil(ms / 60000);
    return minutes <= 1 ? "Stops in less than a minute" : "Stops in about " + minutes + " minutes";
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  /* `player` gives: audio, say(message), and sectionEnd(time): {speech, next}, the seconds at
     which the speech of the section playing at `time` ends and the next section starts. */
  function SleepTimer(select, left, player) {
    this.select = select;
    this.left = left;
    this.player = player;
    this.audio = player.audio;
    this.due = 0;  // wall-clock ms when a timed stop is due; 0 when none
    this.length = 0;  // ms from choosing to stopping
    this.atSectionEnd = false;
    this.tick = 0;
    this.fading = 0;
    this.volume = 1;
    var self = this;
    select.addEventListener("change", function () { self.choose(select.value); });
    // Pausing while the voice fades out keeps the pause and ends the timer.
    this.audio.addEventListener("pause", function () { if (self.fading) { self.endFade(false); } });
  }

  SleepTimer.prototype.choose = function (value) {
    this.cancel();
    if (value === SECTION) {
      this.atSectionEnd = true;
      this.show("Stops at the end of the section");
      this.player.say("Sleep timer: listening stops at the end of this section.");
      return;
    }
    var minutes = parseFloat(value);
    if (!isFinite(minutes) || minutes <= 0) {
      this.player.say("Sleep timer off.");
      return;
    }
    var self = this;
    this.length = minutes * 60000;
    this.due = Date.now() + this.length;
    this.tick = window.setInterval(function () { self.onTick(); }, 250);
    this.onTick();
    var spoken = minutes >= 1 ? plural(Math.round(minutes), "minute") : plural(Math.round(minutes * 60), "second");
    this.player.say("Sleep timer: listening stops in " + spoken + ".");
  };

  SleepTimer.prototype.show = function (text) {
    if (this.left.textContent !== text) { this.left.textContent = text; }
  };

  SleepTimer.prototype.onTick = function () {
    var remaining = this.due - Date.now();
    var fade = Math.min(FADE_MS, this.length / 3);
    if (remaining <= fade) { this.stop(remaining); return; }
    this.show(minutesLeft(remaining));
  };

  /* Called by the player as the audio plays: stop where the current section's speech ends,
     fading over the quiet before the next heading. */
  SleepTimer.prototype.check = function (time) {
    if (!this.atSectionEnd || this.audio.paused || this.fading) { return; }
    var section = this.player.sectionEnd(time);
    if (section && time >= section.speech) { this.stop((section.next - time) * 1000 - 100); }
  };

  /* Fade out over `ms` (at most FADE_MS), then pause and turn the timer off. */
  SleepTimer.prototype.stop = function (ms) {
    this.cancel();
    if (this.audio.paused) { this.reset(); return; }
    var self = this;
    var steps = Math.max(1, Math.round(Math.min(Math.max(ms, 0), FADE_MS) / STEP_MS));
    var step = 0;
    this.volume = this.audio.volume;
    this.fading = window.setInterval(function () {
      step += 1;
      self.audio.volume = self.volume * Math.max(0, 1 - step / steps);
      if (step >= steps) { self.endFade(true); }
    }, STEP_MS);
  };

  SleepTimer.prototype.endFade = function (finished) {
    window.clearInterval(this.fading);
    this.fading = 0;
    if (finished) { this.audio.pause(); }
    this.audio.volume = this.volume;
    this.reset();
    this.player.say(finished ? "Sleep timer: listening stopped." : "Sleep timer off.");
  };

  SleepTimer.prototype.reset = function () {
    this.select.value = "off";
    this.show("");
  };

  /* Forget any timer (and any fade under way, restoring the volume). */
  SleepTimer.prototype.cancel = function () {
    window.clearInterval(this.tick);
    this.tick = 0;
    this.due = 0;
    this.atSectionEnd = false;
    if (this.fading) {
      window.clearInterval(this.fading);
      this.fading = 0;
      this.audio.volume = this.volume;
    }
    this.show("");
  };

  window.VoicerefSleepTimer = SleepTimer;
}());
