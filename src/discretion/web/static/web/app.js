// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Drag and drop onto an upload form: put the dropped files into its file input and submit.
  function dropzones(root) {
    root.querySelectorAll("[data-dropzone]").forEach(function (form) {
      if (form.dataset.dzReady) return;
      form.dataset.dzReady = "1";
      var input = form.querySelector("input[type=file]");
      ["dragenter", "dragover"].forEach(function (name) {
        form.addEventListener(name, function (e) { e.preventDefault(); form.classList.add("dragover"); });
      });
      ["dragleave", "drop"].forEach(function (name) {
        form.addEventListener(name, function () { form.classList.remove("dragover"); });
      });
      form.addEventListener("drop", function (e) {
        e.preventDefault();
        if (!input || !e.dataTransfer || !e.dataTransfer.files.length) return;
        input.files = e.dataTransfer.files;
        form.requestSubmit();
      });
    });
  }
  // Copy-to-clipboard helper for the calendar feed address.
  function selectOnFocus(root) {
    root.querySelectorAll("input[readonly]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
  }
  // Copy buttons (hidden without JavaScript, where the field's text can still be selected).
  function copyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.querySelector(button.dataset.copy);
      if (!field || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () { button.textContent = "Copied"; });
      });
    });
  }
  // After a failed submit, move focus to the error summary so screen readers announce it;
  // after "Add another", to the first input of the new entry.
  function focusErrors() {
    var summary = document.querySelector(".error-summary[tabindex]");
    if (summary) { summary.focus(); return; }
    var form = document.querySelector("form[data-added]");
    if (form) {
      var cards = document.querySelectorAll("#" + form.dataset.added.replace(/[._]/g, "-").replace(/^/, "f-") + " > .row-card");
      var last = cards[cards.length - 1];
      var input = last && last.querySelector("input:not([type=hidden]):not(:checked), select, textarea");
      if (input) { last.scrollIntoView({block: "center"}); input.focus(); }
    }
  }
  // The court picker: a suggestion chosen fills the court field and closes the list.
  function courtPicker(root) {
    root.querySelectorAll("[data-court-option]").forEach(function (button) {
      button.addEventListener("click", function (e) {
        e.preventDefault();
        var picker = button.closest(".court-picker");
        var input = picker.querySelector("input[data-court-input]");
        input.value = button.dataset.courtOption;
        picker.querySelector(".court-options").innerHTML = "";
        input.dispatchEvent(new Event("change", {bubbles: true}));
        input.focus();
      });
    });
  }
  // On a phone the list of sections starts folded: the form comes first.
  function foldOnPhone(root) {
    if (!window.matchMedia || !window.matchMedia("(max-width: 760px)").matches) return;
    root.querySelectorAll("details[data-close-on-phone]").forEach(function (d) { d.open = false; });
  }
  document.addEventListener("DOMContentLoaded", function () { foldOnPhone(document); });
  document.addEventListener("DOMContentLoaded", function () { dropzones(document); selectOnFocus(document); copyButtons(document); focusErrors(); courtPicker(document); });
  document.addEventListener("htmx:afterSwap", function (e) { dropzones(e.target); courtPicker(e.target); });
})();
