// The simulated SSLCommerz page posts its result back at once, as the real one does; a file, not
// an inline handler, so the page keeps to the Content-Security-Policy (script-src 'self').
document.addEventListener("DOMContentLoaded", function () {
  document.forms[0].submit();
});
