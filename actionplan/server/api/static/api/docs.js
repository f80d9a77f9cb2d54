// Starts the vendored swagger-ui on /api/docs. The schema URL comes from the page
// (data-openapi-url), so the page needs no inline script. validatorUrl: null keeps
// swagger-ui from calling validator.swagger.io: nothing leaves the machine.
(function () {
  "use strict";
  function start() {
    var el = document.getElementById("swagger-ui");
    window.ui = SwaggerUIBundle({
      url: el.getAttribute("data-openapi-url"),
      dom_id: "#swagger-ui",
      // deepLinking puts a link inside each operation's summary button (a nested
      // interactive control, which screen readers announce badly): keep it off.
      deepLinking: false,
      layout: "BaseLayout",
      presets: [SwaggerUIBundle.presets.apis],
      validatorUrl: null,
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
