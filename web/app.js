// mnsim serve: the interactive before-and-after (docs/serve.md). Vanilla JS, no network but
// this server. The state is the set of fields changed from the defaults, kept in the URL hash.
'use strict';

const GROUPS = [
  ['patient', 'Patient', ['patient']],
  ['device', 'Device', ['device']],
  ['treatment', 'Protocol and treatment', ['treatment']],
  ['aftercare', 'Aftercare', ['aftercare']],
  ['simulate', 'Simulate', ['simulate']],
  ['advanced', 'Advanced: output and the range cohort', ['output', 'cohort']],
];
const PLOTS = [
  ['wrinkle_depth_um', 'Wrinkle depth'], ['wrinkle_grade', 'Wrinkle grade'],
  ['collagen_total_rel', 'Collagen (total, relative)'], ['dermis_modulus_kpa', 'Dermal stiffness'],
  ['epidermis_um', 'Epidermis'], ['erythema', 'Redness (Δa*)'], ['tewl_rel', 'TEWL (relative)'],
  ['edema_rel', 'Swelling (relative)'],
];
// For the colours of the table: which direction is better.
const LOWER_IS_BETTER = new Set(['wrinkle_depth_um', 'wrinkle_grade', 'Sa_um', 'Sq_um', 'Sz_um',
  'erythema', 'edema_rel', 'tewl_rel', 'pih_risk', 'pain_vas']);

const $ = (id) => document.getElementById(id);
const fieldId = (path) => 'f-' + path.replace(/\./g, '-');
let schema = null;
let byPath = {};
let changes = {};   // path -> value (JSON) for fields not at their default
let pinnedA = null; // {changes, run}
let lastRun = null;
let runSeq = 0, rangeSeq = 0;

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
const svgEl = (tag, attrs = {}) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};
const fmt = (v, d = 4) => (typeof v === 'number' && isFinite(v)) ? Number(v.toPrecision(d)).toString() : '–';

function scenarioOf(ch) {
  const sc = { mnsim: 1 };
  for (const [path, v] of Object.entries(ch)) {
    const [sec, key] = path.split('.');
    (sc[sec] = sc[sec] || {})[key] = v;
  }
  return sc;
}

async function post(url, body) {
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body) });
  const data = await r.json().catch(() => ({ error: `HTTP ${r.status}` }));
  return { ok: r.ok, status: r.status, data };
}

// ---- Controls -------------------------------------------------------------------------

function sessionsCount(v) { return Array.isArray(v) ? v.length : v; }

function defaultOf(f) { return f.type === 'sessions' ? sessionsCount(f.default) : f.default; }

function controlValue(f) {
  const root = $(fieldId(f.path));
  switch (f.type) {
    case 'boolean': return root.checked;
    case 'adjuncts': return [...root.querySelectorAll('input:checked')].map((i) => i.value);
    case 'enum': case 'skin_type': return root.value;
    case 'string': return root.value;
    case 'distribution': case 'weights': {
      const t = root.value.trim();
      try { return JSON.parse(t); } catch { return t; }
    }
    default: {
      const t = root.value.trim();
      const n = Number(t);
      return t !== '' && isFinite(n) ? n : t;
    }
  }
}

function setControl(f, v) {
  const root = $(fieldId(f.path));
  if (!root) return;
  switch (f.type) {
    case 'boolean': root.checked = !!v; break;
    case 'adjuncts':
      for (const i of root.querySelectorAll('input')) i.checked = v.includes(i.value);
      break;
    case 'distribution': case 'weights':
      root.value = typeof v === 'string' ? v : JSON.stringify(v); break;
    case 'sessions': root.value = sessionsCount(v); break;
    default: root.value = v;
  }
}

function rangeHint(f) {
  const unit = f.unit ? ` ${f.unit}` : '';
  if (f.type === 'sessions') return `1 to ${f.max} sessions (every interval_weeks)`;
  if (f.min !== undefined && ['number', 'integer', 'seed'].includes(f.type))
    return `${fmt(f.min, 6)} to ${fmt(f.max, 6)}${unit}, default ${fmt(defaultOf(f), 6)}`;
  if (f.names) return `default ${JSON.stringify(defaultOf(f))}`;
  return '';
}

function buildControls() {
  const groups = $('groups');
  groups.textContent = '';
  for (const [gid, title, sections] of GROUPS) {
    const box = gid === 'advanced' ? el('details', { id: 'group-' + gid }, el('summary', { text: title }))
      : el('fieldset', { id: 'group-' + gid }, el('legend', { text: title }));
    for (const f of schema.fields) {
      if (!sections.includes(f.section)) continue;
      const id = fieldId(f.path);
      const words = f.key.replace(/_(mm_s|mm|um|years|weeks|hz|days|per_day|pct)$/, '').replace(/_/g, ' ');
      const label = el('label', { for: id, text: words + (f.unit ? ` (${f.unit})` : ''), title: f.help });
      let input;
      if (f.type === 'boolean') input = el('input', { type: 'checkbox', id });
      else if (f.type === 'enum' || f.type === 'skin_type') {
        input = el('select', { id });
        for (const n of f.names) input.append(el('option', { value: n, text: n }));
      } else if (f.type === 'adjuncts') {
        input = el('div', { id, class: 'checks' });
        for (const n of f.names)
          input.append(el('label', {}, el('input', { type: 'checkbox', value: n }), ' ' + n.replace(/_/g, ' ')));
      } else if (['number', 'integer', 'seed', 'sessions'].includes(f.type)) {
        const step = f.type === 'number' ? 'any' : '1';
        input = el('input', { type: 'number', id, step, min: f.type === 'sessions' ? 1 : f.min,
          max: f.type === 'sessions' ? f.max : f.max });
      } else input = el('input', { type: 'text', id });
      const row = el('div', { class: 'field', id: 'row-' + id }, label);
      if (f.type === 'adjuncts') row.append(el('span'), input); else row.append(input);
      row.append(el('span', { class: 'hint', text: rangeHint(f) }));
      row.append(el('span', { class: 'ferr', id: 'err-' + id }));
      box.append(row);
      input.addEventListener('change', () => onControl(f));
      if (input.tagName === 'INPUT' && input.type === 'number') input.addEventListener('input', () => onControl(f));
    }
    groups.append(box);
  }
  for (const f of schema.fields) setControl(f, f.path in changes ? changes[f.path] : defaultOf(f));
}

function onControl(f) {
  const v = controlValue(f);
  if (JSON.stringify(v) === JSON.stringify(defaultOf(f))) delete changes[f.path];
  else changes[f.path] = v;
  saveState();
  scheduleRun();
}

function showFieldError(field, message) {
  for (const e of document.querySelectorAll('.field.bad')) e.classList.remove('bad');
  for (const e of document.querySelectorAll('.ferr')) e.textContent = '';
  const box = $('error');
  if (!message) { box.hidden = true; box.textContent = ''; return; }
  box.hidden = false;
  box.textContent = message;
  if (field && $(fieldId(field))) {
    $('row-' + fieldId(field)).classList.add('bad');
    $('err-' + fieldId(field)).textContent = message;
  }
}

// ---- State in the URL -------------------------------------------------------------------

function saveState() {
  const p = new URLSearchParams();
  if (Object.keys(changes).length) p.set('s', JSON.stringify(changes));
  if (pinnedA) p.set('a', JSON.stringify(pinnedA.changes));
  const h = p.toString();
  history.replaceState(null, '', h ? '#' + h : location.pathname);
}

function loadState() {
  const p = new URLSearchParams(location.hash.slice(1));
  try { changes = JSON.parse(p.get('s') || '{}') || {}; } catch { changes = {}; }
  try { const a = p.get('a'); if (a) pinnedA = { changes: JSON.parse(a), run: null }; } catch { pinnedA = null; }
}

// ---- Runs -------------------------------------------------------------------------------

let runTimer = null;
function scheduleRun() {
  clearTimeout(runTimer);
  runTimer = setTimeout(run, 250);
}

async function run() {
  const seq = ++runSeq;
  $('status').textContent = 'simulating…';
  document.body.dataset.busy = '1';
  const r = await post('/api/run', scenarioOf(changes));
  if (seq !== runSeq) return;
  delete document.body.dataset.busy;
  if (!r.ok) {
    $('status').textContent = `not run: ${r.data.error}`;
    document.body.dataset.state = 'error';
    showFieldError(r.data.field, r.data.error);
    return;
  }
  showFieldError(null, null);
  lastRun = r.data;
  document.body.dataset.state = 'ok';
  document.body.dataset.run = r.data.id;
  $('status').textContent = `run ${r.data.id}`;
  $('timing').textContent = `(${fmt(r.data.elapsed_ms.total, 3)} ms on the server)`;
  showRun(r.data);
  scheduleRange();
  if (pinnedA) showAB();
}

function showRun(d) {
  const im = d.images, days = d.image_days;
  $('before').src = im.before; $('after').src = im.after;
  $('thumb-before').src = im.before; $('thumb-after').src = im.after; $('day1').src = im.day1;
  $('day1-cap').textContent = `day ${fmt(days.day1)}`;
  $('after-cap').textContent = `after, day ${fmt(days.after)}`;
  $('after-tag').textContent = `after (day ${fmt(days.after)})`;
  $('full-before').href = d.images_full.before; $('full-day1').href = d.images_full.day1;
  $('full-after').href = d.images_full.after;
  const obs = d.results.observables;
  $('downtime').textContent = `${fmt(d.downtime_days, 3)} days of Δa* ≥ ${fmt(d.downtime_threshold)} over the course`;
  $('pain').textContent = d.pain_vas.map((v, i) => `#${i + 1}: ${fmt(v, 2)}`).join(', ') + ' (VAS 0–10)';
  $('grade').textContent = `${fmt(obs.wrinkle_grade.baseline, 3)} → ${fmt(obs.wrinkle_grade.final, 3)} (Lemperle 0–5)`;
  table(obs);
  plots(d.results);
}

function change(b, f) {
  return Math.abs(b) > 1e-9 ? `${f - b >= 0 ? '+' : ''}${(100 * (f - b) / Math.abs(b)).toFixed(1)}%`
    : `${f - b >= 0 ? '+' : ''}${fmt(f - b, 3)}`;
}

function table(obs) {
  const t = $('observables');
  t.textContent = '';
  t.append(el('tr', {}, ...['observable', 'unit', 'before', 'peak', 'after', 'change'].map((h) => el('th', { text: h }))));
  for (const [name, o] of Object.entries(obs)) {
    const c = el('td', { text: change(o.baseline, o.final) });
    const better = LOWER_IS_BETTER.has(name) ? o.final < o.baseline : o.final > o.baseline;
    if (Math.abs(o.final - o.baseline) > 1e-9 * Math.max(1, Math.abs(o.baseline))) c.className = better ? 'better' : 'worse';
    t.append(el('tr', { 'data-name': name }, el('td', { text: name }), el('td', { text: o.unit }),
      el('td', { class: 'before', text: fmt(o.baseline) }), el('td', { text: fmt(o.peak) }),
      el('td', { class: 'after', text: fmt(o.final) }), c));
  }
}

// ---- Time-course plots ------------------------------------------------------------------

function plots(res) {
  const box = $('plots');
  box.textContent = '';
  for (const [name, title] of PLOTS) {
    const o = res.observables[name];
    if (o) box.append(plot(name, title, o, res.session_days));
  }
}

function plot(name, title, o, sessions) {
  const W = 300, H = 150, L = 44, R = 8, T = 18, B = 24;
  const days = o.days, vals = o.values;
  let lo = Math.min(o.baseline, ...vals), hi = Math.max(o.baseline, ...vals);
  if (!(hi > lo)) { hi = lo + 1; lo -= 1; }
  const pad = 0.05 * (hi - lo); lo -= pad; hi += pad;
  const d0 = 0, d1 = days.length ? days[days.length - 1] : 1;
  const x = (d) => L + (W - L - R) * (d - d0) / ((d1 - d0) || 1);
  const y = (v) => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
  const svg = svgEl('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, id: 'plot-' + name });
  svg.append(svgEl('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: '#999' }));
  svg.append(svgEl('line', { x1: L, y1: T, x2: L, y2: H - B, stroke: '#999' }));
  for (const s of sessions) {
    svg.append(svgEl('line', { x1: x(s), x2: x(s), y1: T, y2: H - B, stroke: '#d08a2b',
      'stroke-dasharray': '3 2', class: 'session' }));
  }
  let dpath = '';
  for (let i = 0; i < days.length; ++i) dpath += `${i ? 'L' : 'M'}${x(days[i]).toFixed(1)},${y(vals[i]).toFixed(1)}`;
  svg.append(svgEl('path', { d: dpath, fill: 'none', stroke: '#2a5d8f', 'stroke-width': 1.5 }));
  const text = (tx, ty, s, anchor = 'start') => {
    const t = svgEl('text', { x: tx, y: ty, 'font-size': 10, fill: '#555', 'text-anchor': anchor });
    t.textContent = s; return t;
  };
  svg.append(text(L, 12, `${title} (${o.unit})`));
  svg.append(text(L - 3, T + 4, fmt(hi, 3), 'end'), text(L - 3, H - B, fmt(lo, 3), 'end'));
  svg.append(text(L, H - 8, '0'), text(W - R, H - 8, `${fmt(d1)} days`, 'end'));
  const dot = svgEl('circle', { r: 3, fill: '#b3261e', visibility: 'hidden' });
  const cursor = svgEl('line', { y1: T, y2: H - B, stroke: '#bbb', visibility: 'hidden' });
  svg.append(cursor, dot);
  const tip = el('div', { class: 'tip', id: 'tip-' + name, text: ' ' });
  svg.addEventListener('mousemove', (ev) => {
    const r = svg.getBoundingClientRect();
    const day = d0 + (ev.clientX - r.left - L) / (W - L - R) * (d1 - d0);
    let best = 0;
    for (let i = 1; i < days.length; ++i) if (Math.abs(days[i] - day) < Math.abs(days[best] - day)) best = i;
    if (!days.length) return;
    dot.setAttribute('cx', x(days[best])); dot.setAttribute('cy', y(vals[best]));
    cursor.setAttribute('x1', x(days[best])); cursor.setAttribute('x2', x(days[best]));
    dot.setAttribute('visibility', 'visible'); cursor.setAttribute('visibility', 'visible');
    const near = sessions.find((s) => Math.abs(s - days[best]) < 0.5);
    tip.textContent = `day ${fmt(days[best])}: ${fmt(vals[best])} ${o.unit}` +
      (near !== undefined ? ` (session on day ${fmt(near)})` : '');
  });
  svg.addEventListener('mouseleave', () => {
    dot.setAttribute('visibility', 'hidden'); cursor.setAttribute('visibility', 'hidden');
  });
  return el('div', { class: 'plot' }, svg, tip);
}

// ---- The likely range -------------------------------------------------------------------

let rangeTimer = null;
function scheduleRange() {
  clearTimeout(rangeTimer);
  rangeTimer = setTimeout(range, 400);
}

async function range() {
  const seq = ++rangeSeq;
  $('range-status').textContent = '(computing…)';
  const r = await post('/api/range', scenarioOf(changes));
  if (seq !== rangeSeq) return;
  if (!r.ok) { $('range-status').textContent = `(${r.data.error})`; return; }
  const d = r.data;
  $('range-status').textContent = `(${d.patients} virtual patients, ${Math.round(100 * d.responder_fraction)} % improve by a whole grade)`;
  $('range-note').textContent = d.note;
  for (const k of ['p5', 'p50', 'p95']) {
    const p = d.percentiles[k];
    $('range-' + k).src = p.image;
    $(`range-${k}-cap`).textContent = `${fmt(p.percentile, 2)}th percentile: grade ${fmt(p.grade_before, 3)} → ${fmt(p.grade_after, 3)} (−${fmt(p.improvement, 2)})`;
  }
  document.body.dataset.range = d.id;
}

// ---- A / B ------------------------------------------------------------------------------

const AB_ROWS = ['wrinkle_depth_um', 'wrinkle_grade', 'collagen_total_rel', 'dermis_modulus_kpa',
  'epidermis_um', 'pih_risk'];

async function showAB() {
  if (!pinnedA) { $('ab').hidden = true; $('clear-a').hidden = $('swap-ab').hidden = true; return; }
  if (!pinnedA.run) {
    const r = await post('/api/run', scenarioOf(pinnedA.changes));
    if (!r.ok) { pinnedA = null; saveState(); return; }
    pinnedA.run = r.data;
  }
  const a = pinnedA.run, b = lastRun;
  if (!b) return;
  $('ab').hidden = false; $('clear-a').hidden = $('swap-ab').hidden = false;
  $('ab-a').src = a.images.after; $('ab-b').src = b.images.after;
  const desc = (ch) => Object.keys(ch).length ? Object.entries(ch).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ') : 'defaults';
  $('ab-a-cap').textContent = `A: ${desc(pinnedA.changes)}`;
  $('ab-b-cap').textContent = `B (current): ${desc(changes)}`;
  const t = $('ab-table');
  t.textContent = '';
  t.append(el('tr', {}, ...['after', 'unit', 'A', 'B', 'B − A'].map((h) => el('th', { text: h }))));
  const rows = AB_ROWS.map((n) => [n, a.results.observables[n], b.results.observables[n]]);
  for (const [n, oa, ob] of rows)
    t.append(el('tr', { 'data-name': n }, el('td', { text: n }), el('td', { text: oa.unit }),
      el('td', { class: 'a', text: fmt(oa.final) }), el('td', { class: 'b', text: fmt(ob.final) }),
      el('td', { text: fmt(ob.final - oa.final, 3) })));
  t.append(el('tr', { 'data-name': 'downtime_days' }, el('td', { text: 'downtime' }), el('td', { text: 'days' }),
    el('td', { class: 'a', text: fmt(a.downtime_days, 3) }), el('td', { class: 'b', text: fmt(b.downtime_days, 3) }),
    el('td', { text: fmt(b.downtime_days - a.downtime_days, 3) })));
  document.body.dataset.ab = `${a.id}:${b.id}`;
}

// ---- YAML and measurement ----------------------------------------------------------------

async function downloadYaml() {
  const r = await post('/api/yaml', scenarioOf(changes));
  if (!r.ok) { showFieldError(r.data.field, r.data.error); return; }
  const url = URL.createObjectURL(new Blob([r.data.yaml], { type: 'text/yaml' }));
  const a = el('a', { href: url, download: 'scenario.yaml' });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// A resolved scenario (as /api/from-yaml returns it) as changes from the defaults.
function changesOf(sc) {
  const ch = {};
  for (const f of schema.fields) {
    let v = (sc[f.section] || {})[f.key];
    if (v === undefined) continue;
    if (f.type === 'sessions') {
      const t = sc.treatment, d = sc.device;
      const even = v.every((s, i) => Math.abs(s.week - i * t.interval_weeks) < 1e-9 &&
        s.needle_length_mm === d.needle_length_mm && s.passes === d.passes);
      v = even ? v.length : v;
    }
    if (JSON.stringify(v) !== JSON.stringify(defaultOf(f))) ch[f.path] = v;
  }
  return ch;
}

async function loadYaml(file) {
  const text = await file.text();
  const r = await post('/api/from-yaml', { yaml: text, name: file.name });
  if (!r.ok) { showFieldError(r.data.field, r.data.error); return; }
  changes = changesOf(r.data.scenario);
  for (const f of schema.fields) setControl(f, f.path in changes ? changes[f.path] : defaultOf(f));
  saveState();
  scheduleRun();
}

async function measure() {
  const file = $('measure-file').files[0];
  if (!file) return;
  const px = $('measure-pixel').value;
  const channel = $('measure-channel').value.trim();
  // Height-map formats carry their pixel size; photos and CSV need the one typed in.
  const sized = /\.(gsf|gwy|sdf)$/i.test(file.name);
  const args = new URLSearchParams();
  if (!sized) args.set('pixel_um', px);
  if (channel && /\.gwy$/i.test(file.name)) args.set('channel', channel);
  const url = '/api/measure' + (args.toString() ? `?${args}` : '');
  const r = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file });
  const d = await r.json();
  const t = $('measure-table');
  t.textContent = '';
  if (!r.ok) { t.append(el('tr', {}, el('td', { class: 'worse', text: d.error }))); return; }
  for (const [k, v] of Object.entries(d))
    if (typeof v === 'number') t.append(el('tr', {}, el('td', { text: k }), el('td', { text: fmt(v) })));
}

// ---- The comparison slider ---------------------------------------------------------------

function setSlider(pct) {
  pct = Math.max(0, Math.min(100, pct));
  const cmp = $('cmp');
  cmp.dataset.pos = pct.toFixed(1);
  $('before').style.clipPath = `inset(0 ${(100 - pct).toFixed(1)}% 0 0)`;
  $('handle').style.left = `${pct.toFixed(1)}%`;
}

function initSlider() {
  const cmp = $('cmp');
  let down = false;
  const at = (ev) => {
    const r = cmp.getBoundingClientRect();
    setSlider(100 * (ev.clientX - r.left) / r.width);
  };
  cmp.addEventListener('pointerdown', (ev) => { down = true; cmp.setPointerCapture(ev.pointerId); at(ev); });
  cmp.addEventListener('pointermove', (ev) => { if (down) at(ev); });
  cmp.addEventListener('pointerup', () => { down = false; });
  cmp.addEventListener('pointercancel', () => { down = false; });
  setSlider(50);
}

// ---- Start ----------------------------------------------------------------------------------

async function start() {
  initSlider();
  const r = await fetch('/api/schema');
  schema = await r.json();
  for (const f of schema.fields) byPath[f.path] = f;
  $('disclaimer').textContent = schema.note;
  $('footer-note').textContent = `mnsim ${schema.version}. ${schema.note}`;
  loadState();
  buildControls();
  $('reset').addEventListener('click', () => {
    changes = {};
    for (const f of schema.fields) setControl(f, defaultOf(f));
    saveState(); scheduleRun();
  });
  $('download-yaml').addEventListener('click', downloadYaml);
  $('load-yaml').addEventListener('change', (ev) => { if (ev.target.files[0]) loadYaml(ev.target.files[0]); });
  $('measure-go').addEventListener('click', measure);
  $('pin-a').addEventListener('click', () => {
    pinnedA = { changes: { ...changes }, run: lastRun };
    saveState(); showAB();
  });
  $('clear-a').addEventListener('click', () => { pinnedA = null; saveState(); showAB(); });
  $('swap-ab').addEventListener('click', () => {
    if (!pinnedA) return;
    changes = { ...pinnedA.changes };
    for (const f of schema.fields) setControl(f, f.path in changes ? changes[f.path] : defaultOf(f));
    saveState(); scheduleRun();
  });
  window.addEventListener('hashchange', () => {
    loadState();
    for (const f of schema.fields) setControl(f, f.path in changes ? changes[f.path] : defaultOf(f));
    scheduleRun();
  });
  run();
}

document.addEventListener('DOMContentLoaded', start);
