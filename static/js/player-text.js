/* voiceref: the page text side of listening (used by player.js).
 *
 * The build measures every sentence and word as character offsets into the "own text" of one
 * page element (its text, not that of nested elements with an id); these helpers turn offsets
 * into DOM ranges and back. The spoken sentence and word are painted with the CSS Custom
 * Highlight API, so the page's DOM (and what a screen reader reads) never changes; browsers
 * without it still get the outline round the spoken block (player.css).
 */
"use strict";

(function () {
  var SENTENCE = "voiceref-speaking";
  var WORD = "voiceref-word";

  /* Text nodes that belong to `block` itself: not those inside a nested element with an id. */
  function ownTextNodes(block) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      var node = walker.currentNode;
      if (node.parentElement && node.parentElement.closest("[id]") === block) { nodes.push(node); }
    }
    return nodes;
  }

  /* A range over own-text offsets [from, to) of the block whose own text nodes are `nodes`. */
  function rangeIn(nodes, from, to) {
    if (from === null || to === null || from === undefined || to === undefined || to <= from) { return null; }
    var range = document.createRange();
    var seen = 0, started = false;
    for (var i = 0; i < nodes.length; i += 1) {
      var length = nodes[i].data.length;
      if (!started && from < seen + length) { range.setStart(nodes[i], from - seen); started = true; }
      if (started && to <= seen + length) { range.setEnd(nodes[i], to - seen); return range; }
      seen += length;
    }
    return null;
  }

  /* The own-text offset of a caret at (`node`, `offset`), or -1 if it is not in `nodes`. */
  function offsetIn(nodes, node, offset) {
    var seen = 0;
    for (var i = 0; i < nodes.length; i += 1) {
      if (nodes[i] === node) { return seen + Math.min(offset, nodes[i].data.length); }
      seen += nodes[i].data.length;
    }
    return -1;
  }

  /* The text position under a pointer: {node, offset}, or null. */
  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var position = document.caretPositionFromPoint(x, y);
      return position ? { node: position.offsetNode, offset: position.offset } : null;
    }
    if (document.caretRangeFromPoint) {
      var range = document.caretRangeFromPoint(x, y);
      return range ? { node: range.startContainer, offset: range.startOffset } : null;
    }
    return null;
  }

  /* The two marks: the sentence (under) and the word (over it). */
  function Marks() {
    this.supported = Boolean(window.CSS && CSS.highlights && window.Highlight);
  }

  Marks.prototype.paint = function (name, range, priority) {
    if (!this.supported) { return; }
    if (!range) { CSS.highlights.delete(name); return; }
    var highlight = new window.Highlight(range);
    highlight.priority = priority;
    CSS.highlights.set(name, highlight);
  };

  Marks.prototype.sentence = function (range) { this.paint(SENTENCE, range, 0); };
  Marks.prototype.word = function (range) { this.paint(WORD, range, 1); };
  Marks.prototype.clear = function () { this.sentence(null); this.word(null); };

  window.VoicerefText = {
    ownTextNodes: ownTextNodes,
    rangeIn: rangeIn,
    offsetIn: offsetIn,
    caretAt: caretAt,
    Marks: Marks
  };
}());
