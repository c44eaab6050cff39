// Who else is on this ticket (tickets.collab): the page reports every few seconds that this
// person is here (and whether he is typing a reply), and shows who else is, in the polite
// live region #presence. It rests while the tab is hidden. Without script the page still
// shows who was there when it was drawn.
"use strict";

(() => {
  const region = document.getElementById("presence");
  if (!region || !window.fetch) return;
  const url = region.dataset.presenceUrl;
  const every = (Number(region.dataset.pollSeconds) || 10) * 1000;
  const box = document.getElementById("reply-body");
  const token = () => {
    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };
  let lastTyped = 0;
  let typingSaid = false;
  let timer = null;
  let busy = false;

  const typing = () => Date.now() - lastTyped < every * 1.5;

  function stop() {
    clearInterval(timer);
    timer = null;
  }

  async function report() {
    if (busy || document.hidden) return;
    busy = true;
    const now = typing();
    typingSaid = now;
    const body = new URLSearchParams();
    if (now) body.set("typing", "1");
    const headers = {"X-CSRFToken": token(), Accept: "application/json"};
    // Looking at a page is not activity: the System's idle timeout still signs him out.
    if (!now) headers["X-Background"] = "1";
    try {
      const response = await fetch(url, {method: "POST", body, headers, credentials: "same-origin"});
      if (response.redirected || response.status === 403 || response.status === 404) {
        stop();  // signed out, or no longer allowed here
        return;
      }
      if (!response.ok) return;
      const data = await response.json();
      if (region.textContent !== data.text) region.textContent = data.text;
    } catch (error) {
      // The network is away for a moment: the next tick tries again.
    } finally {
      busy = false;
    }
  }

  function start() {
    if (!timer) timer = setInterval(report, every);
  }

  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      stop();
    } else {
      report();
      start();
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      report();
      start();
    }
  });
  window.addEventListener("pagehide", () => {
    stop();
    if (!navigator.sendBeacon) return;
    const data = new FormData();
    data.set("left", "1");
    data.set("csrfmiddlewaretoken", token());
    navigator.sendBeacon(url, data);
  });
  if (box) {
    box.addEventListener("input", () => {
      lastTyped = Date.now();
      if (!typingSaid) report();  // say it now rather than at the next tick
    });
  }
  start();
})();
