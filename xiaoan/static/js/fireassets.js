// The monthly check of fire assets (fireassets/check.html): 异常 opens the reason and
// photo, 其余全部正常 ticks every asset not yet ticked, the counter follows.
(function () {
  const form = document.getElementById("fire-check-form");
  if (!form) return;
  function refresh(card) {
    const checked = card.querySelector("input[type=radio]:checked");
    const failed = Boolean(checked && checked.value === "failed");
    const box = card.querySelector(".js-fire-failed");
    if (box && failed) box.hidden = false;
    if (box && checked && !failed && !card.querySelector("textarea").value) box.hidden = true;
    card.classList.toggle("border-danger", failed);
  }
  function count() {
    const counter = document.getElementById("fire-answered");
    if (counter) counter.textContent = form.querySelectorAll(".fire-item input[type=radio]:checked").length;
  }
  form.addEventListener("change", (event) => {
    const card = event.target.closest(".fire-item");
    if (!card) return;
    refresh(card);
    count();
  });
  form.addEventListener("click", (event) => {
    if (!event.target.closest("button.js-fire-all-ok")) return;
    for (const card of form.querySelectorAll(".fire-item")) {
      if (card.querySelector("input[type=radio]:checked")) continue;
      const ok = card.querySelector("input[type=radio][value=ok]");
      if (ok) ok.checked = true;
      refresh(card);
    }
    count();
  });
  count();
})();
