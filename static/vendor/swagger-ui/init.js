// Starts Swagger UI for /api/v1/docs/ (a static file: the page has no inline script).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  var csrfToken = root.getAttribute("data-csrf-token");
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    // No anchor links inside the operation buttons (nested controls trouble screen readers).
    deepLinking: false,
    // Signed-in professionals try requests with their session; writes need the CSRF token.
    requestInterceptor: function (request) {
      request.headers["X-CSRFToken"] = csrfToken;
      return request;
    },
  });
})();
