// Never lose what was typed: a local copy in localStorage on every change, and (for drafts)
// a save to the server 3 seconds after typing stops. The local copy is restored when the page
// is reopened and the server copy is older (e.g. after the session ended), and cleared once saved.
// Every save carries the version the form stands on (hidden edit_version, updated after each save):
// if another tab or person saved in between, the server refuses and both versions are shown; saving
// pauses until the person chooses to keep theirs or to open the saved one. Nothing typed is lost.
(function () {
  "use strict";
  var PREFIX = "yorisoi:";
  // Hidden fields that belong to what was typed: the version it was typed on, the form's create token.
  var GUARDS = ["edit_version", "form_token"];
  function isGuard(el) { return GUARDS.indexOf(el.name) !== -1; }

  function store(key, value) {
    try { if (value === null) localStorage.removeItem(PREFIX + key); else localStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) { /* private mode: nothing to keep */ }
  }
  function load(key) {
    try { return JSON.parse(localStorage.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
  }
  function fields(form) {
    var out = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit" || el.type === "button") return;
      if (el.type === "checkbox" || el.type === "radio") out.push([el.name, el.value, el.checked]);
      else out.push([el.name, el.value]);
    });
    return out;
  }
  function restore(form, saved) {
    var byName = {};
    saved.forEach(function (entry) { (byName[entry[0]] = byName[entry[0]] || []).push(entry); });
    // Formset entries added on the device (formset.js): add as many as the copy had.
    form.querySelectorAll("input[name$='-TOTAL_FORMS']").forEach(function (total) {
      if (!byName[total.name] || !window.yorisoiFormset) return;
      var prefix = total.name.slice(0, -"-TOTAL_FORMS".length);
      var wanted = parseInt(byName[total.name][0][1], 10) || 0;
      while (parseInt(total.value, 10) < wanted && window.yorisoiFormset.add(form, prefix)) { /* one more */ }
    });
    Array.prototype.forEach.call(form.elements, function (el) {
      var entries = byName[el.name];
      if (!entries || (el.type === "hidden" && !isGuard(el))) return;
      if (el.type === "checkbox" || el.type === "radio") {
        entries.forEach(function (e) { if (e[1] === el.value) el.checked = !!e[2]; });
      } else { el.value = entries[0][1]; }
    });
  }
  function setup(form) {
    var key = form.dataset.localKey;
    var serverSaved = parseInt(form.dataset.serverSaved || "0", 10);
    var status = form.querySelector("[data-autosave-status]");
    var notice = form.querySelector("[data-autosave-notice]");
    var timer = null, localTimer = null, inFlight = false, again = false, blocked = false, pendingSubmit = null;
    var conflictBox = form.querySelector("[data-autosave-conflict]");

    var copy = load(key);
    if (copy && copy.sentToken) {
      if (backForward()) {
        var tokenInput = form.querySelector("input[name='form_token']");
        if (tokenInput) tokenInput.value = copy.sentToken;
      } else {
        store(key, null);
      }
      copy = null;
    }
    if (copy && copy.savedAt > serverSaved + 1000) {
      restore(form, copy.fields);
      if (notice) {
        notice.querySelector("[data-autosave-notice-text]").textContent = form.dataset.msgRestored;
        notice.hidden = false;
        notice.querySelector("[data-autosave-discard]").addEventListener("click", function () { store(key, null); window.location.reload(); });
      }
      if (form.dataset.autosaveUrl) timer = setTimeout(save, 500);
    } else if (copy) {
      store(key, null);  // the server copy is newer
    }

    function keepLocal() {
      store(key, { savedAt: Date.now(), fields: fields(form) });
      if (status && !form.dataset.autosaveUrl) status.textContent = form.dataset.msgLocal || "";
    }
    function versionInput() { return form.querySelector("input[name='edit_version']"); }
    function showConflict(data) {
      blocked = true;
      keepLocal();
      if (!conflictBox) return;
      conflictBox.querySelector("[data-autosave-conflict-text]").textContent = data.message || "";
      var list = conflictBox.querySelector("[data-autosave-conflict-rows]");
      list.textContent = "";
      (data.rows || []).forEach(function (row) {
        var wrap = document.createElement("div");
        wrap.className = "edit-conflict__row";
        wrap.dataset.conflictField = row.name;
        var dt = document.createElement("dt");
        dt.textContent = row.label;
        wrap.appendChild(dt);
        [["edit-conflict__mine", list.dataset.labelMine, row.mine], ["edit-conflict__saved", list.dataset.labelSaved, row.saved]].forEach(function (part) {
          var dd = document.createElement("dd");
          dd.className = part[0];
          var which = document.createElement("span");
          which.className = "edit-conflict__which";
          which.textContent = part[1];
          dd.appendChild(which);
          dd.appendChild(document.createTextNode(part[2] || list.dataset.labelEmpty));
          dd.style.whiteSpace = "pre-line";
          wrap.appendChild(dd);
        });
        list.appendChild(wrap);
      });
      var open = conflictBox.querySelector("[data-autosave-open-saved]");
      open.href = data.edit_url || window.location.href;
      open.onclick = function () { store(key, null); };
      conflictBox.querySelector("[data-autosave-keep-mine]").onclick = function () {
        // Knowingly: the form now stands on the saved version, and what is in it replaces it.
        var input = versionInput();
        if (input) input.value = String(data.version);
        if (data.autosave_url) form.dataset.autosaveUrl = data.autosave_url;
        if (data.edit_url) {
          form.setAttribute("action", data.edit_url);
          if (window.history && history.replaceState) history.replaceState(null, "", data.edit_url);
        }
        if (data.local_key && data.local_key !== key) { store(key, null); key = data.local_key; form.dataset.localKey = key; }
        conflictBox.hidden = true;
        blocked = false;
        save();
      };
      conflictBox.hidden = false;
      conflictBox.scrollIntoView({ block: "nearest" });
    }
    function save() {
      if (!form.dataset.autosaveUrl || blocked) return;
      if (inFlight) { again = true; return; }
      inFlight = true;
      if (status) status.textContent = form.dataset.msgSaving || "";
      var body = new FormData(form);
      body.delete("action");
      fetch(form.dataset.autosaveUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-Requested-With": "fetch", "Accept": "application/json" },
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.redirected || type.indexOf("application/json") === -1) throw new Error("session");
        return response.json();
      }).then(function (data) {
        if (status) status.textContent = data.message || "";
        if (data.conflict) { showConflict(data); return; }
        if (data.saved) {
          var input = versionInput();
          if (input && data.version) input.value = String(data.version);
          if (data.local_key && data.local_key !== key) { store(key, null); key = data.local_key; form.dataset.localKey = key; }
          form.dataset.autosaveUrl = data.autosave_url;
          form.dataset.serverSaved = String(data.updated_at);
          if (data.edit_url && form.getAttribute("action") !== data.edit_url) {
            form.setAttribute("action", data.edit_url);
            if (window.history && history.replaceState) history.replaceState(null, "", data.edit_url);
          }
          store(key, null);  // the server has it now
        }
      }).catch(function () {
        if (status) status.textContent = form.dataset.msgOffline || "";
        form.classList.add("autosave--offline");
        keepLocal();
      }).finally(function () {
        inFlight = false;
        if (pendingSubmit && blocked) pendingSubmit = null;  // that save met a conflict: the panel asks first
        if (pendingSubmit) {  // the button was pressed while saving: send the form on the version just saved
          var submitter = pendingSubmit;
          pendingSubmit = null;
          again = false;
          if (form.requestSubmit) form.requestSubmit(submitter.name ? submitter : undefined); else form.submit();
          return;
        }
        if (again && !blocked) { again = false; timer = setTimeout(save, 3000); }
      });
    }
    function changed() {
      clearTimeout(localTimer);
      localTimer = setTimeout(keepLocal, 300);
      clearTimeout(timer);
      if (form.dataset.autosaveUrl) timer = setTimeout(save, 3000);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      clearTimeout(timer); clearTimeout(localTimer);
      if (inFlight) {  // wait for the save under way, or the form would carry the version before it
        event.preventDefault();
        pendingSubmit = event.submitter || {};
        return;
      }
      keepLocal();
    });
    // Typing that came before this script ran (a slow network, a fast hand) is kept too.
    if (!copy && typedBeforeReady(form)) changed();
    form.dataset.autosaveReady = "1";
  }
  function backForward() {
    try {
      var entries = performance.getEntriesByType("navigation");
      return !!(entries && entries[0] && entries[0].type === "back_forward");
    } catch (e) { return false; }
  }
  function typedBeforeReady(form) {
    return Array.prototype.some.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button") return false;
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.type === "select-multiple") {
        return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      if (el.type === "select-one") {
        var initial = 0;
        Array.prototype.some.call(el.options, function (o, i) { if (o.defaultSelected) { initial = i; return true; } return false; });
        return el.options.length > 0 && el.selectedIndex !== initial;
      }
      return el.value !== el.defaultValue;
    });
  }

  function init() {
    // A create form whose token made this record: its copy (under whatever key, e.g. a new form opened
    // without a child) is done, or the next new form would restore it, token and all, and be refused as sent.
    // Only the token is kept: "back" to the sent form (the browser puts back what was typed) sends it again
    // with its own token, so it is recognised as sent; a new form opened afresh starts empty.
    document.querySelectorAll("[data-autosave-used-tokens]").forEach(function (el) {
      var used = (el.dataset.autosaveUsedTokens || "").split(" ").filter(Boolean);
      if (!used.length) return;
      var keys = [];
      try { for (var i = 0; i < localStorage.length; i++) keys.push(localStorage.key(i)); } catch (e) { return; }
      keys.forEach(function (full) {
        if (!full || full.indexOf(PREFIX) !== 0) return;
        var copy = load(full.slice(PREFIX.length));
        var entries = (copy && copy.fields) || [];
        var token = null;
        entries.forEach(function (entry) { if (entry[0] === "form_token" && used.indexOf(entry[1]) !== -1) token = entry[1]; });
        if (token) store(full.slice(PREFIX.length), { savedAt: Date.now(), sentToken: token });
      });
    });
    // The record's own copies are done; a sent create form's token (above) stays for "back".
    document.querySelectorAll("[data-autosave-clear]").forEach(function (el) {
      el.dataset.autosaveClear.split(" ").forEach(function (k) {
        var copy = k ? load(k) : null;
        if (k && !(copy && copy.sentToken)) store(k, null);
      });
    });
    document.querySelectorAll("form[data-autosave-form]").forEach(setup);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
