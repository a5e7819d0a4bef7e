"""What the browser checks measure: in-page probes (probes.js) and Chromium's own
accessibility tree (through the DevTools protocol), returned as plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

PROBES_JS = (Path(__file__).parent / "probes.js").read_text(encoding="utf-8")


def probe(page, name: str):
    """Run one function of probes.js in the page and return its result."""
    return page.evaluate(f"() => ({PROBES_JS}).{name}()")


def focus(page) -> dict:
    return probe(page, "focus")


INTERACTIVE_ROLES = {
    "link", "button", "textbox", "searchbox", "combobox", "checkbox", "radio", "switch",
    "menuitem", "tab", "option", "slider", "spinbutton", "DisclosureTriangle",
}
LANDMARK_ROLES = {"banner", "navigation", "main", "contentinfo", "search", "complementary",
                  "region", "form"}


def words(text: str) -> str:
    """Lower-case text with punctuation and runs of space folded, for name comparisons."""
    return " ".join(re.sub(r"[^\w×%/]+", " ", text.casefold()).split())


@dataclass
class AXNode:
    role: str
    name: str
    level: int | None
    backend_id: int | None


def _full_tree(cdp) -> list[dict]:
    """Every node that is not ignored, in document (depth-first) order."""
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}
    roots = [n for n in nodes if not n.get("parentId") or n["parentId"] not in by_id]
    ordered: list[dict] = []
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        if not node.get("ignored"):
            ordered.append(node)
        stack.extend(by_id[c] for c in reversed(node.get("childIds", [])) if c in by_id)
    return ordered


def accessibility_tree(page) -> list[AXNode]:
    """Chromium's own accessibility tree of the page, in document order."""
    cdp = page.context.new_cdp_session(page)
    try:
        raw = _full_tree(cdp)
    finally:
        cdp.detach()
    nodes = []
    for node in raw:
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        nodes.append(
            AXNode(
                role=str(node.get("role", {}).get("value", "")),
                name=str(node.get("name", {}).get("value", "")),
                level=props.get("level"),
                backend_id=node.get("backendDOMNodeId"),
            )
        )
    return nodes


def label_in_name_problems(page) -> list[str]:
    """Controls whose accessible name does not contain their visible label (WCAG 2.5.3)."""
    problems = []
    function = f"function () {{ return ({PROBES_JS}).visibleLabel(this); }}"
    cdp = page.context.new_cdp_session(page)
    try:
        for node in _full_tree(cdp):
            role = str(node.get("role", {}).get("value", ""))
            if role not in INTERACTIVE_ROLES or not node.get("backendDOMNodeId"):
                continue
            name = str(node.get("name", {}).get("value", ""))
            remote = cdp.send("DOM.resolveNode", {"backendNodeId": node["backendDOMNodeId"]})
            object_id = remote["object"].get("objectId")
            if not object_id:
                continue
            label = cdp.send(
                "Runtime.callFunctionOn",
                {"objectId": object_id, "functionDeclaration": function, "returnByValue": True},
            )["result"].get("value") or ""
            if not name.strip():
                problems.append(f"{role} with visible label “{label.strip()}” has no accessible name")
            elif words(label) not in words(name):
                problems.append(f"{role} “{name}” does not contain its visible label “{label.strip()}”")
    finally:
        cdp.detach()
    return problems
