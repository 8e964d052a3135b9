// Hand-drawn canvas charts: a stem (waveform, feature curves, onset markers) and the management page's history.
// Series are told apart by dash pattern as well as colour; every chart has a text alternative (aria-label).

/** The series drawn for a stem, with their styles; a series the analysis lacks is skipped. */
export const STEM_SERIES = Object.freeze([
  { name: 'rms', colour: '#0b5cad', dash: [] },
  { name: 'spectralCentroid', colour: '#a40e26', dash: [6, 3] },
  { name: 'zcr', colour: '#116329', dash: [1.5, 2.5] },
  { name: 'energy', colour: '#7d4e00', dash: [8, 3, 2, 3] },
]);

/** Sizes the canvas's bitmap to its CSS box at the screen's pixel ratio; returns [context, width, height] in CSS px. */
function prepare(canvas) {
  const ratio = globalThis.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 96;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  return [context, width, height];
}

/** One polyline of `values` (in [0, 1]) across the width, at most one point per pixel column (the column's max). */
function curve(context, values, width, top, height) {
  const n = values.length;
  if (n === 0) return;
  context.beginPath();
  const columns = Math.max(1, Math.min(n, Math.floor(width)));
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * n) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * n) / columns));
    let peak = 0;
    for (let i = from; i < to; i++) if (values[i] > peak) peak = values[i];
    const x = columns === 1 ? 0 : (c / (columns - 1)) * width;
    const y = top + height - Math.max(0, Math.min(1, peak)) * height;
    if (c === 0) context.moveTo(x, y);
    else context.lineTo(x, y);
  }
  context.stroke();
}

/** Draws a decoded analysis on `canvas`; returns the text alternative it set. */
export function drawStem(canvas, analysis) {
  const [context, width, height] = prepare(canvas);
  const points = analysis.waveform?.points ?? [];
  const duration = analysis.waveform?.duration || analysis.metadata?.duration || 0;
  const middle = height / 2;
  context.fillStyle = '#b8c0c8';
  const bar = points.length ? width / points.length : 0;
  for (let i = 0; i < points.length; i++) {
    const h = Math.abs(points[i]) * (height / 2 - 2);
    context.fillRect(i * bar, middle - h, Math.max(1, bar), 2 * h);
  }
  context.lineWidth = 1.4;
  const drawn = [];
  for (const series of STEM_SERIES) {
    const values = analysis.analysisData?.[series.name];
    if (!values) continue;
    context.strokeStyle = series.colour;
    context.setLineDash(series.dash);
    curve(context, values, width, 12, height - 14);
    drawn.push(series.name);
  }
  context.setLineDash([]);
  const markers = analysis.markers ?? [];
  context.strokeStyle = '#1b1f24';
  context.lineWidth = 1;
  if (duration > 0) {
    for (const marker of markers) {
      const x = (marker.time / duration) * width;
      context.beginPath();
      context.moveTo(x, 0);
      context.lineTo(x, 4 + 6 * (marker.intensity ?? 1));
      context.stroke();
    }
  }
  const frames = analysis.analysisData?.[drawn[0]]?.length ?? 0;
  const label = `${analysis.stemType} stem: ${duration.toFixed(1)} s, ${frames} frames of ${drawn.join(', ')}, `
    + `${markers.length} markers, ${points.length} waveform points`;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return label;
}

/**
 * The management page's history: lines of `series` [{label, colour, dash, values (any scale), max}] over `times`
 * (ms since the epoch), with the time axis labelled at both ends; returns the text alternative it set.
 */
export function drawHistory(canvas, times, series) {
  const [context, width, height] = prepare(canvas);
  const left = 8;
  const bottom = height - 18;
  const plotWidth = width - 2 * left;
  context.font = '12px system-ui, sans-serif';
  context.fillStyle = '#57606a';
  context.strokeStyle = '#d0d7de';
  context.beginPath();
  context.moveTo(left, bottom + 0.5);
  context.lineTo(width - left, bottom + 0.5);
  context.stroke();
  if (times.length === 0) {
    context.fillText('no rows in cache_statistics yet', left, height / 2);
    canvas.setAttribute('aria-label', 'History: no rows recorded yet');
    return 'no rows';
  }
  const first = times[0];
  const span = Math.max(1, times[times.length - 1] - first);
  const time = (t) => new Date(t).toLocaleTimeString();
  context.fillText(time(first), left, height - 4);
  const last = time(times[times.length - 1]);
  context.fillText(last, width - left - context.measureText(last).width, height - 4);
  context.lineWidth = 1.6;
  for (const s of series) {
    const max = s.max ?? Math.max(1, ...s.values);
    context.strokeStyle = s.colour;
    context.setLineDash(s.dash ?? []);
    context.beginPath();
    s.values.forEach((v, i) => {
      const x = left + (times.length === 1 ? plotWidth / 2 : ((times[i] - first) / span) * plotWidth);
      const y = bottom - 4 - (Math.max(0, v) / max) * (bottom - 16);
      if (i === 0) context.moveTo(x, y);
      else context.lineTo(x, y);
    });
    context.stroke();
    if (times.length === 1) {
      const y = bottom - 4 - (Math.max(0, s.values[0]) / max) * (bottom - 16);
      context.fillStyle = s.colour;
      context.fillRect(left + plotWidth / 2 - 3, y - 3, 6, 6);
    }
  }
  context.setLineDash([]);
  const label = `History of ${times.length} rows from ${time(first)} to ${last}: `
    + series.map((s) => `${s.label} now ${s.format ? s.format(s.values[s.values.length - 1]) : s.values[s.values.length - 1]}`).join(', ');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  return label;
}
