// Progressive enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Let flash messages be dismissed with a click once read.
  for (const alert of document.querySelectorAll(".flash-messages .alert")) {
    alert.addEventListener("click", () => alert.remove());
  }
});
