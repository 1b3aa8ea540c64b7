// lib.mjs - what the browser tests share: Debian's Chromium, headless,
// through puppeteer-core (no browser is downloaded), and pages that may
// reach the server under test only.
import puppeteer from 'puppeteer-core';

export function launch(chromium) {
	return puppeteer.launch({
		executablePath: chromium || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync',
			'--metrics-recording-only', '--no-default-browser-check'],
	});
}

// A page of its own (its own cookies) that may reach url only: every
// request goes into log.requests, one to anything else into log.offsite
// (and fails as with no network), an alert/confirm/prompt into
// log.dialogs (a script ran).  watchOnly: requests are only logged, not
// held for the test to let through (each one a round trip to node: on
// t3113's 4,000 decisions, a fifth of the CPU time).
export async function newPage(browser, url, log, watchOnly) {
	const ctx = await browser.createBrowserContext();
	const page = await ctx.newPage();
	await page.setViewport({ width: 1200, height: 900 });
	await page.setRequestInterception(!watchOnly);
	page.on('request', req => {
		const ours = req.url().startsWith(url + '/');

		if (!watchOnly) log.requests.push(req.url());
		if (!ours) log.offsite.push(req.url());
		if (watchOnly) return;
		if (ours) req.continue();
		else req.abort('internetdisconnected');
	});
	page.on('dialog', d => { log.dialogs.push(d.message()); d.dismiss(); });
	page.on('pageerror', e => console.log('# page error: ' + e.message));
	return page;
}

// TAP-like lines: check() prints "ok N - what" or "not ok N - what: detail";
// done() prints the plan and gives the exit status.
export const tap = { n: 0, failed: 0 };

export function check(ok, what, detail) {
	tap.n++;
	if (ok) console.log(`ok ${tap.n} - ${what}`);
	else {
		tap.failed++;
		console.log(`not ok ${tap.n} - ${what}${detail !== undefined ? ': ' + JSON.stringify(detail) : ''}`);
	}
	return ok;
}

export function done() {
	console.log(`1..${tap.n}`);
	return tap.failed ? 1 : 0;
}
