// The viewer of `paiban serve`: edition, page and diff views, overlays drawn here from the
// layout JSON (so toggling one needs no re-render), zoom tiles, and live reload through
// server-sent events. It only reads /api/* and /events; it never edits anything.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const OVERLAYS = ["grid", "frames", "baselines", "overset"];
const DEFAULT_OVERLAYS = ["frames", "overset"];
const ZOOM_STEP = 1.25;
const ZOOM_MIN = 0.1;
const ZOOM_MAX = 10;
const CSS_PX_PER_PT = 96 / 72; // 100 % = actual size
const SHEET_MARGIN = 12;

const $ = (id) => document.getElementById(id);
const app = {
  route: { view: "edition" }, index: null, state: null, edition: null, zoom: 1, fitMode: true,
  selected: null, overlays: loadOverlays(), tiles: new Map(), tileKey: "", diffToken: 0,
};

function loadOverlays() {
  try {
    const saved = JSON.parse(localStorage.getItem("paiban.overlays"));
    if (Array.isArray(saved)) return new Set(saved.filter((n) => OVERLAYS.includes(n)));
  } catch (e) { /* no storage: defaults */ }
  return new Set(DEFAULT_OVERLAYS);
}

async function getJSON(url) {
  const response = await fetch(url, { cache: "no-store" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
}

function s(tag, attrs, parent) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "text") node.textContent = v; else node.setAttribute(k, v);
  }
  if (parent) parent.appendChild(node);
  return node;
}

function badge(status, text) {
  return h("span", { class: `badge ${status}`, text: text || status });
}

function statusText(summary, status, error) {
  if (status === "error") return `error${error ? ": " + error.message : ""}`;
  if (!summary) return status;
  if (summary.overset_modules) return `overset ${summary.overset_chars} 字 in ${summary.overset_modules}`;
  if (summary.underset_lines) return `underset ${summary.underset_lines} 行`;
  return "fits";
}

// ---------------------------------------------------------------- routing

function parseRoute() {
  const hash = location.hash.replace(/^#/, "");
  let m = hash.match(/^\/page\/(\d+)\/diff$/);
  if (m) return { view: "diff", index: Number(m[1]) };
  m = hash.match(/^\/page\/(\d+)$/);
  if (m) return { view: "page", index: Number(m[1]) };
  return { view: "edition" };
}

async function route() {
  const r = parseRoute();
  app.route = r;
  for (const v of ["edition", "page", "diff"]) $(`${v}-view`).hidden = v !== r.view;
  if (r.view === "edition") return showEdition();
  if (app.index !== r.index) {
    app.index = r.index; app.state = null; app.selected = null; app.fitMode = true;
  }
  return r.view === "page" ? loadPage() : showDiff();
}

// ---------------------------------------------------------------- edition

async function showEdition() {
  const ed = await getJSON("/api/edition");
  app.edition = ed;
  if (!ed.folder && ed.pages.length === 1 && app.route.view === "edition") {
    location.replace("#/page/0");
    return;
  }
  $("crumb").textContent = ed.root ? `${ed.root}/ — ${ed.pages.length} pages` : "";
  $("status").replaceChildren();
  $("edition-title").textContent = `edition: ${ed.pages.length} pages`;
  $("cards").replaceChildren(...ed.pages.map((p) => {
    const card = h("a", { class: `card ${p.status}`, href: `#/page/${p.index}`, "data-page": p.index });
    card.append(p.thumb ? h("img", { src: p.thumb, alt: p.name }) : h("div", { class: "muted", text: "rendering…" }),
      h("div", { class: "name", text: p.name }),
      h("div", { class: "muted", text: p.title || "" }),
      h("div", {}, badge(p.status, statusText(p.summary, p.status, null))));
    if (p.error) card.append(h("div", { class: "error", text: p.error.text }));
    return card;
  }));
  document.body.dataset.view = "edition";
}

// ---------------------------------------------------------------- page view

async function loadPage() {
  const index = app.index;
  const st = await getJSON(`/api/pages/${index}`);
  if (index !== app.index || (app.state && st.version < app.state.version)) return;
  const fresh = !app.state || app.state.good_version !== st.good_version;
  const previous = app.state;
  app.state = st;
  $("crumb").textContent = st.name + (st.title ? ` — ${st.title}` : "");
  $("status").replaceChildren(badge(st.status, statusText(st.summary, st.status, st.error)));
  $("diff-link").href = `#/page/${index}/diff`;
  $("diff-link").hidden = !st.baseline;
  showError(st);
  if (!st.layout) { markVersion(st); return; }
  if (fresh) {
    drawSide();
    if (!previous || !previous.layout || previous.layout.page.width !== st.layout.page.width ||
        previous.layout.page.height !== st.layout.page.height) layoutSheet();
    else drawOverlay();
    await swapImage(st.images.page);
    app.tileKey = ""; // new render: new tiles
    updateTiles();
  }
  markVersion(st);
}

function markVersion(st) {
  // What tests and bench/bench_serve.py wait for: the page shows this version, image included.
  document.body.dataset.view = app.route.view;
  document.body.dataset.version = String(st.version);
  document.body.dataset.goodVersion = String(st.good_version);
  window.paibanUpdate = { page: st.index, version: st.version, good: st.good_version, at: Date.now() };
}

function swapImage(url) {
  return new Promise((resolve) => {
    const img = $("page-img");
    const next = new Image();
    next.onload = () => {
      img.src = url;
      (img.decode ? img.decode() : Promise.resolve()).catch(() => {}).then(resolve);
    };
    next.onerror = () => resolve(); // a render replaced it meanwhile: the next event loads the newer one
    next.src = url;
  });
}

function showError(st) {
  const box = $("errorbox");
  const e = st.error;
  if (!e) { box.hidden = true; box.replaceChildren(); return; }
  const where = [e.file && (e.file + (e.line ? `:${e.line}` : "")), e.field].filter(Boolean).join(" · ");
  box.replaceChildren(
    h("div", {}, h("strong", { text: "error: " }), e.message),
    where ? h("div", { class: "where", text: where }) : null,
    e.hint ? h("div", { class: "hint", text: `hint: ${e.hint}` }) : null,
    h("div", { class: "muted", text: st.good_version
      ? `Showing the last good render (${st.rendered.at}); it updates when the description is fixed.`
      : "Nothing has rendered yet." }));
  box.hidden = false;
}

// ---------------------------------------------------------------- zoom and tiles

function layoutSheet() {
  const L = app.state && app.state.layout;
  if (!L) return;
  const viewer = $("viewer");
  if (app.fitMode) {
    app.zoom = Math.min((viewer.clientHeight - 2 * SHEET_MARGIN) / L.page.height,
      (viewer.clientWidth - 2 * SHEET_MARGIN) / L.page.width);
  }
  const sheet = $("sheet");
  sheet.style.width = `${L.page.width * app.zoom}px`;
  sheet.style.height = `${L.page.height * app.zoom}px`;
  $("overlay").style.setProperty("--z", String(app.zoom));
  $("zoom-label").textContent = `${Math.round(app.zoom / CSS_PX_PER_PT * 100)}%`;
  drawOverlay(); // labels keep their screen size: their offsets depend on the zoom
  updateTiles();
}

function setZoom(zoom) {
  const viewer = $("viewer");
  const sheet = $("sheet");
  // Keep the point at the centre of the window where it is.
  const cx = (viewer.scrollLeft + viewer.clientWidth / 2 - sheet.offsetLeft) / app.zoom;
  const cy = (viewer.scrollTop + viewer.clientHeight / 2 - sheet.offsetTop) / app.zoom;
  app.fitMode = false;
  app.zoom = Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom));
  layoutSheet();
  viewer.scrollLeft = cx * app.zoom + sheet.offsetLeft - viewer.clientWidth / 2;
  viewer.scrollTop = cy * app.zoom + sheet.offsetTop - viewer.clientHeight / 2;
  updateTiles();
}

function updateTiles() {
  const st = app.state;
  const layer = $("tiles");
  if (!st || !st.images) return;
  const im = st.images;
  const need = app.zoom * 72 * (window.devicePixelRatio || 1); // device pixels per inch of page
  let dpi = null;
  if (need > im.dpi * 1.05) dpi = im.tile_dpis.find((d) => d >= need) || im.tile_dpis[im.tile_dpis.length - 1];
  const key = `${st.good_version}/${dpi}/${app.zoom}`;
  if (key !== app.tileKey) { layer.replaceChildren(); app.tiles.clear(); app.tileKey = key; }
  if (dpi === null) return;
  const viewer = $("viewer");
  const sheet = $("sheet");
  const z = app.zoom;
  const tilePt = im.tile_px * 72 / dpi;
  const [nx, ny] = im.tiles[String(dpi)];
  const x0 = (viewer.scrollLeft - sheet.offsetLeft) / z;
  const y0 = (viewer.scrollTop - sheet.offsetTop) / z;
  const x1 = x0 + viewer.clientWidth / z;
  const y1 = y0 + viewer.clientHeight / z;
  for (let ty = Math.max(0, Math.floor(y0 / tilePt)); ty <= Math.min(ny - 1, Math.floor(y1 / tilePt)); ty++) {
    for (let tx = Math.max(0, Math.floor(x0 / tilePt)); tx <= Math.min(nx - 1, Math.floor(x1 / tilePt)); tx++) {
      const k = `${tx},${ty}`;
      if (app.tiles.has(k)) continue;
      const tile = h("img", { class: "tile", alt: "" });
      tile.style.left = `${tx * tilePt * z}px`;
      tile.style.top = `${ty * tilePt * z}px`;
      tile.onload = () => {
        tile.style.width = `${tile.naturalWidth * 72 / dpi * z}px`;
        tile.style.height = `${tile.naturalHeight * 72 / dpi * z}px`;
        tile.classList.add("ready");
      };
      tile.src = im.tile.replace("{dpi}", dpi).replace("{x}", tx).replace("{y}", ty);
      layer.appendChild(tile);
      app.tiles.set(k, tile);
    }
  }
}

// ---------------------------------------------------------------- overlays

function moduleById(L, id) { return L.modules.find((m) => m.id === id); }

function fitRect(L, f) {
  const own = moduleById(L, f.id) || L.frames.find((fr) => fr.id === f.id) || moduleById(L, f.module);
  return own ? own.rect : L.grid.area;
}

function drawOverlay() {
  const L = app.state.layout;
  const svg = $("overlay");
  svg.setAttribute("viewBox", `0 0 ${L.page.width} ${L.page.height}`);
  svg.replaceChildren();
  const group = (name) => s("g", { id: `ov-${name}`, "data-overlay": name }, svg);
  const [ax, ay, aw, ah] = L.grid.area;

  const gb = group("baselines");
  for (let i = 0; i < L.grid.lines; i++) {
    s("rect", { class: "band", x: ax, y: ay + i * L.grid.pitch, width: aw, height: L.grid.em }, gb);
  }
  for (const [x, y, w] of L.baselines) s("line", { class: "baseline", x1: x, y1: y, x2: x + w, y2: y }, gb);

  const gg = group("grid");
  s("rect", { class: "area", x: ax, y: ay, width: aw, height: ah }, gg);
  for (const [x, w] of L.grid.columns) {
    for (const cx of [x, x + w]) s("line", { class: "col", x1: cx, y1: ay, x2: cx, y2: ay + ah }, gg);
  }

  const gf = group("frames");
  for (const f of L.frames) {
    const [x, y, w, hh] = f.rect;
    s("rect", { class: `frame ${f.kind}`, x, y, width: w, height: hh, "data-id": f.id }, gf);
  }
  for (const m of L.modules) {
    const [x, y, w, hh] = m.rect;
    s("rect", { class: "module", x, y, width: w, height: hh, "data-module": m.id }, gf);
    const label = s("text", { class: "label", x: x + w - 4 / app.zoom, y: y + 14 / app.zoom, "text-anchor": "end",
      text: `${m.id} ${m.col}+${m.span}` }, gf);
    s("title", { text: `${m.id}: columns ${m.col}–${m.col + m.span - 1}, lines ${m.top}–${m.bottom}` }, label);
  }

  const go = group("overset");
  for (const f of L.fit) {
    if (f.status === "ok") continue;
    const [x, y, w, hh] = fitRect(L, f);
    // Overset boxes the module in red; underset (empty line slots) is labelled only: a line or
    // two left over is common, and where they are is not part of the fit figures.
    if (f.status === "overset") s("rect", { class: "fitbox overset", x, y, width: w, height: hh, "data-fit": f.id }, go);
    const text = f.status === "overset"
      ? `overset ${f.overset_chars} 字 / ${f.overset_lines} 行`
      : `underset ${f.underset_lines} 行`;
    s("text", { class: `fitlabel ${f.status}`, x: x + 4 / app.zoom, y: y + hh - 6 / app.zoom, text,
      "data-fit": f.id }, go);
  }

  const hits = s("g", { id: "hits" }, svg);
  for (const m of L.modules) {
    const [x, y, w, hh] = m.rect;
    const r = s("rect", { class: "hit", x, y, width: w, height: hh, "data-module": m.id }, hits);
    r.addEventListener("click", () => select(m.id));
  }
  applyOverlays();
  markSelected();
}

function applyOverlays() {
  for (const name of OVERLAYS) {
    const on = app.overlays.has(name);
    const g = $(`ov-${name}`);
    if (g) g.classList.toggle("off", !on);
    $(`toggle-${name}`).checked = on;
  }
}

function toggleOverlay(name, on) {
  if (on) app.overlays.add(name); else app.overlays.delete(name);
  try { localStorage.setItem("paiban.overlays", JSON.stringify([...app.overlays])); } catch (e) { /* none */ }
  applyOverlays();
}

// ---------------------------------------------------------------- side panel

function drawSide() {
  const L = app.state.layout;
  const rows = L.fit.map((f) => {
    const tr = h("tr", { class: f.status, "data-fit": f.id, "data-module": f.module, onclick: () => select(f.module) },
      h("td", { text: f.id }), h("td", { text: f.capacity_lines }), h("td", { text: f.used_lines }),
      h("td", { text: f.overset_lines || f.overset_chars ? `${f.overset_lines} / ${f.overset_chars}` : "0" }),
      h("td", { text: f.underset_lines }));
    return tr;
  });
  $("fit-table").tBodies[0].replaceChildren(...rows);
  const s_ = L.summary;
  $("fit-summary").textContent = `${s_.flows} text flows; ${s_.overset_chars} 字 overset in ${s_.overset_modules}, ` +
    `${s_.underset_lines} 行 underset, ${s_.empty_areas} empty area${s_.empty_areas === 1 ? "" : "s"}.`;
  $("warnings").replaceChildren(...(L.warnings.length ? L.warnings.map((w) => h("li", { text: w }))
    : [h("li", { class: "muted", text: "none" })]));
  const r = app.state.rendered;
  $("rendered").textContent = `render ${app.state.good_version} at ${r.at}, ${r.seconds.toFixed(2)} s`;
  if (app.selected && !moduleById(L, app.selected)) app.selected = null;
  drawDetail();
}

function select(id) {
  app.selected = id;
  markSelected();
  drawDetail();
}

function markSelected() {
  for (const r of document.querySelectorAll("#hits .hit")) r.classList.toggle("selected", r.dataset.module === app.selected);
  for (const tr of $("fit-table").tBodies[0].rows) tr.classList.toggle("selected", tr.dataset.module === app.selected);
}

function drawDetail() {
  const box = $("detail");
  const L = app.state && app.state.layout;
  const m = L && app.selected ? moduleById(L, app.selected) : null;
  if (!m) {
    box.replaceChildren(h("p", { class: "muted", text: "Click a module on the page or a row of the table." }));
    box.dataset.module = "";
    return;
  }
  box.dataset.module = m.id;
  const parts = [h("h3", {}, m.id, " ", h("small", { class: "muted",
    text: `${m.kind} · columns ${m.col}–${m.col + m.span - 1} · lines ${m.top}–${m.bottom}` }))];
  const fits = L.fit.filter((f) => m.fit.includes(f.id));
  for (const f of fits) {
    parts.push(h("h4", { text: `fit 算稿: ${f.id}` }));
    const rows = [["capacity", `${f.capacity_lines} 行`], ["used", `${f.used_lines} 行`],
      ["overset", `${f.overset_lines} 行 / ${f.overset_chars} 字`], ["underset", `${f.underset_lines} 行`],
      ["empty tail", `${f.empty_tail} 行`], ["text", `${f.chars} 字`]];
    parts.push(h("table", { class: `fit-detail ${f.status}`, "data-fit": f.id },
      ...rows.map(([k, v]) => h("tr", { "data-key": k }, h("th", { text: k }), h("td", { text: v })))));
  }
  if (fits.length) {
    const adj = fits.flatMap((f) => f.adjustments);
    if (adj.length) parts.push(h("p", { class: "muted", text: `auto-fit: ${adj.join("; ")}` }));
  }
  if (m.head) {
    parts.push(h("h4", { text: `head 标题: ${m.head.lines} 行` }),
      h("ul", { class: "head-rows" }, ...m.head.rows.map((r) => h("li", {}, h("span", { class: "muted", text: `${r.kind} ${r.size} pt: ` }), r.text))));
  }
  if (m.photos.length) {
    parts.push(h("h4", { text: "photos 图片" }), h("ul", { class: "photos" }, ...m.photos.map((p) => h("li", { "data-file": p.file },
      h("strong", { text: p.file }), ` — ${p.w_mm} × ${p.h_mm} mm, ${p.px[0]} × ${p.px[1]} px, `,
      h("span", { class: "ppi", text: `${p.ppi} ppi` }), ` (${p.crop_px[0]} × ${p.crop_px[1]} px shown${p.fpo ? ", FPO" : ""})`,
      p.caption ? h("div", { class: "muted", text: p.caption }) : null))));
  }
  parts.push(h("h4", { text: "warnings" }), m.warnings.length
    ? h("ul", {}, ...m.warnings.map((w) => h("li", { text: w }))) : h("p", { class: "muted", text: "none" }));
  box.replaceChildren(...parts);
}

// ---------------------------------------------------------------- diff view

async function showDiff() {
  const token = ++app.diffToken;
  const index = app.index;
  $("diff-back").href = `#/page/${index}`;
  $("diff-summary").replaceChildren(h("p", { class: "muted", text: "comparing with the baseline…" }));
  const d = await getJSON(`/api/pages/${index}/diff`);
  if (token !== app.diffToken) return;
  $("crumb").textContent = `page ${index}: diff with the baseline`;
  const imgs = ["baseline", "current", "difference"];
  if (!d.available) {
    $("diff-summary").replaceChildren(h("p", { class: "verdict", text: d.reason }),
      d.hint ? h("p", { class: "muted", text: `hint: ${d.hint}` }) : null);
    for (const w of imgs) $(`diff-${w}`).removeAttribute("src");
    $("diff-structural").replaceChildren();
  } else {
    $("diff-summary").replaceChildren(
      h("p", { class: `verdict ${d.ok ? "ok" : "different"}`, text: d.ok ? "same as the baseline" : "DIFFERENT from the baseline" }),
      h("p", { text: d.pixels }));
    for (const w of imgs) $(`diff-${w}`).src = d.images[w];
    $("diff-structural").replaceChildren(...(d.structural.length ? d.structural.map((line) => h("li", { text: line }))
      : [h("li", { class: "muted", text: "structure unchanged" })]));
  }
  document.body.dataset.view = "diff";
  document.body.dataset.diffVersion = String(d.version);
}

// ---------------------------------------------------------------- live reload

function connect() {
  const events = new EventSource("/events");
  events.addEventListener("hello", () => { $("live").className = "live on"; refresh(); });
  events.addEventListener("page", (e) => {
    const ev = JSON.parse(e.data);
    if (app.route.view === "edition") showEdition();
    else if (ev.page === app.index) refresh();
  });
  events.onerror = () => { $("live").className = "live off"; }; // EventSource reconnects by itself
}

function refresh() {
  const r = app.route.view;
  const p = r === "edition" ? showEdition() : r === "page" ? loadPage() : showDiff();
  p.catch((err) => console.error(err));
}

// ---------------------------------------------------------------- wiring

function init() {
  for (const name of OVERLAYS) $(`toggle-${name}`).addEventListener("change", (e) => toggleOverlay(name, e.target.checked));
  $("zoom-in").addEventListener("click", () => setZoom(app.zoom * ZOOM_STEP));
  $("zoom-out").addEventListener("click", () => setZoom(app.zoom / ZOOM_STEP));
  $("zoom-actual").addEventListener("click", () => setZoom(CSS_PX_PER_PT));
  $("zoom-fit").addEventListener("click", () => { app.fitMode = true; layoutSheet(); });
  $("viewer").addEventListener("scroll", () => requestAnimationFrame(updateTiles), { passive: true });
  $("viewer").addEventListener("wheel", (e) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    setZoom(app.zoom * (e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP));
  }, { passive: false });
  window.addEventListener("resize", () => { if (app.fitMode) layoutSheet(); else updateTiles(); });
  window.addEventListener("keydown", (e) => {
    if (app.route.view !== "page" || e.target.tagName === "INPUT" || e.ctrlKey || e.metaKey) return;
    if (e.key === "+" || e.key === "=") setZoom(app.zoom * ZOOM_STEP);
    else if (e.key === "-") setZoom(app.zoom / ZOOM_STEP);
    else if (e.key === "1") setZoom(CSS_PX_PER_PT);
    else if (e.key === "f") { app.fitMode = true; layoutSheet(); }
  });
  window.addEventListener("hashchange", () => route().catch((err) => console.error(err)));
  applyOverlays();
  route().catch((err) => console.error(err)).finally(connect);
}

init();
