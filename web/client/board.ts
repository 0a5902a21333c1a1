// The supervisor's board: subscribes over graphql-ws (authenticated by the page's HttpOnly cookie,
// which the server reads on the upgrade of a same-origin socket) and re-fetches the server-rendered
// live part on every event, so the board and the API order and filter the same way.
import { createClient } from 'graphql-ws';

const live = document.getElementById('board-live');
const banner = document.getElementById('connection');

async function refresh(): Promise<void> {
  const response = await fetch('/board/live', { credentials: 'same-origin', headers: { accept: 'text/html' } });
  if (response.ok && live) live.innerHTML = await response.text();
}

let timer: ReturnType<typeof setTimeout> | undefined;
/** Several events in a burst (an import, a mediation) make one refresh. */
function schedule(): void {
  clearTimeout(timer);
  timer = setTimeout(() => void refresh().catch(() => undefined), 100);
}

if (live && banner) {
  const regions = (live.dataset.regions ?? '').split(',').filter(Boolean);
  let connectedBefore = false;
  const client = createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 5000))),
    on: {
      connected: () => {
        banner.hidden = true;
        document.body.dataset.live = 'connected';
        // What happened while the socket was down arrives as one refresh.
        if (connectedBefore) schedule();
        connectedBefore = true;
      },
      closed: () => {
        banner.hidden = false;
        document.body.dataset.live = 'disconnected';
      },
    },
  });
  const sink = { next: schedule, error: () => (banner.hidden = false), complete: () => undefined };
  for (const regionCode of regions) {
    client.subscribe({ query: 'subscription BoardAppeals($regionCode: String) { appealUpdated(regionCode: $regionCode) { id } }', variables: { regionCode } }, sink);
    client.subscribe({ query: 'subscription BoardFunds($regionCode: String) { fundBalanceChanged(regionCode: $regionCode) { belowMinimum } }', variables: { regionCode } }, sink);
  }
}
