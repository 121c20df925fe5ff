// auth_proxy.mjs — test harness for the conformance run. The conformance
// runner cannot send an Authorization header, and the host never serves
// without one; this proxy adds "Authorization: Bearer $MCP_TOKEN" and passes
// everything else through unchanged (Host and Origin included, so the
// DNS-rebinding scenario still reaches the host's own checks). Prints its
// port on stdout, then serves until killed.
import http from 'node:http';

const target = new URL(process.argv[2]);
const token = process.env.MCP_TOKEN;
if (!token) {
  console.error('MCP_TOKEN is not set');
  process.exit(2);
}

const server = http.createServer((req, res) => {
  const headers = { ...req.headers, authorization: `Bearer ${token}` };
  const upstream = http.request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
    (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
  upstream.on('error', (e) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`proxy: ${e.message}`);
  });
  req.pipe(upstream);
  res.on('close', () => upstream.destroy());
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
