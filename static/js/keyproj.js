/* Page behaviour that used to sit in inline handlers, which the Content-Security-Policy forbids:
   a select marked data-autosubmit submits its form when changed; a button marked data-print prints.
   Delegated from the document, so parts swapped in by htmx behave the same. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) { window.print(); }
  });
})();
