/* "Did this help?" buttons answer in place, so the result page (shown only once, with the
   receipt code) stays on screen. Without this file the form posts and the page reloads. */
(function () {
  "use strict";

  function answerInPlace(form, button) {
    var body = new FormData(form);
    body.append(button.name, button.value);
    var status = form.parentNode.querySelector("[role=status]");
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return r.json();
    }).then(function (answer) {
      if (status) { status.textContent = answer.message; }
      form.hidden = true;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (!form.classList.contains("feedback-form") || !button || !window.fetch) { return; }
    event.preventDefault();
    answerInPlace(form, button).catch(function () {
      /* the ordinary post still works: send the form with the button pressed */
      var field = document.createElement("input");
      field.type = "hidden";
      field.name = button.name;
      field.value = button.value;
      form.appendChild(field);
      form.submit();
    });
  });
})();
