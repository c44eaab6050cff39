// New ticket: as the subject is typed, list the help center's public articles that match it.
// The page works the same without this file (the list then stays hidden).
"use strict";

(() => {
  const box = document.querySelector("[data-kb-suggest]");
  if (!box) return;
  const input = document.getElementById(box.dataset.kbSubject);
  const list = box.querySelector(".kb-suggest-list");
  if (!input || !list) return;
  let timer;
  let asked = "";

  const show = (articles) => {
    list.replaceChildren(...articles.map((article) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = article.url;
      link.target = "_blank";  // the ticket being typed stays where it is
      link.rel = "noopener";
      link.textContent = article.title;
      item.appendChild(link);
      return item;
    }));
    box.hidden = articles.length === 0;
  };

  const ask = async () => {
    const q = input.value.trim();
    if (q === asked) return;
    asked = q;
    if (q.length < 3) { show([]); return; }
    try {
      const response = await fetch(`${box.dataset.kbSuggest}?q=${encodeURIComponent(q)}`, {
        headers: {Accept: "application/json"},
        credentials: "same-origin",
      });
      if (!response.ok || input.value.trim() !== q) return;  // typed on meanwhile
      show((await response.json()).articles);
    } catch (error) {
      show([]);
    }
  };

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 350);
  });
  if (input.value) ask();  // the form came back with an error: suggest for what is there
})();
