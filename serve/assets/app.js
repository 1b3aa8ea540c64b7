// lsr screening page.  Every text from the review goes into the page with
// textContent or as a text node, never parsed as markup, so a title
// holding markup stays text.
'use strict';

const state = { me: null, citation: null, stage: 'title-abstract', choosingReason: false };

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

// text into el, with the spans [start, end) marked (class cls per span)
function marked(el, text, spans) {
	clear(el);
	let at = 0;
	spans.sort((a, b) => a.start - b.start);
	for (const s of spans) {
		if (s.start < at) continue;
		el.appendChild(document.createTextNode(text.slice(at, s.start)));
		const m = document.createElement('mark');
		m.className = s.cls;
		m.textContent = text.slice(s.start, s.end);
		el.appendChild(m);
		at = s.end;
	}
	el.appendChild(document.createTextNode(text.slice(at)));
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
	$('progress').textContent = state.stage + ': ' + p.done + ' done of ' + p.assigned +
		' assigned, ' + p.remaining + ' remaining';
}

function show(c) {
	state.citation = c;
	$('citation').hidden = !c;
	$('actions').hidden = !c;
	$('note').value = '';
	if (!c) { say('Nothing left to screen at ' + state.stage + '.'); return; }
	say('');
	marked($('title'), c.title || '(no title)', spansFor('title', c.title || '', c));
	$('authors').textContent = (c.authors || []).join('; ');
	$('journal').textContent = c.journal || '';
	$('year').textContent = c.year ? '(' + c.year + ')' : '';
	$('pubtypes').textContent = (c.publication_types || []).join(', ');
	marked($('abstract'), c.abstract || '(no abstract)', spansFor('abstract', c.abstract || '', c));
	$('keywords').textContent = (c.keywords || []).concat(c.mesh || []).join('; ');
	const sug = $('suggestions');
	clear(sug);
	for (const h of c.suggestions || []) {
		const p = document.createElement('p');
		p.textContent = 'Suggestion: ' + h.rule + ' (' + h.reason + (h.mode === 'exclude' ? ', excludes' : '') +
			')' + (h.matched ? ': "' + h.matched + '" in ' + h.field : '');
		sug.appendChild(p);
	}
	$('cid').textContent = String(c.citation);
	const src = $('sources');
	clear(src);
	for (const s of c.sources || []) {
		const li = document.createElement('li');
		li.textContent = (s.source || '') + ' ' + (s.source_record_id || '') + ' (record ' + s.record + ')';
		src.appendChild(li);
	}
}

async function refresh() {
	state.me = await api('GET', '/api/me?stage=' + encodeURIComponent(state.stage));
	showProgress();
	const r = await api('GET', '/api/next?stage=' + encodeURIComponent(state.stage));
	show(r.citation);
}

function reasonsForStage() {
	return (state.me.reasons || []).filter(r => !r.stage || r.stage === state.stage);
}

function askReason() {
	const ol = $('reasons');
	clear(ol);
	for (const r of reasonsForStage()) {
		const li = document.createElement('li');
		li.textContent = r.label + ' [' + r.code + ']';
		li.addEventListener('click', () => decide('exclude', r.code));
		ol.appendChild(li);
	}
	ol.hidden = false;
	state.choosingReason = true;
}

async function decide(verdict, reason) {
	if (!state.citation) return;
	$('reasons').hidden = true;
	state.choosingReason = false;
	try {
		await api('POST', '/api/decision', {
			citation: state.citation.citation, stage: state.stage, verdict,
			reason: reason || null, note: $('note').value || null,
		});
		await refresh();
	} catch (e) { say(e.message); }
}

async function undo() {
	try { await api('POST', '/api/undo', {}); await refresh(); } catch (e) { say(e.message); }
}

function toggleHelp(show) { $('help').hidden = show === undefined ? !$('help').hidden : !show; }

document.addEventListener('keydown', ev => {
	if (ev.target === $('note')) {
		if (ev.key === 'Enter' || ev.key === 'Escape') $('note').blur();
		return;
	}
	if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
	if (state.choosingReason) {
		const list = reasonsForStage();
		const k = parseInt(ev.key, 10);
		if (k >= 1 && k <= list.length) decide('exclude', list[k - 1].code);
		else if (ev.key === 'Enter') decide('exclude', null);
		else if (ev.key === 'Escape') { $('reasons').hidden = true; state.choosingReason = false; }
		ev.preventDefault();
		return;
	}
	switch (ev.key) {
	case 'i': decide('include'); break;
	case 'e': askReason(); break;
	case 'm': decide('maybe'); break;
	case 'u': undo(); break;
	case 'n': $('note').focus(); break;
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
	$('help-btn').addEventListener('click', () => toggleHelp());
	refresh().catch(e => say(e.message));
});
