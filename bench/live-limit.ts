/**
 * The limit of a live event's fan-out: a bare `ws` server that, on `POST /fire` with a payload,
 * sends every connected socket the graphql-ws `next` frame of that payload (with the socket's
 * own operation id), as the registry's server does for one event. No GraphQL, no database.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const sockets = new Map<WebSocket, string>();
const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/fire') {
    res.writeHead(404).end();
    return;
  }
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    res.writeHead(204).end();
    // The same frame the registry sends: the id, the type, the payload; built per socket as graphql-ws does.
    for (const [socket, id] of sockets) socket.send(JSON.stringify({ id, type: 'next', payload: JSON.parse(body) as unknown }));
  });
});
const wss = new WebSocketServer({ server, path: '/graphql' });
wss.on('connection', (socket) => {
  // The client sends the operation id it would subscribe with as its first message.
  socket.once('message', (data: Buffer) => {
    sockets.set(socket, data.toString());
    socket.send('ok');
  });
  socket.on('close', () => sockets.delete(socket));
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${JSON.stringify(server.address())}\n`);
});
