// Back and send again records once, on every create form (its hidden form_token, one per rendered form).
// In Chromium, Back to a sent form loads the page again: the browser puts back what was typed, but the
// server gives the form a new token, so sending it again would make a second record. On sending, the
// token is kept for this tab (sessionStorage, keyed by the page's address and the form) with what the
// form showed; on a page reached by Back or Forward, a form sent again exactly as it was sent goes with
// the sent token: the server recognises the repeat and shows the record already made; a form with other
// content goes with a token not sent before, so it is a new record. Opened afresh, a
// form keeps its new token, so a second record can be made on purpose. Forms with autosave
// (data-autosave-form: visits, contacts) keep their token in autosave.js. Without JavaScript nothing
// changes: the server behaves the same.
(function () {
  "use strict";
  var PREFIX = "yorisoi:sent-token:";
  var TOKEN = "input[name='form_token'], input[name$='-form_token']";

  function backForward() {
    try {
      var entries = performance.getEntriesByType("navigation");
      return !!(entries && entries[0] && entries[0].type === "back_forward");
    } catch (e) { return false; }
  }
  function forms() {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return form.querySelector(TOKEN) && !form.hasAttribute("data-autosave-form");
    });
  }
  // One key per form on the page: the page's address, the form's target and its place among such forms.
  function keyFor(form) {
    var index = forms().indexOf(form);
    return PREFIX + window.location.pathname + window.location.search + "|" + (form.getAttribute("action") || "") + "|" + index;
  }
  // What the person sees in the form (not the hidden fields, not files: the browser does not put those back).
  function shown(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") out.push([el.name, el.value, el.checked]);
      else if (el.type === "select-multiple") {
        out.push([el.name, Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; })]);
      } else out.push([el.name, el.value]);
    });
    return JSON.stringify(out);
  }
  function store(key, value) {
    try {
      if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) { /* private mode or full: nothing kept, the server still refuses nothing */ }
  }
  function load(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  // The page was reached by Back or Forward: the browser may have put a sent form back as it was.
  var back = backForward();

  function freshToken() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  // Capture: before htmx or any other handler sends the form, and before the browser reads its fields.
  // Kept per form: the tokens sent from it in this tab, each with what the form showed when it was sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.hasAttribute("data-autosave-form")) return;
    var input = form.querySelector(TOKEN);
    if (!input) return;
    var key = keyFor(form);
    var now = shown(form);
    var sent = (load(key) || {}).sent || [];
    if (back) {
      // Decided here rather than on load: Chromium may put the values back after "load".
      var same = sent.filter(function (entry) { return entry[1] === now; })[0];
      var used = sent.some(function (entry) { return entry[0] === input.value; });
      // The form the browser put back, sent again as it was: its sent token, so the server shows the record
      // already made. Something else in a form whose token was already sent (Chromium may put back the token
      // of a form saved in place, which htmx then replaced by an empty one): a new entry, so a new token.
      if (same) input.value = same[0];
      else if (used) input.value = freshToken();
    }
    if (!input.value) return;
    sent = sent.filter(function (entry) { return entry[0] !== input.value; }).concat([[input.value, now]]).slice(-10);
    store(key, { sent: sent });
  }, true);

  // Opened afresh (a link, the address bar, a reload): a new form, a new record; what was sent before is done.
  function forget() {
    if (back) return;
    forms().forEach(function (form) { store(keyFor(form), null); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", forget); else forget();
})();
