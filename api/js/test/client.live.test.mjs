// The JS client against a live API node (real members, real PostgreSQL): JsClientIT starts them and sets
// STEMCACHE_BASE_URL, user tokens and a corpus file. Run through JsClientIT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { createAudioCache, createGuestSession, fromProductJson, StemcacheApiError } from '../src/index.js';

const base = process.env.STEMCACHE_BASE_URL;
const userA = process.env.STEMCACHE_USER_TOKEN_A;
const userB = process.env.STEMCACHE_USER_TOKEN_B;
const corpusFile = process.env.STEMCACHE_CORPUS_FILE;
const live = { skip: !base && 'STEMCACHE_BASE_URL is not set: run through JsClientIT' };

const corpus = corpusFile ? JSON.parse(gunzipSync(readFileSync(corpusFile)).toString('utf8')) : null;
/** The corpus analysis as another file's (so tests do not share entries). */
const asFile = (fileId, json = corpus) => ({ ...json, fileMetadataId: fileId });
/** A small analysis (the corpus cut to `frames` frames) of a new file. */
function small(frames = 120, stemType = corpus.stemType) {
  const analysisData = {};
  for (const [name, values] of Object.entries(corpus.analysisData)) analysisData[name] = values.slice(0, frames);
  return { ...corpus, fileMetadataId: randomUUID(), stemType, analysisData };
}
const bits = (array) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

test('the environment is set (JsClientIT sets it)', () => {
  assert.ok(base && userA && userB && corpusFile, 'STEMCACHE_BASE_URL, STEMCACHE_USER_TOKEN_A/B, STEMCACHE_CORPUS_FILE');
});

test('a guest stores a full corpus stem, reads it back bit-exact, sees its status, projects, warms, clears', live, async () => {
  const { token } = await createGuestSession(base);
  const cache = createAudioCache({ baseUrl: base, getToken: () => token });
  const fileId = randomUUID();
  const stem = corpus.stemType;
  assert.equal(await cache.getCachedAnalysis(fileId, stem), null);

  const stored = await cache.cacheAnalysis(fileId, stem, asFile(fileId), { contentHash: 'sha256:live' });
  assert.equal(stored.precision, 'FLOAT64');
  assert.ok(stored.version > 0);

  const got = await cache.getCachedAnalysis(fileId, stem);
  const expected = fromProductJson(asFile(fileId));
  assert.deepEqual(Object.keys(got.analysis.analysisData), Object.keys(expected.analysisData));
  for (const [name, values] of Object.entries(expected.analysisData)) {
    assert.ok(bits(got.analysis.analysisData[name]).equals(bits(values)), `series ${name} bit-exact`);
  }
  assert.ok(bits(got.analysis.waveform.points).equals(bits(expected.waveform.points)));
  assert.deepEqual(got.analysis.markers, expected.markers);
  assert.deepEqual(got.analysis.metadata, expected.metadata);
  assert.equal(got.report.version, stored.version);
  assert.equal(got.report.storedBytes, stored.storedSize);
  assert.match(got.report.etag, /^"/);

  const four = await cache.getCachedAnalysis(fileId, stem, { features: ['rms', 'zcr'] });
  assert.deepEqual(Object.keys(four.analysis.analysisData).sort(), ['rms', 'zcr']);
  assert.ok(bits(four.analysis.analysisData.rms).equals(bits(expected.analysisData.rms)));
  assert.ok(four.report.storedBytes < got.report.storedBytes / 5);

  const status = await cache.isAnalysisCached([fileId]);
  assert.equal(status[fileId][stem].state, 'cached');
  assert.equal(status[fileId][stem].contentHash, 'sha256:live');
  assert.equal(Object.values(status[fileId]).filter((s) => s.state === 'missing').length, 4);
  assert.deepEqual(await cache.warmProject([fileId]), { files: 1, stems: 1 });
  assert.ok('entries' in (await cache.cacheStats()));
  assert.equal(await cache.getCachedAnalysis(fileId, stem, { contentHash: 'sha256:other-audio' }), null);
  assert.equal((await cache.isAnalysisCached([fileId]))[fileId][stem].state, 'missing');

  await cache.cacheAnalysis(fileId, stem, asFile(fileId), { precision: 'Q16' });
  const q16 = await cache.getCachedAnalysis(fileId, stem);
  assert.equal(q16.analysis.precision, 'Q16');
  await cache.clearCache(fileId);
  assert.equal(await cache.getCachedAnalysis(fileId, stem), null);
});

test('getOrAnalyse: two tabs miss together, one analyses, both get the same analysis', live, async () => {
  const analysis = small();
  const tab1 = createAudioCache({ baseUrl: base, getToken: () => userA });
  const tab2 = createAudioCache({ baseUrl: base, getToken: () => userA });
  let analyses = 0;
  const analyse = async () => {
    analyses++;
    await new Promise((resolve) => setTimeout(resolve, 300));
    return analysis;
  };
  const [a, b] = await Promise.all([
    tab1.getOrAnalyse(analysis.fileMetadataId, analysis.stemType, analyse),
    tab2.getOrAnalyse(analysis.fileMetadataId, analysis.stemType, analyse),
  ]);
  assert.equal(analyses, 1);
  assert.equal([a, b].filter((r) => r.analysed).length, 1);
  assert.ok(bits(a.analysis.analysisData.rms).equals(bits(b.analysis.analysisData.rms)));
  const again = await tab1.getOrAnalyse(analysis.fileMetadataId, analysis.stemType, analyse);
  assert.equal(again.analysed, false);
  assert.equal(analyses, 1);
});

test('getOrAnalyse: an analysis that fails gives the lease back, and the next caller analyses at once', live, async () => {
  const analysis = small(60);
  const cache = createAudioCache({ baseUrl: base, getToken: () => userA });
  await assert.rejects(cache.getOrAnalyse(analysis.fileMetadataId, analysis.stemType, async () => {
    throw new Error('decoding the audio failed');
  }), /decoding the audio failed/);
  const started = Date.now();
  const result = await cache.getOrAnalyse(analysis.fileMetadataId, analysis.stemType, async () => analysis);
  assert.equal(result.analysed, true);
  assert.ok(Date.now() - started < 5000, 'no wait for an expired lease');
});

test('owners: another user sees a miss, a bad token is a 401 StemcacheApiError, a bad body a 400 naming the path', live, async () => {
  const analysis = small(30);
  const alice = createAudioCache({ baseUrl: base, getToken: () => userA });
  const bob = createAudioCache({ baseUrl: base, getToken: () => userB });
  await alice.cacheAnalysis(analysis.fileMetadataId, analysis.stemType, analysis);
  assert.equal(await bob.getCachedAnalysis(analysis.fileMetadataId, analysis.stemType), null);
  const forged = createAudioCache({ baseUrl: base, getToken: () => 'not.a.token' });
  await assert.rejects(forged.cacheStats(), (e) => e instanceof StemcacheApiError && e.status === 401);
  const broken = { ...analysis, analysisData: { rms: ['x'] } };
  await assert.rejects(alice.cacheAnalysis(analysis.fileMetadataId, analysis.stemType, broken),
    (e) => e instanceof StemcacheApiError && e.status === 400 && /analysisData/.test(e.problem.detail));
  assert.throws(() => createAudioCache({ baseUrl: base }), /getToken/);
});

test('a guest who signs up: the user claims the guest entries with both tokens', live, async () => {
  const { token } = await createGuestSession(base);
  const analysis = small(40);
  const guest = createAudioCache({ baseUrl: base, getToken: () => token });
  await guest.cacheAnalysis(analysis.fileMetadataId, analysis.stemType, analysis);
  const user = createAudioCache({ baseUrl: base, getToken: () => userB });
  assert.deepEqual(await user.claimGuest(token), { moved: 1 });
  assert.ok(await user.getCachedAnalysis(analysis.fileMetadataId, analysis.stemType));
  assert.equal(await guest.getCachedAnalysis(analysis.fileMetadataId, analysis.stemType), null);
});
