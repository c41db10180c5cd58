// Starts ReDoc on /redoc with system fonts only: nothing is fetched from another host.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("docs-config").textContent);
  var sans =
    '-apple-system, BlinkMacSystemFont, "Segoe UI", Ubuntu, "Noto Sans", "Liberation Sans", ' +
    "Arial, sans-serif";
  var mono = 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Consolas, monospace';
  Redoc.init(
    config.openapiUrl,
    {
      expandResponses: "200,201",
      requiredPropsFirst: true,
      jsonSampleExpandLevel: 3,
      pathInMiddlePanel: true,
      hideHostname: true,
      theme: {
        colors: { primary: { main: "#1d4f76" } },
        typography: {
          fontFamily: sans,
          headings: { fontFamily: sans },
          code: { fontFamily: mono }
        }
      }
    },
    document.getElementById("redoc")
  );
})();
