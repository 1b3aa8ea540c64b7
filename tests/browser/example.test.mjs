// example.test.mjs - the example review (examples/msc-cirrhosis) screened
// entirely in a real headless Chromium, by keyboard: reviewers A and B at
// title-abstract (1,747 citations each), the arbiter resolving their
// conflicts, full-text retrieval registered as run.sh does it, then the
// full-text stage the same way.  The decisions are the example's
// simulated reviewers' ('example_reviewer decide': the labels, with B's
// deliberate disagreements of run.sh, --disagree 6 and 2 with --seed 7);
// the arbiter's are 'example_reviewer arbiter'.
//
// Run by tests/cli/t3113-serve-example-browser.sh, which makes two copies
// of the example review (run.sh with EXAMPLE_STOP_AFTER=4: the batch-file
// path; EXAMPLE_STOP_AFTER=2: nothing screened, served by 'lsr serve
// --seed 1') and compares their PRISMA numbers, screening status and
// every decision afterwards.  It passes in the environment:
//   URL            the server of the unscreened copy
//   LINK_A, LINK_B, LINK_C   one-time login links (path and query) of
//                  simulated-reviewer-A, -B and the arbiter -C
//   LSR, REVIEW    the lsr binary and the served review's directory
//   DB             its database;  BATCH_DB  the batch-file copy's, whose
//                  assignments give the order each reviewer must be shown
//   SIM, TRUTH, GROUPS   example_reviewer and its --truth and --groups
//   SHOTS          where to save screenshots for a person to look at
//   CHROMIUM       the browser (default /usr/bin/chromium)
//
// Checked as it goes, so that a lost decision or another order fails at
// once: each citation shown is the next one of the batch file at that
// position, never shown before; the page's own progress counts every
// decision; reviewer B's page holds nothing of A's (blind); the stored
// decisions are counted every 250 and at the end of each stage.  Prints
// "ok N - what" / "not ok N - what" and "# timing" lines; exits 1 on a
// failure.
import { launch, newPage as openPage, check, done } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const env = process.env;
const URL = env.URL;
const SHOTS = env.SHOTS || '.';
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const NAME = { A: 'simulated-reviewer-A', B: 'simulated-reviewer-B', C: 'simulated-reviewer-C' };
// run.sh's screen_round: B gets this many wrong at each stage (seed 7)
const DISAGREE = { 'title-abstract': 6, 'full-text': 2 };
const WAIT = { timeout: 30000, polling: 'mutation' };

// a check made for every citation: silent when it holds (counted in
// `quiet`), and its failure ends the scenario (the rest would cascade)
let quiet = 0;
function must(ok, what, detail) {
	if (ok) { quiet++; return; }
	check(false, what, detail);
	throw new Error('stopped: ' + what);
}

// the output of a query (only the last newline taken off: a row may end
// in an empty column)
function sql(db, q) {
	return execFileSync('sqlite3', [db, q], { encoding: 'utf8' }).replace(/\n$/, '');
}

function lines(text) { return text.split('\n').filter(l => l.length > 0); }

// ID -> {verdict, reason} from "ID<TAB>verdict<TAB>reason" lines
function verdicts(args) {
	const m = new Map();
	const out = execFileSync(env.SIM, ['--truth', env.TRUTH, '--groups', env.GROUPS, ...args],
		{ encoding: 'utf8', maxBuffer: 1 << 26 });
	for (const l of lines(out)) {
		const [id, verdict, reason] = l.split('\t');
		m.set(id, { verdict, reason: reason || '' });
	}
	return m;
}

mkdirSync(SHOTS, { recursive: true });
const log = { requests: [], offsite: [], dialogs: [] };
const browser = await launch(CHROMIUM);
const newPage = () => openPage(browser, URL, log, true);

async function login(page, link) {
	await page.goto(URL + link, { waitUntil: 'networkidle0' });
	await page.waitForSelector('#who:not(:empty)', { timeout: 30000 });
}

// what the page shows now: the citation id ('' when none), progress, and
// for the blindness check whether it names another reviewer
async function shown(page, others) {
	return page.evaluate(o => {
		const c = document.getElementById('citation');
		const html = document.documentElement.outerHTML;
		return {
			id: c.hidden ? '' : document.getElementById('cid').textContent,
			progress: document.getElementById('progress').textContent,
			message: document.getElementById('message').textContent,
			leak: o.filter(x => html.includes(x)).concat(
				document.getElementById('c-side').children.length ? ['conflict sides'] : [],
				document.getElementById('conflict-count').textContent ? ['conflict count'] : []),
		};
	}, others);
}

// the keys a person presses for a verdict: the reason by its number in
// the list the page shows (listId), Enter for none
async function keysFor(page, listId, v) {
	if (v.verdict === 'include') return ['i'];
	if (v.verdict === 'maybe') return ['m'];
	must(v.verdict === 'exclude', `a verdict the page has a key for (${v.verdict})`);
	await page.keyboard.press('e');
	const codes = await page.$$eval(`#${listId} li`, lis => lis.map(li => li.dataset.code));
	if (!v.reason) return ['Enter'];
	const k = codes.indexOf(v.reason) + 1;
	must(k >= 1 && k <= 9, `reason ${v.reason} has a number key`, codes);
	return [String(k)];
}

// screen every citation the server hands to `who` at stage, by keyboard
async function screenAll(page, who, stage, decide, order) {
	const others = Object.values(NAME).filter(x => x !== NAME[who]);
	const seen = new Set();
	const t0 = Date.now();
	let k = 0;
	for (;;) {
		const s = await shown(page, others);
		if (!s.id) {
			check(s.message.includes('Nothing left to screen'), `${who} at ${stage}: the page says nothing is left`, s.message);
			break;
		}
		if (k === 0)
			await page.screenshot({ path: `${SHOTS}/example-${stage}-${who}.png` });
		must(order[k] === s.id, `${who} at ${stage}: citation ${k + 1} shown is the batch file's`,
			{ shown: s.id, batch: order[k] });
		must(!seen.has(s.id), `${who} at ${stage}: ${s.id} shown once`);
		const m = s.progress.match(/^(\S+): (\d+) done, (\d+) remaining/);
		must(m && m[1] === stage && Number(m[2]) === k,
			`${who} at ${stage}: the page counts ${k} decisions before citation ${k + 1}`, s.progress);
		// what is left for this reviewer: the rest of their batch file's order
		must(Number(m[3]) === order.length - k,
			`${who} at ${stage}: ${order.length - k} remaining before citation ${k + 1}`, s.progress);
		must(s.leak.length === 0, `${who}'s page holds nothing of another reviewer's`, s.leak);
		const v = decide.get(s.id);
		must(v !== undefined, `${who} at ${stage}: ${s.id} has a simulated decision`);
		seen.add(s.id);
		for (const key of await keysFor(page, 'reasons', v))
			await page.keyboard.press(key);
		await page.waitForFunction(from => {
			const c = document.getElementById('citation');
			return (c.hidden ? '' : document.getElementById('cid').textContent) !== from;
		}, WAIT, s.id);
		k++;
		if (k % 250 === 0)
			must(sql(env.DB, `SELECT count(*) FROM screen_current WHERE reviewer = '${NAME[who]}' AND stage = '${stage}'`) === String(k),
				`${who} at ${stage}: ${k} decisions stored`);
	}
	const ms = Date.now() - t0;
	console.log(`# timing: ${who} screened ${k} citations at ${stage} in ${(ms / 1000).toFixed(1)} s (${(ms / Math.max(k, 1)).toFixed(0)} ms each)`);
	check(k === order.length && k === decide.size, `${who} screened all ${order.length} of the batch file at ${stage} by keyboard`, k);
	const stored = lines(sql(env.DB, `SELECT citation_id || char(9) || verdict || char(9) || coalesce(reason, '') FROM screen_current WHERE reviewer = '${NAME[who]}' AND stage = '${stage}'`));
	let same = stored.length === decide.size;
	for (const l of stored) {
		const [id, verdict, reason] = l.split('\t');
		const v = decide.get(id);
		if (!v || v.verdict !== verdict || v.reason !== reason) { same = false; console.log(`# stored ${l}`); }
	}
	check(same, `${who}'s stored decisions at ${stage} are the simulated reviewer's, every one`, stored.length);
}

// the arbiter resolves every conflict at stage with the simulated verdicts
async function arbitrate(page, stage) {
	const ids = lines(sql(env.DB, `SELECT DISTINCT citation_id FROM screen_conflicts WHERE stage = '${stage}' ORDER BY 1`));
	must(ids.length > 0, `B's deliberate disagreements make conflicts at ${stage}`, ids.length);
	const verdict = verdicts(['arbiter', '--stage', stage, ...ids]);
	await page.keyboard.press('3');
	// the view loaded at login already says "Conflict 1 of": wait for the
	// reload the key started to finish, not only for the text
	await page.waitForNetworkIdle({ idleTime: 200, timeout: WAIT.timeout });
	await page.waitForFunction(t => document.getElementById('conflict-count').textContent.startsWith(t) &&
		/citation \d+,/.test(document.getElementById('c-meta').textContent),
		WAIT, `Conflict 1 of ${ids.length}`);
	const done = [];
	for (;;) {
		const count = await page.$eval('#conflict-count', e => e.textContent);
		if (count.startsWith('No conflicts')) break;
		const meta = await page.$eval('#c-meta', e => e.textContent);
		const m = meta.match(/citation (\d+), (\S+),/);
		must(m && m[2] === stage, `the conflict shown is at ${stage}`, meta);
		const cid = m[1];
		must(!done.includes(cid) && verdict.has(cid), `conflict ${cid} is one of the ${ids.length}, shown once`, done);
		if (done.length === 0)
			await page.screenshot({ path: `${SHOTS}/example-conflict-${stage}.png` });
		const sides = await page.$eval('#c-side', e => e.textContent);
		must(sides.includes(NAME.A) && sides.includes(NAME.B), `both reviewers' verdicts on ${cid}`, sides);
		for (const key of await keysFor(page, 'c-reasons', verdict.get(cid)))
			await page.keyboard.press(key);
		await page.waitForFunction(c => document.getElementById('message').textContent.includes(`Citation ${c} resolved`) &&
			!document.getElementById('c-meta').textContent.includes(`citation ${c},`) ||
			document.getElementById('conflict-count').textContent.startsWith('No conflicts'), WAIT, cid)
			.catch(async e => {
				const msg = await page.$eval('#message', m => m.textContent);
				throw new Error(`resolving ${cid} at ${stage}: the page says "${msg}": ${e.message}`);
			});
		done.push(cid);
	}
	check(done.length === ids.length, `the arbiter resolved all ${ids.length} conflicts at ${stage} by keyboard`, done);
	const stored = lines(sql(env.DB, `SELECT citation_id || char(9) || verdict || char(9) || coalesce(reason, '') FROM screen_decisions WHERE kind = 'resolution' AND stage = '${stage}' AND reviewer = '${NAME.C}' ORDER BY citation_id`));
	check(stored.length === ids.length && stored.every(l => {
		const [id, v, r] = l.split('\t');
		return verdict.get(id).verdict === v && verdict.get(id).reason === r;
	}), `the resolutions at ${stage} are the simulated arbiter's`, stored);
	check(sql(env.DB, `SELECT count(*) FROM screen_conflicts WHERE stage = '${stage}'`) === '0', `no conflict left at ${stage}`);
}

// ids of the citations to screen at stage (every reviewer's batch)
function pending(stage) {
	const view = stage === 'title-abstract' ? 'screen_ta_status' : 'screen_ft_status';
	return lines(sql(env.DB, `SELECT citation_id FROM ${view} WHERE status = 'pending' ORDER BY 1`));
}

function batchOrder(who, stage) {
	return lines(sql(env.BATCH_DB, `SELECT citation_id FROM screen_assignments WHERE reviewer = '${NAME[who]}' AND stage = '${stage}' ORDER BY batch_id, position`));
}

// full texts: every report retrieved, as run.sh registers them
function retrieve() {
	const list = execFileSync(env.LSR, ['-C', env.REVIEW, 'screen', 'fulltext'], { encoding: 'utf8', maxBuffer: 1 << 26 });
	const ids = lines(list).map(l => l.trim().split(/\s+/)).filter(f => f[1] === 'awaiting-retrieval').map(f => f[0]);
	must(ids.length > 0, 'reports await retrieval after title-abstract', ids.length);
	execFileSync(env.LSR, ['-C', env.REVIEW, 'screen', 'fulltext', ...ids, '--retrieved'], { encoding: 'utf8' });
	return ids.length;
}

const t0 = Date.now();
try {
	const page = {};
	for (const stage of ['title-abstract', 'full-text']) {
		const ts = Date.now();
		if (stage === 'full-text')
			console.log(`# ${retrieve()} reports registered as retrieved while the server runs`);
		const ids = pending(stage);
		must(ids.length > 0, `citations to screen at ${stage}`, ids.length);
		for (const who of ['A', 'B']) {
			// B logs in after A is done: run.sh's B gets the batch after A's import
			if (!page[who]) {
				page[who] = await newPage();
				await login(page[who], env[`LINK_${who}`]);
				check((await page[who].$eval('#who', e => e.textContent)).startsWith(NAME[who]),
					`${NAME[who]} is logged in by the link`);
			}
			if (stage === 'full-text') {
				await page[who].keyboard.press('2');
				await page[who].waitForFunction(() => document.getElementById('progress').textContent.startsWith('full-text:'), WAIT);
			}
			await page[who].waitForFunction(() => !document.getElementById('citation').hidden, WAIT);
			const decide = verdicts(['decide', '--stage', stage, '--disagree',
				String(who === 'B' ? DISAGREE[stage] : 0), '--seed', '7', ...ids]);
			await screenAll(page[who], who, stage, decide, batchOrder(who, stage));
		}
		if (!page.C) {
			page.C = await newPage();
			await login(page.C, env.LINK_C);
		}
		await arbitrate(page.C, stage);
		console.log(`# timing: ${stage} stage in ${((Date.now() - ts) / 1000).toFixed(1)} s`);
	}
	// the arbiter's dashboard: the PRISMA boxes of the review screened
	await page.C.keyboard.press('4');
	await page.C.waitForSelector('#d-prisma tbody tr');
	const dash = await page.C.$eval('#d-prisma', e => e.textContent);
	check(dash.includes('records screened1747') || /records screened\s*1747/.test(dash), 'the dashboard shows 1,747 records screened', dash);
	await page.C.screenshot({ path: `${SHOTS}/example-dashboard.png`, fullPage: true });
	check(log.offsite.length === 0 && log.dialogs.length === 0, 'no request to any other host, no dialog', { offsite: log.offsite, dialogs: log.dialogs });
} catch (e) {
	check(false, 'the scenario ran to its end', String(e && e.stack || e));
} finally {
	await browser.close();
}
console.log(`# ${quiet} checks per citation and conflict held`);
console.log(`# timing: the whole scenario in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(done());
