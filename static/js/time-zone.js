// Fills each hidden input marked data-browser-time-zone with the browser's IANA zone
// ("Asia/Ho_Chi_Minh"), so a new help desk starts in its owner's zone. Without script the
// field stays empty and the server falls back to UTC; the owner can change it later.
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  for (const input of document.querySelectorAll("input[data-browser-time-zone]")) {
    if (!input.value) input.value = zone;
  }
});
