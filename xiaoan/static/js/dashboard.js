// 一张图: draws each table's chart with ECharts from the data the page carries as JSON
// (json_script; the CSP allows no inline scripts). The tables stay as the charts' numbers.
(function () {
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof echarts === "undefined") return;
  const charts = JSON.parse(source.textContent);
  const drawn = [];
  for (const element of document.querySelectorAll("[data-chart]")) {
    const spec = charts[element.dataset.chart];
    if (!spec) continue;
    const chart = echarts.init(element, null, { renderer: "svg" });
    const legend = { top: 0, type: "scroll" };
    let option;
    if (spec.type === "pie") {
      option = {
        tooltip: { trigger: "item" },
        legend,
        series: [{
          type: "pie",
          radius: ["35%", "65%"],
          top: 24,
          data: spec.categories.map((name, i) => ({ name, value: spec.series[0].data[i] })),
        }],
      };
    } else {
      const kind = spec.type === "line" ? "line" : "bar";
      option = {
        tooltip: { trigger: "axis" },
        legend,
        grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
        xAxis: { type: "category", data: spec.categories, axisLabel: { hideOverlap: true } },
        yAxis: { type: "value", minInterval: 1 },
        series: spec.series.map((s) => ({
          name: s.name,
          type: kind,
          data: s.data,
          stack: spec.type === "stacked" ? "total" : undefined,
        })),
      };
    }
    chart.setOption(option);
    drawn.push(chart);
  }
  window.addEventListener("resize", () => drawn.forEach((chart) => chart.resize()));
})();
// The area map: the boundary the administrator uploaded and the schools on it, coloured by
// open majors (red) and overdue hazards (orange). Nothing is fetched from outside.
(function () {
  const element = document.getElementById("area-map");
  if (!element || typeof echarts === "undefined") return;
  const colours = { major: "#dc3545", overdue: "#fd7e14", clear: "#198754" };
  const labels = element.dataset; // translated by the page: majorLabel, overdueLabel, failedLabel
  fetch(element.dataset.mapUrl, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
    .then((data) => {
      echarts.registerMap("area", data.geojson);
      const chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        tooltip: {
          trigger: "item",
          formatter: (p) => p.data && p.data.name
            ? `${echarts.format.encodeHTML(p.data.name)}<br>${labels.majorLabel} ${p.data.open_major}<br>${labels.overdueLabel} ${p.data.overdue}`
            : p.name,
        },
        geo: { map: "area", roam: true, itemStyle: { areaColor: "#f1f3f5", borderColor: "#6c757d" } },
        series: [{
          type: "scatter",
          coordinateSystem: "geo",
          symbolSize: 10,
          data: data.points.map((p) => ({ ...p, itemStyle: { color: colours[p.level] } })),
        }],
      });
      chart.on("click", (p) => {
        if (p.data && p.data.id) window.location.assign(`?unit=${p.data.id}`);
      });
      window.addEventListener("resize", () => chart.resize());
    })
    .catch(() => { element.textContent = labels.failedLabel; });
})();
