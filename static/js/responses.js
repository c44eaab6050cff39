// The reply box's canned-response picker: search as you type, insert at the cursor.
// An enhancement only: without this file, a plain form reloads the ticket page with the
// chosen response in the reply box. Follows the WAI-ARIA combobox pattern (list popup):
// arrow keys move, Enter inserts, Escape closes (a second Escape clears the search).
"use strict";

function enhanceResponsePicker(picker) {
  const url = picker.dataset.responsePicker;
  const target = document.getElementById(picker.dataset.target);
  const input = picker.querySelector("[role=combobox]");
  const list = picker.querySelector("[role=listbox]");
  const status = picker.querySelector("[data-picker-status]");
  if (!url || !target || !input || !list) return;
  // Django's JavaScriptCatalog (base.html); English if it did not load.
  const gettext = window.gettext || ((s) => s);
  const ngettext = window.ngettext || ((one, many, n) => (n === 1 ? one : many));
  const interpolate = window.interpolate || ((s, values) => s.replace(/%\((\w+)\)s/g, (_, key) => values[key]));

  let matches = [];
  let active = -1;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };

  const highlight = (index) => {
    active = index;
    list.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({block: "nearest"});
      }
    });
  };

  const show = () => {
    list.replaceChildren(...matches.map((match, i) => {
      const option = document.createElement("li");
      option.id = `response-option-${match.id}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = match.name;
      const kind = document.createElement("span");
      kind.className = "response-kind";
      kind.textContent = match.shared ? gettext("shared") : gettext("yours");
      option.appendChild(kind);
      // mousedown, not click: it comes before the input loses focus and closes the list.
      option.addEventListener("mousedown", (event) => { event.preventDefault(); insert(i); });
      return option;
    }));
    list.hidden = matches.length === 0;
    input.setAttribute("aria-expanded", matches.length ? "true" : "false");
    if (status) {
      status.textContent = matches.length
        ? interpolate(ngettext("%(count)s canned response found.", "%(count)s canned responses found.", matches.length), {count: matches.length}, true)
        : gettext("No canned response has that name.");
    }
    highlight(matches.length ? 0 : -1);
  };

  const search = async () => {
    const ask = ++asked;
    try {
      const response = await fetch(`${url}?q=${encodeURIComponent(input.value.trim())}`, {
        headers: {Accept: "application/json"},
        credentials: "same-origin",
      });
      if (!response.ok || ask !== asked) return;  // typed on meanwhile
      matches = (await response.json()).results;
      show();
    } catch (error) {
      // Offline for a moment: the next keystroke asks again.
    }
  };

  const insert = (index) => {
    const match = matches[index];
    if (!match) return;
    // The textarea keeps its selection while the picker has focus: the text replaces it.
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? start;
    target.setRangeText(match.text, start, end, "end");
    target.dispatchEvent(new Event("input", {bubbles: true}));
    close();
    input.value = "";
    if (status) status.textContent = interpolate(gettext("Inserted “%(name)s” into the message."), {name: match.name}, true);
    target.focus();
  };

  const searchSoon = debounce(search, 150);  // debounce: app.js
  input.addEventListener("input", searchSoon);
  input.addEventListener("focus", () => { if (list.hidden) search(); });
  input.addEventListener("blur", () => setTimeout(close, 100));
  input.addEventListener("keydown", (event) => {
    const open = !list.hidden;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) { search(); return; }
      highlight(Math.min(active + 1, matches.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      if (open) highlight(Math.max(active - 1, 0));
    } else if (event.key === "Enter") {
      // Never submit a form from here: Enter means "insert this one".
      event.preventDefault();
      if (open && active >= 0) insert(active);
    } else if (event.key === "Escape") {
      if (open) { event.preventDefault(); close(); }
      else if (input.value) { event.preventDefault(); input.value = ""; }
    }
  });

  // The picker replaces the no-script form.
  const plain = document.querySelector("form[data-response-insert]");
  if (plain) plain.hidden = true;
  picker.hidden = false;
}

document.addEventListener("DOMContentLoaded", () => {
  for (const picker of document.querySelectorAll("[data-response-picker]")) {
    enhanceResponsePicker(picker);
  }
});
