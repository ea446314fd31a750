// "Add another" for Django formsets: copies the <template data-formset-template="PREFIX"> (the
// formset's empty_form) into [data-formset-rows="PREFIX"], numbers it, and counts it in
// PREFIX-TOTAL_FORMS. An added entry's [data-formset-remove] button empties and hides it (an empty
// extra form is ignored by the formset). Without JavaScript the form still offers one blank entry
// per save. window.yorisoiFormset.add(form, prefix) is what autosave.js uses to restore entries.
(function () {
  "use strict";

  function changed(form) { form.dispatchEvent(new Event("input", { bubbles: true })); }

  function add(form, prefix) {
    var template = form.querySelector('template[data-formset-template="' + prefix + '"]');
    var rows = form.querySelector('[data-formset-rows="' + prefix + '"]');
    var total = form.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = form.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    if (!template || !rows || !total) return null;
    var index = parseInt(total.value, 10) || 0;
    if (max && index >= parseInt(max.value, 10)) return null;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var entry = holder.firstElementChild;
    rows.appendChild(entry);
    total.value = String(index + 1);
    var remove = entry.querySelector("[data-formset-remove]");
    if (remove) remove.addEventListener("click", function () {
      entry.querySelectorAll("input, select, textarea").forEach(function (el) { if (el.type !== "hidden") el.value = ""; });
      entry.hidden = true;
      changed(form);
    });
    return entry;
  }

  function init() {
    document.querySelectorAll("[data-formset-add]").forEach(function (button) {
      var form = button.closest("form");
      if (!form) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        var entry = add(form, button.dataset.formsetAdd);
        var first = entry && entry.querySelector("input:not([type=hidden]), select, textarea");
        if (first) first.focus();
        changed(form);
      });
    });
    document.querySelectorAll("[data-formset-no-js]").forEach(function (el) { el.hidden = true; });
  }

  window.yorisoiFormset = { add: add };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
