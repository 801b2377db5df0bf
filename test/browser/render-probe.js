// In-page measurements for test/browser/blotter-load.browser.test.ts, added to the page as a classic
// script once the blotter is live. window.renderProbe.start() begins a measurement, stop() ends it
// and returns { frames, delays }: the time between animation frames (a long one is a frame the
// page could not draw in time), and the delay from an order update's arrival to its row in the DOM.
(() => {
  const frames = [];
  const delays = [];
  // `${orderId} ${status}` -> when the update arrived on the probe's own stream (the page's own
  // reader is inside its bundle, so the probe reads the same updates on a second connection).
  const arrivals = new Map();
  // Kept across measurements: a row that only comes back into view is not a new update.
  const shown = new Set();
  let measuring = false;
  let lastFrame;

  const tick = (now) => {
    if (measuring && lastFrame !== undefined) frames.push(now - lastFrame);
    lastFrame = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);

  (async () => {
    const response = await fetch('/api/v1/orders/stream', { headers: { accept: 'text/event-stream' } });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const now = performance.now();
      text += decoder.decode(value, { stream: true });
      const blocks = text.split('\n\n');
      text = blocks.pop();
      for (const block of blocks) {
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (!block.includes('event: order') || !data) continue;
        const order = JSON.parse(data.slice('data: '.length));
        const key = `${order.orderId} ${order.status}`;
        if (!arrivals.has(key)) arrivals.set(key, now);
      }
    }
  })();

  // A row added, or its status changed: the first time each (order, status) is in the DOM. The
  // page renders in an animation frame, so this is within that frame of being painted.
  const onRow = (node) => {
    if (!measuring || !(node instanceof Element) || !node.hasAttribute('data-order-id')) return;
    const key = `${node.getAttribute('data-order-id')} ${node.getAttribute('data-status')}`;
    const arrived = arrivals.get(key);
    if (arrived === undefined || shown.has(key)) return;
    shown.add(key);
    delays.push(performance.now() - arrived);
  };
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === 'attributes') onRow(record.target);
      else record.addedNodes.forEach(onRow);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });

  const summary = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const round = (ms) => Math.round(ms * 10) / 10;
    return { count: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? 0) };
  };

  window.renderProbe = {
    start() {
      frames.length = 0;
      delays.length = 0;
      measuring = true;
    },
    stop() {
      measuring = false;
      return { frames: summary(frames), delays: summary(delays) };
    },
  };
})();
