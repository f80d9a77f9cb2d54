/* Draw each Vega-Lite chart of the page with vega-embed.
 * <div class="vega-chart" data-vega-spec="ID"> names a <script type="application/json" id="ID">
 * block holding the spec (the same spec the server renders to PNG and SVG). */
(function () {
  "use strict";
  function draw() {
    if (typeof window.vegaEmbed !== "function") {
      return;
    }
    var options = {
      renderer: "svg",
      actions: false,
      defaultStyle: false, // no injected <style>: site.css styles the chart
      tooltip: { disableDefaultStyle: true }
    };
    if (window.vegaInterpreter && window.vegaInterpreter.expressionInterpreter) {
      // evaluate expressions without eval / new Function: the CSP has no 'unsafe-eval'
      // (vendor/vega-interpreter, loaded after vega)
      options.ast = true;
      options.expr = window.vegaInterpreter.expressionInterpreter;
    }
    document.querySelectorAll("[data-vega-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-vega-spec"));
      if (!source) {
        return;
      }
      var spec = JSON.parse(source.textContent);
      window.vegaEmbed(el, spec, options).then(function (result) {
        el.classList.add("drawn");
        var svg = el.querySelector("svg");
        if (svg) {
          // the container carries the accessible name; the drawing itself is decoration
          svg.setAttribute("aria-hidden", "true");
          svg.setAttribute("focusable", "false");
        }
        return result;
      }).catch(function (error) {
        el.classList.add("failed");
        if (window.console) {
          window.console.error(error);
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
