// Drives the page of `mnsim serve` in headless Chromium (playwright-core): it loads with the
// disclaimer and no console errors, fetches nothing but the server, changing needle depth and
// sessions changes the numbers and the after picture, the slider drags, two protocols compare,
// a bad value shows its field's message, .gwy (with a channel) and .sdf uploads are measured;
// takes a screenshot.
// usage: node serve.test.mjs BASE_URL SCREENSHOT_PNG
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [base, shot] = process.argv.slice(2);
if (!base || !shot) {
  console.error('usage: node serve.test.mjs BASE_URL SCREENSHOT_PNG');
  process.exit(2);
}
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const origin = new URL(base).origin;
let expect400 = false; // only the bad-value step may see a 400 answer

const profile = mkdtempSync(join(tmpdir(), 'mnsim-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1400, height: 1100 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('console', (m) => {
    // The bad-value step answers 400 on purpose; Chromium logs that fetch as a console error.
    if (m.type() === 'error' && !(expect400 && /status of 400/.test(m.text())))
      failures.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:')) failures.push(`network request: ${u}`);
  });

  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('body[data-state="ok"]');
  const note = await page.textContent('#disclaimer');
  check(/research simulation/i.test(note) && /not a medical/i.test(note), `disclaimer: "${note}"`);
  for (const id of ['before', 'after', 'day1']) {
    await page.waitForFunction((i) => { const e = document.getElementById(i); return e.complete && e.naturalWidth > 0; }, id);
  }
  const rows = await page.$$eval('#observables tr', (r) => r.length);
  check(rows === 18, `observables table has ${rows} rows (want a header and 17)`);
  check((await page.$$('#plots svg')).length >= 6, 'time-course plots missing');
  check((await page.$$('#plots line.session')).length >= 3 * 6, 'session markers missing');
  for (const g of ['patient', 'device', 'treatment', 'aftercare', 'simulate'])
    check(await page.$(`#group-${g}`) !== null, `control group ${g} missing`);

  // Hover a plot: the value shows.
  const plot = page.locator('#plot-wrinkle_depth_um');
  await plot.scrollIntoViewIfNeeded();
  const pb = await plot.boundingBox();
  await page.mouse.move(pb.x + pb.width * 0.6, pb.y + pb.height / 2);
  const tip = await page.textContent('#tip-wrinkle_depth_um');
  check(/day \d+.*um/.test(tip), `hover tip: "${tip}"`);

  const after = async () => page.$eval('#observables tr[data-name="wrinkle_depth_um"] td.after', (e) => e.textContent);
  const afterSrc = async () => page.getAttribute('#after', 'src');
  const runId = async () => page.getAttribute('body', 'data-run');
  const changeTo = async (sel, value) => {
    const id0 = await runId();
    await page.fill(sel, String(value));
    await page.dispatchEvent(sel, 'change');
    await page.waitForFunction((id) => document.body.dataset.run !== id && document.body.dataset.state === 'ok' && !document.body.dataset.busy, id0);
    await page.waitForFunction(() => { const e = document.getElementById('after'); return e.complete && e.naturalWidth > 0; });
  };
  const pixels = async () => page.$eval('#after', (img) => {
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let s = 0;
    for (let i = 0; i < d.length; i += 4) s += d[i] + 2 * d[i + 1] + 3 * d[i + 2];
    return s;
  });

  // Pin the default protocol as A for the comparison below.
  await page.click('#pin-a');
  const v0 = await after(), src0 = await afterSrc(), px0 = await pixels();
  await changeTo('#f-device-needle_length_mm', 0.5);
  const v1 = await after(), src1 = await afterSrc(), px1 = await pixels();
  check(v1 !== v0, `wrinkle depth after unchanged by needle depth (${v0} → ${v1})`);
  check(src1 !== src0, 'after picture URL unchanged by needle depth');
  check(px1 !== px0, 'after picture pixels unchanged by needle depth');
  await changeTo('#f-treatment-sessions', 1);
  const v2 = await after();
  check(v2 !== v1, `wrinkle depth after unchanged by sessions (${v1} → ${v2})`);
  check(/s=/.test(page.url()) && /needle_length_mm/.test(decodeURIComponent(page.url())), `state not in the URL: ${page.url()}`);

  // A / B: A (defaults) against B (0.5 mm, one session).
  await page.waitForFunction(() => !!document.body.dataset.ab && !document.getElementById('ab').hidden);
  const a = await page.$eval('#ab-table tr[data-name="wrinkle_depth_um"] td.a', (e) => e.textContent);
  const b = await page.$eval('#ab-table tr[data-name="wrinkle_depth_um"] td.b', (e) => e.textContent);
  check(a === v0 && b === v2, `A/B table shows ${a} / ${b}, want ${v0} / ${v2}`);

  // The likely range: three pictures and the model-range note.
  await page.waitForFunction(() => ['p5', 'p50', 'p95'].every((k) => {
    const e = document.getElementById('range-' + k); return e.complete && e.naturalWidth > 0;
  }));
  const rn = await page.textContent('#range-note');
  check(/not a promise/i.test(rn), `range note: "${rn}"`);

  // The slider: press at 20 %, drag to 80 %.
  await page.locator('#cmp').scrollIntoViewIfNeeded();
  const box = await page.locator('#cmp').boundingBox();
  const pos = async () => parseFloat(await page.getAttribute('#cmp', 'data-pos'));
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 0.2 * box.width, y);
  await page.mouse.down();
  check(Math.abs((await pos()) - 20) < 1.5, `slider at ${await pos()} after pressing at 20 %`);
  await page.mouse.move(box.x + 0.8 * box.width, y, { steps: 8 });
  await page.mouse.up();
  check(Math.abs((await pos()) - 80) < 1.5, `slider at ${await pos()} after dragging to 80 %`);
  const clip = await page.$eval('#before', (e) => e.style.clipPath);
  check(/inset\(0(px)? 20/.test(clip), `before clip "${clip}" at 80 %`);

  // The link reproduces the view.
  const link = page.url();
  const page2 = await context.newPage();
  page2.on('pageerror', (e) => failures.push(`page error (link): ${e.message}`));
  await page2.goto(link, { waitUntil: 'load' });
  await page2.waitForSelector('body[data-state="ok"]');
  const nl = await page2.inputValue('#f-device-needle_length_mm');
  const v3 = await page2.$eval('#observables tr[data-name="wrinkle_depth_um"] td.after', (e) => e.textContent);
  check(nl === '0.5' && v3 === v2, `link reproduces needle ${nl} and ${v3} (want 0.5 and ${v2})`);
  await page2.close();

  await page.screenshot({ path: shot, fullPage: false });

  // Measure uploads of the height-map formats that carry their pixel size: a .gwy channel by
  // number (no pixel size sent) and an SDF; the table lists the metrics.
  const corpus = new URL('../../fuzz/corpus/', import.meta.url);
  for (const [file, channel] of [['gwy/channel2_graph.gwy', '2'], ['sdf/int16.sdf', '']]) {
    await page.setInputFiles('#measure-file', {
      name: file.split('/')[1], mimeType: 'application/octet-stream',
      buffer: readFileSync(new URL(file, corpus)),
    });
    await page.fill('#measure-channel', channel);
    const answer = page.waitForResponse((r) => r.url().includes('/api/measure'));
    await page.click('#measure-go');
    const r = await answer;
    const url = new URL(r.url());
    check(r.status() === 200, `measure ${file}: status ${r.status()}`);
    check(!url.searchParams.has('pixel_um'), `measure ${file} sent a pixel size: ${url.search}`);
    check(url.searchParams.get('channel') === (channel || null), `measure ${file} channel: ${url.search}`);
    await page.waitForFunction(() => /Sa_um/.test(document.querySelector('#measure-table').textContent));
  }

  // A bad value: its field's message, at the field.
  expect400 = true;
  await page.fill('#f-patient-age_years', '230');
  await page.dispatchEvent('#f-patient-age_years', 'change');
  await page.waitForSelector('body[data-state="error"]');
  const msg = await page.textContent('#err-f-patient-age_years');
  check(/patient\.age_years: 230 is out of range \(allowed 18 to 100 years\)/.test(msg), `field message: "${msg}"`);
  check(await page.$('#row-f-patient-age_years.bad') !== null, 'bad field not marked');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('serve page: disclaimer, controls, runs, pictures, plots, range, A/B, slider, URL state, field errors, gwy/sdf measure; no console errors; screenshot', shot);
