// @mention autocomplete in the ticket page's reply box, for internal notes (tickets.collab).
// The people come from the page (#mention-people: <li data-handle>name</li>); typing "@"
// and a few letters offers them in #mention-suggestions (a listbox the textarea controls):
// arrow keys choose, Enter or Tab inserts "@handle ", Escape closes. Without script,
// "@handle" typed by hand works the same.
"use strict";

(() => {
  const source = document.getElementById("mention-people");
  const box = document.getElementById("reply-body");
  if (!source || !box) return;
  const people = Array.from(source.querySelectorAll("li[data-handle]"), (item) => ({
    handle: item.dataset.handle,
    name: item.textContent.trim(),
  }));
  if (!people.length) return;
  const gettext = window.gettext || ((s) => s);  // Django's JavaScriptCatalog (base.html)
  const note = document.getElementById("kind-note");
  const list = document.createElement("ul");
  list.id = "mention-suggestions";
  list.className = "mention-suggestions list-unstyled";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", gettext("People to mention"));
  list.hidden = true;
  box.insertAdjacentElement("afterend", list);
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);
  let matches = [];
  let active = -1;
  let start = -1;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    matches = [];
    active = -1;
    box.removeAttribute("aria-activedescendant");
  }

  function choose(index) {
    active = index;
    Array.from(list.children).forEach((item, at) => item.setAttribute("aria-selected", String(at === index)));
    box.setAttribute("aria-activedescendant", `mention-option-${index}`);
  }

  function insert(index) {
    const person = matches[index];
    if (!person) return;
    const before = box.value.slice(0, start);
    const after = box.value.slice(box.selectionStart);
    const text = `@${person.handle} `;
    box.value = before + text + after;
    const caret = before.length + text.length;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  }

  function suggest() {
    if (note && !note.checked) {
      close();
      return;
    }
    const upto = box.value.slice(0, box.selectionStart);
    const typed = /(^|\s)@([\w.+-]*)$/.exec(upto);
    if (!typed) {
      close();
      return;
    }
    start = upto.length - typed[2].length - 1;
    const word = typed[2].toLowerCase();
    matches = people
      .filter((p) => p.handle.startsWith(word) || p.name.toLowerCase().split(/\s+/).some((part) => part.startsWith(word)))
      .slice(0, 6);
    if (!matches.length) {
      close();
      return;
    }
    list.replaceChildren(...matches.map((person, index) => {
      const item = document.createElement("li");
      item.id = `mention-option-${index}`;
      item.setAttribute("role", "option");
      item.textContent = `${person.name} (@${person.handle})`;
      // mousedown, not click: the textarea keeps the focus and the caret.
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        insert(index);
      });
      return item;
    }));
    list.hidden = false;
    choose(0);
  }

  box.addEventListener("input", suggest);
  box.addEventListener("blur", close);
  box.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      choose((active + step + matches.length) % matches.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      insert(active);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  for (const radio of document.querySelectorAll("input[name=kind]")) radio.addEventListener("change", close);
})();
