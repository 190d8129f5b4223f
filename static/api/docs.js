/* The API page: Swagger UI from npm (swagger-ui-dist), configured from the page's data island.
   A signed-in session's writes carry the CSRF token; a token pasted in "Authorize" is sent as Bearer. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];
  config.requestInterceptor = function (req) {
    if (csrf && req.method && req.method !== "GET") { req.headers["X-CSRFToken"] = csrf; }
    return req;
  };
  window.ui = SwaggerUIBundle(config);
})();
