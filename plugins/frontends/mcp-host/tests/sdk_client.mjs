// sdk_client.mjs — a real third-party MCP client (the official TypeScript
// SDK) against the host: list tools, call tool.files.read_file in a
// workspace, read cowork://workspaces. Prints one JSON summary line.
//   node sdk_client.mjs stdio <cowork binary> <workspace>     (COWORK_HOME from env)
//   node sdk_client.mjs http <url> <workspace>                (MCP_TOKEN from env)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [mode, target, workspace] = process.argv.slice(2);
const transport = mode === 'stdio'
  ? new StdioClientTransport({ command: target, args: ['mcp', 'serve'], env: { ...process.env }, stderr: 'inherit' })
  : new StreamableHTTPClientTransport(new URL(target), {
      requestInit: { headers: { Authorization: `Bearer ${process.env.MCP_TOKEN}` } },
    });
const client = new Client({ name: 'cowork-interop-test', version: '1.0.0' });
await client.connect(transport);
const tools = await client.listTools();
const read = await client.callTool({
  name: 'tool.files.read_file',
  arguments: { path: 'note.txt', cowork_workspace: workspace },
});
const workspaces = await client.readResource({ uri: 'cowork://workspaces' });
console.log(JSON.stringify({
  server: client.getServerVersion(),
  toolNames: tools.tools.map((t) => t.name),
  readIsError: read.isError === true,
  readText: read.content?.[0]?.text ?? '',
  workspaces: JSON.parse(workspaces.contents[0].text),
  sessionId: transport.sessionId ?? null,
}));
await client.close();
