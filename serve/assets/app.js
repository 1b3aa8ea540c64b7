// lsr screening page.  Every text from the review goes into the page with
// textContent or as a text node, never parsed as markup, so a title
// holding markup stays text.  The page talks to its own server only.
'use strict';

const state = {
	me: null, citation: null, view: 'title-abstract', choosingReason: false,
	conflicts: [], ci: 0, resolving: false, shownConflict: '',
	history: false,   // showing a citation I already decided (p / ])
};

function $(id) { return document.getElementById(id); }

function say(text) { $('message').textContent = text || ''; }

async function api(method, path, body) {
	const opts = { method, headers: {}, credentials: 'same-origin' };
	if (body !== undefined) {
		opts.headers['Content-Type'] = 'application/json';
		opts.headers['X-CSRF-Token'] = state.me ? state.me.csrf : '';
		opts.body = JSON.stringify(body);
	}
	const r = await fetch(path, opts);
	const data = await r.json().catch(() => ({ error: 'not JSON' }));
	if (!r.ok) throw new Error(data.error || ('HTTP ' + r.status));
	return data;
}

function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }

function el(tag, text, cls) {
	const e = document.createElement(tag);
	if (text !== undefined && text !== null) e.textContent = String(text);
	if (cls) e.className = cls;
	return e;
}

function isStage(v) { return v === 'title-abstract' || v === 'full-text'; }

// text into el, with the spans [start, end) marked (class cls per span)
function marked(node, text, spans) {
	clear(node);
	let at = 0;
	spans.sort((a, b) => a.start - b.start);
	for (const s of spans) {
		if (s.start < at) continue;
		node.appendChild(document.createTextNode(text.slice(at, s.start)));
		const m = el('mark', text.slice(s.start, s.end), s.cls);
		node.appendChild(m);
		at = s.end;
	}
	node.appendChild(document.createTextNode(text.slice(at)));
}

// spans of the rule hits (byte offsets of UTF-8 text) and of my words
function spansFor(field, text, c) {
	const spans = [];
	const enc = new TextEncoder();
	const dec = new TextDecoder();
	const bytes = enc.encode(text);
	for (const h of c.suggestions || []) {
		if (h.field !== field || h.start == null) continue;
		const start = dec.decode(bytes.slice(0, h.start)).length;
		const end = dec.decode(bytes.slice(0, h.end)).length;
		spans.push({ start, end, cls: 'rule' });
	}
	const lower = text.toLowerCase();
	for (const kind of ['include', 'exclude']) {
		for (const w of (state.me.highlights[kind] || [])) {
			const lw = w.toLowerCase();
			for (let i = lower.indexOf(lw); lw && i >= 0; i = lower.indexOf(lw, i + lw.length))
				spans.push({ start: i, end: i + lw.length, cls: 'hl-' + kind });
		}
	}
	return spans;
}

function showProgress() {
	const p = state.me.progress;
	$('who').textContent = state.me.name + ' (' + state.me.role + ')';
	const rk = state.me.ranking;
	$('progress').textContent = isStage(state.view)
		? state.view + ': ' + p.done + ' done, ' + p.remaining + ' remaining' +
		  (state.view === 'title-abstract' && rk && rk.error
			? ' (the priority order could not be updated: ' + rk.error + ')' : '')
		: '';
	for (const b of document.querySelectorAll('.arbiter-only')) b.hidden = state.me.role !== 'arbiter';
	for (const b of document.querySelectorAll('#views button'))
		b.classList.toggle('current', b.dataset.view === state.view);
}

function showHighlights() {
	const list = $('hl-list');
	clear(list);
	for (const kind of ['include', 'exclude']) {
		for (const w of state.me.highlights[kind] || []) {
			const chip = el('span', w, 'chip hl-' + kind);
			const x = el('button', '\u00d7');
			x.type = 'button';
			x.title = 'remove ' + w;
			x.addEventListener('click', () => setHighlight(kind, w, true));
			chip.appendChild(x);
			list.appendChild(chip);
		}
	}
}

function render(c) {
	marked($('title'), c.title || '(no title)', spansFor('title', c.title || '', c));
	marked($('abstract'), c.abstract || '(no abstract)', spansFor('abstract', c.abstract || '', c));
}

// my own decision on a citation I stepped back to, or nothing
function showDecided(d) {
	const box = $('decided');
	box.hidden = !d;
	if (!d) { box.textContent = ''; return; }
	box.className = 'verdict v-' + d.verdict;
	box.textContent = 'Your decision: ' + d.verdict + (d.reason ? ' \u2014 ' + d.reason : '') +
		(d.note ? ' (note: ' + d.note + ')' : '') +
		'. Press i, e or m to change it; ] goes forward, back to the citation to screen.';
}

function show(answer) {
	const c = answer.citation;
	state.citation = c;
	showDecided(answer.decision);
	$('citation').hidden = !c;
	$('actions').hidden = !c;
	$('note').value = '';
	$('tags').value = '';
	$('reasons').hidden = true;
	state.choosingReason = false;
	if (!c) { say('Nothing left to screen at ' + state.view + '.'); return; }
	say('');
	render(c);
	$('authors').textContent = (c.authors || []).join('; ');
	$('journal').textContent = c.journal || '';
	$('year').textContent = c.year ? '(' + c.year + ')' : '';
	$('pubtypes').textContent = (c.publication_types || []).join(', ');
	$('keywords').textContent = (c.keywords || []).concat(c.mesh || []).join('; ');
	$('maybe').hidden = state.view === 'full-text';
	$('fulltext-box').hidden = !answer.fulltext;
	if (answer.fulltext) $('fulltext').href = answer.fulltext;
	else $('fulltext').removeAttribute('href');
	const sug = $('suggestions');
	clear(sug);
	for (const h of c.suggestions || []) {
		sug.appendChild(el('p', 'Suggestion: ' + h.rule + ' (' + h.reason +
			(h.mode === 'exclude' ? ', excludes' : '') + ')' +
			(h.matched ? ': "' + h.matched + '" in ' + h.field : '')));
	}
	$('cid').textContent = String(c.citation);
	const src = $('sources');
	clear(src);
	for (const s of c.sources || [])
		src.appendChild(el('li', (s.source || '') + ' ' + (s.source_record_id || '') + ' (record ' + s.record + ')'));
	if (answer.mine) {
		$('note').value = answer.mine.text || '';
		$('tags').value = (answer.mine.tags || []).join(', ');
	}
}

async function loadMe() {
	const st = isStage(state.view) ? state.view : 'title-abstract';
	state.me = await api('GET', '/api/me?stage=' + encodeURIComponent(st));
	showProgress();
	showHighlights();
}

async function refresh() {
	for (const v of ['screen', 'conflicts', 'dashboard'])
		$(v + '-view').hidden = (isStage(state.view) ? 'screen' : state.view) !== v;
	state.history = false;
	if (isStage(state.view)) {
		// next first: handing a citation out changes my progress
		const r = await api('GET', '/api/next?stage=' + encodeURIComponent(state.view));
		await loadMe();
		show(r);
		return;
	}
	await loadMe();
	if (state.view === 'conflicts') {
		await loadConflicts();
	} else if (state.view === 'dashboard') {
		await loadDashboard();
	}
}

function go(view) {
	if (!isStage(view) && (!state.me || state.me.role !== 'arbiter')) return;
	state.view = view;
	say('');
	refresh().catch(e => say(e.message));
}

function reasonsForStage(stage) {
	return (state.me.reasons || []).filter(r => !r.stage || r.stage === stage);
}

function fillReasons(ol, stage, pick) {
	clear(ol);
	reasonsForStage(stage).forEach((r, i) => {
		const li = el('li', r.label + ' [' + r.code + ']');
		li.dataset.code = r.code;
		li.title = 'key ' + (i + 1);
		li.addEventListener('click', () => pick(r.code));
		ol.appendChild(li);
	});
	ol.hidden = false;
}

function askReason() {
	if (!state.citation) return;
	fillReasons($('reasons'), state.view, code => decide('exclude', code));
	state.choosingReason = true;
}

function tagList() {
	return $('tags').value.split(',').map(t => t.trim()).filter(t => t.length > 0);
}

async function decide(verdict, reason) {
	if (!state.citation) return;
	if (verdict === 'exclude' && !reason && state.me.reason_required) {
		say('A reason is required here: press its number.');
		return;
	}
	$('reasons').hidden = true;
	state.choosingReason = false;
	try {
		const id = state.citation.citation;
		await api('POST', '/api/decision', {
			citation: id, stage: state.view, verdict,
			reason: reason || null, note: $('note').value || null,
		});
		if (!state.history) { await refresh(); return; }
		// a changed decision: stay on it, showing the new one
		show(await api('GET', historyPath('citation=' + id)));
		say('Decision changed.');
	} catch (e) { say(e.message); }
}

function historyPath(arg) {
	return '/api/history?stage=' + encodeURIComponent(state.view) + (arg ? '&' + arg : '');
}

// step back to the citation I decided before the one shown (the newest
// decided one, from the citation to screen)
async function previous() {
	if (!isStage(state.view)) return;
	try {
		const r = await api('GET', historyPath(state.history && state.citation
			? 'before=' + state.citation.citation : ''));
		if (!r.citation) { say('No earlier decision of yours at ' + state.view + '.'); return; }
		state.history = true;
		show(r);
	} catch (e) { say(e.message); }
}

// forward towards the newest decision, then back to the citation to screen
async function forward() {
	if (!isStage(state.view) || !state.history) return;
	try {
		const r = await api('GET', historyPath('after=' + state.citation.citation));
		if (r.citation) show(r);
		else await refresh();
	} catch (e) { say(e.message); }
}

async function undo() {
	try { await api('POST', '/api/undo', {}); await refresh(); } catch (e) { say(e.message); }
}

async function saveNote() {
	if (!state.citation) return;
	try {
		await api('POST', '/api/note', { citation: state.citation.citation, note: $('note').value, tags: tagList() });
		say('Note and tags saved.');
	} catch (e) { say(e.message); }
}

async function setHighlight(kind, word, remove) {
	try {
		state.me.highlights = await api('POST', '/api/highlight', { kind, word, remove: !!remove });
		showHighlights();
		if (state.citation) render(state.citation);
	} catch (e) { say(e.message); }
}

function addHighlight() {
	let w = $('hl-word').value.trim();
	$('hl-word').value = '';
	if (!w) return;
	const kind = w.startsWith('-') ? 'exclude' : 'include';
	if (kind === 'exclude') w = w.slice(1).trim();
	if (w) setHighlight(kind, w, false);
}

// ---- the arbiter's conflicts ------------------------------------------------

async function loadConflicts() {
	const r = await api('GET', '/api/conflicts');
	state.conflicts = r.conflicts || [];
	if (state.ci >= state.conflicts.length) state.ci = 0;
	await showConflict();
}

function verdictBox(title, verdict, reason, note) {
	const box = el('div', null, 'side');
	box.appendChild(el('h3', title));
	if (verdict) box.appendChild(el('p', verdict + (reason ? ' \u2014 ' + reason : ''), 'verdict v-' + verdict));
	if (note) box.appendChild(el('p', note, 'note'));
	return box;
}

async function showConflict() {
	const n = state.conflicts.length;
	$('conflict-count').textContent = n ? 'Conflict ' + (state.ci + 1) + ' of ' + n : 'No conflicts to resolve.';
	$('conflict').hidden = !n;
	const k = n ? state.conflicts[state.ci] : null;
	const key = k ? k.id + ' ' + k.stage : '';
	// the same conflict shown again (the view reloaded): a reason list
	// the arbiter opened stays open for the key they press next
	if (key !== state.shownConflict) {
		$('c-reasons').hidden = true;
		state.resolving = false;
	}
	state.shownConflict = key;
	if (!n) return;
	const r = await api('GET', '/api/citation?citation=' + k.id);
	const c = r.citation;
	$('c-title').textContent = c.title || '(no title)';
	$('c-meta').textContent = (c.authors || []).join('; ') + ' ' + (c.journal || '') +
		(c.year ? ' (' + c.year + ')' : '') + ' \u2014 citation ' + k.id + ', ' + k.stage + ', ' + k.kind;
	$('c-abstract').textContent = c.abstract || '(no abstract)';
	const side = $('c-side');
	clear(side);
	const notes = {};
	for (const x of k.reviewer_notes || []) notes[x.reviewer] = x;
	const seen = new Set();
	for (const d of k.decisions || []) {
		if (d.stage && d.stage !== k.stage) continue;
		if (d.current === false || d.current === 0) continue;
		const own = notes[d.reviewer];
		const box = verdictBox(d.reviewer, d.verdict, d.reason, d.note);
		if (own && (own.text || (own.tags || []).length)) {
			box.appendChild(el('p', 'note: ' + (own.text || '') +
				((own.tags || []).length ? ' [' + own.tags.join(', ') + ']' : ''), 'private'));
		}
		seen.add(d.reviewer);
		side.appendChild(box);
	}
	for (const x of k.reviewer_notes || [])
		if (!seen.has(x.reviewer)) side.appendChild(verdictBox(x.reviewer, null, null, x.text));
}

async function resolve(verdict, reason) {
	const k = state.conflicts[state.ci];
	if (!k) return;
	$('c-reasons').hidden = true;
	state.resolving = false;
	try {
		await api('POST', '/api/resolve', { citation: k.id, stage: k.stage, verdict, reason: reason || null });
		say('Citation ' + k.id + ' resolved: ' + verdict + (reason ? ' (' + reason + ')' : '') + '.');
		await loadConflicts();
	} catch (e) { say(e.message); }
}

function askResolveReason() {
	const k = state.conflicts[state.ci];
	if (!k) return;
	fillReasons($('c-reasons'), k.stage, code => resolve('exclude', code));
	state.resolving = true;
}

// ---- the dashboard ----------------------------------------------------------

function row(tbody, cells) {
	const tr = el('tr');
	for (const c of cells) tr.appendChild(el('td', c === null || c === undefined ? '\u2014' : c));
	tbody.appendChild(tr);
}

function num(x) { return typeof x === 'number' ? x.toFixed(2) : x; }

async function loadDashboard() {
	const d = await api('GET', '/api/dashboard');
	const st = d.status || {};
	let tb = $('d-progress').tBodies[0];
	clear(tb);
	for (const r of st.reviewers || []) row(tb, [r.reviewer, r.stage, r.assigned, r.decided, r.remaining]);
	tb = $('d-agreement').tBodies[0];
	clear(tb);
	for (const a of st.agreement || []) row(tb, [a.stage, (a.reviewers || []).join(' & ') + ' (' + a.n + ')', num(a.kappa), num(a.ac1)]);
	tb = $('d-prisma').tBodies[0];
	clear(tb);
	const p = d.prisma || {};
	if (p.error) { row(tb, ['PRISMA', p.error]); return; }
	const boxes = [
		['records identified', p.identified_total], ['duplicates removed', p.duplicates_removed],
		['marked ineligible by automation', p.automation_excluded], ['records screened', p.screened],
		['records excluded', p.screen_excluded], ['still to screen', p.screen_pending],
		['reports sought', p.sought], ['reports not retrieved', p.not_retrieved],
		['reports assessed', p.assessed], ['reports excluded', p.fulltext_excluded_total],
		['reports included', p.reports_included], ['studies included', p.studies_included],
	];
	for (const [label, v] of boxes) row(tb, [label, v]);
}

// ---- keys -------------------------------------------------------------------

function toggleHelp(show) { $('help').hidden = show === undefined ? !$('help').hidden : !show; }

function inputKey(ev) {
	const t = ev.target;
	if (ev.key === 'Escape') { t.blur(); return true; }
	if (ev.key !== 'Enter') return true;
	if (t === $('note') || t === $('tags')) saveNote();
	else if (t === $('hl-word')) addHighlight();
	t.blur();
	ev.preventDefault();
	return true;
}

function reasonKey(ev, list, pick, cancel) {
	const k = parseInt(ev.key, 10);
	if (k >= 1 && k <= list.length) pick(list[k - 1].code);
	else if (ev.key === 'Enter') pick(null);
	else if (ev.key === 'Escape') cancel();
	ev.preventDefault();
}

document.addEventListener('keydown', ev => {
	if (ev.target instanceof HTMLInputElement) { inputKey(ev); return; }
	if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
	if (state.choosingReason) {
		reasonKey(ev, reasonsForStage(state.view), code => decide('exclude', code),
			() => { $('reasons').hidden = true; state.choosingReason = false; });
		return;
	}
	if (state.resolving) {
		const k = state.conflicts[state.ci];
		reasonKey(ev, reasonsForStage(k ? k.stage : 'title-abstract'), code => {
			if (code || !k || k.stage !== 'full-text') resolve('exclude', code);
			else say('A reason is required at full text: press its number.');
		}, () => { $('c-reasons').hidden = true; state.resolving = false; });
		return;
	}
	const conflicts = state.view === 'conflicts';
	switch (ev.key) {
	case 'i': if (conflicts) resolve('include'); else decide('include'); break;
	case 'e': if (conflicts) askResolveReason(); else askReason(); break;
	case 'm': if (!conflicts && state.view === 'title-abstract') decide('maybe'); break;
	case 'u': if (!conflicts) undo(); break;
	case 'p': case 'ArrowLeft': if (!conflicts) previous(); break;
	case ']': case 'ArrowRight': if (!conflicts) forward(); break;
	case 'n': $('note').focus(); break;
	case 't': $('tags').focus(); break;
	case 'h': $('hl-word').focus(); break;
	case 'f': if (!$('fulltext-box').hidden) $('fulltext').click(); break;
	case 'j': if (conflicts && state.conflicts.length) { state.ci = (state.ci + 1) % state.conflicts.length; showConflict().catch(e => say(e.message)); } break;
	case 'k': if (conflicts && state.conflicts.length) { state.ci = (state.ci + state.conflicts.length - 1) % state.conflicts.length; showConflict().catch(e => say(e.message)); } break;
	case '1': go('title-abstract'); break;
	case '2': go('full-text'); break;
	case '3': go('conflicts'); break;
	case '4': go('dashboard'); break;
	case '?': toggleHelp(); break;
	case 'Escape': toggleHelp(false); break;
	default: return;
	}
	ev.preventDefault();
});

window.addEventListener('DOMContentLoaded', () => {
	$('include').addEventListener('click', () => decide('include'));
	$('exclude').addEventListener('click', askReason);
	$('maybe').addEventListener('click', () => decide('maybe'));
	$('undo').addEventListener('click', undo);
	$('previous').addEventListener('click', previous);
	$('forward').addEventListener('click', forward);
	$('help-btn').addEventListener('click', () => toggleHelp());
	$('note').addEventListener('change', saveNote);
	$('tags').addEventListener('change', saveNote);
	for (const b of document.querySelectorAll('#views button'))
		b.addEventListener('click', () => go(b.dataset.view));
	// the arbiter starts at the conflicts (screening hands out citations)
	loadMe().then(() => {
		if (state.me.role === 'arbiter') state.view = 'conflicts';
		return refresh();
	}).catch(e => say(e.message));
});
