/* In-page probes for the browser tests (tests/browser/probes.py evaluates this object and
   calls one of its functions). Each returns plain data for an assertion. */
({
  parse(text) {
    const m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  },

  luminance(c) {
    const ch = [c.r, c.g, c.b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  },

  contrast(a, b) {
    const [x, y] = [this.luminance(a), this.luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  },

  /* The opaque colour behind an element: the nearest ancestor background. */
  backgroundOf(node) {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const c = this.parse(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0.5) return c;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  },

  describe(el) {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} “${text.slice(0, 60)}”`;
  },

  /* What has focus, and how its focus ring looks against what is behind it. */
  focus() {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
      return {body: true, description: "body"};
    }
    const cs = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const ring = this.parse(cs.outlineColor);
    return {
      body: false,
      tag: el.tagName.toLowerCase(),
      id: el.id,
      description: this.describe(el),
      text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim(),
      outlineStyle: cs.outlineStyle,
      outlineWidth: parseFloat(cs.outlineWidth) || 0,
      contrast: ring ? this.contrast(ring, this.backgroundOf(el.parentElement)) : 0,
      width: rect.width,
      height: rect.height,
      inMain: Boolean(el.closest("main")),
    };
  },

  hiddenOnPurpose(el) {
    return el.closest(".visually-hidden, .skip-link, [hidden], audio, select, option, script, style, head");
  },

  /* Sideways scrolling, text outside the viewport, and boxes that cut their text off. */
  reflow() {
    const root = document.documentElement;
    const width = root.clientWidth;
    const outside = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || this.hiddenOnPurpose(node.parentElement)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width && (r.right > width + 1 || r.left < -1)) {
          const where = `${Math.round(r.left)}–${Math.round(r.right)} px`;
          outside.push(`“${node.textContent.trim().slice(0, 40)}” at ${where}`);
          break;
        }
      }
    }
    const clipped = [];
    const cuts = (value) => value === "hidden" || value === "clip";
    for (const el of document.body.querySelectorAll("*")) {
      if (this.hiddenOnPurpose(el) || !el.textContent.trim()) continue;
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden") continue;
      const sideways = cuts(cs.overflowX) && el.scrollWidth > el.clientWidth + 1;
      const downwards = cuts(cs.overflowY) && el.scrollHeight > el.clientHeight + 1;
      if (sideways || downwards) clipped.push(this.describe(el));
    }
    return {scrollWidth: root.scrollWidth, clientWidth: width, outside, clipped};
  },

  /* Controls smaller than 44 × 44 CSS px, except links inside running text. */
  smallTargets() {
    const controls = document.querySelectorAll([
      "a[href]", "button", "input:not([type=hidden])", "select", "textarea", "summary",
      "audio[controls]", "[role=button]", "[role=option]",
    ].join(", "));
    const blocks = "p, li, dd, dt, td, th, figcaption, blockquote, h1, h2, h3, h4, h5, h6, div, section, nav";
    const inRunningText = (el) => {
      if (el.tagName !== "A") return false;
      const block = el.parentElement.closest(blocks);
      if (!block) return false;
      // Running text: the link shares its block with other words.
      return block.textContent.replace(/\s+/g, "").length > el.textContent.replace(/\s+/g, "").length;
    };
    const small = [];
    for (const el of controls) {
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden") continue;
      if (el.closest("[hidden], .skip-link, .visually-hidden") || inRunningText(el)) continue;
      let rect = el.getBoundingClientRect();
      if (!rect.width && !rect.height) continue;
      if ((el.type === "radio" || el.type === "checkbox") && el.labels && el.labels.length) {
        rect = el.labels[0].getBoundingClientRect();  // the label is the target people press
      }
      if (rect.width < 43.5 || rect.height < 43.5) {
        small.push(`${this.describe(el)} ${Math.round(rect.width)}×${Math.round(rect.height)}`);
      }
    }
    return small;
  },

  /* Anything that animates, transitions or scrolls smoothly. */
  motion() {
    const moving = [];
    const seconds = (v) => Math.max(...v.split(",").map((s) => parseFloat(s) || 0));
    for (const el of [document.documentElement, ...document.querySelectorAll("body, body *")]) {
      const cs = getComputedStyle(el);
      const animated = cs.animationName !== "none" && seconds(cs.animationDuration) > 0.01;
      if (animated || seconds(cs.transitionDuration) > 0.01) moving.push(this.describe(el));
      if (cs.scrollBehavior === "smooth") moving.push(this.describe(el) + " (smooth scrolling)");
    }
    return moving;
  },

  /* In forced colours, backgrounds go: a button or field needs a border to be seen. */
  borderless() {
    const unseen = [];
    const fields = "button, input:not([type=hidden]):not([type=radio]):not([type=checkbox]), select, textarea";
    for (const el of document.querySelectorAll(fields)) {
      const cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden") continue;
      if (el.closest("[hidden], .visually-hidden")) continue;
      const edges = ["Top", "Right", "Bottom", "Left"].filter(
        (side) => cs[`border${side}Style`] !== "none" && parseFloat(cs[`border${side}Width`]) >= 1
      );
      if (edges.length < 4) unseen.push(`${this.describe(el)} has no border`);
    }
    return unseen;
  },

  /* The label a sighted voice-control user reads on a control. */
  visibleLabel(el) {
    const visibleText = (node) => {
      let text = "";
      for (const child of node.childNodes) {
        if (child.nodeType === 3) text += child.textContent;
        else if (child.nodeType === 1 && !child.matches(".visually-hidden, [hidden], [aria-hidden=true]")) {
          text += visibleText(child);
        }
      }
      return text;
    };
    if (el.matches("input, select, textarea")) {
      if (el.type === "submit" || el.type === "button") return el.value;
      return el.labels && el.labels.length ? visibleText(el.labels[0]) : "";
    }
    return visibleText(el);
  },
})
