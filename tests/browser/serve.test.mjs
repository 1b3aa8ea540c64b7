// serve.test.mjs - lsr serve in a real headless Chromium (Debian's
// /usr/bin/chromium, driven by puppeteer-core; no browser is downloaded).
//
// Run by tests/cli/t3108-serve-browser.sh, which makes the review (24
// citations, two of them with hostile titles), starts 'lsr serve' and
// passes in the environment:
//   URL          the server ("http://127.0.0.1:PORT")
//   LINK_ALICE, LINK_BOB, LINK_ARB   one-time login links (path and query)
//   DB           the review's database (checked with sqlite3 afterwards)
//   SHOTS        where to save screenshots for a person to look at
//   CHROMIUM     the browser (default /usr/bin/chromium)
//
// Scenarios (issue 12): log in through the link; screen 20 citations by
// keyboard; undo; pick a reason; add a note and a highlight word;
// reviewer B cannot see A's decision in the DOM; the arbiter resolves a
// conflict; a hostile title runs no script (no dialog, no request); the
// page works with no network (every request not to the server fails the
// test).  Prints "ok N - what" / "not ok N - what"; exits 1 on a failure.
import { launch, newPage as openPage, check, done } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const URL = process.env.URL;
const DB = process.env.DB;
const SHOTS = process.env.SHOTS || '.';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function sql(q) {
	return execFileSync('sqlite3', [DB, q], { encoding: 'utf8' }).trim();
}

mkdirSync(SHOTS, { recursive: true });
const offsite = [];   // requests to anything but the server
const dialogs = [];   // alert/confirm/prompt: a script ran
const requests = [];  // every request the pages made

const browser = await launch(CHROMIUM);
const newPage = () => openPage(browser, URL, { requests, offsite, dialogs });

const text = (page, sel) => page.$eval(sel, e => e.textContent);
const shown = (page, sel) => page.$eval(sel, e => {
	for (let x = e; x; x = x.parentElement)
		if (x.hidden || getComputedStyle(x).display === 'none') return false;
	return true;
});

// the citation shown now (its id), or '' when there is none
async function current(page) {
	return page.evaluate(() => document.getElementById('citation').hidden ? ''
		: document.getElementById('cid').textContent);
}

// press key and wait until the citation shown changes from `from`
async function pressAndWait(page, keys, from) {
	for (const k of keys) await page.keyboard.press(k);
	await page.waitForFunction(f => {
		const c = document.getElementById('citation');
		const id = c.hidden ? '' : document.getElementById('cid').textContent;
		return id !== f;
	}, { timeout: 15000 }, from);
}

async function login(page, link) {
	await page.goto(URL + link, { waitUntil: 'networkidle0' });
	await page.waitForSelector('#who:not(:empty)', { timeout: 15000 });
}

try {
	// ---- alice logs in through her link and screens by keyboard -------
	const a = await newPage();
	await login(a, process.env.LINK_ALICE);
	check((await text(a, '#who')).startsWith('alice'), 'alice is logged in by her link', await text(a, '#who'));
	check(new globalThis.URL(a.url()).pathname === '/', 'the link lands on the page, token gone from the address', a.url());
	await a.waitForSelector('#citation:not([hidden])');

	// a highlight word (green), added by keyboard
	await a.keyboard.press('h');
	await a.keyboard.type('cirrhosis');
	await a.keyboard.press('Enter');
	await a.waitForSelector('mark.hl-include');
	check((await a.$$('mark.hl-include')).length > 0, 'the highlight word is marked green');
	check(sql("SELECT kind || ':' || word FROM serve_highlights h JOIN serve_accounts a ON a.id = h.account_id WHERE a.name = 'alice'") === 'include:cirrhosis',
		'the highlight word is stored for alice');
	await a.screenshot({ path: `${SHOTS}/serve.png` });

	const seen = [];
	let hostileSeen = 0;
	for (let k = 0; k < 20; k++) {
		const id = await current(a);
		check(id !== '', `citation ${k + 1} is shown`);
		if (!id) break;
		seen.push(id);
		const title = await text(a, '#title');
		if (title.includes('<script>') || title.includes('onerror')) {
			hostileSeen++;
			check(await a.$eval('#title', e => e.querySelectorAll('script, img').length === 0),
				`hostile title of ${id} is text, not markup`, title);
		}
		if (k === 0) {
			// a note of her own, typed and saved with Enter
			await a.keyboard.press('n');
			await a.keyboard.type('alice private note');
			await a.keyboard.press('Enter');
			await a.waitForFunction(() => document.getElementById('message').textContent.includes('saved'));
			check(sql(`SELECT note FROM serve_notes WHERE citation_id = ${id}`) === 'alice private note',
				'the note is stored');
		}
		if (k % 4 === 1)          // exclude with the second reason (animal)
			await pressAndWait(a, ['e', '2'], id);
		else if (k % 4 === 3)     // exclude, no reason (allowed at title-abstract)
			await pressAndWait(a, ['e', 'Enter'], id);
		else
			await pressAndWait(a, ['i'], id);
	}
	check(seen.length === 20 && new Set(seen).size === 20, '20 different citations screened', seen);
	check(hostileSeen === 2, 'both hostile titles were shown', hostileSeen);
	check(sql("SELECT count(*) FROM screen_decisions WHERE reviewer = 'alice'") === '20', '20 decisions stored');
	check(sql(`SELECT verdict || ':' || reason FROM screen_decisions WHERE reviewer = 'alice' AND citation_id = ${seen[1]}`) === 'exclude:animal',
		'the reason picked by its number is stored');

	// undo: the last decided citation comes back; decide it again
	const before = await current(a);
	await pressAndWait(a, ['u'], before);
	check(await current(a) === seen[19], 'undo shows the last citation again', [await current(a), seen[19]]);
	await pressAndWait(a, ['e', '1'], seen[19]);
	check(sql(`SELECT verdict || ':' || reason FROM screen_current WHERE reviewer = 'alice' AND citation_id = ${seen[19]}`) === 'exclude:off-topic',
		'the decision after undo is the current one');

	// previous / next: step back through my decisions, change one, return
	const toScreen = await current(a);
	await pressAndWait(a, ['p'], toScreen);
	check(await current(a) === seen[19], 'p shows the citation decided last', [await current(a), seen[19]]);
	check(await shown(a, '#decided') && (await text(a, '#decided')).includes('exclude \u2014 off-topic'),
		'with my decision on it', await text(a, '#decided'));
	await pressAndWait(a, ['ArrowLeft'], seen[19]);
	check(await current(a) === seen[18], 'ArrowLeft steps back once more', [await current(a), seen[18]]);
	check((await text(a, '#decided')).includes('include'), 'showing my include', await text(a, '#decided'));
	await a.screenshot({ path: `${SHOTS}/serve-previous.png` });
	// change it: exclude, second reason; the page stays on it
	await a.keyboard.press('e');
	await a.keyboard.press('2');
	await a.waitForFunction(() => document.getElementById('decided').textContent.includes('animal'), { timeout: 15000 });
	check(await current(a) === seen[18], 'the changed citation stays shown', await current(a));
	check(sql(`SELECT verdict || ':' || reason FROM screen_current WHERE reviewer = 'alice' AND citation_id = ${seen[18]}`) === 'exclude:animal',
		'the changed decision is the current one');
	check(sql(`SELECT count(*) FROM screen_decisions WHERE reviewer = 'alice' AND citation_id = ${seen[18]}`) === '2',
		'recorded as a new decision');
	await pressAndWait(a, [']'], seen[18]);
	check(await current(a) === seen[19], '] goes forward', [await current(a), seen[19]]);
	await pressAndWait(a, ['ArrowRight'], seen[19]);
	check(await current(a) === toScreen, 'and back to the citation to screen', [await current(a), toScreen]);
	check(!(await shown(a, '#decided')), 'which shows no decision');

	// the help overlay
	await a.keyboard.press('?');
	check(await shown(a, '#help'), 'the help overlay opens with ?');
	check((await text(a, '#help')).includes('previous'), 'the help lists previous/next');
	await a.screenshot({ path: `${SHOTS}/serve-help.png` });
	await a.keyboard.press('Escape');
	check(!(await shown(a, '#help')), 'Escape closes it');

	// ---- bob: blind to alice ------------------------------------------
	const b = await newPage();
	await login(b, process.env.LINK_BOB);
	await b.waitForSelector('#citation:not([hidden])');
	let blind = true, conflicts = 0;
	for (let k = 0; k < 6; k++) {
		const id = await current(b);
		check(seen.includes(id), `bob is handed ${id}, one of alice's (pairs complete first)`);
		const html = await b.content();
		for (const secret of ['alice', 'private note', 'cirrhosis</mark'])
			if (html.includes(secret)) { blind = false; console.log(`# bob's page holds '${secret}'`); }
		// the arbiter's parts of the page stay empty for him
		if (await b.evaluate(() => document.getElementById('c-side').children.length +
				document.getElementById('conflict-count').textContent.length)) {
			blind = false;
			console.log("# conflict data in bob's page");
		}
		if (await b.$('mark.hl-include')) { blind = false; console.log("# alice's highlight word in bob's page"); }
		// bob includes all: alice excluded some of these, so conflicts
		await pressAndWait(b, ['i'], id);
		if (sql(`SELECT status FROM screen_ta_status WHERE citation_id = ${id}`) === 'conflict') conflicts++;
	}
	check(blind, "bob's DOM holds nothing of alice's decisions, notes or highlights");
	check(conflicts > 0, 'bob and alice disagree somewhere', conflicts);

	// ---- the arbiter resolves a conflict with one key ------------------
	const r = await newPage();
	await login(r, process.env.LINK_ARB);
	check(await shown(r, 'nav button[data-view="conflicts"]'), 'the arbiter has a conflicts view');
	const open = Number(sql("SELECT count(*) FROM screen_conflicts WHERE stage = 'title-abstract'"));
	// the arbiter's page opens on the conflicts, and hands out nothing
	await r.waitForSelector('#conflict:not([hidden])');
	// the box shows before its citation is fetched: wait for both verdicts
	await r.waitForFunction(() => document.querySelectorAll('#c-side .side').length === 2 &&
		/citation \d+/.test(document.getElementById('c-meta').textContent), { timeout: 15000 });
	check(sql("SELECT count(*) FROM screen_assignments WHERE reviewer = 'arb'") === '0',
		'the arbiter was handed no citation');
	check((await r.$$('#c-side .side')).length === 2, "both reviewers' verdicts side by side");
	const sideText = await text(r, '#c-side');
	check(sideText.includes('alice') && sideText.includes('bob'), 'named', sideText);
	await r.screenshot({ path: `${SHOTS}/serve-arbiter.png` });
	const cid = await r.evaluate(() => document.getElementById('c-meta').textContent.match(/citation (\d+)/)[1]);
	await r.keyboard.press('i');
	await r.waitForFunction(c => document.getElementById('message').textContent.includes('resolved'), { timeout: 15000 }, cid);
	check(sql(`SELECT verdict FROM screen_decisions WHERE kind = 'resolution' AND citation_id = ${cid}`) === 'include',
		`the arbiter's i resolved ${cid} as include`);
	check(Number(sql("SELECT count(*) FROM screen_conflicts WHERE stage = 'title-abstract'")) === open - 1,
		'one conflict fewer');

	// the dashboard
	await r.keyboard.press('4');
	await r.waitForSelector('#d-prisma tbody tr');
	const dash = await text(r, '#dashboard-view');
	check(dash.includes('records screened') && dash.includes('alice'), 'the dashboard shows progress and PRISMA', dash.slice(0, 200));
	await r.screenshot({ path: `${SHOTS}/serve-dashboard.png` });

	// a reviewer has no arbiter views
	await b.keyboard.press('3');
	check(!(await shown(b, '#conflicts-view')), 'bob cannot open the conflicts view');

	// ---- no script ran, nothing left the machine -----------------------
	check(dialogs.length === 0, 'no dialog opened (no script from a title ran)', dialogs);
	const stray = requests.filter(u => !/\/(|index\.html|app\.js|app\.css|login\?token=[0-9a-f]+|api\/[a-z]+(\?.*)?)$/.test(u.slice(URL.length)));
	check(stray.length === 0, 'no request but the page, its script, style and API', stray);
	check(offsite.length === 0, 'no request to any other host (works with no network)', offsite);
} catch (e) {
	check(false, 'the scenario ran to its end', String(e && e.stack || e));
} finally {
	await browser.close();
}
process.exit(done());
