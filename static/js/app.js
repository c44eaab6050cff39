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
      hint.textContent = data.message + (data.suggestion ? ` Try “${data.suggestion}”.` : "");
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
