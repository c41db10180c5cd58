// The OAuth2 redirect target of Swagger UI, adapted from swagger-ui-dist's
// oauth2-redirect.html (Apache-2.0) so that it runs as a file under a 'self'-only CSP.
// The password and client-credentials grants used here do not need it; it is served so that
// no part of the docs UI ever points at another host.
(function () {
  "use strict";

  function parseParams() {
    var qp = /code|token|error/.test(window.location.hash)
      ? window.location.hash.substring(1).replace("?", "&")
      : window.location.search.substring(1);
    var out = {};
    new URLSearchParams(qp).forEach(function (value, key) {
      out[key] = value;
    });
    return out;
  }

  function run() {
    var oauth2 = window.opener && window.opener.swaggerUIRedirectOauth2;
    if (!oauth2) {
      document.body.textContent = "This page completes a sign-in started from /docs.";
      return;
    }
    var qp = parseParams();
    var isValid = qp.state === oauth2.state;
    var flow = oauth2.auth.schema.get("flow");
    var codeFlow =
      flow === "accessCode" || flow === "authorizationCode" || flow === "authorization_code";
    if (codeFlow && !oauth2.auth.code) {
      if (!isValid) {
        oauth2.errCb({
          authId: oauth2.auth.name,
          source: "auth",
          level: "warning",
          message: "Authorization may be unsafe: the state sent was not returned."
        });
      }
      if (qp.code) {
        delete oauth2.state;
        oauth2.auth.code = qp.code;
        oauth2.callback({ auth: oauth2.auth, redirectUrl: oauth2.redirectUrl });
      } else {
        var message = qp.error
          ? "[" + qp.error + "]: " + (qp.error_description || "no code was received.")
          : "[Authorization failed]: no code was received.";
        oauth2.errCb({ authId: oauth2.auth.name, source: "auth", level: "error", message: message });
      }
    } else {
      oauth2.callback({
        auth: oauth2.auth,
        token: qp,
        isValid: isValid,
        redirectUrl: oauth2.redirectUrl
      });
    }
    window.close();
  }

  if (document.readyState !== "loading") {
    run();
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
})();
