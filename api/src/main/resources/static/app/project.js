// The project page: a project's files and their five stems with cache status (one status call), every cached stem
// read and decoded off the main thread and drawn, and audio the user picks analysed here once (the stem's lease
// makes two tabs analyse once). window.stemcacheReport says what happened in this page load, for tests and the
// pageload benchmark.
import { createAudioCache } from '../js/index.js';
import { claimsOf, currentSession, guestToken, signedIn, signOut } from './session.js';
import { addFile, projectFiles, removeFile } from './project-files.js';
import { identify } from './identify.js';
import { drawStem } from './charts.js';

const STEMS = ['master', 'drums', 'bass', 'vocals', 'other'];
const STATE_TEXT = {
  cached: '✓ cached',
  analysing: '⟳ being analysed elsewhere',
  missing: '○ missing',
  stale: '! stale',
  checking: '… checking',
  here: '⟳ analysing here',
  failed: '✗ failed',
};
/** A lease request not answered within this long is waiting for another holder's analysis. */
const LEASE_WAIT_HINT_MS = 400;
const MAX_LOGGED_REQUESTS = 500;

/**
 * What this page load did: analysesRun (analyses run here), reads (one per stem shown: fileId, stem, source
 * network|revalidated|browser-cache|analysed, storedBytes, fetchMs, decodeMs, version, fingerprint, transferSize
 * and encodedBodySize from resource timing, decodedAt: performance.now() when the decoded analysis reached the
 * page, shownAt: once drawn...), status (the
 * status call's state per file and stem), requests (method, path, status, ms; never a header), ready (every
 * stem that can be shown is), errors.
 */
const report = {
  ready: false,
  analysesRun: 0,
  reads: [],
  status: {},
  requests: [],
  leaseWaits: 0,
  warm: null,
  session: null,
  errors: [],
  startedAt: performance.timeOrigin,
};
window.stemcacheReport = report;

const $ = (id) => document.getElementById(id);
let session = null;
let pending = 0;
let loaded = false;
const views = new Map();     // fileId -> {section, stems: Map(stem -> view)}
const audio = new Map();     // fileId -> ArrayBuffer of the audio picked in this tab
const hashes = new Map();    // fileId -> contentHash, where the project knows it

function settle() {
  report.ready = loaded && pending === 0;
  summarise();
}

async function track(promise) {
  pending++;
  report.ready = false;
  try {
    return await promise;
  } finally {
    pending--;
    settle();
  }
}

function fail(error, where) {
  const message = `${where}: ${error.message}`;
  report.errors.push(message);
  let alert = $('alert');
  if (!alert) {
    alert = document.createElement('p');
    alert.id = 'alert';
    alert.setAttribute('role', 'alert');
    $('summary').after(alert);
  }
  alert.textContent = message;
}

// ---- requests, logged without their headers ----

function loggedFetch(url, init = {}) {
  const method = init.method ?? 'GET';
  const path = new URL(url, location.href).pathname;
  const entry = { method, path, status: null, ms: null, waited: false };
  report.requests.push(entry);
  if (report.requests.length > MAX_LOGGED_REQUESTS) report.requests.shift();
  const started = performance.now();
  let hint = null;
  const lease = method === 'POST' && path.match(/^\/api\/v1\/analyses\/([^/]+)\/([^/]+)\/lease$/);
  if (lease) {
    hint = setTimeout(() => {
      entry.waited = true;
      report.leaseWaits++;
      setState(decodeURIComponent(lease[1]), decodeURIComponent(lease[2]), 'analysing');
    }, LEASE_WAIT_HINT_MS);
  }
  return fetch(url, init).then((response) => {
    entry.status = response.status;
    return response;
  }).finally(() => {
    entry.ms = Math.round(performance.now() - started);
    clearTimeout(hint);
  });
}

const cache = createAudioCache({ getToken: () => session.token, fetch: loggedFetch });

// ---- the view ----

function stemView(fileId, stem) {
  return views.get(fileId)?.stems.get(stem);
}

function setState(fileId, stem, state, note = '') {
  const view = stemView(fileId, stem);
  if (!view) return;
  view.state = state;
  view.badge.className = `badge ${state}`;
  view.badge.textContent = STATE_TEXT[state];
  if (note) view.arrival.textContent = note;
}

function renderFile(file) {
  if (file.contentHash) hashes.set(file.id, file.contentHash);
  if (views.has(file.id)) return views.get(file.id);
  const section = document.createElement('article');
  section.className = 'file';
  section.dataset.fileId = file.id;
  const header = document.createElement('header');
  const title = document.createElement('h3');
  title.textContent = file.name ?? `file ${file.id}`;
  const id = document.createElement('span');
  id.className = 'id';
  id.textContent = file.id;
  const remove = document.createElement('button');
  remove.type = 'button';
  remove.className = 'quiet';
  remove.textContent = 'Remove from project';
  remove.setAttribute('aria-label', `Remove ${title.textContent} from the project (its analyses stay cached)`);
  remove.addEventListener('click', () => {
    removeFile(file.id);
    views.delete(file.id);
    section.remove();
    summarise();
  });
  header.append(title, id, remove);
  const list = document.createElement('ul');
  list.className = 'stems';
  list.setAttribute('aria-live', 'polite');
  const stems = new Map();
  for (const stem of STEMS) {
    const item = document.createElement('li');
    item.className = 'stem';
    item.dataset.stem = stem;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = stem;
    const badge = document.createElement('span');
    const canvas = document.createElement('canvas');
    canvas.hidden = true;
    const arrival = document.createElement('p');
    arrival.className = 'arrival';
    item.append(name, badge, canvas, arrival);
    list.append(item);
    stems.set(stem, { item, badge, canvas, arrival, state: null });
  }
  section.append(header, list);
  $('files').append(section);
  $('empty').hidden = true;
  const view = { section, stems };
  views.set(file.id, view);
  for (const stem of STEMS) setState(file.id, stem, 'checking');
  return view;
}

const mb = (bytes) => (bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`);
const ms = (value) => `${Math.round(value)} ms`;

function arrivalText(result) {
  const r = result.report;
  const decoded = r.decodeMs === undefined ? '' : `; decoded in ${ms(r.decodeMs)} off the main thread`;
  switch (r.source) {
    case 'analysed':
      return `analysed in ${(r.analyseMs / 1000).toFixed(1)} s here, stored ${mb(r.storedBytes)}`;
    case 'revalidated':
      return `revalidated (304) in ${ms(r.fetchMs)}: the browser's copy, ${mb(r.storedBytes)}, no analysis bytes moved${decoded}`;
    case 'browser-cache':
      return `from the browser's cache in ${ms(r.fetchMs)}, ${mb(r.storedBytes)}${decoded}`;
    default:
      return `from cache in ${ms(r.fetchMs)}, ${mb(r.storedBytes)}${decoded}`;
  }
}

/** A short checksum of every number in the analysis, so two reads can be compared for identical numbers. */
function fingerprint(analysis) {
  let h = 0x811c9dc5;
  const mix = (array) => {
    const values = array instanceof Float64Array ? array : Float64Array.from(array);
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 16777619);
  };
  for (const [name, values] of Object.entries(analysis.analysisData)) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
    mix(values);
  }
  mix(analysis.waveform.points);
  mix(analysis.markers.map((m) => m.time));
  return (h >>> 0).toString(16).padStart(8, '0');
}

function show(fileId, stem, result) {
  // The analysis is decoded and in this page's memory now (before it is drawn): the pageload benchmark's mark.
  const decodedAt = performance.now();
  const view = stemView(fileId, stem);
  if (!view) return;
  const { analysis } = result;
  setState(fileId, stem, 'cached');
  view.canvas.hidden = false;
  drawStem(view.canvas, analysis);
  view.arrival.textContent = arrivalText(result);
  const r = result.report;
  // What crossed the network for this read (the response's headers only, when the browser revalidated its copy).
  const timing = r.source === 'analysed' ? undefined : performance
    .getEntriesByName(new URL(`/api/v1/analyses/${encodeURIComponent(fileId)}/${stem}`, location.href).href).at(-1);
  report.reads.push({
    fileId,
    stem,
    source: r.source,
    storedBytes: r.storedBytes,
    fetchMs: r.fetchMs ?? null,
    decodeMs: r.decodeMs ?? null,
    analyseMs: r.analyseMs ?? null,
    version: r.version,
    etag: r.etag ?? null,
    analysisVersion: analysis.analysisVersion,
    frames: Object.values(analysis.analysisData)[0]?.length ?? 0,
    markers: analysis.markers.length,
    fingerprint: fingerprint(analysis),
    transferSize: timing?.transferSize ?? null,
    encodedBodySize: timing?.encodedBodySize ?? null,
    decodedAt,
    // Once drawn and fingerprinted (evaluated last): the main thread's work for this stem was decodedAt..shownAt.
    shownAt: performance.now(),
  });
}

function summarise() {
  const counts = { network: 0, revalidated: 0, 'browser-cache': 0, analysed: 0 };
  let bytes = 0;
  for (const read of report.reads) {
    counts[read.source] = (counts[read.source] ?? 0) + 1;
    bytes += read.storedBytes ?? 0;
  }
  const shown = report.reads.length;
  const parts = [`${shown} stem${shown === 1 ? '' : 's'} shown`,
    `${report.analysesRun} analys${report.analysesRun === 1 ? 'is' : 'es'} run in this page load`];
  if (counts.network) parts.push(`${counts.network} from cache over the network`);
  if (counts.revalidated) parts.push(`${counts.revalidated} revalidated (304)`);
  if (counts['browser-cache']) parts.push(`${counts['browser-cache']} from the browser's cache`);
  if (counts.analysed) parts.push(`${counts.analysed} analysed here`);
  if (shown) parts.push(`${mb(bytes)} of analyses`);
  $('summary').textContent = `${parts.join(' · ')}${report.ready ? '' : ' · loading…'}`;
  $('summary').dataset.ready = String(report.ready);
}

// ---- reading the project ----

/** No audio for this file in this tab: a stem whose lease comes to this tab cannot be analysed here. */
class NoAudioHere extends Error {
  constructor() {
    super('pick the audio file to analyse it here');
    this.name = 'NoAudioHere';
  }
}

async function readStem(fileId, stem, state) {
  try {
    if (state === 'analysing') {
      // Someone else analyses it: wait for their entry (with this tab's audio, take over if their lease expires).
      const contentHash = stem === 'master' ? hashes.get(fileId) : undefined;
      const result = await cache.getOrAnalyse(fileId, stem, analyserFor(fileId, stem), { contentHash });
      show(fileId, stem, result);
      return;
    }
    const result = await cache.getCachedAnalysis(fileId, stem);
    if (result) show(fileId, stem, result);
    else setState(fileId, stem, 'missing', 'gone since the status call');
  } catch (error) {
    if (error instanceof NoAudioHere) {
      setState(fileId, stem, 'missing', error.message);
      return;
    }
    setState(fileId, stem, 'failed', error.message);
    fail(error, `${fileId}/${stem}`);
  }
}

async function loadProject(files) {
  const ids = files.map((f) => f.id);
  if (ids.length === 0) {
    $('empty').hidden = false;
    return;
  }
  files.forEach(renderFile);
  // Warm the project into the cluster and this API node while the page asks for the status.
  cache.warmProject(ids).then((warm) => {
    report.warm = warm;
  }, (error) => {
    report.warm = { error: error.message };
  });
  let status;
  try {
    status = await cache.isAnalysisCached(ids);
  } catch (error) {
    fail(error, 'status');
    for (const id of ids) for (const stem of STEMS) setState(id, stem, 'failed');
    return;
  }
  const reads = [];
  for (const id of ids) {
    report.status[id] = {};
    for (const stem of STEMS) {
      const state = status[id]?.[stem]?.state ?? 'missing';
      report.status[id][stem] = state;
      setState(id, stem, state, state === 'stale' ? 'stored under an older cache version: analyse it again' : '');
      if (state === 'cached' || state === 'analysing') reads.push(readStem(id, stem, state));
    }
  }
  await Promise.all(reads);
}

// ---- analysing picked audio ----

let worker = null;
let nextJob = 1;
const jobs = new Map();

function analysisWorker() {
  if (worker) return worker;
  worker = new Worker(new URL('./analyser-worker.js', import.meta.url), { type: 'module' });
  worker.onmessage = (event) => {
    const { id, analysis, progress, error } = event.data;
    const job = jobs.get(id);
    if (!job) return;
    if (progress !== undefined) {
      job.onProgress?.(progress);
      return;
    }
    jobs.delete(id);
    if (error) job.reject(new Error(`analysis failed: ${error.message}`));
    else job.resolve(analysis);
  };
  worker.onerror = (event) => {
    for (const job of jobs.values()) job.reject(new Error(`the analysis worker failed: ${event.message}`));
    jobs.clear();
    worker = null;
  };
  return worker;
}

/** Web Audio decodes (resampled to 44.1 kHz), the worker analyses; resolves the product's analysis JSON. */
async function analyseAudio(bytes, fileId, stem, onProgress) {
  const context = new OfflineAudioContext(1, 1, 44100);
  const decoded = await context.decodeAudioData(bytes.slice(0));
  const channels = [];
  for (let c = 0; c < decoded.numberOfChannels; c++) channels.push(decoded.getChannelData(c).slice());
  const id = nextJob++;
  return new Promise((resolve, reject) => {
    jobs.set(id, { resolve, reject, onProgress });
    analysisWorker().postMessage({ id, channels, sampleRate: decoded.sampleRate, fileMetadataId: fileId, stemType: stem },
      channels.map((c) => c.buffer));
  });
}

/** The analyse() getOrAnalyse runs when this tab holds the stem's lease: counted, shown, off the main thread. */
function analyserFor(fileId, stem) {
  return () => {
    const bytes = audio.get(fileId);
    if (!bytes || stem !== 'master') return Promise.reject(new NoAudioHere());
    report.analysesRun++;
    setState(fileId, stem, 'here', 'decoding…');
    summarise();
    return analyseAudio(bytes, fileId, stem, (fraction) => {
      const view = stemView(fileId, stem);
      if (view) view.arrival.textContent = `analysing: ${Math.round(fraction * 100)}%`;
    });
  };
}

async function addAudio(file) {
  $('add-state').textContent = `Reading ${file.name}…`;
  const bytes = await file.arrayBuffer();
  const { contentHash, fileId } = await identify(bytes);
  audio.set(fileId, bytes);
  addFile({ id: fileId, name: file.name, contentHash, size: file.size, addedAt: new Date().toISOString() });
  renderFile({ id: fileId, name: file.name, contentHash });
  for (const stem of STEMS) if (stem !== 'master' && stemView(fileId, stem).state === 'checking') setState(fileId, stem, 'missing');
  $('add-state').textContent = `${file.name}: file ${fileId} (${contentHash.slice(0, 19)}…), its master stem…`;
  setState(fileId, 'master', 'checking');
  try {
    const result = await cache.getOrAnalyse(fileId, 'master', analyserFor(fileId, 'master'), { contentHash });
    show(fileId, 'master', result);
    $('add-state').textContent = `${file.name}: ${result.analysed ? 'analysed here' : 'found in the cache, not analysed again'}.`;
  } catch (error) {
    setState(fileId, 'master', 'failed', error.message);
    fail(error, `analysing ${file.name}`);
    $('add-state').textContent = `${file.name}: ${error.message}`;
  }
}

// ---- session ----

function showSession() {
  report.session = session.kind;
  const state = $('session-state');
  if (session.kind === 'user') {
    state.textContent = `Signed in as user ${session.userId}.`;
  } else {
    state.textContent = `Working as a guest (session until ${new Date(session.expiresAt).toLocaleString()}): `
      + 'what you analyse is kept for this guest until you sign in.';
  }
  $('sign-in').hidden = session.kind === 'user';
  $('sign-out').hidden = session.kind !== 'user';
}

async function signIn(event) {
  event.preventDefault();
  const input = $('user-token');
  const token = input.value.trim();
  try {
    const claims = claimsOf(token);
    if (claims.is_anonymous === true) throw new Error('that is a guest token: sign in with a user\'s access token');
    const guest = guestToken();
    let moved = 0;
    if (guest) {
      const asUser = createAudioCache({ getToken: () => token, fetch: loggedFetch });
      moved = (await asUser.claimGuest(guest)).moved;
    }
    signedIn(token);
    input.value = '';
    session = { kind: 'user', token, userId: claims.sub };
    report.claimed = moved;
    showSession();
    $('session-state').textContent += ` ${moved} analys${moved === 1 ? 'is' : 'es'} moved from the guest session.`;
    await reload();
  } catch (error) {
    fail(error, 'signing in');
  }
}

async function reload() {
  report.reads = [];
  report.status = {};
  views.clear();
  $('files').replaceChildren();
  loaded = false;
  await track(loadProject(projectFiles().files));
  loaded = true;
  settle();
}

async function start() {
  $('sign-in').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', async () => {
    signOut();
    session = await currentSession();
    showSession();
    await reload();
  });
  $('audio-file').addEventListener('change', (event) => {
    const [file] = event.target.files;
    if (file) track(addAudio(file)).finally(() => { event.target.value = ''; });
  });
  try {
    session = await currentSession();
  } catch (error) {
    fail(error, 'starting a session');
    $('session-state').textContent = 'No session: the API node did not answer.';
    return;
  }
  showSession();
  const { files, rejected } = projectFiles();
  if (rejected.length) fail(new Error(`not file ids (UUIDs): ${rejected.join(', ')}`), '?files=');
  await track(loadProject(files));
  loaded = true;
  settle();
}

start();
