// A phone checklist (form[data-checklist]: a bus's pre-trip check, a place's monthly fire
// check): 异常 turns a card red and opens its reason box where it has one, 其余全部正常
// ticks every card not yet ticked, the counter (data-counter: its id) follows.
(function () {
  for (const form of document.querySelectorAll("form[data-checklist]")) {
    const counter = document.getElementById(form.dataset.counter || "");
    const refresh = (card) => {
      const checked = card.querySelector("input[type=radio]:checked");
      const failed = Boolean(checked && checked.value === "failed");
      const box = card.querySelector(".js-check-failed");
      if (box && failed) box.hidden = false;
      const typed = box && box.querySelector("textarea") && box.querySelector("textarea").value;
      if (box && checked && !failed && !typed) box.hidden = true;
      card.classList.toggle("border-danger", failed);
    };
    const count = () => {
      if (counter) counter.textContent = form.querySelectorAll(".check-item input[type=radio]:checked").length;
    };
    form.addEventListener("change", (event) => {
      const card = event.target.closest(".check-item");
      if (!card) return;
      refresh(card);
      count();
    });
    form.addEventListener("click", (event) => {
      if (!event.target.closest("button.js-check-all-ok")) return;
      for (const card of form.querySelectorAll(".check-item")) {
        if (card.querySelector("input[type=radio]:checked")) continue;
        const ok = card.querySelector("input[type=radio][value=ok]");
        if (ok) ok.checked = true;
        refresh(card);
      }
      count();
    });
    count();
  }
})();
