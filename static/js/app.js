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

  // Confirmations: a link marked data-confirm leads, without JavaScript, to a
  // page that asks before an action (reveal, close, start over). With it,
  // that page's .confirm section is shown in a modal <dialog> over this page
  // instead: focus moves into it (onto the safe choice), Escape or the
  // cancel link closes it, and focus returns to the link. Its form posts as
  // the page's would. If the page cannot be fetched, the link is followed.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("a[data-confirm]");
    if (!link || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) { return; }
    if (typeof HTMLDialogElement !== "function") { return; }
    e.preventDefault();
    fetch(link.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var section = new DOMParser().parseFromString(html, "text/html").querySelector(".confirm");
        if (!section) { return Promise.reject("no confirmation"); }
        showConfirm(link, document.importNode(section, true));
      })
      .catch(function () { window.location.assign(link.href); });
  });

  function showConfirm(link, section) {
    var old = document.getElementById("confirm-dialog");
    if (old) { old.remove(); }
    var dialog = document.createElement("dialog");
    dialog.id = "confirm-dialog";
    dialog.className = "confirm-dialog";
    // Over the page it is a part of the page, not its title: h1 becomes h2.
    var h1 = section.querySelector("h1");
    if (h1) {
      var h2 = document.createElement("h2");
      h2.id = h1.id;
      h2.append.apply(h2, Array.prototype.slice.call(h1.childNodes));
      h1.replaceWith(h2);
      dialog.setAttribute("aria-labelledby", h2.id);
    }
    section.classList.remove("card");
    dialog.append(section);
    var cancel = section.querySelector("[data-confirm-cancel]");
    if (cancel) {
      cancel.addEventListener("click", function (ev) { ev.preventDefault(); dialog.close(); });
    }
    dialog.addEventListener("close", function () {
      dialog.remove();
      // A live board may have swapped the link for a fresh copy meanwhile.
      var back = document.contains(link) ? link :
        document.querySelector('a[data-confirm][href="' + link.getAttribute("href") + '"]');
      if (back) { back.focus(); }
    });
    (document.querySelector("main") || document.body).append(dialog);
    dialog.showModal();
    if (cancel) { cancel.focus(); }
  }

  // Copy buttons are useless without this script, so they start hidden.
  document.querySelectorAll("[data-copy]").forEach(function (b) { b.hidden = false; });
})();
