// Progressive enhancements only: every page works without this file.
"use strict";

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// Live availability of a subdomain while it is typed (signup, "open another help desk").
function enhanceSubdomainCheck(form) {
  // Django's JavaScriptCatalog (base.html); English if it did not load.
  const gettext = window.gettext || ((s) => s);
  const interpolate = window.interpolate || ((s, values) => s.replace(/%\((\w+)\)s/g, (_, key) => values[key]));
  const url = form.dataset.subdomainCheck;
  const input = form.querySelector("input[name=slug]");
  const hint = form.querySelector(".availability");
  if (!url || !input || !hint) return;
  input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), hint.id].filter(Boolean).join(" "));
  const check = debounce(async () => {
    const slug = input.value.trim().toLowerCase();
    if (!slug) { hint.textContent = ""; hint.className = "availability"; return; }
    try {
      const response = await fetch(`${url}?slug=${encodeURIComponent(slug)}`, {headers: {Accept: "application/json"}});
      if (!response.ok) return;
      const data = await response.json();
      if (input.value.trim().toLowerCase() !== data.slug) return;  // typed on meanwhile
      hint.className = "availability " + (data.available ? "ok" : "taken");
      hint.textContent = data.message + (data.suggestion ? " " + interpolate(gettext("Try “%(name)s”."), {name: data.suggestion}, true) : "");
    } catch (error) {
      hint.textContent = "";
    }
  }, 300);
  input.addEventListener("input", check);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-subdomain-check]")) {
    enhanceSubdomainCheck(form);
  }
  // Let flash messages be dismissed with a click once read.
  for (const alert of document.querySelectorAll(".flash-messages .alert")) {
    alert.addEventListener("click", () => alert.remove());
  }
});

// Drag and drop onto a plain <input type=file multiple>: the input stays the real thing.
function enhanceDropzone(zone) {
  const input = zone.querySelector("input[type=file]");
  if (!input || typeof DataTransfer === "undefined") return;
  const list = document.createElement("ul");
  list.className = "file-list";
  list.setAttribute("aria-live", "polite");
  zone.appendChild(list);
  const show = () => {
    list.replaceChildren(...Array.from(input.files).map((file) => {
      const item = document.createElement("li");
      item.textContent = `${file.name} (${Math.ceil(file.size / 1024)} KB)`;
      return item;
    }));
  };
  input.addEventListener("change", show);
  zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("dragging"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const merged = new DataTransfer();
    for (const file of input.files) merged.items.add(file);
    for (const file of event.dataTransfer.files) merged.items.add(file);
    input.files = merged.files;
    show();
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const zone of document.querySelectorAll("[data-dropzone]")) enhanceDropzone(zone);
  // "Select all" for bulk actions on the ticket list.
  for (const all of document.querySelectorAll("[data-select-all]")) {
    all.addEventListener("change", () => {
      for (const box of document.querySelectorAll("input[name=ticket]")) box.checked = all.checked;
    });
  }
});

// Export progress: update the bar in place (without this, the page refreshes itself).
function followExport(card) {
  const url = card.dataset.exportProgress;
  const bar = card.querySelector("progress");
  const percent = card.querySelector(".export-percent");
  const stage = card.querySelector(".export-stage");
  if (!url || !bar) return;
  const poll = async () => {
    try {
      const response = await fetch(url, {headers: {Accept: "application/json"}});
      if (!response.ok) return;
      const data = await response.json();
      bar.value = data.percent;
      bar.textContent = `${data.percent}%`;
      if (percent) percent.textContent = data.percent;
      if (stage) stage.textContent = data.stage || data.status_label;
      if (data.status === "ready" || data.status === "failed") {
        window.location.reload();
        return;
      }
    } catch (error) {
      // A missed poll is fine; the next one catches up.
    }
    setTimeout(poll, 1500);
  };
  setTimeout(poll, 1000);
}

document.addEventListener("DOMContentLoaded", () => {
  for (const card of document.querySelectorAll("[data-export-progress][data-status=queued], [data-export-progress][data-status=running]")) {
    followExport(card);
  }
});

// The person menu is a <details> that opens and closes by itself; this only closes it on
// Escape (focus goes back to it) and on a click elsewhere, as a menu is expected to.
document.addEventListener("DOMContentLoaded", () => {
  for (const menu of document.querySelectorAll("details[data-person-menu]")) {
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  }
});

// A select marked data-submit-on-change (the footer's language) sends its form at once; the
// form's own button is there for pages without script and is hidden here.
document.addEventListener("DOMContentLoaded", () => {
  for (const select of document.querySelectorAll("select[data-submit-on-change]")) {
    const button = select.form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
    select.addEventListener("change", () => select.form.requestSubmit());
  }
});
