// xiaoan page behaviour. Loaded as a file: the CSP allows no inline scripts.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.js-autosubmit");
  if (form) form.submit();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.js-confirm");
  if (form && !window.confirm(form.dataset.confirm || "确定？")) event.preventDefault();
});
