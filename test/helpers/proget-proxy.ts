// A server that offers only the ProGet-compatible APIs, for workspace tests: a real HTTP proxy
// on 127.0.0.1 in front of a real instance that answers 404 to every feedgate v1 request (as
// ProGet would) and forwards everything else.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Forwards to `target`, except feedgate's own API: 404 as from a plain ProGet server. */
export function progetOnlyProxy(target: string): Promise<Server> {
  const { hostname, port } = new URL(target);
  const server = createServer((incoming, outgoing) => {
    if ((incoming.url ?? '').startsWith('/api/feedgate/')) {
      outgoing.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const forwarded = request(
      { hostname, port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    incoming.pipe(forwarded);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The proxy's URL. */
export const proxyUrl = (server: Server): string =>
  `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
