// Injected by the pageload benchmark into every document before the page's own scripts run (DevTools'
// Page.addScriptToEvaluateOnNewDocument): records the main thread's long tasks (over 50 ms) of this page load.
(() => {
  const probe = { longTasks: [], error: null, observer: null };
  const keep = (entries) => {
    for (const e of entries) probe.longTasks.push({ start: e.startTime, duration: e.duration, name: e.name });
  };
  try {
    probe.observer = new PerformanceObserver((list) => keep(list.getEntries()));
    probe.observer.observe({ type: 'longtask', buffered: true });
  } catch (error) {
    probe.error = String(error);
  }
  /**
   * What the benchmark reads once the page is ready: the long tasks so far, the bytes of this load, and when the
   * page made its first API call (its scripts loaded and run by then).
   */
  probe.read = () => {
    if (probe.observer) keep(probe.observer.takeRecords());
    const navigation = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const analysis = resources.filter((r) => /\/api\/v1\/analyses\/|\/product\/trpc\//.test(new URL(r.name).pathname));
    const sum = (list) => list.reduce((total, r) => total + (r.transferSize ?? 0), 0);
    const calls = resources.filter((r) => /^\/api\/v1\/|^\/product\/trpc\//.test(new URL(r.name).pathname));
    return {
      firstCallAt: calls.length ? Math.min(...calls.map((r) => r.startTime)) : null,
      longTasks: probe.longTasks,
      error: probe.error,
      navigationBytes: navigation?.transferSize ?? 0,
      resourceBytes: sum(resources),
      analysisBytes: sum(analysis),
      analysisRequests: analysis.length,
      resources: resources.length,
    };
  };
  Object.defineProperty(window, '__stemcacheBench', { value: probe });
})();
