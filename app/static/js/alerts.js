/* ALERT: live "similar cases" while the reporter types, and a "Copy code" button for the
   receipt code. The pages work without this file (the button stays hidden). */
(function () {
  "use strict";

  var FIELDS = ["description", "country", "setting"];

  function previewBody(form) {
    var body = new URLSearchParams();
    FIELDS.forEach(function (name) {
      var el = form.elements[name];
      if (el) { body.append(name, el.value); }
    });
    form.querySelectorAll("input[name=categories]:checked").forEach(function (box) {
      body.append("categories", box.value);
    });
    return body;
  }

  function initPreview(form) {
    var section = form.querySelector("[data-preview-url]");
    var region = document.getElementById("alert-preview");
    var token = form.elements.csrf_token;
    if (!section || !region || !token || !window.fetch) { return; }
    var timer = null, controller = null, last = "";
    function refresh() {
      var body = previewBody(form);
      var key = body.toString();
      if (key === last || form.elements.description.value.trim().length < 30) { return; }
      last = key;
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(section.dataset.previewUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": token.value, "Accept": "text/html" },
        signal: controller ? controller.signal : undefined
      }).then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          region.innerHTML = html;
          section.hidden = false;
        })
        .catch(function () { /* the preview is a bonus; the form still works */ });
    }
    function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 800); }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    refresh();
  }

  function initCopy(button) {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentNode.querySelector("[role=status]");
    if (!source || !navigator.clipboard || !navigator.clipboard.writeText) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        if (status) { status.textContent = button.dataset.copied; }
      }).catch(function () { /* the code stays on screen to copy by hand */ });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("alert-form");
    if (form) { initPreview(form); }
    document.querySelectorAll("button[data-copy]").forEach(initCopy);
  });
})();
