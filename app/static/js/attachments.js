/* The upload form of a library item's files: a file larger than its kind may be is refused
   before it is sent (the server checks again, by content). The limits and the translated
   message come in data- attributes of the file input; without this file nothing is lost. */
(function () {
  "use strict";
  var KINDS = [
    [/^image\//, "image"], [/^audio\//, "audio"], [/^video\//, "video"],
    [/\.vtt$/i, "captions"], [/presentation|\.(pptx|odp)$/i, "slides"],
    [/pdf|wordprocessing|opendocument\.text|\.(pdf|docx|odt)$/i, "document"]
  ];

  function kindOf(file) {
    for (var i = 0; i < KINDS.length; i += 1) {
      if (KINDS[i][0].test(file.type) || KINDS[i][0].test(file.name)) { return KINDS[i][1]; }
    }
    return null;
  }

  function limitFor(input, file) {
    var limits = JSON.parse(input.dataset.limits || "{}");
    var kind = kindOf(file);
    return kind && kind in limits ? limits[kind] : Number(input.dataset.maxBytes);
  }

  function check(input) {
    var file = input.files && input.files[0];
    var message = "";
    var limit = file ? limitFor(input, file) : 0;
    if (file && file.size > limit) {
      message = input.dataset.tooLarge.replace("{megabytes}", String(Math.floor(limit / 1048576)));
    }
    input.setCustomValidity(message);
    return message;
  }

  function showError(input, message) {
    var note = document.getElementById(input.id + "-size-error");
    if (!note) {
      note = document.createElement("p");
      note.id = input.id + "-size-error";
      note.className = "error";
      note.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", note);
    }
    note.textContent = message;
    note.hidden = !message;
  }

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    input.addEventListener("change", function () { showError(input, check(input)); });
    input.form.addEventListener("submit", function (event) {
      var message = check(input);
      if (message) {
        event.preventDefault();
        showError(input, message);
        input.focus();
      }
    });
  });
}());
