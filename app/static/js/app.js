/* CHAMPIONs Portal: progressive enhancement only; every page works without this file. */
(function () {
  "use strict";

  function debounce(fn, ms) {
    var t;
    return function () { var a = arguments, self = this; clearTimeout(t); t = setTimeout(function () { fn.apply(self, a); }, ms); };
  }

  /* Autocomplete for inputs with data-autocomplete="/xx/search/suggest". */
  function initAutocomplete(input) {
    var list = document.createElement("ul");
    list.className = "autocomplete-list";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.parentNode.insertBefore(list, input.nextSibling);
    var fetchSuggestions = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2) { list.hidden = true; input.setAttribute("aria-expanded", "false"); return; }
      fetch(input.dataset.autocomplete + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          (data.suggestions || []).forEach(function (s, i) {
            var li = document.createElement("li");
            li.id = list.id + "-" + i;
            li.setAttribute("role", "option");
            li.textContent = s;
            li.addEventListener("mousedown", function (e) { e.preventDefault(); input.value = s; list.hidden = true; input.form && input.form.submit(); });
            list.appendChild(li);
          });
          list.hidden = list.children.length === 0;
          input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
        })
        .catch(function () { list.hidden = true; });
    }, 200);
    input.addEventListener("input", fetchSuggestions);
    input.addEventListener("blur", function () { setTimeout(function () { list.hidden = true; input.setAttribute("aria-expanded", "false"); }, 150); });
  }

  /* Videos: no third-party request until the visitor clicks "load video". */
  function initVideo(button) {
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = button.dataset.embed;
      frame.title = button.dataset.title || "";
      frame.className = "video-frame";
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "no-referrer");
      var holder = button.closest(".video-placeholder");
      holder.replaceWith(frame);
    });
  }

  /* Buttons and links that ask before doing something irreversible. */
  function initConfirm(el) {
    el.addEventListener("click", function (e) { if (!window.confirm(el.dataset.confirm)) { e.preventDefault(); } });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-autocomplete]").forEach(initAutocomplete);
    document.querySelectorAll("button[data-embed]").forEach(initVideo);
    document.querySelectorAll("[data-confirm]").forEach(initConfirm);
    var summary = document.querySelector(".error-summary");
    if (summary) { summary.focus(); }
  });
})();
