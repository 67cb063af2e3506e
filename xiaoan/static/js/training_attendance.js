// The phone attendance page: filter the list as one types, count the ticked, tick all shown.
(function () {
  const form = document.querySelector("[data-attendance]");
  if (!form) return;
  const search = document.getElementById("attendance-search");
  const counter = document.getElementById("attendance-checked");
  const rows = Array.from(form.querySelectorAll("[data-person]"));
  const boxes = () => Array.from(form.querySelectorAll(".attendance-box"));
  const count = () => {
    counter.textContent = String(boxes().filter((b) => b.checked).length);
  };
  form.addEventListener("change", count);
  search.addEventListener("input", () => {
    const words = search.value.trim().toLowerCase();
    rows.forEach((row) => {
      const text = (row.dataset.search || "").toLowerCase();
      row.classList.toggle("d-none", words !== "" && !text.includes(words));
    });
  });
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault(); // searching never submits
  });
  document.getElementById("attendance-all").addEventListener("click", () => {
    rows.filter((r) => !r.classList.contains("d-none")).forEach((r) => {
      r.querySelector(".attendance-box").checked = true;
    });
    count();
  });
  count();
})();
