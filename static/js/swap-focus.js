/*
 * Focus and announcements after an htmx swap (issue 15, JIS X 8341-3 / WCAG 2.4.3, 4.1.3).
 *
 * Focus: when the focus was inside the element htmx replaces, or on the control that made the request,
 * it comes back after the swap to the same control in the new content, found again inside the swapped
 * region by, in order:
 *   1. its id;
 *   2. the same tag, name and value (a roster's status buttons, an input of a form);
 *   3. its data-focus-key (two controls that stand for the same action in old and new markup);
 *   4. for a submit button without a name: the submit button, with the same words, of a form with the
 *      same action (a row's note "Save" moves from the popover to the row's form once the note is saved).
 * When that control is gone, focus goes to the swapped region itself if it is focusable (a roster row
 * or a volunteer's row has tabindex="-1" and is read with its name), else to its first heading, else to
 * the region made focusable (tabindex="-1"). A swap the user did not cause (polling, hx-trigger="load",
 * a search typed elsewhere) leaves the focus where it is. An error summary in the new content takes the
 * focus after this (error-summary.js, on htmx:afterSettle).
 *
 * Announcement: an element of the swapped region (or the region) with data-announce="…" says what was
 * saved; its text is put once into the page's one polite live region (#live-region in base.html).
 * Fragments carry no role="status" of their own, so nothing is read twice.
 */
(function () {
  "use strict";

  var pending = null;

  function describe(el) {
    if (!el || el === document.body || !el.tagName) return null;
    var form = el.form || (el.closest && el.closest("form"));
    return {
      id: el.id || null,
      tag: el.tagName.toLowerCase(),
      name: el.getAttribute("name"),
      // A button's or a choice's value tells it from its siblings; a field's typed value changes with the save.
      value: el.matches && el.matches("button, input[type=checkbox], input[type=radio], input[type=submit]")
        ? el.getAttribute("value") : null,
      key: el.getAttribute("data-focus-key"),
      submit: el.matches && el.matches("button:not([type=button]), input[type=submit]"),
      action: form ? form.getAttribute("action") : null,
      text: el.textContent.trim()
    };
  }

  function escape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : value.replace(/["\\]/g, "\\$&");
  }

  function within(region, selector) {
    if (region.matches(selector)) return region;
    return region.querySelector(selector);
  }

  function find(region, d) {
    if (!d) return null;
    var found = null;
    if (d.id) {
      found = document.getElementById(d.id);
      if (found && (region === found || region.contains(found))) return found;
    }
    if (d.name) {
      found = within(region, d.tag + '[name="' + escape(d.name) + '"]' +
        (d.value !== null ? '[value="' + escape(d.value) + '"]' : ""));
      if (found) return found;
    }
    if (d.key) {
      found = within(region, '[data-focus-key="' + escape(d.key) + '"]');
      if (found) return found;
    }
    if (d.submit && !d.name && d.action) {
      var forms = region.querySelectorAll('form[action="' + escape(d.action) + '"]');
      for (var i = 0; i < forms.length; i++) {
        found = forms[i].querySelector("button:not([type=button]), input[type=submit]");
        if (found && found.textContent.trim() === d.text) return found;
      }
    }
    return null;
  }

  function usable(el) {
    return el && !el.disabled && el.getClientRects().length > 0;
  }

  function fallback(region) {
    if (region.hasAttribute("tabindex")) return region;
    var heading = region.querySelector("h1, h2, h3, h4, h5, h6");
    var place = heading || region;
    place.setAttribute("tabindex", "-1");
    return place;
  }

  var live = null;
  function announce(text) {
    live = live || document.getElementById("live-region");
    if (!live || !text) return;
    // Emptied first, then filled: the same words saved twice in a row are read twice.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !event.detail.shouldSwap) { pending = null; return; }
    var active = document.activeElement;
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var ours = active && active !== document.body &&
      (target.contains(active) || active === trigger || (trigger && trigger.contains && trigger.contains(active)));
    pending = {
      target: target,
      id: target.id || null,
      parent: target.parentNode,
      before: target.previousElementSibling,
      focus: ours ? describe(active) : null,
      active: ours ? active : null
    };
  });

  // afterSwap fires once for each new element (the out-of-band ones too), all after the whole swap:
  // the first one does the work for the request.
  document.addEventListener("htmx:afterSwap", function () {
    var p = pending;
    pending = null;
    if (!p) return;
    var region = p.target.isConnected ? p.target : (p.id && document.getElementById(p.id)) ||
      (p.before && p.before.isConnected ? p.before.nextElementSibling : p.parent && p.parent.firstElementChild);
    if (!region || !region.isConnected) return;
    var message = within(region, "[data-announce]");
    if (message) announce(message.getAttribute("data-announce"));
    if (!p.focus) return;
    // Still on the control (it survived the swap), or another script placed it already (roster.js gives
    // a row a search added the focus): leave it.
    var now = document.activeElement;
    if (now && now !== document.body && now.isConnected && (now === p.active || !p.active.isConnected)) return;
    var control = find(region, p.focus);
    var place = usable(control) ? control : fallback(region);
    place.focus({ preventScroll: true });
    if (place.scrollIntoView) place.scrollIntoView({ block: "nearest" });
  });
})();
