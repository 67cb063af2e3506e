// The pre-trip check of a school bus (buses/check.html): 其余全部正常 ticks every item not
// yet ticked, a card marked 异常 turns red, the counter follows.
(function () {
  const form = document.getElementById("bus-check-form");
  if (!form) return;
  function refresh(card) {
    const checked = card.querySelector("input[type=radio]:checked");
    card.classList.toggle("border-danger", Boolean(checked && checked.value === "failed"));
  }
  function count() {
    const counter = document.getElementById("bus-answered");
    if (counter) counter.textContent = form.querySelectorAll(".bus-item input[type=radio]:checked").length;
  }
  form.addEventListener("change", (event) => {
    const card = event.target.closest(".bus-item");
    if (!card) return;
    refresh(card);
    count();
  });
  form.addEventListener("click", (event) => {
    if (!event.target.closest("button.js-bus-all-ok")) return;
    for (const card of form.querySelectorAll(".bus-item")) {
      if (card.querySelector("input[type=radio]:checked")) continue;
      const ok = card.querySelector("input[type=radio][value=ok]");
      if (ok) ok.checked = true;
      refresh(card);
    }
    count();
  });
  count();
})();
