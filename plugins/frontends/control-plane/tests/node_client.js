// node_client.js — the worked example of docs/control-plane.md, plus a
// read-only device hitting a write method. Usage: node node_client.js URL TOKEN
const WebSocket = require('ws');
const crypto = require('crypto');
const [url, token] = process.argv.slice(2);

// One connection: resolves the challenge, then lets us call methods.
function open() {
  const ws = new WebSocket(url);
  let next = 1; const pending = new Map();
  const challenge = new Promise((resolve, reject) => {
    ws.on('message', (data) => {
      const f = JSON.parse(data.toString());
      if (f.type === 'event' && f.event === 'connect.challenge') resolve(f.payload);
      else if (f.type === 'res' && pending.has(f.id)) { pending.get(f.id)(f); pending.delete(f.id); }
    });
    ws.on('error', reject);
  });
  const call = (method, params = {}) => new Promise((resolve) => {
    const id = String(next++); pending.set(id, resolve);
    ws.send(JSON.stringify({ type: 'req', id, method, params }));
  });
  return { ws, challenge, call };
}

async function device(role) {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const pub = publicKey.export({ format: 'jwk' }).x;  // raw 32 bytes, base64url
  const c = open(); await c.challenge;
  const paired = await c.call('devices.pair', { token, publicKey: pub, name: 'node-' + role, role });
  if (!paired.ok) throw new Error('pair: ' + JSON.stringify(paired.error));
  c.ws.close();
  return { id: paired.payload.deviceId, privateKey };
}

async function connect(dev, role, scopes) {
  const c = open();
  const { nonce, ts } = await c.challenge;
  const msg = ['cowork-connect-v1', nonce, ts, role, scopes.join(',')].join('\n');
  const signature = crypto.sign(null, Buffer.from(msg), dev.privateKey).toString('base64url');
  const hello = await c.call('connect', { deviceId: dev.id, nonce, ts, role, scopes, signature });
  if (!hello.ok) throw new Error('connect: ' + JSON.stringify(hello.error));
  console.log('hello', hello.payload.clientId, hello.payload.role);
  return c;
}

(async () => {
  const op = await connect(await device('operator'), 'operator', ['read', 'write', 'approve']);
  const st = await op.call('status');
  console.log('status', st.ok ? 'ok' : JSON.stringify(st.error));
  const rd = await connect(await device('read'), 'read', ['read']);
  const denied = await rd.call('task.create', { prompt: 'x', workspace: '/tmp' });
  console.log('denied', denied.error.code, 'missingScope', denied.error.details.missingScope);
  op.ws.close(); rd.ws.close();
})().catch((e) => { console.error(e); process.exit(1); });
