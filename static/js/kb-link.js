// Ticket page, reply box (staff): find a public help-center article and insert a Markdown
// link to it at the cursor. Without this file the box offers the help center in a new tab.
"use strict";

(() => {
  const box = document.querySelector("[data-kb-link]");
  if (!box) return;
  const target = document.getElementById(box.dataset.kbTarget);
  if (!target) return;
  // Django's JavaScriptCatalog (base.html); English if it did not load.
  const gettext = window.gettext || ((s) => s);
  const interpolate = window.interpolate || ((s, values) => s.replace(/%\((\w+)\)s/g, (_, key) => values[key]));

  const label = document.createElement("label");
  label.htmlFor = "kb-link-q";
  label.textContent = gettext("Link an article");
  const input = document.createElement("input");
  input.type = "search";
  input.id = "kb-link-q";
  input.className = "form-control form-control-sm";
  input.placeholder = gettext("Words from its title or text");
  input.autocomplete = "off";
  const list = document.createElement("ul");
  list.className = "list-unstyled kb-link-results";
  list.setAttribute("aria-live", "polite");
  box.prepend(label, input, list);

  const insert = (article) => {
    const title = article.title.replace(/([\[\]\\])/g, "\\$1");
    const link = `[${title}](${article.url})`;
    const start = target.selectionStart ?? target.value.length;
    const end = target.selectionEnd ?? start;
    target.value = target.value.slice(0, start) + link + target.value.slice(end);
    target.focus();
    target.selectionStart = target.selectionEnd = start + link.length;
    target.dispatchEvent(new Event("input", {bubbles: true}));
  };

  const show = (articles, q) => {
    if (!articles.length) {
      const item = document.createElement("li");
      item.textContent = q ? gettext("No public article matches.") : "";
      list.replaceChildren(item);
      return;
    }
    list.replaceChildren(...articles.map((article) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-link btn-sm p-0 text-start";
      button.textContent = article.title;
      button.title = interpolate(gettext("Insert a link to “%(title)s”"), {title: article.title}, true);
      button.addEventListener("click", () => insert(article));
      item.appendChild(button);
      return item;
    }));
  };

  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2) { show([], ""); return; }
      try {
        const response = await fetch(`${box.dataset.kbLink}?q=${encodeURIComponent(q)}`, {
          headers: {Accept: "application/json"},
          credentials: "same-origin",
        });
        if (!response.ok || input.value.trim() !== q) return;
        show((await response.json()).articles, q);
      } catch (error) {
        show([], "");
      }
    }, 300);
  });
  // Enter searches here; it must not send the reply.
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
})();
