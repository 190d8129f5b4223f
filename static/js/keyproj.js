/* Page behaviour that used to sit in inline handlers or htmx trigger filters, which the
   Content-Security-Policy forbids (htmx evaluates a filter such as change[...] as script; its
   allowEval is off): a select marked data-autosubmit submits its form when changed; a button marked
   data-print prints; a change in a filter form (.kp-filters) is announced as kp-region-change when
   the region changed (the whole page is redrawn: its unit and township lists follow the region),
   otherwise as kp-filter-change (the table alone). Delegated from the document, so parts swapped in
   by htmx behave the same. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    var form = field.form;
    if (!form || !form.classList.contains("kp-filters")) { return; }
    var name = field.name === "region" ? "kp-region-change" : "kp-filter-change";
    form.dispatchEvent(new CustomEvent(name, { bubbles: true }));
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();
