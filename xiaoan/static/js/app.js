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
// The inspection phone page: 全部符合 answers the items still open on the page (the person
// then changes the exceptions), and a 须拍照 item answered without a photo says so at once.
function runItemNeedsPhoto(card) {
  const checked = card.querySelector("input[type=radio]:checked");
  const files = card.querySelector("input[type=file]");
  const removed = card.querySelectorAll("input.js-remove-photo:checked").length;
  const stored = Number(card.dataset.photos || 0) - removed;
  const chosen = files && files.files ? files.files.length : 0;
  return Boolean(checked && checked.value !== "na" && stored + chosen === 0);
}
function refreshRunItem(card) {
  const hint = card.querySelector(".js-photo-hint");
  if (hint) hint.hidden = !runItemNeedsPhoto(card);
  const checked = card.querySelector("input[type=radio]:checked");
  card.classList.toggle("border-danger", Boolean(checked && checked.value === "fail"));
}
function refreshRunCount(form) {
  const counter = document.getElementById("run-answered");
  if (counter) counter.textContent = form.querySelectorAll(".run-item input[type=radio]:checked").length;
}
document.addEventListener("change", (event) => {
  const card = event.target.closest(".run-item");
  if (!card) return;
  refreshRunItem(card);
  refreshRunCount(card.closest("form"));
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.js-all-pass");
  if (!button) return;
  event.preventDefault();
  const form = button.closest("form");
  let marked = 0;
  for (const card of form.querySelectorAll(".run-item")) {
    if (card.querySelector("input[type=radio]:checked")) continue;
    const pass = card.querySelector("input[type=radio][value=pass]");
    if (!pass) continue;
    pass.checked = true;
    marked += 1;
    refreshRunItem(card);
  }
  refreshRunCount(form);
  const note = form.querySelector(".js-all-pass-note");
  if (note && note.dataset.done) note.textContent = note.dataset.done.replace("{n}", marked);
});
