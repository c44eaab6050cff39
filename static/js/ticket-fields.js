// The "Ticket fields" page: the choices box shows only for the kinds that have choices.
// Without this file it is always shown, with a hint saying when it counts.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-field-form]");
  if (!form) return;
  const kind = form.querySelector("select[name=kind]");
  const choices = form.querySelector("textarea[name=choices]");
  if (!kind || !choices) return;
  const group = choices.closest(".field") || choices;
  const sync = () => { group.hidden = !["dropdown", "multi"].includes(kind.value); };
  kind.addEventListener("change", sync);
  sync();
});
