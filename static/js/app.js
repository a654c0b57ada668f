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

  // After a step or a slide is swapped in, move focus where a keyboard or
  // screen-reader user expects it: the error summary if there is one, else
  // the heading.
  document.addEventListener("htmx:after:swap", function (e) {
    var target = e.detail && e.detail.ctx && e.detail.ctx.target;
    if (!target || (target.id !== "wizard" && target.id !== "projector")) { return; }
    var summary = document.querySelector("#wizard .error-summary");
    var heading = document.querySelector("#" + target.id + " h1");
    var el = summary || heading;
    if (el) {
      el.setAttribute("tabindex", "-1");
      el.focus();
    }
  });

  // A swap replaces the board's HTML, live updates included: the questions a
  // facilitator opened (details with an id) stay open.
  var opened = [];
  document.addEventListener("htmx:before:swap", function () {
    opened = Array.prototype.map.call(document.querySelectorAll("details[open][id]"), function (d) { return d.id; });
  });
  document.addEventListener("htmx:after:swap", function () {
    opened.forEach(function (id) {
      var d = document.getElementById(id);
      if (d) { d.open = true; }
    });
    opened = [];
  });

  // The board's projector mode: the arrow keys, and Page Up and Page Down
  // (what a presenter's clicker sends), follow the slide's Previous and Next
  // links, which htmx enhances.
  var slideKeys = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };
  document.addEventListener("keydown", function (e) {
    var rel = slideKeys[e.key];
    if (!rel || e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable]")) { return; }
    var link = document.querySelector('#projector a[rel="' + rel + '"]');
    if (!link) { return; }
    e.preventDefault();
    link.click();
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
