// stackfit's only script of its own. Everything works without it; it adds
// the CSRF header to htmx requests, the copy button and focus after a swap.
// No inline handlers: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Echo's CSRF middleware reads X-CSRF-Token; the token is in a meta tag.
  document.addEventListener("htmx:config:request", function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && e.detail && e.detail.ctx && e.detail.ctx.request) {
      e.detail.ctx.request.headers["X-CSRF-Token"] = meta.content;
    }
  });

  // After a step is swapped in, move focus where a keyboard or screen-reader
  // user expects it: the error summary if there is one, else the step heading.
  document.addEventListener("htmx:after:swap", function (e) {
    var target = e.detail && e.detail.ctx && e.detail.ctx.target;
    if (!target || !target.id || target.id !== "wizard") { return; }
    var summary = document.querySelector("#wizard .error-summary");
    var heading = document.querySelector("#wizard h1");
    var el = summary || heading;
    if (el) {
      el.setAttribute("tabindex", "-1");
      el.focus();
    }
  });

  // Copy buttons: <button data-copy="#id"> copies the value of the input #id.
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-copy]");
    if (!button) { return; }
    var input = document.querySelector(button.getAttribute("data-copy"));
    var status = document.querySelector(button.getAttribute("data-copy-status"));
    if (!input) { return; }
    var done = function () { if (status) { status.textContent = "Link copied."; } };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
    } else {
      input.select();
      document.execCommand("copy");
      done();
    }
  });

  // Copy buttons are useless without this script, so they start hidden.
  document.querySelectorAll("[data-copy]").forEach(function (b) { b.hidden = false; });
})();
