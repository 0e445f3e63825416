// A small HTTP proxy between the test devices and dvor-server that breaks sync requests on
// purpose: it can drop the reply after the server has answered (so the server committed but the
// device never hears of it), reset the connection before forwarding, hold a request, or run a
// hook (such as killing the server) while a request is in flight.
import http from 'node:http';

// What to do with one request to the sync API: 'pass', 'drop-reply', 'reset', or an object
// `{ delayMs, onForwarded }` (hold it first; call `onForwarded` once it has been sent on).
const PASS = 'pass';

export async function startFaultProxy(target) {
  const upstream = new URL(target);
  // Decides the fate of each sync request: (method, path) => fault. Everything else passes.
  let decide = () => PASS;
  const seen = { pass: 0, 'drop-reply': 0, reset: 0, delay: 0 };

  const proxy = http.createServer(async (req, res) => {
    const isSync = req.url.startsWith('/api/v1/sync/');
    const fault = isSync ? decide(req.method, req.url) : PASS;
    const kind = typeof fault === 'object' ? 'delay' : fault;
    seen[kind] += 1;
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (typeof fault === 'object' && fault.delayMs) {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    }
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        if (fault === 'drop-reply') {
          // Read the whole answer (the server has finished), then hang up without passing it on.
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', () => req.socket.destroy());
    forwarded.on('finish', () => fault?.onForwarded?.());
    req.pipe(forwarded);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address();
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    /** Sets how sync requests are treated from now on. */
    set(rule) {
      decide = typeof rule === 'function' ? rule : () => rule;
    },
    /** Passes everything again. */
    heal() {
      decide = () => PASS;
    },
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
