/*
 * One-tap lists: keyboard entry, and focus that survives htmx swapping a row.
 *
 * Generic: it knows only these attributes, so any attendance list can reuse it.
 *   [data-tap-row]          a row (needs an id and tabindex="-1"); rows in a closed <details> are skipped
 *   [data-tap-key="p"]      a button inside a row, clicked when its key is pressed on the focused row
 *   [data-js-only] / [data-nojs]   shown only with / without JavaScript (see roster.css)
 *   details[data-tap-popover]      closes on Escape (focus back on its summary) or a click outside it
 *   [data-tap-list][data-tap-failed-message]   shown in a row whose request failed
 *   [data-tap-focus-new]    a list htmx appends rows to (a search's pick): the new row takes the focus
 * Keys: ArrowDown or j / ArrowUp or k move between rows; any data-tap-key of the focused row
 * presses its button. Keys typed into a field are left alone.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("tap-js");

  function isVisible(el) {
    return el.getClientRects().length > 0;
  }

  function rows() {
    return Array.prototype.filter.call(document.querySelectorAll("[data-tap-row]"), isVisible);
  }

  // The row last focused: htmx swaps a row out from under the focus, and a key pressed
  // before the focus is back must still act on that row.
  var lastRowId = null;

  function focusedRow() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("[data-tap-row]") : null;
  }

  function currentRow() {
    var row = focusedRow();
    if (row) return row;
    var active = document.activeElement;
    if (lastRowId && (!active || active === document.body)) return document.getElementById(lastRowId);
    return null;
  }

  document.addEventListener("focusin", function (event) {
    var row = event.target.closest ? event.target.closest("[data-tap-row]") : null;
    lastRowId = row ? row.id : null;
  });

  function isTyping(el) {
    if (!el || !el.tagName) return false;
    var tag = el.tagName.toLowerCase();
    if (tag === "textarea" || tag === "select" || el.isContentEditable) return true;
    if (tag !== "input") return false;
    var type = (el.getAttribute("type") || "text").toLowerCase();
    return ["button", "submit", "reset", "checkbox", "radio", "image"].indexOf(type) === -1;
  }

  function focusRow(row) {
    if (!row) return;
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  // A <details data-tap-popover> (a row's note) closes with Escape or a click elsewhere.
  function closePopovers(except) {
    document.querySelectorAll("details[data-tap-popover][open]").forEach(function (details) {
      if (details !== except) details.open = false;
    });
  }
  document.addEventListener("click", function (event) {
    closePopovers(event.target.closest ? event.target.closest("details[data-tap-popover]") : null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      // Focus inside the popover Escape closes goes back to its summary, not to the page's body.
      var open = event.target.closest ? event.target.closest("details[data-tap-popover][open]") : null;
      closePopovers(null);
      if (open) {
        event.preventDefault();
        open.querySelector("summary").focus();
        return;
      }
    }
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    var key = event.key;
    var list = rows();
    if (!list.length) return;
    var row = currentRow();
    var index = row ? list.indexOf(row) : -1;
    if (key === "ArrowDown" || key === "j") {
      event.preventDefault();
      focusRow(list[Math.min(index + 1, list.length - 1)]);
      return;
    }
    if (key === "ArrowUp" || key === "k") {
      event.preventDefault();
      focusRow(list[Math.max(index - 1, 0)]);
      return;
    }
    if (!row || key.length !== 1) return;
    var buttons = row.querySelectorAll("[data-tap-key]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      if (button.getAttribute("data-tap-key") === key.toLowerCase() && !button.disabled && isVisible(button)) {
        event.preventDefault();
        button.click();
        return;
      }
    }
  });

  // A tap that never reached the server (offline, timeout, server error) must not look saved.
  function markFailed(event) {
    var elt = event.detail && event.detail.elt;
    var row = elt && elt.closest ? elt.closest("[data-tap-row]") : null;
    if (!row) return;
    var list = row.closest("[data-tap-list]");
    var message = (list && list.getAttribute("data-tap-failed-message")) || "Not saved";
    var box = row.querySelector("[data-tap-failed]");
    if (!box) {
      box = document.createElement("p");
      box.className = "tap-row__error tap-row__failed";
      box.setAttribute("role", "alert");
      box.setAttribute("data-tap-failed", "");
      row.appendChild(box);
    }
    box.textContent = message;
    row.classList.add("tap-row--error");
  }
  document.addEventListener("htmx:sendError", markFailed);
  document.addEventListener("htmx:responseError", markFailed);
  document.addEventListener("htmx:timeout", markFailed);

  // A row a search added ([data-tap-focus-new] list) takes the focus: the next key marks that child.
  document.addEventListener("htmx:afterSwap", function (event) {
    var list = event.detail && event.detail.target;
    if (!list || !list.hasAttribute || !list.hasAttribute("data-tap-focus-new")) return;
    var added = list.querySelectorAll("[data-tap-row]");
    if (added.length) focusRow(added[added.length - 1]);
  });

  // After a tap htmx replaces the row (outerHTML): swap-focus.js (base.html) puts the focus back on the
  // pressed button, or on the row when a key pressed it.
})();
