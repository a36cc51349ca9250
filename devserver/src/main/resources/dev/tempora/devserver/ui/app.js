// Tempora Web UI: plain JavaScript over the HTTP API (docs/http-api.md), served under /api.
// Text from the server is only ever set as text (never as HTML), and the page's CSP allows no
// inline script. The token comes once in the URL's fragment and stays in this origin's storage.
'use strict';

const TOKEN_KEY = 'tempora-ui-token';
const STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELED', 'TERMINATED', 'TIMED_OUT', 'CONTINUED_AS_NEW'];
const REFRESH_MS = 3000;
let refreshTimer = null;
let renderSeq = 0;

// ---- plumbing ---------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.substring(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

class ApiError extends Error {
  constructor(name, message, status) { super(message); this.name = name; this.status = status; }
}

async function api(method, path, body) {
  const headers = { 'Authorization': 'Bearer ' + (localStorage.getItem(TOKEN_KEY) || '') };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const r = await fetch('/api' + path, init);
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : {}; } catch (e) { json = { error: 'BadResponse', message: text }; }
  if (!r.ok) throw new ApiError(json.error || 'Error', json.message || r.statusText, r.status);
  return json;
}

function enc(s) { return encodeURIComponent(s); }

function qs(params) {
  const parts = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => enc(k) + '=' + enc(v));
  return parts.length ? '?' + parts.join('&') : '';
}

function fmtTime(iso) {
  if (!iso) return '';
  return String(iso).replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function fmtDuration(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return '';
  if (ms < 1000) return Math.round(ms) + ' ms';
  const s = ms / 1000;
  if (s < 60) return (s < 10 ? s.toFixed(2) : s.toFixed(1)) + ' s';
  const m = Math.floor(s / 60), rs = Math.round(s % 60);
  if (m < 60) return m + ' m ' + rs + ' s';
  const hrs = Math.floor(m / 60), rm = m % 60;
  if (hrs < 48) return hrs + ' h ' + rm + ' m';
  return Math.floor(hrs / 24) + ' d ' + (hrs % 24) + ' h';
}

function pretty(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

/** A stored payload ({"json": "..."}) as the value it encodes, when it is plain JSON. */
function payloadValue(p) {
  if (p && typeof p === 'object' && typeof p.json === 'string') {
    if (p.metadata) return { encoding: p.metadata.encoding || 'binary', data: p.json };
    try { return JSON.parse(p.json); } catch (e) { return p.json; }
  }
  return p;
}

function badge(status) {
  return h('span', { class: 'badge status-' + status, 'data-status': status }, status);
}

function cell(value) {
  if (value === null || value === undefined) return h('td', { class: 'muted' }, '');
  if (typeof value === 'object') return h('td', {}, pretty(value));
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value)) return h('td', { class: 'mono' }, fmtTime(value));
  return h('td', {}, String(value));
}

/** A table of objects: one column per key any of them has, every field shown. */
function objectTable(id, rows) {
  const keys = [];
  rows.forEach(r => Object.keys(r).forEach(k => { if (!keys.includes(k)) keys.push(k); }));
  return h('table', { id },
    h('thead', {}, h('tr', {}, keys.map(k => h('th', {}, k)))),
    h('tbody', {}, rows.map(r => h('tr', {}, keys.map(k => cell(r[k]))))));
}

function notice(text, bad) {
  const n = document.getElementById('notice');
  n.textContent = text;
  n.className = 'notice' + (bad ? ' bad' : '');
  n.hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => { n.hidden = true; }, 8000);
}

function problem(e) {
  if (e instanceof ApiError && e.status === 401) {
    return h('div', { class: 'card failure', id: 'unauthorized' },
      h('strong', {}, 'Not signed in. '),
      'Open the URL the devserver (or tempora ui) printed at start: it carries this server\'s token.');
  }
  return h('div', { class: 'card failure', id: 'load-error' }, (e.name || 'Error') + ': ' + e.message);
}

/**
 * A confirmation dialog: `fields` are elements shown in it; `action` runs on Confirm and may
 * return an element to show in the dialog (a query's result) instead of closing it.
 */
function confirmDialog(title, fields, confirmLabel, action, danger) {
  const dialog = document.getElementById('dialog');
  const confirm = document.getElementById('dialog-confirm');
  const error = document.getElementById('dialog-error');
  document.getElementById('dialog-title').textContent = title;
  const body = document.getElementById('dialog-body');
  body.replaceChildren(...fields);
  error.hidden = true;
  confirm.textContent = confirmLabel;
  confirm.className = danger ? 'danger' : '';
  confirm.disabled = false;
  confirm.onclick = async (ev) => {
    ev.preventDefault();
    confirm.disabled = true;
    error.hidden = true;
    try {
      const shown = await action();
      if (shown instanceof Node) {
        body.append(shown);
        confirm.disabled = false;
      } else {
        dialog.close();
      }
    } catch (e) {
      error.textContent = (e.name || 'Error') + ': ' + e.message;
      error.hidden = false;
      confirm.disabled = false;
    }
  };
  document.getElementById('dialog-cancel').onclick = () => dialog.close();
  dialog.showModal();
}

function parseArgs(text) {
  const t = text.trim();
  if (t === '') return [];
  let v;
  try { v = JSON.parse(t); } catch (e) { throw new ApiError('BadJson', 'the arguments are not JSON: ' + e.message); }
  if (!Array.isArray(v)) throw new ApiError('BadJson', 'the arguments must be a JSON array, one element per parameter');
  return v;
}

function autoRefresh(fn) {
  clearInterval(refreshTimer);
  refreshTimer = setInterval(fn, REFRESH_MS);
}

// ---- routing ----------------------------------------------------------------------------------

function route() {
  // The launch URL's token (also when the page was open already: then only the hash changes).
  const m = location.hash.match(/^#token=([A-Za-z0-9_-]+)/);
  if (m) {
    localStorage.setItem(TOKEN_KEY, m[1]);
    history.replaceState(null, '', location.pathname + '#/workflows');
  }
  const hash = location.hash.replace(/^#/, '') || '/workflows';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean);
  clearInterval(refreshTimer);
  const seq = ++renderSeq;
  const main = document.getElementById('main');
  document.querySelectorAll('nav a').forEach(a => a.classList.remove('active'));
  const nav = (id) => { const a = document.getElementById(id); if (a) a.classList.add('active'); };
  if (parts[0] === 'workflow' && parts.length >= 2) {
    nav('nav-workflows');
    workflowPage(main, decodeURIComponent(parts[1]), params.get('runId'), seq);
  } else if (parts[0] === 'schedules') {
    nav('nav-schedules');
    schedulesPage(main, seq);
  } else if (parts[0] === 'dead-letters') {
    nav('nav-dead-letters');
    deadLettersPage(main, seq);
  } else {
    nav('nav-workflows');
    workflowsPage(main, params, seq);
  }
}

// ---- workflows list ---------------------------------------------------------------------------

function workflowsPage(main, params, seq) {
  const f = {
    status: params.get('status') || '', type: params.get('type') || '', after: params.get('after') || '',
    before: params.get('before') || '', query: params.get('query') || '',
    pageSize: params.get('pageSize') || '20',
  };
  const status = h('select', { id: 'status-filter' }, h('option', { value: '' }, 'any status'),
    STATUSES.map(s => h('option', { value: s, selected: s === f.status }, s)));
  const type = h('input', { id: 'type-filter', placeholder: 'workflow type', value: f.type, size: 18 });
  const after = h('input', { id: 'after-filter', type: 'datetime-local', step: 1, value: f.after });
  const before = h('input', { id: 'before-filter', type: 'datetime-local', step: 1, value: f.before });
  const query = h('input', { id: 'query-box', value: f.query, spellcheck: 'false',
    placeholder: "list query, e.g. WorkflowType = 'OrderWorkflow' AND ExecutionStatus = 'Running'" });
  const pageSize = h('select', { id: 'page-size' }, ['10', '20', '50', '100'].map(n =>
    h('option', { value: n, selected: n === f.pageSize }, n)));
  const auto = h('input', { id: 'auto-refresh', type: 'checkbox', checked: true });
  const scan = h('input', { id: 'allow-scan', type: 'checkbox', checked: params.get('allowScan') === 'true' });
  const apply = () => {
    location.hash = '#/workflows' + qs({ status: status.value, type: type.value.trim(), after: after.value,
      before: before.value, query: query.value.trim(), pageSize: pageSize.value,
      allowScan: scan.checked ? 'true' : '' });
  };
  const form = h('form', { class: 'filters', id: 'filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
    h('label', {}, 'Status', status), h('label', {}, 'Type', type),
    h('label', {}, 'Started after (local time)', after), h('label', {}, 'Started before (local time)', before),
    h('label', { class: 'wide' }, 'List query (replaces the filters on the left)', query),
    h('label', { title: 'let a list query read every run of the namespace' }, 'Allow a scan', scan),
    h('label', {}, 'Page size', pageSize),
    h('button', { type: 'submit', id: 'apply-filters' }, 'Apply'),
    h('button', { type: 'button', class: 'secondary', id: 'clear-filters',
      onclick: () => { location.hash = '#/workflows'; } }, 'Clear'));
  const table = h('div', { id: 'workflows' }, h('p', { class: 'muted' }, 'Loading…'));
  const pager = h('div', { class: 'pager' });
  const count = h('span', { class: 'muted', id: 'workflow-count' });
  main.replaceChildren(h('h1', {}, 'Workflows'), form,
    h('div', { class: 'toolbar' }, h('label', {}, auto, ' auto-refresh every 3 s'), count), table, pager);

  // Pages: the list query pages by token, the filters by "started before" the last row.
  const pages = [null];
  let page = 0;
  const load = async () => {
    try {
      const size = Number(f.pageSize);
      const toIso = (local) => local ? new Date(local).toISOString() : undefined;
      let url, cursor = pages[page];
      if (f.query) {
        url = '/workflows' + qs({ query: f.query, pageSize: size, pageToken: cursor,
          allowScan: params.get('allowScan') === 'true' ? 'true' : undefined });
      } else {
        url = '/workflows' + qs({ status: f.status, workflowType: f.type, startedAfter: toIso(f.after),
          startedBefore: cursor || toIso(f.before), limit: size });
      }
      const r = await api('GET', url);
      if (seq !== renderSeq) return;
      const rows = r.executions || [];
      const next = f.query ? r.nextPageToken : (rows.length === size ? rows[rows.length - 1].startTime : null);
      pages[page + 1] = next;
      table.replaceChildren(rows.length === 0 ? h('p', { class: 'muted', id: 'no-workflows' }, 'No workflows match.')
        : h('table', { id: 'workflow-table' },
          h('thead', {}, h('tr', {}, ['Workflow id', 'Type', 'Status', 'Started', 'Closed', 'Duration', 'Task queue']
            .map(t => h('th', {}, t)))),
          h('tbody', {}, rows.map(w => h('tr', { class: 'clickable', dataset: { workflowId: w.workflowId },
            onclick: () => { location.hash = '#/workflow/' + enc(w.workflowId); } },
          h('td', {}, h('a', { href: '#/workflow/' + enc(w.workflowId) }, w.workflowId)),
          h('td', {}, w.workflowType), h('td', {}, badge(w.status)), h('td', { class: 'mono' }, fmtTime(w.startTime)),
          h('td', { class: 'mono' }, fmtTime(w.closeTime)),
          h('td', {}, w.closeTime ? fmtDuration(Date.parse(w.closeTime) - Date.parse(w.startTime)) : ''),
          h('td', {}, w.taskQueue))))));
      count.textContent = 'page ' + (page + 1) + ' · ' + rows.length + ' shown · updated ' + new Date().toLocaleTimeString();
      pager.replaceChildren(
        h('button', { class: 'secondary', id: 'prev-page', disabled: page === 0,
          onclick: () => { page--; load(); } }, '← Newer'),
        h('button', { class: 'secondary', id: 'next-page', disabled: !next,
          onclick: () => { page++; load(); } }, 'Older →'));
    } catch (e) {
      if (seq === renderSeq) table.replaceChildren(problem(e));
    }
  };
  load();
  auto.addEventListener('change', () => auto.checked ? autoRefresh(load) : clearInterval(refreshTimer));
  autoRefresh(load);
}

// ---- one workflow -----------------------------------------------------------------------------

async function fetchHistory(workflowId, runId) {
  const events = [];
  let token = null;
  for (let i = 0; i < 100; i++) {
    const r = await api('GET', '/workflows/' + enc(workflowId) + '/history'
      + qs({ runId, pageSize: 1000, pageToken: token }));
    events.push(...r.events);
    token = r.nextPageToken;
    if (!token) return { runId: r.runId, events };
  }
  return { runId, events };
}

/** Activities, timers and child workflows as spans from their first to their last event. */
function spans(events, endMs) {
  const open = new Map();
  const out = [];
  const at = (e) => Date.parse(e.timestamp);
  const begin = (key, kind, label, e) => {
    const s = { key, kind, label, start: at(e), end: null, outcome: 'open', detail: '' };
    open.set(key, s);
    out.push(s);
  };
  const finish = (key, outcome, e, detail) => {
    const s = open.get(key);
    if (!s) return;
    s.end = at(e);
    s.outcome = outcome;
    if (detail) s.detail = detail;
    open.delete(key);
  };
  for (const he of events) {
    const ev = he.event || {};
    switch (ev.type) {
      case 'ActivityTaskScheduled': begin('a' + ev.seq, 'activity', ev.activityType + ' #' + ev.seq, he); break;
      case 'ActivityTaskCompleted': finish('a' + ev.seq, 'completed', he, 'attempt ' + ev.attempt); break;
      case 'ActivityTaskFailed': finish('a' + ev.seq, 'failed', he, 'attempt ' + ev.attempt); break;
      case 'ActivityTaskTimedOut': finish('a' + ev.seq, 'timedout', he, ev.timeoutType + ' timeout'); break;
      case 'ActivityTaskCanceled': finish('a' + ev.seq, 'canceled', he); break;
      case 'TimerStarted': begin('t' + ev.seq, 'timer', 'timer #' + ev.seq + ' (' + ev.duration + ')', he); break;
      case 'TimerFired': finish('t' + ev.seq, 'fired', he); break;
      case 'TimerCanceled': finish('t' + ev.seq, 'canceled', he); break;
      case 'StartChildWorkflowExecutionInitiated':
        begin('c' + ev.seq, 'child', 'child ' + ev.workflowType + ' ' + ev.workflowId, he); break;
      case 'StartChildWorkflowExecutionFailed': finish('c' + ev.seq, 'failed', he, ev.cause); break;
      case 'ChildWorkflowExecutionCompleted': finish('c' + ev.seq, 'completed', he); break;
      case 'ChildWorkflowExecutionFailed': finish('c' + ev.seq, 'failed', he); break;
      case 'ChildWorkflowExecutionCanceled': finish('c' + ev.seq, 'canceled', he); break;
      case 'ChildWorkflowExecutionTimedOut': finish('c' + ev.seq, 'timedout', he); break;
      case 'ChildWorkflowExecutionTerminated': finish('c' + ev.seq, 'failed', he, 'terminated'); break;
      default: break;
    }
  }
  out.forEach(s => { if (s.end === null) s.endShown = endMs; });
  return out;
}

function timeline(events, closeTime) {
  if (events.length === 0) return h('p', { class: 'muted' }, 'No events.');
  const t0 = Date.parse(events[0].timestamp);
  const end = closeTime ? Date.parse(closeTime) : Math.max(Date.now(), Date.parse(events[events.length - 1].timestamp));
  const list = spans(events, end);
  if (list.length === 0) return h('p', { class: 'muted', id: 'timeline' }, 'No activities, timers or child workflows.');
  const total = Math.max(end - t0, 1);
  return h('div', { class: 'timeline', id: 'timeline' }, list.map(s => {
    const stop = s.end === null ? s.endShown : s.end;
    const left = Math.max(0, Math.min(100, (s.start - t0) / total * 100));
    const width = Math.max(0.4, Math.min(100 - left, (stop - s.start) / total * 100));
    const duration = fmtDuration(stop - s.start) + (s.end === null ? ' …' : '');
    const bar = h('div', { class: 'tl-bar kind-' + s.kind + ' outcome-' + s.outcome + (s.end === null ? ' open' : '') });
    // Through the CSSOM: the page's CSP refuses style attributes.
    bar.style.left = left.toFixed(2) + '%';
    bar.style.width = width.toFixed(2) + '%';
    return h('div', { class: 'tl-row', dataset: { kind: s.kind, outcome: s.outcome } },
      h('div', { class: 'tl-label', title: s.label + (s.detail ? ' · ' + s.detail : '') },
        s.label, h('span', { class: 'muted' }, ' ' + s.outcome + (s.detail ? ', ' + s.detail : ''))),
      h('div', { class: 'tl-track' }, bar),
      h('div', { class: 'tl-duration' }, duration));
  }));
}

function historyTable(events) {
  const t0 = events.length ? Date.parse(events[0].timestamp) : 0;
  return h('table', { id: 'history-table' },
    h('thead', {}, h('tr', {}, ['#', 'Time', '+', 'Type', 'Summary', 'Details'].map(t => h('th', {}, t)))),
    h('tbody', {}, events.map(e => {
      const { type, ...fields } = e.event || {};
      return h('tr', { dataset: { eventType: type } },
        h('td', {}, String(e.eventId)), h('td', { class: 'mono' }, fmtTime(e.timestamp)),
        h('td', { class: 'muted' }, fmtDuration(Date.parse(e.timestamp) - t0)), h('td', {}, type),
        h('td', {}, e.summary),
        h('td', {}, Object.keys(fields).length ? h('details', {}, h('summary', {}, 'fields'), pretty(fields)) : ''));
    })));
}

function summaryList(d) {
  const skip = new Set(['pendingActivities', 'pendingTimers', 'memo', 'searchAttributes']);
  // Fields without a value (no timeout, no failure) are left out; the rest, whatever they are, shown.
  return h('dl', { class: 'summary', id: 'summary' }, Object.entries(d)
    .filter(([k, v]) => !skip.has(k) && v !== null && v !== undefined).map(([k, v]) => [
    h('dt', {}, k),
    h('dd', { dataset: { field: k } }, v === null || v === undefined ? h('span', { class: 'muted' }, '—')
      : k === 'status' ? badge(v)
        : typeof v === 'object' ? pretty(v)
          : typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? fmtTime(v) : String(v))]));
}

function workflowPage(main, workflowId, runId, seq) {
  const title = h('h1', {}, h('span', { id: 'workflow-id' }, workflowId), h('span', { id: 'status-badge' }));
  const actions = h('div', { class: 'toolbar', id: 'actions' },
    h('button', { id: 'btn-signal', onclick: () => signalDialog(workflowId, load) }, 'Signal'),
    h('button', { id: 'btn-query', class: 'secondary', onclick: () => queryDialog(workflowId) }, 'Query'),
    h('button', { id: 'btn-cancel', class: 'secondary', onclick: () => cancelDialog(workflowId, load) }, 'Cancel'),
    h('button', { id: 'btn-terminate', class: 'danger', onclick: () => terminateDialog(workflowId, load) }, 'Terminate'),
    h('button', { id: 'btn-refresh', class: 'secondary', onclick: () => load() }, 'Refresh'),
    h('a', { href: '#/workflows' }, '← all workflows'));
  const body = h('div', { id: 'workflow' }, h('p', { class: 'muted' }, 'Loading…'));
  main.replaceChildren(title, actions, body);

  const load = async () => {
    try {
      const [d, hist] = await Promise.all([
        api('GET', '/workflows/' + enc(workflowId)),
        fetchHistory(workflowId, runId)]);
      const result = await api('GET', '/workflows/' + enc(workflowId) + '/result').catch(e => ({ error: e }));
      if (seq !== renderSeq) return;
      const events = hist.events;
      const shownRun = runId || d.runId;
      document.getElementById('status-badge').replaceChildren(runId && runId !== d.runId ? h('span', { class: 'muted' },
        'run ' + runId) : badge(d.status));
      const start = events.find(e => e.event && e.event.type === 'WorkflowExecutionStarted');
      const input = start ? payloadValue(start.event.input) : undefined;
      const sections = [];
      if (d.taskFailure) {
        sections.push(h('div', { class: 'card failure', id: 'task-failure' },
          h('strong', {}, 'The workflow task is failing: '), h('pre', {}, String(d.taskFailure))));
      }
      sections.push(h('div', { class: 'card' }, summaryList(d)));
      let resultView;
      if (result.error) resultView = h('p', { class: 'error' }, result.error.message);
      else if (result.status === 'RUNNING') resultView = h('p', { class: 'muted' }, 'Still running.');
      else if ('result' in result) resultView = pretty(result.result);
      else if (result.failure) resultView = h('div', { class: 'failure' }, pretty(result.failure));
      else resultView = pretty(Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'workflowId' && k !== 'runId')));
      sections.push(h('div', { class: 'grid2' },
        h('div', {}, h('h2', {}, 'Input'), h('div', { id: 'input' }, pretty(input === undefined ? null : input))),
        h('div', {}, h('h2', {}, 'Result'), h('div', { id: 'result' }, resultView))));
      const pa = d.pendingActivities || [];
      sections.push(h('h2', {}, 'Pending activities (' + pa.length + ')'),
        pa.length ? objectTable('pending-activities', pa) : h('p', { class: 'muted', id: 'pending-activities' }, 'None.'));
      const pt = d.pendingTimers || [];
      if (pt.length) sections.push(h('h2', {}, 'Pending timers (' + pt.length + ')'), objectTable('pending-timers', pt));
      if (d.memo && Object.keys(d.memo).length) sections.push(h('h2', {}, 'Memo'), pretty(d.memo));
      if (d.searchAttributes && Object.keys(d.searchAttributes).length) {
        sections.push(h('h2', {}, 'Search attributes'), pretty(d.searchAttributes));
      }
      const closed = d.closeTime && shownRun === d.runId ? d.closeTime : null;
      const lastClose = events.length && /^WorkflowExecution(Completed|Failed|Canceled|Terminated|TimedOut|ContinuedAsNew)$/
        .test((events[events.length - 1].event || {}).type) ? events[events.length - 1].timestamp : null;
      sections.push(h('h2', {}, 'Timeline'), timeline(events, closed || lastClose));
      sections.push(h('h2', {}, 'Event history (' + events.length + ' events, run ' + hist.runId + ')'),
        historyTable(events));
      body.replaceChildren(...sections);
      const open = d.status === 'RUNNING' && (!runId || runId === d.runId);
      ['btn-signal', 'btn-cancel', 'btn-terminate'].forEach(id => { document.getElementById(id).disabled = !open; });
      if (!open) clearInterval(refreshTimer);
    } catch (e) {
      if (seq === renderSeq) body.replaceChildren(problem(e));
    }
  };
  load();
  autoRefresh(load);
}

function signalDialog(workflowId, reload) {
  const name = h('input', { id: 'signal-name', placeholder: 'signal name, e.g. approve', autocomplete: 'off' });
  const args = h('textarea', { id: 'signal-args', spellcheck: 'false' }, '[]');
  confirmDialog('Signal ' + workflowId, [h('label', {}, 'Signal name'), name,
    h('label', {}, 'Arguments (a JSON array, one element per parameter)'), args], 'Send signal', async () => {
    if (!name.value.trim()) throw new ApiError('MissingField', 'give the signal\'s name');
    const a = parseArgs(args.value);
    await api('POST', '/workflows/' + enc(workflowId) + '/signals/' + enc(name.value.trim()), { args: a });
    notice('Signal \'' + name.value.trim() + '\' sent to ' + workflowId);
    reload();
  });
}

function queryDialog(workflowId) {
  const name = h('input', { id: 'query-name', placeholder: 'query name, e.g. status', autocomplete: 'off' });
  const args = h('textarea', { id: 'query-args', spellcheck: 'false' }, '[]');
  confirmDialog('Query ' + workflowId, [h('label', {}, 'Query name'), name,
    h('label', {}, 'Arguments (a JSON array)'), args], 'Run query', async () => {
    if (!name.value.trim()) throw new ApiError('MissingField', 'give the query\'s name');
    const r = await api('POST', '/workflows/' + enc(workflowId) + '/queries/' + enc(name.value.trim()),
      { args: parseArgs(args.value) });
    const old = document.getElementById('query-result');
    if (old) old.remove();
    return h('div', { id: 'query-result' }, h('label', {}, 'Result'), pretty(r.result));
  });
}

function cancelDialog(workflowId, reload) {
  confirmDialog('Cancel ' + workflowId + '?', [h('p', {},
    'The workflow is asked to cancel: its code sees the cancellation and may clean up (compensations run).')],
  'Request cancellation', async () => {
    await api('POST', '/workflows/' + enc(workflowId) + '/cancel', {});
    notice('Cancellation requested for ' + workflowId);
    reload();
  }, true);
}

function terminateDialog(workflowId, reload) {
  const reason = h('input', { id: 'terminate-reason', value: 'terminated from the Web UI' });
  confirmDialog('Terminate ' + workflowId + '?', [h('p', {},
    'The run ends at once: no code of it runs again, nothing is cleaned up.'), h('label', {}, 'Reason'), reason],
  'Terminate', async () => {
    await api('POST', '/workflows/' + enc(workflowId) + '/terminate', { reason: reason.value });
    notice('Terminated ' + workflowId);
    reload();
  }, true);
}

// ---- schedules and dead letters ---------------------------------------------------------------

function schedulesPage(main, seq) {
  const body = h('div', { id: 'schedules' }, h('p', { class: 'muted' }, 'Loading…'));
  main.replaceChildren(h('h1', {}, 'Schedules'), body);
  const load = async () => {
    try {
      const r = await api('GET', '/schedules');
      if (seq !== renderSeq) return;
      const rows = r.schedules || [];
      body.replaceChildren(rows.length === 0 ? h('p', { class: 'muted', id: 'no-schedules' }, 'No schedules.')
        : h('table', { id: 'schedules-table' },
          h('thead', {}, h('tr', {}, ['Schedule id', 'Workflow type', 'State', 'Next actions', 'Details']
            .map(t => h('th', {}, t)))),
          h('tbody', {}, rows.map(s => {
            const details = h('details', {}, h('summary', {}, 'describe'));
            details.addEventListener('toggle', async () => {
              if (!details.open || details.dataset.loaded) return;
              details.dataset.loaded = 'yes';
              try { details.append(pretty(await api('GET', '/schedules/' + enc(s.scheduleId)))); } catch (e) {
                details.append(problem(e));
              }
            });
            return h('tr', { dataset: { scheduleId: s.scheduleId } }, h('td', {}, s.scheduleId), h('td', {}, s.workflowType),
              h('td', {}, s.paused ? 'paused' + (s.note ? ': ' + s.note : '') : 'active'),
              h('td', { class: 'mono' }, (s.nextActionTimes || []).slice(0, 3).map(fmtTime).join('\n')),
              h('td', {}, details));
          }))));
    } catch (e) {
      if (seq === renderSeq) body.replaceChildren(problem(e));
    }
  };
  load();
}

function deadLettersPage(main, seq) {
  const body = h('div', { id: 'dead-letters' }, h('p', { class: 'muted' }, 'Loading…'));
  main.replaceChildren(h('h1', {}, 'Dead-lettered messages'),
    h('p', { class: 'muted' }, 'Messages their consumer failed on too many times. Redrive them back to their queue '
      + 'once the cause is fixed (a deployment, a fixed activity).'), body);
  const load = async () => {
    try {
      const r = await api('GET', '/dead-letters');
      if (seq !== renderSeq) return;
      body.replaceChildren(...r.queues.map(q => h('section', { class: 'card', dataset: { queue: q.queue } },
        h('div', { class: 'toolbar' }, h('strong', {}, q.queue),
          h('span', { class: 'muted dlq-count' }, q.count + ' message' + (q.count === 1 ? '' : 's')),
          h('button', { class: 'secondary redrive', disabled: q.count === 0, onclick: () => confirmDialog(
            'Redrive ' + q.queue + '?', [h('p', {}, 'The ' + q.count + ' message(s) in its dead-letter queue go back to '
              + q.queue + ' and are handled again.')], 'Redrive', async () => {
              const res = await api('POST', '/dead-letters/' + enc(q.queue) + '/redrive', {});
              notice('Redrove ' + res.redriven + ' message(s) to ' + q.queue);
              load();
            }) }, 'Redrive')),
        q.messages.length ? h('table', { class: 'dlq-messages' },
          h('thead', {}, h('tr', {}, ['Message id', 'Receives', 'Sent', 'Body'].map(t => h('th', {}, t)))),
          h('tbody', {}, q.messages.map(m => h('tr', {}, h('td', { class: 'mono' }, m.messageId),
            h('td', {}, String(m.receiveCount)), h('td', { class: 'mono' }, fmtTime(m.sentAt)),
            h('td', {}, pretty(m.body)))))) : null)));
    } catch (e) {
      if (seq === renderSeq) body.replaceChildren(problem(e));
    }
  };
  load();
  autoRefresh(load);
}

// ---- start ------------------------------------------------------------------------------------

(function start() {
  window.addEventListener('hashchange', route);
  route();
})();
