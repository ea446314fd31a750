// Warn before a signed-in session ends (WCAG 2.2.1, timing adjustable): SESSION_WARNING_LEAD seconds
// before the idle timeout or the end of the session's lifetime, a modal dialog
// (templates/includes/session_warning.html) says so, counts down, and offers to stay signed in (idle:
// one key, Enter or Escape) or to save now (lifetime: it cannot be extended). The server decides: before
// warning, and when the count reaches zero, the page asks it how long is left (a quiet request that is
// not activity), so another tab's activity or a lost minute never signs anyone out early or late.
// Focus: the dialog's button while it is open (showModal and autofocus), back to where it was after.
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog || typeof dialog.showModal !== "function" || !window.fetch) return;
  var lead = Number(dialog.dataset.lead), idleTimeout = Number(dialog.dataset.idle);
  var absoluteEnd = Date.now() + Number(dialog.dataset.absoluteLeft) * 1000;
  var countdown = dialog.querySelector("[data-session-countdown]");
  var timer = null, ticker = null, deadline = 0, state = "";

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || ""; } catch (e) { return ""; }
  }
  function show(when) {
    state = when;
    dialog.querySelectorAll("[data-when]").forEach(function (el) {
      el.hidden = el.dataset.when.split(" ").indexOf(when) === -1;
    });
    // The description is the one paragraph shown (a hidden element named here would still be read).
    dialog.setAttribute("aria-describedby", "session-warning-" + when);
    dialog.querySelector("h2:not([hidden])").id = "session-warning-title";
    dialog.querySelectorAll("h2[hidden]").forEach(function (h) { h.removeAttribute("id"); });
  }
  function focusFirst() {
    var target = dialog.querySelector("[data-when]:not([hidden]).button, [data-when]:not([hidden]) .button");
    if (target) target.focus();
  }
  function schedule(secondsLeft) {
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(1, secondsLeft - lead) * 1000);
  }
  // After any request the server saw (a page, an htmx swap): the idle count started again.
  function activity() {
    if (state) return;
    schedule(Math.min(idleTimeout, (absoluteEnd - Date.now()) / 1000));
  }
  function render() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) { clearInterval(ticker); check(); }
  }
  function warn(when, secondsLeft) {
    var wasOpen = dialog.open;
    show(when);
    deadline = Date.now() + secondsLeft * 1000;
    clearInterval(ticker);
    ticker = setInterval(render, 1000);
    render();
    if (!wasOpen) dialog.showModal();
    focusFirst();
  }
  function ended() {
    clearTimeout(timer); clearInterval(ticker);
    var login = dialog.querySelector("[data-session-login]");
    login.href = dialog.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
    var wasOpen = dialog.open;
    show("ended");
    if (!wasOpen) dialog.showModal();
    focusFirst();
  }
  function close() {
    clearInterval(ticker);
    state = "";
    if (dialog.open) dialog.close();
  }
  function check() {
    fetch(dialog.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.redirected || !response.ok) throw new Error("signed out");
        return response.json();
      })
      .then(function (left) {
        absoluteEnd = Date.now() + left.absolute * 1000;
        var soonest = Math.min(left.idle, left.absolute);
        if (soonest <= 0) { ended(); return; }
        if (soonest > lead + 5) { close(); schedule(soonest); return; }
        warn(left.idle <= left.absolute ? "idle" : "absolute", soonest);
      })
      .catch(function () { if (navigator.onLine === false) schedule(lead + 30); else ended(); });
  }
  function stay() {
    fetch(dialog.dataset.keepUrl, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}})
      .then(function (response) {
        if (response.status !== 204) throw new Error("signed out");
        close();
        activity();
      })
      .catch(ended);
  }

  dialog.querySelector("[data-session-keep]").addEventListener("click", stay);
  dialog.querySelector("[data-session-close]").addEventListener("click", close);
  // Escape: on the idle warning the person is plainly here, so it keeps them signed in.
  dialog.addEventListener("cancel", function (event) {
    if (state === "idle") { event.preventDefault(); stay(); } else if (state === "absolute") { event.preventDefault(); close(); }
  });
  dialog.addEventListener("close", function () { if (state !== "ended") state = ""; });
  document.addEventListener("htmx:afterRequest", activity);
  // Timers sleep in a hidden tab: ask the server as soon as the tab is seen again.
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible" && !state) check(); });
  activity();
})();
