// The management page: live cluster figures (polled every 2 s), the history from cache_statistics, and the admin
// operations (invalidate a file, run the cleanup, warm a user's project). The admin token is kept in sessionStorage
// (stemcache.adminToken), so it leaves with the tab. window.stemcacheAdminReport is for tests.
import { drawHistory } from './charts.js';

const TOKEN_KEY = 'stemcache.adminToken';
const POLL_MS = 2000;
const HISTORY_EVERY = 5;     // polls between history reads
const HISTORY_ROWS = 240;

const report = { polls: 0, latest: null, historyRows: 0, actions: [], errors: [] };
window.stemcacheAdminReport = report;

const $ = (id) => document.getElementById(id);
let timer = null;

class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
  }
}

async function call(method, path, body) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) throw new Error('set an admin token first');
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status === 204) return null;
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new ApiProblem(response.status, json);
  return json;
}

function problem(error, where) {
  const message = `${where}: ${error.message}`;
  report.errors.push(message);
  const state = where === 'figures' || where === 'history' ? $('live-state') : $('action-state');
  state.setAttribute('role', 'alert');
  state.textContent = message;
  if (error.status === 401 || error.status === 403) stop(`${message}. Set a token with the admin role.`);
}

const percent = (x) => `${(x * 100).toFixed(1)}%`;
const megabytes = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;

function showFigures(stats) {
  const gets = stats.hits + stats.misses;
  const hitRate = gets === 0 ? 0 : stats.hits / gets;
  $('f-hit-rate').textContent = gets === 0 ? 'no gets yet' : percent(hitRate);
  $('f-gets').textContent = `${stats.hits} / ${stats.misses}`;
  $('f-entries').textContent = String(stats.entries);
  $('f-stored').textContent = `${megabytes(stats.storedBytes)}`;
  $('f-members').textContent = String(stats.members);
  $('f-backlog').textContent = String(stats.writeBehindBacklog);
  $('f-evictions').textContent = String(stats.evictions);
  $('f-writes').textContent = `${stats.puts} / ${stats.removals}`;
  $('f-cleanup').textContent = stats.lastCleanup ? new Date(stats.lastCleanup).toLocaleTimeString() : 'not since start';
  report.latest = { ...stats, hitRate };
  const state = $('live-state');
  state.removeAttribute('role');
  state.textContent = `Updated ${new Date().toLocaleTimeString()} (every 2 s). Hit rate = hits / (hits + misses) since the cluster started.`;
}

async function refreshHistory() {
  try {
    const { rows } = await call('GET', `/api/v1/admin/stats/history?limit=${HISTORY_ROWS}`);
    report.historyRows = rows.length;
    const times = rows.map((r) => Date.parse(r.recordedAt));
    const label = drawHistory($('history'), times, [
      { label: 'hit rate', colour: '#0b5cad', values: rows.map((r) => r.hitRate), max: 1, format: percent },
      { label: 'entries', colour: '#a40e26', dash: [6, 3], values: rows.map((r) => r.entries) },
    ]);
    $('history-state').textContent = `${label}.`;
  } catch (error) {
    problem(error, 'history');
  }
}

async function poll() {
  try {
    showFigures(await call('GET', '/api/v1/admin/stats'));
    if (report.polls % HISTORY_EVERY === 0) await refreshHistory();
    report.polls++;
  } catch (error) {
    problem(error, 'figures');
  }
}

function start() {
  stop();
  $('forget').hidden = false;
  $('token-state').textContent = 'Token set for this tab.';
  poll();
  timer = setInterval(poll, POLL_MS);
}

function stop(message) {
  clearInterval(timer);
  timer = null;
  if (message) $('token-state').textContent = message;
}

async function action(where, run) {
  const state = $('action-state');
  state.removeAttribute('role');
  state.textContent = `${where}…`;
  try {
    const text = await run();
    report.actions.push({ action: where, ok: true, text });
    state.textContent = text;
    poll();
  } catch (error) {
    report.actions.push({ action: where, ok: false, text: error.message });
    problem(error, where);
  }
}

const ids = (text) => text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('admin-token').value.trim();
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('admin-token').value = '';
  start();
});
$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  $('forget').hidden = true;
  stop('Token forgotten.');
});
$('invalidate-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = $('invalidate-id').value.trim();
  action('invalidating', async () => {
    await call('DELETE', `/api/v1/admin/files/${encodeURIComponent(id)}`);
    return `Invalidated file ${id}: every owner's stems left memory, near caches and PostgreSQL.`;
  });
});
$('cleanup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  action('cleaning up', async () => {
    const { deleted } = await call('POST', '/api/v1/admin/cleanup');
    return `Cleanup ran: ${deleted} row${deleted === 1 ? '' : 's'} deleted.`;
  });
});
$('warm-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const userId = $('warm-user').value.trim();
  const files = ids($('warm-ids').value);
  action('warming', async () => {
    const { stems } = await call('POST', '/api/v1/admin/files/warm', { userId, ids: files });
    return `Warmed ${files.length} file${files.length === 1 ? '' : 's'} of user ${userId}: ${stems} stems loaded.`;
  });
});

if (sessionStorage.getItem(TOKEN_KEY)) start();
else drawHistory($('history'), [], []);
