// The product's read path today, as a page: the five stems of ?file=<id>, each the user's audio_analysis_cache row
// from the emulated tRPC route (ProductRoute: jsonb as JSON), fetched in parallel and JSON.parse'd on the main
// thread, as the product's query does. window.productReport says when each row was in memory (performance.now(),
// from navigation start) for the pageload benchmark: ready, rows [{stem, fileId, frames, markers, fetchMs, parseMs,
// decodedAt}], errors. The token is the project page's (localStorage stemcache.user).
const STEMS = ['master', 'drums', 'bass', 'vocals', 'other'];
const ROUTE = '/product/trpc/audioAnalysis.get';

const report = { ready: false, rows: [], errors: [] };
window.productReport = report;
// The parsed rows stay referenced, as the product's query cache keeps them.
const rows = [];

async function load(fileId, stem, token) {
  const started = performance.now();
  const query = new URLSearchParams({ fileMetadataId: fileId, stemType: stem });
  const response = await fetch(`${ROUTE}?${query}`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`${stem}: HTTP ${response.status}`);
  const text = await response.text();
  const parseStarted = performance.now();
  const data = JSON.parse(text).result.data;
  const decodedAt = performance.now();
  rows.push(data);
  report.rows.push({
    stem: data.stemType,
    fileId: data.fileMetadataId,
    frames: Object.values(data.analysisData)[0]?.length ?? 0,
    markers: data.waveformData?.markers?.length ?? 0,
    fetchMs: parseStarted - started,
    parseMs: decodedAt - parseStarted,
    decodedAt,
  });
}

async function start() {
  const state = document.getElementById('state');
  const fileId = new URLSearchParams(location.search).get('file');
  const token = localStorage.getItem('stemcache.user');
  try {
    if (!fileId) throw new Error('no ?file=<id> to load');
    if (!token) throw new Error('no user token in localStorage stemcache.user');
    await Promise.all(STEMS.map((stem) => load(fileId, stem, token)));
    state.textContent = `${rows.length} rows parsed`;
  } catch (error) {
    report.errors.push(error.message);
    state.textContent = error.message;
  }
  report.ready = true;
}

start();
