// report.test.mjs - lsr report's HTML in a real headless Chromium (Debian's
// /usr/bin/chromium, driven by puppeteer-core; no browser is downloaded).
//
// Run by tests/cli/t8402-report-browser.sh, which builds the example
// review (examples/msc-cirrhosis/run.sh) and its report, and passes in the
// environment:
//   REPORT     the report's index.html (opened as a file: URL, offline)
//   SVGS       how many SVG figure files lsr wrote beside it
//   SHOTS      where to save the full-page screenshot for a person to look at
//   SHOT_NAME  its file name (default report.png)
//   CHROMIUM   the browser (default /usr/bin/chromium)
//   FIRST      1: the report of update 0 (no "What changed" section)
//
// Checks (issue 15): the page loads with no console error, no page error
// and no request but the page itself (the report is one self-contained
// file: every other request fails the test and is aborted); every section
// heading is there; every figure is inline and rendered at a non-zero
// size, the forest plots with their risk-of-bias columns and legend; the
// summary-of-findings table and the PRISMA flow have their content; and
// it saves a full-page screenshot.  Prints "ok N - what" / "not ok N -
// what" and "1..N"; exits 1 on a failure.
import puppeteer from 'puppeteer-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPORT = process.env.REPORT;
const SVGS = Number(process.env.SVGS || 0);
const SHOTS = process.env.SHOTS || '.';
const SHOT_NAME = process.env.SHOT_NAME || 'report.png';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FIRST = process.env.FIRST === '1';
let n = 0, failed = 0;

function check(ok, what, detail) {
	n++;
	if (ok) console.log(`ok ${n} - ${what}`);
	else {
		failed++;
		console.log(`not ok ${n} - ${what}${detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`);
	}
}

mkdirSync(SHOTS, { recursive: true });
const url = pathToFileURL(REPORT).href;
const others = [];   // requests for anything but the page itself
const consoled = []; // console messages of type error or warning
const errors = [];   // uncaught page errors

const browser = await puppeteer.launch({
	executablePath: CHROMIUM,
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync',
		'--metrics-recording-only', '--no-default-browser-check'],
});
try {
	const page = await browser.newPage();
	await page.setViewport({ width: 1200, height: 900 });
	await page.setRequestInterception(true);
	page.on('request', req => {
		if (req.url() === url) req.continue();
		else { others.push(req.url()); req.abort('internetdisconnected'); }
	});
	page.on('console', m => { if (m.type() === 'error' || m.type() === 'warn') consoled.push(m.text()); });
	page.on('pageerror', e => errors.push(e.message));
	const res = await page.goto(url, { waitUntil: 'load' });
	check(res && res.ok(), 'the report loads from its file', res && res.status());

	const h2 = await page.$$eval('h2', hs => hs.map(h => h.textContent.trim()));
	const changed = /^What changed since update \d+$/;
	if (FIRST)
		check(!h2.some(h => changed.test(h)), 'no "What changed" section in update 0', h2);
	for (const want of [/^Summary of findings$/, ...(FIRST ? [] : [changed]), /^Methods$/, /^Searches$/,
		/^PRISMA 2020 flow$/, /^Characteristics of included studies$/, /^Excluded full-text reports$/,
		/^Risk of bias \((RoB 1|RoB 2)\)$/, /^Meta-analyses$/, /^Published results and this review$/,
		/^Adverse events$/])
		check(h2.some(h => want.test(h)), `section heading ${want.source}`, h2);
	const h3 = await page.$$eval('h3', hs => hs.map(h => h.textContent.trim()));
	for (const want of ['Sources and searches', 'Deduplication', 'Selection of studies',
		'Data extraction and risk of bias', 'Analyses', 'References'])
		check(h3.includes(want), `methods subsection "${want}"`, h3);
	check(await page.$$eval('.alert li', li => li.some(x => /eligibility/.test(x.textContent))),
		'the red box flags the eligibility of included studies');

	// figures: inline SVG, each rendered, as many as the files beside the report
	const figs = await page.$$eval('figure', fs => fs.map(f => {
		const s = f.querySelector('svg');
		const r = s ? s.getBoundingClientRect() : { width: 0, height: 0 };
		const a = f.querySelector('figcaption a');
		return { file: a ? a.getAttribute('href') : '', w: r.width, h: r.height,
			 text: s ? s.textContent : '' };
	}));
	check(figs.length > 0 && figs.length === SVGS, `one inline figure per SVG file (${SVGS})`, figs.length);
	const blank = figs.filter(f => !(f.w > 50 && f.h > 50));
	check(blank.length === 0, 'every figure is rendered at a non-zero size', blank.map(f => f.file));
	const img = await page.$$eval('img, script, link, iframe, object, embed',
		xs => xs.map(x => x.outerHTML.slice(0, 80)));
	check(img.length === 0, 'no image, script, stylesheet or frame to load', img);
	const forests = figs.filter(f => /^forest-/.test(f.file));
	check(forests.length > 0, 'forest plots', figs.map(f => f.file));
	const withRob = forests.filter(f => f.text.includes('Risk of bias legend'));
	check(withRob.length > 0, 'forest plots with risk-of-bias columns and legend',
		forests.map(f => f.file));
	const dots = await page.$$eval('figure svg title', ts => ts.filter(t =>
		/: (Low risk of bias|Unclear risk of bias|High risk of bias|Some concerns)$/.test(t.textContent)).length);
	check(dots > 0, 'risk-of-bias dots with their tooltips in the forest plots', dots);
	const prisma = figs.find(f => /^prisma/.test(f.file));
	check(prisma && /Records screened/.test(prisma.text) && /Studies included|New studies included/.test(prisma.text),
		'the PRISMA flow diagram', prisma && prisma.file);
	check(figs.some(f => /^rob-traffic-light/.test(f.file)) && figs.some(f => /^rob-summary/.test(f.file)),
		'risk-of-bias traffic-light and summary figures', figs.map(f => f.file));

	// the summary-of-findings table: a certainty per outcome
	const sof = await page.evaluate(() => {
		const h = [...document.querySelectorAll('h2')].find(x => x.textContent === 'Summary of findings');
		let t = h && h.nextElementSibling;
		while (t && t.tagName !== 'TABLE') t = t.nextElementSibling;
		return t ? [...t.querySelectorAll('tr')].slice(2).map(r => r.textContent) : null;
	});
	check(sof && sof.length > 0 && sof.every(r => /(High|Moderate|Low|Very low|not graded)/i.test(r)),
		'summary of findings: a row per outcome with its certainty', sof);
	const excl = await page.evaluate(() => {
		const h = [...document.querySelectorAll('h2')].find(x => x.textContent === 'Excluded full-text reports');
		const t = h && h.nextElementSibling;
		return t && t.tagName === 'TABLE' ? t.querySelectorAll('tr').length - 1 : 0;
	});
	check(excl > 0, 'the table of excluded full-text reports has rows', excl);
	const text = await page.evaluate(() => document.body.innerText);
	check(!/\bnan\b|\binf\b|undefined|\(null\)/i.test(text), 'no nan, inf, undefined or (null) in the text');
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	check(width <= 1200, 'nothing wider than the window (figures scale down)', width);

	const shot = join(SHOTS, SHOT_NAME);
	await page.screenshot({ path: shot, fullPage: true });
	console.log(`# screenshot: ${shot}`);
	check(true, 'full-page screenshot saved');
	check(consoled.length === 0, 'no console error or warning', consoled);
	check(errors.length === 0, 'no page error', errors);
	check(others.length === 0, 'no request but the report itself (offline, self-contained)', others);
} catch (e) {
	check(false, 'the browser scenario ran', e.stack || String(e));
} finally {
	await browser.close();
}
console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
