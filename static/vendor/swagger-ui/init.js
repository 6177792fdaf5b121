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
  // Swagger UI draws a <main> of its own inside the page's, and jumps from its h1 title
  // to h3 headings. Its inner <main> is made a plain group and each heading below the
  // title moves up a level for assistive technology, every time Swagger UI redraws.
  function fixLandmarksAndHeadings() {
    root.querySelectorAll("main").forEach(function (inner) {
      if (inner.getAttribute("role") !== "none") inner.setAttribute("role", "none");
    });
    root.querySelectorAll("h3, h4, h5, h6").forEach(function (heading) {
      var level = String(Number(heading.tagName.charAt(1)) - 1);
      if (heading.getAttribute("aria-level") !== level) heading.setAttribute("aria-level", level);
    });
  }
  fixLandmarksAndHeadings();
  new MutationObserver(fixLandmarksAndHeadings).observe(root, { childList: true, subtree: true });
})();
