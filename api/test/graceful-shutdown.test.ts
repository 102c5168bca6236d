import { expect } from 'chai';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeGracefully } from '../src/graceful-shutdown.js';

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('closeGracefully', () => {
  let server: Server;
  let release: () => void;
  let arrived: Promise<void>;

  beforeEach(async () => {
    let signalArrived: () => void = () => undefined;
    arrived = new Promise((resolve) => (signalArrived = resolve));
    server = createServer((_req, res) => {
      signalArrived();
      release = () => res.end('done');
    });
    await new Promise<void>((resolve) => server.listen(0, resolve));
  });

  it('lets a request in flight finish, then closes', async () => {
    const port = (server.address() as AddressInfo).port;
    const inFlight = get(port);
    await arrived;
    const closing = closeGracefully(server, 5000);
    release();
    expect(await inFlight).to.deep.equal({ status: 200, body: 'done' });
    expect(await closing).to.equal(true);
    expect(server.listening).to.equal(false);
  });

  it('cuts requests that outlive the timeout', async () => {
    const port = (server.address() as AddressInfo).port;
    const inFlight = get(port).catch((error: Error) => error);
    await arrived;
    expect(await closeGracefully(server, 50)).to.equal(false);
    expect(await inFlight).to.be.instanceOf(Error);
  });
});
