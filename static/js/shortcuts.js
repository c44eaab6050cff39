// Keyboard shortcuts of the ticket list and the ticket page (tickets.collab). The dialog
// #keyboard-shortcuts lists them; [data-shortcuts-open] buttons (hidden without script)
// open it, as does "?". Never while typing in a field, never with Ctrl, Alt or Meta.
//   list:   j / k move between rows (the row's link takes the focus), Enter opens it
//   ticket: j / k next / previous ticket of the list ([data-shortcut=next|previous]),
//           r reply, n internal note (#kind-reply, #kind-note, #reply-body),
//           a take it (form[data-shortcut=take])
"use strict";

(() => {
  const dialog = document.getElementById("keyboard-shortcuts");
  if (!dialog) return;
  const page = dialog.dataset.shortcutsPage;

  function openDialog() {
    if (dialog.open) return;
    if (typeof dialog.showModal === "function") dialog.showModal();
    else dialog.setAttribute("open", "");
  }
  for (const button of document.querySelectorAll("[data-shortcuts-open]")) {
    button.hidden = false;
    button.addEventListener("click", openDialog);
  }

  const NOT_TEXT = new Set(["checkbox", "radio", "button", "submit", "reset", "image", "file"]);
  function inField(target) {
    if (!(target instanceof Element)) return false;
    if (target.isContentEditable) return true;
    if (target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
    return target.tagName === "INPUT" && !NOT_TEXT.has(target.type);
  }

  // --- the list ---------------------------------------------------------------------------
  const rows = Array.from(document.querySelectorAll("table.ticket-table tbody tr"));
  function moveRow(step) {
    if (!rows.length) return;
    let at = rows.findIndex((row) => row.contains(document.activeElement));
    if (at === -1) at = rows.findIndex((row) => row.classList.contains("row-current"));
    const next = at === -1 ? (step > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + step));
    for (const row of rows) row.classList.remove("row-current");
    rows[next].classList.add("row-current");
    const link = rows[next].querySelector("a[href]");
    if (link) {
      link.focus();
      link.scrollIntoView({block: "nearest"});
    }
  }

  // --- the ticket page --------------------------------------------------------------------
  function follow(name) {
    const link = document.querySelector(`a[data-shortcut=${name}]`);
    if (link) window.location.assign(link.href);
  }
  function write(kind) {
    const choice = document.getElementById(`kind-${kind}`);
    const box = document.getElementById("reply-body");
    if (kind === "note" && !choice) return;  // members write no notes
    if (choice) choice.checked = true;
    if (box) {
      box.focus();
      box.scrollIntoView({block: "center"});
    }
  }
  function take() {
    const form = document.querySelector("form[data-shortcut=take]");
    if (!form) return;
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  const ACTIONS = {
    list: {j: () => moveRow(1), k: () => moveRow(-1)},
    ticket: {j: () => follow("next"), k: () => follow("previous"), r: () => write("reply"), n: () => write("note"), a: take},
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (dialog.open || inField(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      openDialog();
      return;
    }
    if (event.shiftKey) return;
    const action = (ACTIONS[page] || {})[event.key];
    if (!action) return;
    event.preventDefault();  // "r" must not land in the reply box it opens
    action();
  });
})();
