// xiaoan page behaviour. Loaded as a file: the CSP allows no inline scripts.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form.js-autosubmit");
  if (form) form.submit();
});
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.js-confirm");
  if (form && !window.confirm(form.dataset.confirm || "确定？")) event.preventDefault();
});
// A select that reloads the page with its value as a query parameter (e.g. 随手拍: the
// chosen unit decides which places are offered).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-reload-param]");
  if (!select) return;
  const url = new URL(window.location.href);
  url.searchParams.set(select.dataset.reloadParam, select.value);
  window.location.assign(url.toString());
});
// Assigning a hazard: offer only the owners who belong to the chosen owner unit.
function filterOwners(unitSelect) {
  const owners = document.getElementById(unitSelect.dataset.ownerFilter);
  if (!owners) return;
  const chosen = unitSelect.options[unitSelect.selectedIndex];
  const path = chosen ? chosen.dataset.path || "" : "";
  for (const option of owners.options) {
    const fits = !option.value || !option.dataset.path || option.dataset.path.startsWith(path);
    option.hidden = !fits;
    option.disabled = !fits;
    if (!fits && option.selected) owners.value = "";
  }
}
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-owner-filter]");
  if (select) filterOwners(select);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select[data-owner-filter]").forEach(filterOwners);
});
