/* actionplan pages: progressive enhancement only; every page works without it.
 * No inline scripts or handlers anywhere (the pages are served with a CSP). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // A <select data-autosubmit> submits its form on change (language and version pickers);
  // the form keeps its submit button for keyboard and no-JS users.
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("select[data-autosubmit]") && target.form) {
      if (target.form.requestSubmit) {
        target.form.requestSubmit();
      } else {
        target.form.submit();
      }
    }
  });
})();
