// Loads mnsim's report.html in headless Chromium (playwright-core), checks that it has no
// console errors and fetches nothing from a network, that its images decode, drags the
// before/after slider and takes a screenshot.
// usage: node report.test.mjs REPORT_HTML SCREENSHOT_PNG
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

const [report, shot] = process.argv.slice(2);
if (!report || !shot) {
  console.error('usage: node report.test.mjs REPORT_HTML SCREENSHOT_PNG');
  process.exit(2);
}
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
  page.on('console', (m) => { if (m.type() === 'error') failures.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:')) failures.push(`network request: ${u}`);
  });
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });

  const text = await page.textContent('#disclaimer');
  check(/research simulation/i.test(text) && /not a medical/i.test(text), 'disclaimer missing');
  for (const id of ['before', 'after', 'day1']) {
    const w = await page.$eval(`#${id}`, (img) => img.complete ? img.naturalWidth : 0);
    check(w > 0, `image #${id} did not decode`);
  }
  const rows = await page.$$eval('#observables tr', (r) => r.length);
  check(rows >= 18, `observables table has ${rows} rows (want a header and 17)`);
  check(await page.$('#timecourse svg') !== null, 'time-course SVG missing');

  // Drag the comparison line from 20 % to 80 % of the picture's width.
  await page.locator('#cmp').scrollIntoViewIfNeeded();
  const box = await page.locator('#cmp').boundingBox();
  const pos = async () => parseFloat(await page.getAttribute('#cmp', 'data-pos'));
  check(Math.abs((await pos()) - 50) < 0.5, 'slider does not start at 50 %');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 0.2 * box.width, y);
  await page.mouse.down();
  check(Math.abs((await pos()) - 20) < 1, `slider at ${await pos()} after pressing at 20 %`);
  await page.mouse.move(box.x + 0.8 * box.width, y, { steps: 8 });
  await page.mouse.up();
  const end = await pos();
  check(Math.abs(end - 80) < 1, `slider at ${end} after dragging to 80 %`);
  const clip = await page.$eval('#before', (e) => e.style.clipPath);
  check(/inset\(0(px)? 20/.test(clip), `before picture clip is "${clip}" at 80 %`);
  const handle = await page.$eval('#handle', (e) => e.style.left);
  check(parseFloat(handle) > 79 && parseFloat(handle) < 81, `handle at ${handle}`);

  await page.screenshot({ path: shot, fullPage: false });
} finally {
  await browser.close();
}
if (failures.length) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('report.html: no console errors, offline, images decode, slider drags; screenshot', shot);
