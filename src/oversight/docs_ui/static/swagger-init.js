// Starts Swagger UI on /docs. Loaded as a file (not inline) so the page's CSP can stay 'self'.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("docs-config").textContent);
  var ui = SwaggerUIBundle({
    url: config.openapiUrl,
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
    deepLinking: true,
    // The token from Authorize survives a reload (kept in this browser's localStorage).
    persistAuthorization: true,
    displayRequestDuration: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    defaultModelExpandDepth: 2,
    filter: true,
    showExtensions: false,
    showCommonExtensions: true,
    tryItOutEnabled: false,
    // No badge that sends the schema to an outside validator.
    validatorUrl: null,
    oauth2RedirectUrl: window.location.origin + config.oauth2RedirectPath
  });
  ui.initOAuth({ clientId: "", scopeSeparator: " " });
})();
